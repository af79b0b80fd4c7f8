// The secrets and committed-data probes over a real history (built with the git CLI): past
// versions, the first commit of a value, deduplication, the byte cap.
#include <doctest/doctest.h>

#include "tests/unit/engine/git_fixture.h"
#include "tests/unit/probes/fact_query.h"

#include <string>

#include "engine/facts.h"
#include "engine/git_snapshot.h"
#include "engine/history.h"
#include "probes/committed_data.h"
#include "probes/secrets.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;
using cc_test::GitTmp;

namespace {

const std::string kWandb = "ae69800048d476df181dd2c6bbc504012d6c3b69";
const std::string kKaggle = "ceecb867fabc94029c9f4da58dd141e3";

struct Audited {
  std::unique_ptr<Snapshot> snap;
  History history;
  PastVersions past;
};

Audited audit(const std::string& repo) {
  Audited a;
  a.snap = open_snapshot({repo, "", "", false});
  auto* g = dynamic_cast<const GitSnapshot*>(a.snap.get());
  REQUIRE(g != nullptr);
  a.history = History::of(*g);
  a.past.history = &a.history;
  a.past.read_blob = [g](const std::string& id, std::uint64_t cap) { return g->read_object(id, cap); };
  return a;
}

// first: a W&B key in a config; second: the config deleted, the same key in a script, a Kaggle
// key in a job file (deleted in third), the same job file content copied to a second path.
void make_repo(const GitTmp& t) {
  t.init("r");
  t.write("r/configs/config.yaml", "wandb:\n  api_key: " + kWandb + "\n");
  t.write("r/README.md", "# project\n");
  t.commit("r", "first", "2026-01-05T09:00:00+01:00");
  t.sh("r", "git rm -q configs/config.yaml");
  t.write("r/scripts/setup.sh", "wandb login " + kWandb + "\n");
  t.write("r/job.yaml", "env:\n  KAGGLE_KEY: " + kKaggle + "\n");
  t.write("r/copy/job.yaml", "env:\n  KAGGLE_KEY: " + kKaggle + "\n");
  t.write("r/models/big.pt", std::string(1100000, 'w'));
  t.commit("r", "second", "2026-01-06T09:00:00+01:00");
  t.sh("r", "git rm -q job.yaml copy/job.yaml models/big.pt");
  t.commit("r", "third", "2026-01-07T09:00:00+01:00");
}

std::string commit_of(const History& h, const std::string& summary) {
  for (const auto& c : h.commits())
    if (c.summary == summary) return c.id;
  return "";
}

}  // namespace

TEST_CASE("secrets over the history: first commit, in the audited commit or not, each blob read once") {
  GitTmp t;
  make_repo(t);
  Audited a = audit(t.path("r"));
  FactStore fs;
  SecretsProbe().run_with_past(*a.snap, a.past, fs);
  fs.redact();
  const Fact& w = only_fact(fs, "secret.found", {{"detector", "wandb-api-key"}});
  CHECK(w.where.path == "scripts/setup.sh");  // where the audited commit has it
  CHECK(w.attr("in_head") == "yes");
  CHECK(w.attr("commit") == commit_of(a.history, "first"));  // when it was first committed
  CHECK(w.attr("places") == "2");
  const Fact& k = only_fact(fs, "secret.found", {{"detector", "kaggle-key"}});
  CHECK(k.attr("in_head") == "no");
  CHECK(k.attr("commit") == commit_of(a.history, "second"));
  CHECK(k.attr("masked") == "ce****e3");
  const Fact& scan = only_fact(fs, "secret.scan");
  // The old config, one job.yaml blob (copy/job.yaml is the same blob: not read again); big.pt,
  // model weights, is skipped by name (skip_files) and never inflated.
  CHECK(scan.attr("versions") == "2");
  CHECK(scan.attr("capped") == "no");
  for (const auto& f : fs.all()) CHECK(f.detail.find(kWandb) == std::string::npos);

  // Without the history only the audited commit is read.
  FactStore head_only;
  SecretsProbe().run(*a.snap, head_only);
  CHECK(find_facts(head_only, "secret.found").size() == 1);
  CHECK(only_fact(head_only, "secret.scan").detail.find("no history was read") != std::string::npos);
}

