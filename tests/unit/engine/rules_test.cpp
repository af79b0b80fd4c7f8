#include <doctest/doctest.h>

#include "engine/rules.h"

using namespace cc;

namespace {

Fact fact(std::string kind, std::map<std::string, std::string> attrs, std::string path = "f.yml",
          int line = 1) {
  Fact f;
  f.kind = std::move(kind);
  f.attrs = std::move(attrs);
  f.where = {std::move(path), line};
  f.detail = f.kind;
  return f;
}

const char* kChecks = R"(
checks:
  matrix:
    looked_for: two OSes and a cache
    probes: [github-workflows]
    outcomes:
      - status: supported
        when:
          all:
            - {fact: workflow.step, where: {class: '^cache$'}}
            - {fact: workflow.combo, where: {tests: yes}, distinct: os, min: 2}
        says: both
      - status: partial
        when:
          any:
            - {fact: workflow.step, where: {class: '^cache$'}}
            - {fact: workflow.combo, distinct: os, min: 2}
        says: one
    otherwise: {status: absent, says: none}
  counted:
    looked_for: tests
    outcomes:
      - status: supported
        when: {fact: pytest.summary, num: {items: '>= 3'}}
        says: enough
      - status: partial
        when:
          not: {fact: pytest.summary, num: {items: '== 0'}}
        says: some
    otherwise: {status: absent, says: none}
)";

}  // namespace

TEST_CASE("first outcome whose condition holds wins, with its evidence") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  FactStore fs;
  fs.add(fact("workflow.step", {{"class", "cache"}}, "a.yml", 7));
  fs.add(fact("workflow.combo", {{"os", "ubuntu"}, {"tests", "yes"}}, "a.yml", 3));
  auto r = cat.evaluate(*cat.check("matrix"), fs);
  CHECK(r.status == "partial");
  REQUIRE(r.evidence.size() == 1);
  CHECK(r.evidence[0].line == 7);

  fs.add(fact("workflow.combo", {{"os", "windows"}, {"tests", "yes"}}, "a.yml", 4));
  r = cat.evaluate(*cat.check("matrix"), fs);
  CHECK(r.status == "supported");
  CHECK(r.reason == "both");
  CHECK(r.evidence.size() == 3);
}

TEST_CASE("distinct counts comma-joined values once each") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  FactStore fs;
  fs.add(fact("workflow.combo", {{"os", "ubuntu,ubuntu"}}));
  CHECK(cat.evaluate(*cat.check("matrix"), fs).status == "absent");
  fs.add(fact("workflow.combo", {{"os", "macos,ubuntu"}}));
  CHECK(cat.evaluate(*cat.check("matrix"), fs).status == "partial");
}

TEST_CASE("numeric comparisons and not") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  FactStore fs;
  fs.add(fact("pytest.summary", {{"items", "0"}}));
  CHECK(cat.evaluate(*cat.check("counted"), fs).status == "absent");
  FactStore two;
  two.add(fact("pytest.summary", {{"items", "2"}}));
  CHECK(cat.evaluate(*cat.check("counted"), two).status == "partial");
  FactStore many;
  many.add(fact("pytest.summary", {{"items", "12"}}));
  CHECK(cat.evaluate(*cat.check("counted"), many).status == "supported");
  FactStore junk;
  junk.add(fact("pytest.summary", {{"items", "lots"}}));
  CHECK(cat.evaluate(*cat.check("counted"), junk).status == "partial");
}

TEST_CASE("absent becomes unverifiable when the probe's files could not be read") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  FactStore fs;
  fs.problem(".github/workflows/x.yml", 3, "YAML syntax error", "github-workflows");
  auto r = cat.evaluate(*cat.check("matrix"), fs);
  CHECK(r.status == "unverifiable");
  REQUIRE(r.evidence.size() == 1);
  CHECK(r.evidence[0].path == ".github/workflows/x.yml");
  // Problems of another probe do not matter to this check.
  FactStore other;
  other.problem("tests/test_x.py", 0, "binary", "pytest");
  CHECK(cat.evaluate(*cat.check("matrix"), other).status == "absent");
}

TEST_CASE("items match by pattern within their family, first match wins") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  cat.load("rules-x.yaml", R"(
family: "2025"
items:
  - {id: ci, module: M17, check: matrix, patterns: ['multi-?os']}
  - {id: any-ci, patterns: ['continuous integration']}
)");
  cat.validate();
  const ItemRule* r = cat.match_item("2025", "Add caching and MULTI-OS testing to your continuous integration");
  REQUIRE(r);
  CHECK(r->id == "ci");
  CHECK(cat.match_item("2025", "Get continuous integration running")->id == "any-ci");
  CHECK(cat.match_item("2023", "continuous integration") == nullptr);
  CHECK(cat.match_item("2025", "nothing like it") == nullptr);
}

