// Reading the report: reports/README.md is parsed once when it is found, and that parse is used
// unless the text changes after it (bytes that are not UTF-8 replaced, secrets masked); the audit
// is the same with one thread (no early read) or two (the report read beside the probes).
#include <doctest/doctest.h>

#include "engine/render.h"
#include "pipeline/audit.h"
#include "tests/unit/engine/git_fixture.h"

using namespace cc;
using cc_test::GitTmp;

namespace {

std::string report_with(const std::string& answer) {
  return "# Group 3\n\n## Overall project checklist\n\n* [x] Create a git repository (M5)\n"
         "* [x] Write unit tests related to the data part of your code (M16)\n\n"
         "### Question 7\n\n> **How many tests did you implement and what are they testing?**\n>\n"
         "> Answer:\n\n" +
         answer + "\n";
}

AuditResult audit(const GitTmp& t, int threads) {
  AuditOptions opt;
  opt.repo = t.path("r");
  opt.probe_threads = threads;
  return run_audit(opt);
}

bool has_problem(const AuditResult& r, const std::string& part) {
  for (const auto& p : r.report_problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("report loading: a clean report, parsed once, gives the same audit on one thread or two") {
  GitTmp t;
  t.init("r");
  t.write("r/reports/README.md", report_with("We implemented 12 tests of the data loading."));
  t.write("r/tests/test_data.py", "def test_a():\n    assert True\n");
  t.commit("r", "init", "2026-01-10T10:00:00+01:00");
  const AuditResult one = audit(t, 1), two = audit(t, 2);
  CHECK(one.report_found_by == "default");
  CHECK_FALSE(has_problem(one, "not UTF-8"));
  REQUIRE(one.test_count);
  CHECK(one.test_count->claimed == 12);
  CHECK(render_json(one) == render_json(two));
}

TEST_CASE("report loading: bytes that are not UTF-8 are replaced, and the replaced text is what is read") {
  GitTmp t;
  t.init("r");
  t.write("r/reports/README.md", report_with(std::string("We implemented 12 tests of the \xff data\0 loading.", 47)));
  t.commit("r", "init", "2026-01-10T10:00:00+01:00");
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    const AuditResult r = audit(t, threads);
    CHECK(has_problem(r, "not UTF-8 text; they were replaced"));
    REQUIRE(r.test_count);
    CHECK(r.test_count->claimed == 12);
    // The quote comes from the replaced text: U+FFFD where the bad bytes were, no raw 0xFF.
    CHECK(r.test_count->quote.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(r.test_count->quote.find('\xff') == std::string::npos);
  }
  CHECK(render_json(audit(t, 1)) == render_json(audit(t, 2)));
}
