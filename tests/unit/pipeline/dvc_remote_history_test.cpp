// The DVC remote history cross-check (issue 4): a gs:// remote in a past .dvc/config that the
// audited commit no longer has becomes a dvc.remote_history fact, read from a real repository.
#include <doctest/doctest.h>

#include "pipeline/audit.h"
#include "tests/unit/engine/git_fixture.h"

using namespace cc;
using cc_test::GitTmp;

namespace {

const char* kGs = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://group7-data/dvc\n";
const char* kDrive = "[core]\n    remote = drive\n['remote \"drive\"']\n    url = gdrive://1AbCdEfGh\n";

std::vector<const Fact*> history_facts(const GitTmp& t, const std::string& dir, FactStore& keep,
                                       bool worktree = false) {
  AuditOptions opt;
  opt.repo = t.path(dir);
  opt.worktree = worktree;
  keep = collect_facts(opt);
  return keep.of_kind("dvc.remote_history");
}

}  // namespace

TEST_CASE("dvc remote history: gs:// replaced by gdrive:// two days later") {
  GitTmp t;
  t.init("r");
  t.write("r/README.md", "# group 7\n");
  t.commit("r", "init", "2026-01-03T10:00:00+01:00");
  t.write("r/.dvc/config", kGs);
  t.commit("r", "dvc on gcs", "2026-01-05T10:00:00+01:00");
  t.write("r/data.dvc", "outs:\n- md5: 0123\n  path: data\n");
  t.commit("r", "track data", "2026-01-06T09:00:00+01:00");
  t.write("r/.dvc/config", kDrive);
  t.commit("r", "move to drive", "2026-01-07T12:00:00+01:00");
  t.write("r/src.py", "print(1)\n");
  t.commit("r", "more", "2026-01-09T12:00:00+01:00");
  std::string from = t.out("r", "git rev-parse --short=7 HEAD~3");
  std::string until = t.out("r", "git rev-parse --short=7 HEAD~1");

  FactStore fs;
  auto h = history_facts(t, "r", fs);
  REQUIRE(h.size() == 1);
  const Fact& f = *h[0];
  CHECK(f.where.path == ".dvc/config");
  CHECK(f.attr("url") == "gs://group7-data/dvc");
  CHECK(f.attr("scheme") == "gs");
  CHECK(f.attr("from") == from);
  CHECK(f.attr("from_date") == "2026-01-05");
  CHECK(f.attr("until") == until);
  CHECK(f.attr("until_date") == "2026-01-07");
  CHECK(f.attr("days") == "2");
  CHECK(f.attr("current_schemes") == "gdrive");
  CHECK(f.detail.find("from 2026-01-05") != std::string::npos);
  CHECK(f.detail.find("replaced") != std::string::npos);
  CHECK(f.detail.find("uses gdrive") != std::string::npos);

  SUBCASE("a worktree audit reads the same history") {
    FactStore w;
    auto hw = history_facts(t, "r", w, true);
    REQUIRE(hw.size() == 1);
    CHECK(hw[0]->attr("until") == until);
  }
}

TEST_CASE("dvc remote history: nothing when the audited commit still uses the bucket, or never did") {
  GitTmp t;
  t.init("gs");
  t.write("gs/.dvc/config", kDrive);
  t.commit("gs", "drive first", "2026-01-05T10:00:00+01:00");
  t.write("gs/.dvc/config", kGs);
  t.commit("gs", "then gcs", "2026-01-07T10:00:00+01:00");
  FactStore a;
  CHECK(history_facts(t, "gs", a).empty());
  CHECK(a.of_kind("dvc.remote").size() == 1);

  t.init("never");
  t.write("never/.dvc/config", kDrive);
  t.commit("never", "drive", "2026-01-05T10:00:00+01:00");
  t.write("never/.dvc/config", std::string(kDrive) + "# a comment\n");
  t.commit("never", "drive again", "2026-01-06T10:00:00+01:00");
  FactStore b;
  CHECK(history_facts(t, "never", b).empty());
}

TEST_CASE("dvc remote history: a removed .dvc/config and the latest stretch of a returning remote") {
  GitTmp t;
  t.init("r");
  t.write("r/.dvc/config", kGs);
  t.commit("r", "gcs", "2026-01-01T10:00:00+00:00");
  t.write("r/.dvc/config", kDrive);
  t.commit("r", "drive", "2026-01-02T10:00:00+00:00");
  t.write("r/.dvc/config", kGs);
  t.commit("r", "gcs again", "2026-01-10T10:00:00+00:00");
  t.sh("r", "git rm -q .dvc/config");
  t.commit("r", "drop dvc", "2026-01-20T11:00:00+00:00");
  FactStore fs;
  auto h = history_facts(t, "r", fs);
  REQUIRE(h.size() == 1);
  CHECK(h[0]->attr("from_date") == "2026-01-10");
  CHECK(h[0]->attr("until_date") == "2026-01-20");
  CHECK(h[0]->attr("days") == "10");
  CHECK(h[0]->attr("current_schemes") == "");
  CHECK(h[0]->detail.find("removed") != std::string::npos);
}
