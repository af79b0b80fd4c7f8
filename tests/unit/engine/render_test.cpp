#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

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

TEST_CASE("hygiene (issue 12): JSON hygiene[] after the checklist, text section before the test count") {
  AuditResult r = sample();
  r.test_count = TestCountCheck{};
  r.test_count->verdict = "no-claim";
  std::string text = render_text(r);
  CHECK(text.find("Hygiene: no leaked secrets or committed data files found") != std::string::npos);
  CHECK_FALSE(r.secrets_found());

  r.hygiene = {{"secret", "configs/config.yaml", 8, std::string(40, 'b'), "W&B API key f8****cd", true},
               {"model", "models/m.pt", 0, "", "model weights, 2.0 MiB", false}};
  r.hygiene_notes = {"scan capped"};
  CHECK(r.secrets_found());
  auto j = nlohmann::ordered_json::parse(render_json(r));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  auto at = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) - keys.begin(); };
  CHECK(at("hygiene") == at("checklist") + 1);
  CHECK(at("hygiene_notes") == at("hygiene") + 1);
  CHECK(j["hygiene"][0] == nlohmann::ordered_json({{"kind", "secret"}, {"path", "configs/config.yaml"}, {"line", 8},
                                                   {"commit", std::string(40, 'b')}, {"detail", "W&B API key f8****cd"},
                                                   {"in_head", true}}));
  CHECK(j["hygiene"][1]["in_head"] == false);
  CHECK(j["hygiene_notes"][0] == "scan capped");

  text = render_text(r);
  std::size_t hygiene = text.find("Hygiene: 1 leaked secret(s), 1 committed data file(s)");
  REQUIRE(hygiene != std::string::npos);
  CHECK(hygiene > text.find("line 42: [x] Add a linting step"));
  CHECK(hygiene < text.find("Test count"));
  CHECK(text.find("  secret: configs/config.yaml:8\n    W&B API key f8****cd\n") != std::string::npos);
  CHECK(text.find("  model: models/m.pt (history only)\n") != std::string::npos);
  CHECK(text.find("  note: scan capped\n") != std::string::npos);
}