TEST_CASE("schema errors name the file and line") {
  Catalog cat;
  auto msg = [&](const char* text) {
    try {
      cat.load("bad.yaml", text);
    } catch (const CatalogError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(msg("checks:\n  a:\n    looked_for: x\n    outcomes:\n      - status: maybe\n        says: y\n    otherwise: {status: absent, says: z}\n")
            .find("bad.yaml:5: unknown status 'maybe'") != std::string::npos);
  CHECK(msg("checks:\n  a:\n    looked_for: x\n    outcomes: []\n").find("missing 'otherwise'") != std::string::npos);
  CHECK(msg("family: '2025'\nitems:\n  - {id: a, patterns: ['(unclosed']}\n").find("bad pattern") != std::string::npos);
  CHECK(msg("checks: [\n").find("bad.yaml:") == 0);
  CHECK(msg("checks:\n  a:\n    looked_for: x\n    outcomes:\n      - status: absent\n        when: {fact: k, wher: {a: b}}\n        says: s\n    otherwise: {status: absent, says: z}\n")
            .find("unknown key 'wher'") != std::string::npos);
  Catalog dangling;
  dangling.load("r.yaml", "family: '2025'\nitems:\n  - {id: a, check: nope, patterns: [x]}\n");
  CHECK_THROWS_AS(dangling.validate(), CatalogError);
}

TEST_CASE("patterns compiled on first use: the same matches; a bad one matches nothing") {
  const char* text = "family: '2025'\nitems:\n  - {id: a, patterns: ['^lint(ing)? step']}\n"
                     "  - {id: b, patterns: ['(unclosed', 'docker']}\n";
  Catalog lazy;
  lazy.load("lazy.yaml", text, /*compile_now=*/false);  // no error: nothing compiled yet
  REQUIRE(lazy.match_item("2025", "Linting step in CI"));
  CHECK(lazy.match_item("2025", "Linting step in CI")->id == "a");
  CHECK(lazy.match_item("2025", "a docker image")->id == "b");  // the bad pattern is passed over
  CHECK(lazy.match_item("2025", "(unclosed") == nullptr);
  lazy.compile_patterns();
  CHECK(lazy.items()[1].second.patterns[0]->error() != "");
  Catalog now;
  CHECK_THROWS_AS(now.load("now.yaml", text), CatalogError);
}

TEST_CASE("stock-only evidence makes a supported outcome partial, naming the scaffold commit") {
  Catalog cat;
  cat.load("checks.yaml", kChecks);
  FactStore fs;
  Fact cache = fact("workflow.step", {{"class", "cache"}}, ".github/workflows/tests.yaml", 7);
  cache.origin = "scaffold-stock";
  Fact linux = fact("workflow.combo", {{"os", "ubuntu"}, {"tests", "yes"}}, ".github/workflows/tests.yaml", 3);
  linux.origin = "scaffold-stock";
  Fact win = fact("workflow.combo", {{"os", "windows"}, {"tests", "yes"}}, ".github/workflows/tests.yaml", 4);
  win.origin = "scaffold-stock";
  fs.add(cache);
  fs.add(linux);
  fs.add(win);
  EvalContext ctx{"0123456789abcdef0123456789abcdef01234567"};
  auto r = cat.evaluate(*cat.check("matrix"), fs, ctx);
  CHECK(r.status == "partial");
  CHECK(r.reason ==
        "both The evidence is the template's stock file, unchanged since the scaffold commit "
        "0123456: .github/workflows/tests.yaml.");
  CHECK(r.evidence.size() == 3);
  for (const auto& e : r.evidence) CHECK(e.origin == "scaffold-stock");

  // One piece of the group's own evidence is enough to keep it supported.
  FactStore mixed = fs;
  Fact own = fact("workflow.step", {{"class", "cache"}}, ".github/workflows/ci.yaml", 9);
  mixed.add(own);
  r = cat.evaluate(*cat.check("matrix"), mixed, ctx);
  CHECK(r.status == "supported");
  CHECK(r.reason == "both");

  // Several stock files, and no scaffold id known: the sentence still reads.
  FactStore two;
  linux.where.path = "a.yml";
  win.where.path = "b.yml";
  two.add(cache);
  two.add(linux);
  two.add(win);
  r = cat.evaluate(*cat.check("matrix"), two);
  CHECK(r.status == "partial");
  CHECK(r.reason ==
        "both The evidence is the template's stock files, unchanged since the scaffold commit: "
        ".github/workflows/tests.yaml, a.yml, b.yml.");

  // Stock evidence of an outcome that is already partial or absent is left alone.
  FactStore only_cache;
  only_cache.add(cache);
  r = cat.evaluate(*cat.check("matrix"), only_cache, ctx);
  CHECK(r.status == "partial");
  CHECK(r.reason == "one");
}
