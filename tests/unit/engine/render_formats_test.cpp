// HTML, SARIF and Markdown renderers, evidence links and oral-exam questions, on AuditResults built
// here (the pipeline fills notes, contradictions and provenance; the renderers must show them).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "engine/render.h"
#include "engine/render_links.h"
#include "engine/rules.h"
#include "engine/rules_doc.h"

using namespace cc;

namespace {

const char* kQuestions = R"(
questions:
  outcomes:
    contradicted: ['You ticked "{item}", but question {question} says "{quote}".']
    overclaimed: ['You ticked "{item}": {reason} Where?']
    weak: ['Weak "{item}" at {evidence}: {reason}', 'Weak "{item}": {reason}']
    unverifiable: ['Unverifiable "{item}": {reason}']
    test-count: ['Question {question} says "{claimed}", the repository has {measured}.']
    coverage: ['Coverage {claimed} vs {measured}.']
    ci-prose: ['CI {claim}: {reason}']
  rules:
    write-access:
      unverifiable: ['Who had write access for "{item}"?']
)";

Catalog catalog_with_questions() {
  Catalog c;
  c.load("questions.yaml", kQuestions);
  c.validate();
  return c;
}

// A result whose repository and report strings are hostile: markup, quotes, ampersands.
AuditResult hostile() {
  AuditResult r;
  r.repo_path = "/tmp/<repo>";
  r.commit = std::string(40, 'b');
  r.repo_described = "commit bbbbbbb (2026-01-22 22:10 +0100) of /tmp/<repo>";
  r.report_path = "reports/README.md";
  r.report_source = "repo";
  r.report_found_by = "search";
  r.report_found_note = "took docs/<report>.md: the only markdown file with the template's questions";
  r.template_version = "2026-01-09_eb7305c5";
  r.template_family = "2025";
  r.template_similarity = 0.9;
  r.template_differences = {"heading \"<img src=x onerror=alert(1)>\" added"};
  ItemVerdict lint{"Add a linting step <script>alert('x')</script> & more (M17)", "M17", true, "x", 17, "ci-lint",
                   "absent", "overclaimed", {}, "No workflow runs a linter \"at all\".", "a ruff step", {}, std::nullopt};
  ItemVerdict ci{"Get some continuous integration running (M17)", "M17", true, "x", 16, "ci-github", "partial", "weak",
                 {{".github/workflows/t\"e<s>t&.yml", 12, "job <b>tests</b> & co", "scaffold-stock"}},
                 "Only the template's stock workflow.", "a workflow of your own", {}, std::nullopt};
  ci.notes.push_back({"reads params from a config <cfg>", "configs/a&b.yaml", 3});
  ItemVerdict prof{"Use profiling to optimize your code (M12)", "M12", true, "x", 20, "profiling", "supported", "ok",
                   {{"src/train.py", 5, "cProfile", "group"}}, "Profiled.", "", {}, std::nullopt};
  prof.contradiction = ReportQuote{12, 140, "We did not get to <profiling> & \"tuning\".", "did not get to"};
  ItemVerdict wa{"Make sure that all team members have write access to the GitHub repository (M5)", "M5", true, "x", 8,
                 "write-access", "unverifiable", "unverifiable", {}, "Write access cannot be seen.", "GitHub settings",
                 {}, std::nullopt};
  ItemVerdict docs{"Write some documentation (M32)", "M32", false, " ", 30, "documentation", "absent", "not-claimed",
                   {}, "No docs.", "a docs folder", {}, std::nullopt};
  r.checklist = {wa, ci, lint, prof, docs};
  r.answers.push_back({7, 100, 30, 0, 50, 100, std::nullopt, std::nullopt, false});
  r.answers.push_back({8, 120, 60, 0, 50, 100, std::nullopt, std::nullopt, false});
  TestCountCheck t;
  t.question = 7;
  t.quote = "We have <b>45</b> tests";
  t.claimed = 45;
  t.wording = "45 tests";
  t.functions = 3;
  t.items = 3;
  t.files = 1;
  t.verdict = "overclaimed";
  t.reason = "45 is above 3.";
  r.test_count = t;
  DeadlineCheck d;
  d.deadline = "2026-01-23T23:59:59+01:00";
  d.audited_commit = r.commit;
  d.findings.push_back({"appeared-later", ci.text, 16, std::string(40, 'c'), "2026-01-24", "workflow added later"});
  r.claims.deadline = d;
  return r;
}

