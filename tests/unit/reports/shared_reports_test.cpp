// The five real (draft) reports in ../shared/reports parse without losing data, their tick counts equal a
// plain grep of "[x]"/"[X]" list items, and their template family is right.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "reports/claims.h"
#include "reports/report.h"
#include "tests/unit/reports/read_file.h"

namespace fs = std::filesystem;

namespace {

using cc::test::read_file;

// grep -cE '^\s*[-*+] \[(x|X)\]' (ticked) and '^\s*[-*+] \[( |x|X)\]' (all boxes).
std::pair<int, int> grep_boxes(const std::string& md) {
  int ticked = 0, all = 0;
  std::istringstream in(md);
  std::string line;
  while (std::getline(in, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || i + 5 > line.size()) continue;
    if (line[i] != '-' && line[i] != '*' && line[i] != '+') continue;
    if (line[i + 1] != ' ' || line[i + 2] != '[' || line[i + 4] != ']') continue;
    const char m = line[i + 3];
    if (m == 'x' || m == 'X') ++ticked;
    if (m == 'x' || m == 'X' || m == ' ') ++all;
  }
  return {ticked, all};
}

}  // namespace

TEST_CASE("the five real reports parse, tick counts match grep, families are right") {
  const fs::path dir = fs::path(CC_SHARED_DIR) / "reports";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir.string() << " does not exist (reference material not available)");
    return;
  }
  // Problems that do not lose data (a report without checklist is a fact about the report).
  const std::set<std::string> harmless = {"no checklist section found"};
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".md") continue;
    ++seen;
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    const std::string md = read_file(entry.path());
    const cc::Report r = cc::parse_report(md, entry.path().string());
    for (const auto& p : r.problems) {
      CAPTURE(p);
      CHECK(harmless.count(p) == 1);
    }
    const auto [grep_ticked, grep_all] = grep_boxes(md);
    int ticked = 0;
    for (const auto& c : r.checklist) ticked += c.ticked ? 1 : 0;
    CHECK(ticked == grep_ticked);
    CHECK(static_cast<int>(r.checklist.size()) == grep_all);
    const bool old = name.rfind("group94", 0) == 0;
    CHECK(r.tmpl.family == (old ? "2023" : "2025"));
    CHECK(r.answers.size() == (old ? 27u : 31u));
    CHECK(r.tmpl.similarity > 0.9);
    for (const auto& a : r.answers) {
      CAPTURE(a.question);
      CHECK(a.line > 0);
      CHECK_FALSE(a.prompt.empty());
    }
    if (name.rfind("group140", 0) == 0) {
      CHECK(r.checklist.empty());
      CHECK(r.tmpl.differences.size() >= 1);
      CHECK(r.tmpl.differences[0] == "checklist removed");
    }
  }
  CHECK(seen == 5);
}

TEST_CASE("the test-count claims of the real reports") {
  const fs::path dir = fs::path(CC_SHARED_DIR) / "reports";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir.string() << " does not exist (reference material not available)");
    return;
  }
  auto claim_of = [&](const char* file) {
    return cc::extract_test_count(cc::parse_report(read_file(dir / file), file));
  };
  auto c140 = claim_of("group140-2026-no-checklist.md");
  REQUIRE(c140);
  CHECK(c140->claimed == 45);
  CHECK(c140->qualifier == "approximately");
  CHECK(c140->question == 7);
  auto c149 = claim_of("group149-2026-draft.md");
  REQUIRE(c149);
  CHECK(c149->claimed == 14);
  CHECK(c149->files_claimed == 3);
  CHECK(c149->unit == "tests");
  auto c27 = claim_of("group27-2026-partial.md");
  REQUIRE(c27);
  CHECK_FALSE(c27->claimed.has_value());
  CHECK(c27->files_claimed == 11);
  CHECK(c27->unit == "test files");
  auto c76 = claim_of("group76-2026-partial.md");
  REQUIRE(c76);
  CHECK_FALSE(c76->claimed.has_value());
  auto c94 = claim_of("group94-2024-template.md");
  REQUIRE(c94);
  CHECK(c94->claimed == 4);
  CHECK(c94->qualifier == "");
}
