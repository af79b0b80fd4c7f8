#include <doctest/doctest.h>

#include "engine/audit.h"

using namespace cc;

TEST_CASE("audit: an over-claimed coverage claim makes the result over-claimed") {
  AuditResult r;
  CHECK_FALSE(r.overclaimed());
  r.claims.coverage = CoverageCheck{};
  r.claims.coverage->verdict = "ok";
  CHECK_FALSE(r.overclaimed());
  r.claims.coverage->verdict = "overclaimed";
  CHECK(r.overclaimed());
}

TEST_CASE("audit: an over-claimed test count or checklist item makes the result over-claimed") {
  AuditResult r;
  r.test_count = TestCountCheck{};
  r.test_count->verdict = "overclaimed";
  CHECK(r.overclaimed());
  AuditResult s;
  s.checklist.push_back(ItemVerdict{});
  s.checklist.back().verdict = "overclaimed";
  CHECK(s.overclaimed());
}
