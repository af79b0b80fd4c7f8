// Claims of issue 5 in the answers: test-count additions, coverage, paths, figures, CI prose, and
// hostile input (huge answers, thousands of links, 400-digit numbers).
#include <doctest/doctest.h>

#include <string>

#include "reports/answer_claims.h"
#include "reports/claims.h"

using namespace cc;

TEST_CASE("test count: added qualifiers, hyphenated units, a single test") {
  auto c = extract_test_count_from("We wrote no fewer than 20 tests.", 7);
  CHECK(c.claimed == 20);
  CHECK(c.qualifier == "at least");
  c = extract_test_count_from("In excess of 100 tests run on every push.", 7);
  CHECK(c.claimed == 100);
  CHECK(c.qualifier == "over");
  c = extract_test_count_from("We have 11 test-files.", 7);
  CHECK(c.files_claimed == 11);
  CHECK(c.unit == "test files");
  c = extract_test_count_from("We have a single test.", 7);
  CHECK(c.claimed == 1);
  c = extract_test_count_from("We implemented ***45*** (unit) tests.", 7);
  CHECK(c.claimed == 45);
  c = extract_test_count_from("Coverage is 80% of tests", 7);
  CHECK(!c.claimed);
}

TEST_CASE("coverage: percentages, qualifiers, TOTAL row, hypothetical 100%") {
  auto c = extract_coverage_from("Our total code coverage is 65%.", 8);
  CHECK(c.claimed == doctest::Approx(65));
  CHECK(c.qualifier == "");
  c = extract_coverage_from("The coverage is 48 % overall.", 8);
  CHECK(c.claimed == doctest::Approx(48));
  c = extract_coverage_from("We reached approximately **45%** coverage. Even 100% coverage would not mean no bugs.", 8);
  CHECK(c.claimed == doctest::Approx(45));
  CHECK(c.qualifier == "approximately");
  CHECK(c.wording == "approximately 45%");
  c = extract_coverage_from("Output:\n```\nName    Stmts   Miss  Cover\nsrc/a.py   10   2   80%\nTOTAL     120     30    75%\n```\n", 8);
  CHECK(c.claimed == doctest::Approx(75));
  CHECK(c.qualifier == "table");
  c = extract_coverage_from("| **TOTAL** | 100 | 10 | **90%** |", 8);
  CHECK(c.claimed == doctest::Approx(90));
  c = extract_coverage_from("Coverage is between 60 and 70%.", 8);
  CHECK(c.claimed == doctest::Approx(60));
  CHECK(c.claimed_max == doctest::Approx(70));
  c = extract_coverage_from("If we had 100% coverage we would still not trust it.", 8);
  CHECK(!c.claimed);
  c = extract_coverage_from("Coverage is " + std::string(400, '9') + "%.", 8);
  CHECK(!c.claimed);
  CHECK(c.note.find("400 digits") != std::string::npos);
}

TEST_CASE("paths: code, commands, links, GitHub links; not paths") {
  std::string a =
      "Code in `src/pkg/` and `src/pkg/train.py`; run:\n```\npython src/pkg/eval.py --config=configs/a.yaml\n```\n"
      "See [tests](../tests/test_api.py) and https://github.com/o/r/blob/main/src/pkg/model.py#L3 and "
      "tests/test_data.py. Not: `torch.nn`, `gcr.io/p/img`, `actions/checkout@v4`, `https://example.com/x.py`, "
      "`/app/src/main.py`, `-r`.";
  auto ps = extract_paths_from(a, 5, "reports");
  std::vector<std::string> m;
  for (const auto& p : ps) m.push_back(p.mention + "|" + p.source);
  CHECK(m == std::vector<std::string>{"src/pkg/|code", "src/pkg/train.py|code", "src/pkg/eval.py|command",
                                      "configs/a.yaml|command", "../tests/test_api.py|link",
                                      "https://github.com/o/r/blob/main/src/pkg/model.py#L3|github",
                                      "tests/test_data.py|text"});
  CHECK(ps[0].note == "directory-like");
  CHECK(ps[4].base_dir == "reports");
}

TEST_CASE("figures: markdown and html images") {
  auto fs = extract_figures_from("![a](figures/x.png \"title\") and <img src=\"figures/y.png\" width=3>\n![b](<figures/z z.png>)", 29);
  REQUIRE(fs.size() == 3);
  CHECK(fs[0].link == "figures/x.png");
  CHECK(fs[1].link == "figures/y.png");
  CHECK(fs[2].link == "figures/z");  // a space ends the target (title follows)
}

TEST_CASE("CI prose: OS, Python, cache, lint, negation, hypotheticals") {
  auto cs = extract_ci_prose_from(
      "Our tests run on Ubuntu and Windows with Python 3.11 and 3.12, and we cache pip. We do not run on "
      "macOS. We lint with ruff. In the future we could add Python 3.13.",
      11);
  std::vector<std::string> claims;
  for (const auto& c : cs) claims.push_back(c.claim);
  CHECK(claims == std::vector<std::string>{"runs on ubuntu", "runs on windows", "tests Python 3.11",
                                           "tests Python 3.12", "caches (dependencies or data)",
                                           "does not run on macos", "runs a linter", "runs ruff"});
  // No CI words: not a claim about CI.
  CHECK(extract_ci_prose_from("We all used Windows laptops.", 11).empty());
}

TEST_CASE("hostile answers: 100,000 words, 10,000 links, 400-digit numbers") {
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "word ";
  std::string links;
  for (int i = 0; i < 10000; ++i) links += "[l](src/f" + std::to_string(i) + ".py) ![i](f" + std::to_string(i) + ".png) ";
  links += "[[[[[[[[[[[[[[ ![![![![![![ `````` ```";
  size_t more_p = 0, more_f = 0;
  auto ps = extract_paths_from(big + links, 5, "reports", &more_p);
  auto fs = extract_figures_from(big + links, 29, &more_f);
  CHECK(ps.size() == kMaxPathMentions);
  CHECK(more_p == 10000 - kMaxPathMentions);
  CHECK(fs.size() == kMaxFigures);
  CHECK(more_f == 10000 - kMaxFigures);
  auto cs = extract_ci_prose_from(big + " we test on python 3.11 " + std::string(400, '3'), 11);
  CHECK(cs.size() <= kMaxCiClaims);
  auto c = extract_coverage_from(big, 8);
  CHECK(!c.claimed);
}
