#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "engine/render.h"

using namespace cc;

namespace {
AuditResult sample() {
  AuditResult r;
  r.commit = std::string(40, 'a');
  r.repo_described = "commit aaaaaaa of /tmp/x";
  r.report_path = "reports/README.md";
  r.report_source = "repo";
  r.template_version = "2026-01-09_eb7305c5";
  r.template_family = "2025";
  r.template_similarity = 0.98765;
  ItemVerdict ok{"Get some continuous integration running", "M17", true, "x", 40, "ci-github",
                 "supported", "ok", {{".github/workflows/t.yml", 3, "runs on push", "group"}}, "fine", "", {}, std::nullopt};
  ItemVerdict over{"Add a linting step", "M17", true, "x", 42, "ci-lint", "absent", "overclaimed", {}, "no lint", "a linter", {}, std::nullopt};
  r.checklist = {ok, over};
  r.answers.push_back({7, 100, 30, 0, 50, 100, std::nullopt, std::nullopt, false});
  return r;
}
}  // namespace

TEST_CASE("JSON follows schema claimcheck/1 and is deterministic") {
  AuditResult r = sample();
  std::string a = render_json(r), b = render_json(r);
  CHECK(a == b);
  auto j = nlohmann::json::parse(a);
  CHECK(j["schema"] == "claimcheck/1");
  CHECK(j["repo"]["commit"] == std::string(40, 'a'));
  CHECK(j["report"]["template"] == "2026-01-09_eb7305c5");
  CHECK(j["report"]["similarity"] == doctest::Approx(0.988));
  CHECK(j["checklist"][1]["verdict"] == "overclaimed");
  CHECK(j["checklist"][0]["evidence"][0]["line"] == 3);
  CHECK(j["answers"][0]["max_images"].is_null());
  CHECK(j["summary"]["overclaimed"] == 1);
  CHECK(j["claims"].is_object());
}

TEST_CASE("text puts over-claims first and shows what was looked for") {
  std::string t = render_text(sample());
  auto over = t.find("Over-claimed");
  auto ok = t.find("OK: ticked");
  REQUIRE(over != std::string::npos);
  REQUIRE(ok != std::string::npos);
  CHECK(over < ok);
  CHECK(t.find("looked for: a linter") != std::string::npos);
  CHECK(t.find(".github/workflows/t.yml:3") != std::string::npos);
  CHECK(t.find("question 7 (line 100): 30 words, the template asks 50-100") != std::string::npos);
  CHECK(t.find("\x1b[") == std::string::npos);
}

TEST_CASE("verdict vocabulary") {
  CHECK(verdict_for("supported", true) == "ok");
  CHECK(verdict_for("partial", true) == "weak");
  CHECK(verdict_for("absent", true) == "overclaimed");
  CHECK(verdict_for("unverifiable", true) == "unverifiable");
  CHECK(verdict_for("supported", false) == "underclaimed");
  CHECK(verdict_for("partial", false) == "not-claimed");
  CHECK(verdict_for("not-checked", true) == "not-checked");
}
