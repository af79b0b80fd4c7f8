// Report discovery (issue 8, part 1): the markdown file that is the report, when reports/README.md
// is missing or is no report.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/memory_snapshot.h"
#include "pipeline/report_discovery.h"

using namespace cc;

namespace {

std::string report_md(int items, bool questions = true) {
  std::string s = "## Week 1\n\n";
  for (int i = 0; i < items; ++i) s += "* [x] Item " + std::to_string(i) + " (M5)\n";
  if (questions) s += "\n### Question 1\n> **Group?**\n>\n> Answer:\n\n7\n\n### Question 2\n> Answer:\n\nx\n";
  return s;
}

const std::string kProjectReadme = "# mlops project\n\nRun `make train`.\n\n- see [docs](docs/index.md)\n";

}  // namespace

TEST_CASE("discovery: a report moved to the root README.md is found, the stub passed over") {
  MemorySnapshot snap({{"reports/README.md", "# Report\n\nSee the root README.\n"},
                       {"README.md", report_md(3)},
                       {"docs/index.md", kProjectReadme}});
  const FoundReport f = search_report(snap, "reports/README.md", "reports/README.md has no checklist and no questions");
  REQUIRE(f.found);
  CHECK(f.path == "README.md");
  CHECK(f.text == report_md(3));
  CHECK(f.looked_at == std::vector<std::string>{"README.md", "docs/index.md"});  // the excluded stub not re-read
  CHECK(f.note ==
        "reports/README.md has no checklist and no questions; took README.md, the one with the most checklist "
        "items and questions (3 items, 2 questions) of the 2 markdown files read");
}

TEST_CASE("discovery: the bigger report wins over a to-do list; ties go to the likelier place") {
  MemorySnapshot snap({{"README.md", "# Project\n\n- [x] train a model\n"},
                       {"docs/report.md", report_md(5)},
                       {"notes/report-draft.md", report_md(5)},
                       {"notes/other.md", report_md(5)}});
  const FoundReport f = search_report(snap, "reports/README.md", "there is no reports/README.md");
  REQUIRE(f.found);
  // Same similarity and size: the first in the search order (report*.md, then path order) wins.
  CHECK(f.path == "docs/report.md");
  CHECK(f.looked_at.front() == "README.md");
}

TEST_CASE("discovery: nothing like a report anywhere") {
  MemorySnapshot snap({{"README.md", kProjectReadme}, {"src/pkg/model.py", "import torch\n"}});
  const FoundReport f = search_report(snap, "reports/README.md", "there is no reports/README.md");
  CHECK_FALSE(f.found);
  CHECK(f.looked_at == std::vector<std::string>{"README.md"});
  CHECK(f.path.empty());
}

TEST_CASE("discovery: vendored directories, symlinks, binary and huge files are passed over") {
  MemorySnapshot snap;
  snap.add("node_modules/pkg/README.md", report_md(40));
  snap.add(".venv/lib/python3.11/site-packages/x/README.md", report_md(40));
  snap.add("a/binary.md", std::string("\0\0\0", 3) + report_md(40));
  snap.add("b/huge.md", std::string(kMaxCandidateBytes + 1, 'a'));
  snap.add("c/small.md", report_md(1));
  const FoundReport f = search_report(snap, "reports/README.md", "there is no reports/README.md");
  REQUIRE(f.found);
  CHECK(f.path == "c/small.md");
  CHECK(f.looked_at == std::vector<std::string>{"c/small.md"});
  CHECK(f.passed_over == 2);
}

TEST_CASE("discovery: thousands of markdown files stay within the caps and the time") {
  MemorySnapshot snap;
  for (int i = 0; i < 3000; ++i) snap.add("notes/n" + std::to_string(10000 + i) + ".md", report_md(2));
  snap.add("README.md", report_md(4));
  const auto t0 = std::chrono::steady_clock::now();
  const FoundReport f = search_report(snap, "reports/README.md", "there is no reports/README.md");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(f.found);
  CHECK(f.path == "README.md");  // read first: the root README is the likeliest place
  CHECK(f.looked_at.size() == kMaxCandidates);
  CHECK(f.passed_over == 3001 - kMaxCandidates);
  MESSAGE(secs << " s");  // printed, not asserted: no test asserts wall-clock time
}

TEST_CASE("discovery: template similarity decides before size (real 2026 template)") {
  const std::filesystem::path tpl = std::filesystem::path(CC_SHARED_DIR) / "templates" / "2026-01-09_eb7305c5.md";
  if (!std::filesystem::is_regular_file(tpl)) {
    MESSAGE("skipped: " << tpl.string() << " does not exist (reference material not available)");
    return;
  }
  std::ifstream in(tpl, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  MemorySnapshot snap({{"README.md", report_md(80)}, {"docs/exam.md", ss.str()}});
  const FoundReport f = search_report(snap, "reports/README.md", "there is no reports/README.md");
  REQUIRE(f.found);
  CHECK(f.path == "docs/exam.md");
  CHECK(f.note.find("the closest to template 2026-01-09_") != std::string::npos);
  CHECK(f.note.find("(100%) of the 2 markdown files read") != std::string::npos);
}
