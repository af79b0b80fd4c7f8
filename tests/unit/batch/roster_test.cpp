#include <doctest/doctest.h>

#include <stdexcept>

#include "batch/dashboard.h"
#include "batch/fetch.h"
#include "batch/roster.h"

using cc::parse_roster;

TEST_CASE("roster: header, optional columns, quoting, CRLF and a BOM") {
  auto r = parse_roster(
      "\xEF\xBB\xBFgroup,repo,deadline\r\n"
      "g1,https://github.com/a/b.git,\r\n"
      "\"g,2\",\"x/\"\"q\"\".git\",2026-01-23T23:59:59+01:00\r\n",
      "/base");
  REQUIRE(r.rows.size() == 2);
  CHECK(r.skipped.empty());
  CHECK(r.rows[0].group == "g1");
  CHECK(r.rows[0].repo == "https://github.com/a/b.git");
  CHECK(r.rows[0].line == 2);
  CHECK(r.rows[1].group == "g,2");
  CHECK(r.rows[1].repo == "/base/x/\"q\".git");  // a local path, made absolute
  CHECK(r.rows[1].deadline == "2026-01-23T23:59:59+01:00");
  CHECK(r.rows[1].branch.empty());
}

TEST_CASE("roster: bad rows are skipped with their line, the others stay") {
  auto r = parse_roster(
      "group,repo,branch\n"
      "a,/r/a,main\n"
      "\n"
      ",/r/x,\n"
      "b,,\n"
      "a,/r/a2,\n"
      "c,/r/c\n"
      "d,/r/d,--upload-pack=evil\n"
      "e,/r/e,dev\n",
      "/");
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].group == "a");
  CHECK(r.rows[1].group == "e");
  REQUIRE(r.skipped.size() == 5);
  CHECK(r.skipped[0].line == 4);
  CHECK(r.skipped[1].line == 5);
  CHECK(r.skipped[2].line == 6);
  CHECK(r.skipped[2].detail.find("already") != std::string::npos);
  CHECK(r.skipped[3].line == 7);
  CHECK(r.skipped[4].line == 8);
}

TEST_CASE("roster: a quoted field spanning lines keeps the line numbers right") {
  auto r = parse_roster("group,repo\n\"two\nlines\",/r\nz,/z,extra\nok,/ok\n", "/");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].group == "ok");
  CHECK(r.rows[0].line == 5);
  REQUIRE(r.skipped.size() == 2);
  CHECK(r.skipped[0].line == 2);  // control character (newline) in the group id
  CHECK(r.skipped[1].line == 4);
}

TEST_CASE("roster: an unusable file is an error, not an empty run") {
  CHECK_THROWS_AS(parse_roster("", "/"), std::invalid_argument);
  CHECK_THROWS_AS(parse_roster("group,url\na,b\n", "/"), std::invalid_argument);
  CHECK_THROWS_AS(parse_roster("repo\nx\n", "/"), std::invalid_argument);
  CHECK_THROWS_AS(parse_roster("group,repo,repo\n", "/"), std::invalid_argument);
  auto r = parse_roster("group,repo\n\"open,/x\n", "/");
  CHECK(r.rows.empty());
  REQUIRE(r.skipped.size() == 1);
}

TEST_CASE("roster: bad deadlines are skipped") {
  auto r = parse_roster("group,repo,deadline\na,/a,tomorrow\nb,/b,2026-01-23\n", "/");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].group == "b");
  CHECK(r.skipped[0].detail.rfind("deadline:", 0) == 0);
}

TEST_CASE("shards partition the groups, deterministically") {
  CHECK_THROWS_AS(cc::parse_shard("0/3"), std::invalid_argument);
  CHECK_THROWS_AS(cc::parse_shard("4/3"), std::invalid_argument);
  CHECK_THROWS_AS(cc::parse_shard("1/"), std::invalid_argument);
  CHECK_THROWS_AS(cc::parse_shard("1x/3"), std::invalid_argument);
  auto s = cc::parse_shard("2/3");
  CHECK(s.k == 2);
  CHECK(s.n == 3);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 300; ++i) {
    std::string g = "group-" + std::to_string(i);
    int hits = 0;
    for (int k = 1; k <= 3; ++k)
      if (cc::in_shard(g, {k, 3})) {
        ++hits;
        ++counts[k - 1];
      }
    CHECK(hits == 1);
  }
  for (int c : counts) CHECK(c > 50);  // every shard gets a fair share
  CHECK(cc::fnv1a64("a") == 0xaf63dc4c8601ec8cull);  // the published FNV-1a 64 test vector
}

TEST_CASE("group ids as file names stay distinct and harmless") {
  CHECK(cc::safe_file_name("group-7") == "group-7");
  CHECK(cc::safe_file_name("a_20b") != cc::safe_file_name("a b"));
  CHECK(cc::safe_file_name("../x") == "_2E_2E_2Fx");
  CHECK(cc::safe_file_name("a b") != cc::safe_file_name("a_b"));
}

TEST_CASE("roster: arbitrary bytes never crash the parser") {
  std::uint64_t x = 42;  // a fixed xorshift sequence: the same bytes on every run
  const std::string alphabet = std::string("group,repo\"\r\n\0\xff ab/", 19);
  for (int round = 0; round < 300; ++round) {
    std::string text = round % 2 ? "group,repo,deadline\n" : "";
    for (int i = 0; i < 200; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      text += alphabet[x % alphabet.size()];
    }
    try {
      auto r = parse_roster(text, "/base");
      for (const auto& row : r.rows) {
        CHECK_FALSE(row.group.empty());
        CHECK_FALSE(row.repo.empty());
      }
    } catch (const std::invalid_argument&) {
      // an unusable file: reported as such
    }
  }
}

TEST_CASE("cache entries: one per group and URL, named after the group") {
  CHECK(cc::cache_key("group-7", "file:///r.git").rfind("group-7-", 0) == 0);
  CHECK(cc::cache_key("a/b", "u") != cc::cache_key("a_b", "u"));
  CHECK(cc::cache_key("a", "u1") != cc::cache_key("a", "u2"));
  CHECK(cc::cache_key("../..", "u").find('/') == std::string::npos);
  CHECK(cc::cache_key("a", "u") == cc::cache_key("a", "u"));
}