RenderOptions opts(const Catalog& c) {
  RenderOptions o;
  o.repo_url = "https://github.com/group13/mlops";
  o.questions = &c.questions();
  return o;
}

}  // namespace

TEST_CASE("links: GitHub remotes, --repo-url, evidence URLs") {
  CHECK(github_web_url("https://github.com/dtu/mlops.git") == "https://github.com/dtu/mlops");
  CHECK(github_web_url("git@github.com:dtu/mlops.git") == "https://github.com/dtu/mlops");
  CHECK(github_web_url("ssh://git@github.com/dtu/mlops") == "https://github.com/dtu/mlops");
  CHECK(github_web_url("https://user:token@github.com/dtu/mlops.git") == "https://github.com/dtu/mlops");
  CHECK(github_web_url("https://gitlab.com/dtu/mlops.git") == "");
  CHECK(github_web_url("https://github.com/dtu/mlops\"><script>") == "");
  CHECK(github_web_url("/srv/git/mlops") == "");
  CHECK(clean_repo_url("https://github.com/dtu/mlops/") == "https://github.com/dtu/mlops");
  CHECK(clean_repo_url("javascript:alert(1)") == "");
  CHECK(clean_repo_url("https://github.com/a b") == "");
  std::string c(40, 'a');
  CHECK(evidence_url("https://github.com/o/n", c, "src/a b&c.py", 12) ==
        "https://github.com/o/n/blob/" + c + "/src/a%20b%26c.py#L12");
  CHECK(evidence_url("https://github.com/o/n", "worktree", "src/a.py", 1) == "");
  CHECK(evidence_url("", c, "src/a.py", 1) == "");
  CHECK(html_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST_CASE("questions: templates are data, checked when loaded") {
  Catalog bad;
  CHECK_THROWS_WITH_AS(bad.load("q.yaml", "questions:\n  outcomes:\n    weak: ['{nope}']\n"),
                       doctest::Contains("unknown placeholder {nope}"), CatalogError);
  Catalog unknown;
  CHECK_THROWS_AS(unknown.load("q.yaml", "questions:\n  outcomes:\n    bogus: ['x']\n"), CatalogError);
  Catalog partial;
  partial.load("q.yaml", "questions:\n  outcomes:\n    weak: ['x']\n");
  CHECK_THROWS_WITH_AS(partial.validate(), doctest::Contains("no template for outcome"), CatalogError);
  // First variant whose placeholders all have values; a value is never expanded again.
  CHECK(fill_question({"A {evidence}", "B {reason}"}, {{"reason", "r {evidence}"}}) == "B r {evidence}");
  CHECK(fill_question({"A {evidence}"}, {}) == "A ");
}

TEST_CASE("oral questions: one per flagged or contradicted ticked item, then numbers") {
  Catalog c = catalog_with_questions();
  auto qs = oral_questions(hostile(), c.questions());
  REQUIRE(qs.size() == 5);
  CHECK(qs[0].outcome == "unverifiable");
  CHECK(qs[0].text == "Who had write access for \"Make sure that all team members have write access to the GitHub repository\"?");
  CHECK(qs[1].outcome == "weak");
  CHECK(qs[1].text.find("at .github/workflows/t\"e<s>t&.yml:12") != std::string::npos);
  CHECK(qs[2].outcome == "overclaimed");
  CHECK(qs[3].outcome == "contradicted");  // ok by the repository, but the answer says otherwise
  CHECK(qs[3].text.find("question 12 says \"We did not get to") != std::string::npos);
  CHECK(qs[4].outcome == "test-count");
  CHECK(qs[4].line == 100);
  CHECK(qs[4].text.find("3 test functions") != std::string::npos);
}

TEST_CASE("HTML: self-contained, escaped, rows in report order, flags, links, badges") {
  Catalog c = catalog_with_questions();
  AuditResult r = hostile();
  std::string h = render_html(r, opts(c));
  CHECK(h == render_html(r, opts(c)));  // deterministic
  CHECK(h.find("<script>alert") == std::string::npos);
  CHECK(h.find("<img src=x") == std::string::npos);
  CHECK(h.find("<b>tests</b>") == std::string::npos);
  CHECK(h.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more") != std::string::npos);
  // Nothing fetched: no image, external script or stylesheet link.
  CHECK(h.find("<img") == std::string::npos);
  CHECK(h.find("<script src") == std::string::npos);
  CHECK(h.find("<link") == std::string::npos);
  // Report order: line 8, 16, 17, 20, 30.
  auto p8 = h.find("id=\"item-8\""), p16 = h.find("id=\"item-16\""), p17 = h.find("id=\"item-17\""),
       p30 = h.find("id=\"item-30\"");
  REQUIRE(p8 != std::string::npos);
  CHECK(p8 < p16);
  CHECK(p16 < p17);
  CHECK(p17 < p30);
  CHECK(h.find("id=\"item-17\" class=\"item flagged\" data-verdict=\"overclaimed\" data-flagged=\"true\"") != std::string::npos);
  CHECK(h.find("id=\"item-20\" class=\"item flagged\" data-verdict=\"ok\"") != std::string::npos);  // contradicted
  CHECK(h.find("id=\"item-30\" class=\"item\" data-verdict=\"not-claimed\" data-flagged=\"false\"") != std::string::npos);
  // Evidence links to the file and line at the audited commit, path percent-encoded then escaped.
  CHECK(h.find("href=\"https://github.com/group13/mlops/blob/" + r.commit +
               "/.github/workflows/t%22e%3Cs%3Et%26.yml#L12\"") != std::string::npos);
  CHECK(h.find("template stock") != std::string::npos);
  CHECK(h.find("late evidence") != std::string::npos);
  CHECK(h.find("We did not get to &lt;profiling&gt; &amp; &quot;tuning&quot;.") != std::string::npos);
  CHECK(h.find("configs/a&amp;b.yaml:3") != std::string::npos);
  CHECK(h.find("reads params from a config &lt;cfg&gt;") != std::string::npos);
  CHECK(h.find("Questions for the oral exam") < h.find("Checklist, in report order"));
  CHECK(h.find("found by search</span> took docs/&lt;report&gt;.md") != std::string::npos);
  CHECK(h.find("over-claimed") != std::string::npos);  // the word, not only the colour
  CHECK(h.find("name=\"filter\" value=\"flagged\"") != std::string::npos);
  // Without a web address, evidence is a plain path.
  RenderOptions plain;
  std::string p = render_html(r, plain);
  CHECK(p.find("href=\"https://github.com") == std::string::npos);
  CHECK(p.find("<code>.github/workflows/t&quot;e&lt;s&gt;t&amp;.yml:12</code>") != std::string::npos);
}

TEST_CASE("SARIF: results for ticked flagged items and over-claimed numbers, at report lines") {
  Catalog c = catalog_with_questions();
  AuditResult r = hostile();
  auto j = nlohmann::json::parse(render_sarif(r, opts(c)));
  CHECK(j["version"] == "2.1.0");
  const auto& run = j["runs"][0];
  const auto& res = run["results"];
  REQUIRE(res.size() == 4);  // write-access (note), ci-github (warning), ci-lint (error), test-count (error)
  CHECK(res[0]["ruleId"] == "write-access");
  CHECK(res[0]["level"] == "note");
  CHECK(res[1]["level"] == "warning");
  CHECK(res[2]["ruleId"] == "ci-lint");
  CHECK(res[2]["level"] == "error");
  CHECK(res[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reports/README.md");
  CHECK(res[2]["locations"][0]["physicalLocation"]["region"]["startLine"] == 17);
  CHECK(res[1]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        ".github/workflows/t%22e%3Cs%3Et%26.yml");
  CHECK(res[1]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 12);
  CHECK(res[3]["ruleId"] == "test-count");
  CHECK(res[3]["locations"][0]["physicalLocation"]["region"]["startLine"] == 100);
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 4);
  CHECK(rules[res[2]["ruleIndex"].get<int>()]["id"] == "ci-lint");
  CHECK(rules[res[2]["ruleIndex"].get<int>()]["help"]["text"] == "Supported by: a ruff step");
  CHECK(run["versionControlProvenance"][0]["revisionId"] == r.commit);
  // A file name that is not UTF-8 never stops the output.
  r.checklist[2].evidence.push_back({"src/bad\xff\xfe.py", 2, "x", "group"});
  auto k = nlohmann::json::parse(render_sarif(r, opts(c)));
  CHECK(k["runs"][0]["results"][2]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "src/bad%FF%FE.py");
  r.checklist[2].reason = "bad \xff byte";
  CHECK_NOTHROW(nlohmann::json::parse(render_sarif(r, opts(c))));
  CHECK_NOTHROW(nlohmann::json::parse(render_json(r)));
}

TEST_CASE("Markdown: counts, questions, flagged items with links, escaped") {
  Catalog c = catalog_with_questions();
  std::string m = render_markdown(hostile(), opts(c));
  CHECK(m.find("### Questions for the oral exam") != std::string::npos);
  CHECK(m.find("### Flagged items") != std::string::npos);
  CHECK(m.find("<script>") == std::string::npos);
  CHECK(m.find("&lt;script&gt;") != std::string::npos);
  CHECK(m.find("(https://github.com/group13/mlops/blob/") != std::string::npos);
  CHECK(m.find("| 30 |") == std::string::npos);  // not ticked: not flagged
}

TEST_CASE("--fail-on thresholds") {
  AuditResult r;
  ItemVerdict weak{"a", "", true, "x", 1, "r", "partial", "weak", {}, "", "", {}, std::nullopt};
  r.checklist = {weak};
  CHECK_FALSE(r.fails_at("overclaimed"));
  CHECK(r.fails_at("weak"));
  CHECK(r.fails_at("unverifiable"));
  r.checklist[0].verdict = "unverifiable";
  CHECK_FALSE(r.fails_at("weak"));
  CHECK(r.fails_at("unverifiable"));
  r.checklist[0].verdict = "overclaimed";
  CHECK(r.fails_at("overclaimed"));
  CHECK_FALSE(r.fails_at("never"));
}

TEST_CASE("rules and explain describe the catalog") {
  Catalog c;
  c.load("checks.yaml", R"(
checks:
  ci-lint:
    looked_for: a lint step
    probes: [github-workflows]
    outcomes:
      - status: supported
        when: {all: [{fact: workflow.step, where: {class: '^lint$'}}, {fact: workflow.trigger, min: 2}]}
        says: A workflow lints.
    otherwise: {status: absent, says: No lint.}
)");
  c.load("rules-2025.yaml", "family: \"2025\"\nitems:\n  - {id: ci-lint, module: M17, check: ci-lint, patterns: ['linting step']}\n");
  c.validate();
  CHECK(list_rules(c) == "ci-lint\tM17\t2025\ta lint step\n");
  auto e = explain_rule(c, "ci-lint");
  REQUIRE(e);
  CHECK(e->find("'linting step'") != std::string::npos);
  CHECK(e->find("probes: github-workflows") != std::string::npos);
  CHECK(e->find("supported when all of (workflow.step where class ~ '^lint$'; workflow.trigger, at least 2)") !=
        std::string::npos);
  CHECK(e->find("otherwise absent") != std::string::npos);
  CHECK_FALSE(explain_rule(c, "no-such-item"));
  CHECK(e->find("questions for the oral exam") == std::string::npos);  // none loaded
  c.load("questions.yaml", kQuestions);
  c.validate();
  auto q = explain_rule(c, "ci-lint");
  REQUIRE(q);
  CHECK(q->find("    overclaimed: You ticked \"{item}\": {reason} Where?") != std::string::npos);
}
