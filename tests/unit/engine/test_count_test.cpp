#include <doctest/doctest.h>

#include "engine/test_count.h"

using namespace cc;

namespace {
TestCountCheck measured(long long files, long long functions, long long items, bool exact = true) {
  TestCountCheck t;
  t.files = files;
  t.functions = functions;
  t.items = items;
  t.items_exact = exact;
  t.unit = "tests";
  return t;
}
}  // namespace

TEST_CASE("an exact number matches functions, items, or anything between") {
  for (long long c : {5, 6, 7}) {
    auto t = measured(2, 5, 7);
    t.claimed = c;
    judge_test_count(t, false);
    CHECK(t.verdict == "ok");
  }
  auto t = measured(2, 5, 7);
  t.claimed = 45;
  judge_test_count(t, false);
  CHECK(t.verdict == "overclaimed");
  CHECK(t.reason.find("45") != std::string::npos);
  t = measured(2, 5, 7);
  t.claimed = 3;
  judge_test_count(t, false);
  CHECK(t.verdict == "underclaimed");
}

TEST_CASE("approximately allows 20% or 2, whichever is more") {
  auto t = measured(3, 12, 12);
  t.claimed = 45;
  t.qualifier = "approximately";
  judge_test_count(t, false);
  CHECK(t.verdict == "overclaimed");
  CHECK(t.tolerance.find("36 to 54") == 0);
  t = measured(3, 40, 40);
  t.claimed = 45;
  t.qualifier = "approximately";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
  t = measured(1, 2, 2);
  t.claimed = 4;
  t.qualifier = "around";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
}

TEST_CASE("over and almost are one-sided") {
  auto t = measured(10, 150, 230);
  t.claimed = 200;
  t.qualifier = "over";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
  t = measured(10, 150, 180);
  t.claimed = 200;
  t.qualifier = "more than";
  judge_test_count(t, false);
  CHECK(t.verdict == "overclaimed");
  t = measured(2, 19, 19);
  t.claimed = 20;
  t.qualifier = "almost";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
  t = measured(2, 25, 25);
  t.claimed = 20;
  t.qualifier = "almost";
  judge_test_count(t, false);
  CHECK(t.verdict == "underclaimed");
}

TEST_CASE("test files are compared with files") {
  auto t = measured(11, 40, 40);
  t.claimed = 11;
  t.unit = "test files";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
  t.claimed = 14;
  judge_test_count(t, false);
  CHECK(t.verdict == "overclaimed");
}

TEST_CASE("no false accusation when the measurement is a lower bound") {
  auto t = measured(2, 5, 9, /*exact=*/false);
  t.claimed = 30;
  judge_test_count(t, false);
  CHECK(t.verdict == "unverifiable");
  t = measured(2, 5, 9);
  t.claimed = 30;
  judge_test_count(t, /*partial=*/true);
  CHECK(t.verdict == "unverifiable");
  t = measured(2, 5, 9);
  judge_test_count(t, false);
  CHECK(t.verdict == "no-claim");
}

TEST_CASE("ranges overlap the measurement") {
  auto t = measured(3, 38, 44);
  t.claimed = 40;
  t.claimed_max = 50;
  t.qualifier = "between";
  judge_test_count(t, false);
  CHECK(t.verdict == "ok");
  t = measured(3, 20, 22);
  t.claimed = 40;
  t.claimed_max = 50;
  t.qualifier = "between";
  judge_test_count(t, false);
  CHECK(t.verdict == "overclaimed");
}

TEST_CASE("an unreadable number is unverifiable, not an accusation") {
  auto t = measured(1, 1, 1);
  t.note = "number too large to read (80 digits)";
  judge_test_count(t, false);
  CHECK(t.verdict == "unverifiable");
}
