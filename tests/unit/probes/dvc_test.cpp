#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/dvc.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore dvc_run(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  DvcProbe().run(snap, fs);
  fs.sort();
  return fs;
}

std::string alias_bomb() {
  std::string s = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    std::string prev(1, char(c - 1));
    s += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
         prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  return "stages:\n  bomb:\n    cmd: echo\n" + s;
}

std::string deep_nesting(int n) {
  std::string s = "stages:\n  train:\n    deps:\n      ";  // n levels: "- - - ... x"
  for (int i = 0; i < n; ++i) s += "- ";
  return s + "x\n";
}

// Block-indented nesting, one space per level (2,500 levels: about 3 MiB, under the read cap).
std::string block_nesting(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += std::string(i, ' ') + "k:\n";
  return s;
}

}  // namespace

TEST_CASE("dvc: remote URL schemes") {
  CHECK(dvc_url_scheme("gs://bucket/path") == "gs");
  CHECK(dvc_url_scheme("s3://b") == "s3");
  CHECK(dvc_url_scheme("gdrive://1AbC") == "gdrive");
  CHECK(dvc_url_scheme("azure://container/p") == "azure");
  CHECK(dvc_url_scheme("https://example.org/dvc") == "http");
  CHECK(dvc_url_scheme("ssh://user@host/p") == "ssh");
  CHECK(dvc_url_scheme("/tmp/dvcstore") == "local");
  CHECK(dvc_url_scheme("../storage") == "local");
  CHECK(dvc_url_scheme("oss://x") == "other");
}

TEST_CASE("dvc: .dvc/config remotes and the default; junk lines are problems and reading goes on") {
  FactStore fs = dvc_run({{".dvc/config",
                           "[core]\n    remote = gcs\n    autostage = true\n"
                           "['remote \"gcs\"']\n    url = gs://mlops-bucket/dvc\n"
                           "this is junk\n\x01\x02 more junk\n"
                           "[remote \"drive\"]\n    url = gdrive://1abcDEF\n    gdrive_acknowledge_abuse = true\n"}});
  const Fact& gcs = only_fact(fs, "dvc.remote", {{"name", "gcs"}});
  CHECK(gcs.attr("url") == "gs://mlops-bucket/dvc");
  CHECK(gcs.attr("scheme") == "gs");
  CHECK(gcs.attr("default") == "yes");
  CHECK(gcs.where.line == 5);
  const Fact& drive = only_fact(fs, "dvc.remote", {{"name", "drive"}});
  CHECK(drive.attr("scheme") == "gdrive");
  CHECK(drive.attr("default") == "no");
  CHECK(only_fact(fs, "dvc.config").attr("remotes") == "2");
  auto probs = fs.of_kind(kInputProblem);
  REQUIRE(probs.size() == 2);
  CHECK(probs[0]->where.line == 6);
  CHECK(probs[1]->where.line == 7);
}

TEST_CASE("dvc: a binary .dvc/config is a problem, not a crash") {
  FactStore fs = dvc_run({{".dvc/config", std::string("\0\0\xff", 3)}});
  CHECK(fs.of_kind(kInputProblem).size() == 1);
  CHECK(fs.of_kind("dvc.remote").empty());
}