TEST_CASE("secrets: the byte cap stops the scan and says so") {
  GitTmp t;
  make_repo(t);
  Audited a = audit(t.path("r"));
  SecretsLimits small;
  small.max_total_bytes = 70;  // README (10 bytes) and setup.sh (53) fit; no past version does
  FactStore fs;
  SecretsProbe(small).run_with_past(*a.snap, a.past, fs);
  const Fact& scan = only_fact(fs, "secret.scan");
  CHECK(scan.attr("capped") == "yes");
  CHECK(scan.detail.find("the rest was not scanned") != std::string::npos);
  CHECK(find_facts(fs, "secret.found", {{"detector", "kaggle-key"}}).empty());
  CHECK(find_facts(fs, "secret.found", {{"detector", "wandb-api-key"}}).size() == 1);
  CHECK(scan.attr("bytes") == "63");
}

TEST_CASE("committed data over the history: a deleted model is still reported, with its commit") {
  GitTmp t;
  make_repo(t);
  Audited a = audit(t.path("r"));
  FactStore fs;
  CommittedDataProbe().run_with_past(*a.snap, a.past, fs);
  const Fact& m = only_fact(fs, "data.committed");
  CHECK(m.where.path == "models/big.pt");
  CHECK(m.attr("in_head") == "no");
  CHECK(m.attr("size") == "1100000");
  CHECK(m.attr("commit") == commit_of(a.history, "second"));
}

TEST_CASE("secrets: past versions read on two threads give what one thread gives, caps included") {
  GitTmp t;
  t.init("r");
  // 48 past versions of one file, every fifth with its own Kaggle key; the last version clean.
  for (int i = 0; i < 48; ++i) {
    std::string text = "# run " + std::to_string(i) + "\n" + std::string(static_cast<std::size_t>(40 + i), 'x') + "\n";
    if (i % 5 == 0) {
      std::string key = kKaggle;
      key[0] = "0123456789abcdef"[i % 16];
      key[1] = "0123456789abcdef"[(i / 16) % 16];
      text += "KAGGLE_KEY: " + key + "\n";
    }
    t.write("r/job.yaml", text);
    t.commit("r", "c" + std::to_string(i), "2026-01-05T09:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00+01:00");
  }
  t.write("r/job.yaml", "clean\n");
  t.commit("r", "clean", "2026-01-06T09:00:00+01:00");
  Audited one = audit(t.path("r"));
  Audited two = audit(t.path("r"));
  auto* g = dynamic_cast<const GitSnapshot*>(two.snap.get());
  std::shared_ptr<GitSnapshot> second(g->object_reader());
  two.past.read_blob_beside = [second](const std::string& id, std::uint64_t cap) { return second->read_object(id, cap); };
  auto text_of = [](const FactStore& fs) {
    std::string s;
    for (const auto& f : fs.all()) {
      s += f.kind + "|" + f.where.path + ":" + std::to_string(f.where.line) + "|" + f.detail;
      for (const auto& [k, v] : f.attrs) s += "|" + k + "=" + v;
      s += "\n";
    }
    return s;
  };
  for (std::uint64_t total : {std::uint64_t{0}, std::uint64_t{6}, std::uint64_t{700}, std::uint64_t{2000}}) {
    for (std::size_t blobs : {std::size_t{0}, std::size_t{40}}) {
      CAPTURE(total);
      CAPTURE(blobs);
      SecretsLimits limits;
      limits.max_total_bytes = total;  // 0: the data file's
      limits.max_history_blobs = blobs;
      FactStore a, b;
      SecretsProbe(limits).run_with_past(*one.snap, one.past, a);
      SecretsProbe(limits).run_with_past(*two.snap, two.past, b);
      a.sort();
      b.sort();
      CHECK(text_of(a) == text_of(b));
      CHECK(!find_facts(a, "secret.scan").empty());
      if (total == 0 && blobs == 0) CHECK(find_facts(a, "secret.found").size() == 10);
      if (total == 700) CHECK(only_fact(a, "secret.scan").attr("capped") == "yes");
    }
  }
}