TEST_CASE("dvc: tracked files, stages, lock and LFS patterns") {
  FactStore fs = dvc_run({
      {"data/raw.dvc", "outs:\n- md5: 1f2e3d4c5b6a.dir\n  size: 1234\n  nfiles: 3\n  hash: md5\n  path: raw\n"},
      {"models.dvc", "outs:\n- path: models\n"},
      {"evil.dvc", "outs:\n- md5: abc\n  path: ../../etc\n"},
      {"dvc.yaml", "stages:\n  prepare:\n    cmd: python src/data.py data/raw data/processed\n    deps:\n"
                   "      - src/data.py\n      - data/raw\n    outs:\n      - data/processed\n"
                   "  train:\n    cmd:\n      - python src/train.py\n      - echo done\n    deps: [data/processed]\n"
                   "    outs:\n      - models/model.pt:\n          cache: false\n"},
      {"dvc.lock", "schema: '2.0'\nstages:\n  prepare:\n    cmd: x\n  train:\n    cmd: y\n"},
      {".gitattributes", "*.pt filter=lfs diff=lfs merge=lfs -text\n# comment\n*.txt text\nmodels/** filter=lfs\n"},
  });
  const Fact& raw = only_fact(fs, "dvc.tracked", {{"path", "data/raw.dvc"}});
  CHECK(raw.attr("outs") == "data/raw");
  CHECK(raw.attr("md5") == "yes");
  CHECK(only_fact(fs, "dvc.tracked", {{"path", "models.dvc"}}).attr("md5") == "no");
  CHECK(only_fact(fs, "dvc.tracked", {{"path", "evil.dvc"}}).attr("outs") == "");
  CHECK(fs.of_kind(kInputProblem).size() == 1);
  const Fact& prep = only_fact(fs, "dvc.stage", {{"name", "prepare"}});
  CHECK(prep.attr("cmd") == "python src/data.py data/raw data/processed");
  CHECK(prep.attr("deps") == "src/data.py,data/raw");
  CHECK(prep.attr("outs") == "data/processed");
  CHECK(prep.where.line == 2);
  const Fact& train = only_fact(fs, "dvc.stage", {{"name", "train"}});
  CHECK(train.attr("cmd") == "python src/train.py && echo done");
  CHECK(train.attr("outs") == "models/model.pt");
  CHECK(only_fact(fs, "dvc.lock").attr("stages") == "2");
  CHECK(only_fact(fs, "lfs.pattern", {{"pattern", "*.pt"}}).where.line == 1);
  CHECK(only_fact(fs, "lfs.pattern", {{"pattern", "models/**"}}).where.line == 4);
  CHECK(fs.of_kind("lfs.pattern").size() == 2);
}

TEST_CASE("dvc: hostile dvc.yaml (alias bomb, 10,000 levels) is a problem and completes quickly") {
  auto start = std::chrono::steady_clock::now();
  FactStore fs = dvc_run({{"dvc.yaml", alias_bomb()}, {"sub/dvc.yaml", deep_nesting(10000)},
                          {"flow/dvc.yaml", "stages: " + std::string(10000, '[') + std::string(10000, ']') + "\n"},
                          {"block/dvc.yaml", block_nesting(2500)},
                          {"ok.dvc", "outs:\n- md5: a\n  path: ok\n"}});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("hostile dvc.yaml: " << ms << " ms");  // printed, not asserted: no test asserts wall-clock time
  auto probs = fs.of_kind(kInputProblem);
  CHECK(probs.size() == 4);
  CHECK(fs.of_kind("dvc.stage").empty());
  CHECK(fs.of_kind("dvc.tracked").size() == 1);
}

TEST_CASE("dvc: a DVC project in a subfolder (data/.dvc/config) gives its remotes") {
  FactStore fs = dvc_run({{"data/.dvc/config",
                           "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://grp-data/dvc\n"},
                          {"data/.dvc/config.local", "['remote \"mine\"']\n    url = /tmp/dvcstore\n"},
                          {"data/.dvc/.gitignore", "/config.local\n/tmp\n/cache\n"}});
  const Fact& r = only_fact(fs, "dvc.remote", {{"name", "storage"}});
  CHECK(r.attr("url") == "gs://grp-data/dvc");
  CHECK(r.attr("scheme") == "gs");
  CHECK(r.attr("default") == "yes");
  CHECK(r.where.path == "data/.dvc/config");
  CHECK(r.where.line == 4);
  CHECK(only_fact(fs, "dvc.remote", {{"name", "mine"}}).attr("scheme") == "local");
  CHECK(only_fact(fs, "dvc.config", {{"path", "data/.dvc/config"}}).attr("remotes") == "1");
  CHECK(fs.of_kind(kInputProblem).empty());
}

TEST_CASE("dvc: a file named config that is not in a .dvc folder is no DVC config") {
  FactStore fs = dvc_run({{"configs/config", "['remote \"x\"']\n    url = gs://not-dvc\n"},
                          {"data/dvc/config", "['remote \"y\"']\n    url = gs://not-dvc\n"},
                          {"data/my.dvc/config", "['remote \"z\"']\n    url = gs://not-dvc\n"}});
  CHECK(fs.of_kind("dvc.remote").empty());
  CHECK(fs.of_kind("dvc.config").empty());
}
