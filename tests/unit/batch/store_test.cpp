// The results database without git: runs, outcomes, the incremental key, diff and merge, on
// audit JSON written in the test (the claimcheck/1 fields the tables read).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "batch/merge.h"
#include "batch/query.h"
#include "batch/store.h"

namespace fs = std::filesystem;

namespace {

// A fresh folder per test case.
struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/cc-store-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

// An audit's JSON with one item per (text, status, verdict) and a test-count claim.
std::string audit_json(const std::string& tests_status, const std::string& tests_verdict, const std::string& claim_verdict) {
  int over = tests_verdict == "overclaimed" ? 1 : 0;
  return R"({"schema":"claimcheck/1","repo":{"commit":"c"},"checklist":[)"
         R"({"text":"Write unit tests","module":"M16","ticked":true,"line":10,"rule":"unit-tests","status":")" +
         tests_status + R"(","verdict":")" + tests_verdict +
         R"("},{"text":"Create a git repository","module":"M5","ticked":true,"line":11,"rule":"git-repo","status":"supported","verdict":"ok"}],)"
         R"("claims":{"test_count":{"question":7,"wording":"about 12 tests","verdict":")" +
         claim_verdict + R"(","reason":"r"},"paths":[],"figures":[],"ci_prose":[]},)"
         R"("summary":{"overclaimed":)" + std::to_string(over) + R"(,"weak":0,"unverifiable":0,"underclaimed":0,"ok":)" +
         std::to_string(2 - over) + R"(,"not-claimed":0,"not-checked":0,"partial_result":false}})";
}

cc::RunInfo run_info(const std::string& uuid, const std::string& label) {
  cc::RunInfo r;
  r.uuid = uuid;
  r.label = label;
  r.started = "2026-01-20T01:00:00Z";
  r.roster = "roster.csv";
  r.engine = "e";
  r.catalog = "k";
  r.options = "{}";
  return r;
}

std::vector<cc::RosterRow> roster(std::initializer_list<const char*> groups) {
  std::vector<cc::RosterRow> rows;
  int line = 2;
  for (const char* g : groups) rows.push_back({line++, g, std::string("/r/") + g, "", "", ""});
  return rows;
}

cc::RepoOutcome audited(long long repo, const std::string& commit, const std::string& json) {
  cc::RepoOutcome o;
  o.repo_id = repo;
  o.state = "audited";
  o.commit = o.tip = commit;
  o.options = "{}";
  o.json = json;
  o.activity = "{}";
  return o;
}

}  // namespace

TEST_CASE("store: a run's rows stay pending until recorded; an unfinished run is found again") {
  TempDir t;
  cc::Store s(t / "r.db");
  auto run = s.begin_run(run_info("u1", "n1"), roster({"a", "b", "c"}));
  CHECK(s.rows(run.id, true).size() == 3);
  auto rows = s.rows(run.id, false);
  s.record(run.id, audited(rows[0].repo_id, "c1", audit_json("supported", "ok", "ok")), "e", "k");
  cc::RepoOutcome f;
  f.repo_id = rows[1].repo_id;
  f.state = "failed";
  f.reason = "fetch: no such repository";
  s.record(run.id, f, "e", "k");
  auto c = s.counts(run.id);
  CHECK(c.audited == 1);
  CHECK(c.failed == 1);
  CHECK(c.pending == 1);
  REQUIRE(s.latest_unfinished_run());
  CHECK(s.latest_unfinished_run()->id == run.id);
  auto pending = s.rows(run.id, true);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].row.group == "c");
  s.finish_run(run.id);
  CHECK_FALSE(s.latest_unfinished_run());

  // The item and claim tables follow the JSON.
  cc::Stmt q(s.db().get(), "SELECT count(*) FROM item_verdicts");
  q.step();
  CHECK(q.integer(0) == 2);
  cc::Stmt k(s.db().get(), "SELECT kind, claim, verdict FROM claims");
  REQUIRE(k.step());
  CHECK(k.text(0) == "test_count");
  CHECK(k.text(1) == "about 12 tests");
  auto prior = s.prior_audit(rows[0].repo_id);
  REQUIRE(prior);
  CHECK(prior->commit == "c1");
  CHECK(prior->engine == "e");
  CHECK_FALSE(s.prior_audit(rows[1].repo_id));
}

TEST_CASE("diff: changed boxes, new over-claims, changed claims, commits that did not move") {
  TempDir t;
  cc::Store s(t / "r.db");
  auto r1 = s.begin_run(run_info("u1", "n1"), roster({"a", "b"}));
  auto rows = s.rows(r1.id, false);
  s.record(r1.id, audited(rows[0].repo_id, "a1", audit_json("supported", "ok", "ok")), "e", "k");
  s.record(r1.id, audited(rows[1].repo_id, "b1", audit_json("supported", "ok", "ok")), "e", "k");
  auto r2 = s.begin_run(run_info("u2", "n2"), roster({"a", "b"}));
  s.record(r2.id, audited(rows[0].repo_id, "a2", audit_json("absent", "overclaimed", "overclaimed")), "e", "k");
  cc::RepoOutcome same;
  same.repo_id = rows[1].repo_id;
  same.state = "unchanged";
  same.carried_audit = s.prior_audit(rows[1].repo_id)->id;
  s.record(r2.id, same, "e", "k");
  std::string d = cc::diff_text(s, r1.id, r2.id);
  CHECK(d.find("boxes that changed status (1):\n  a: [M16] Write unit tests: supported -> absent (ok -> overclaimed)") !=
        std::string::npos);
  CHECK(d.find("new over-claims (1):\n  a: [M16] Write unit tests\n") != std::string::npos);
  CHECK(d.find("claims changed (1):\n  a: test_count \"about 12 tests\": ok -> overclaimed") != std::string::npos);
  CHECK(d.find("groups whose commit did not move (1): b\n") != std::string::npos);
  CHECK_THROWS_AS(cc::diff_text(s, r1.id, 99), std::invalid_argument);

  std::string h = cc::history_text(s, "b");
  CHECK(h.find("group b (/r/b)") != std::string::npos);
  CHECK(h.find("run 2") < h.find("run 1"));  // newest first
  CHECK(h.find("carried over") != std::string::npos);
  CHECK_THROWS_AS(cc::history_text(s, "nobody"), std::invalid_argument);
}

TEST_CASE("merge: shards of one night become one run; merging again changes nothing") {
  TempDir t;
  for (int k = 1; k <= 2; ++k) {
    cc::Store s(t / ("shard" + std::to_string(k) + ".db"));
    auto run = s.begin_run(run_info("shard-" + std::to_string(k), "night"), roster({k == 1 ? "a" : "b"}));
    auto rows = s.rows(run.id, false);
    s.record(run.id, audited(rows[0].repo_id, "x" + std::to_string(k), audit_json("supported", "ok", "ok")), "e", "k");
    s.finish_run(run.id);
  }
  cc::Store out(t / "all.db");
  auto m = cc::merge_databases(out, {t / "shard1.db", t / "shard2.db"});
  CHECK(m.runs_merged == 2);
  CHECK(m.rows == 2);
  CHECK(out.run_ids().size() == 1);
  auto again = cc::merge_databases(out, {t / "shard2.db"});
  CHECK(again.runs_merged == 0);
  CHECK(again.runs_skipped == 1);
  auto c = out.counts(out.run_ids().back());
  CHECK(c.audited == 2);
  cc::Stmt q(out.db().get(), "SELECT count(*) FROM item_verdicts");
  q.step();
  CHECK(q.integer(0) == 4);
  CHECK_THROWS_AS(cc::merge_databases(out, {t / "missing.db"}), std::invalid_argument);
}

TEST_CASE("store: unreadable audit JSON leaves the tables empty instead of failing") {
  TempDir t;
  cc::Store s(t / "r.db");
  auto run = s.begin_run(run_info("u1", "n1"), roster({"a", "b"}));
  auto rows = s.rows(run.id, false);
  CHECK_NOTHROW(s.record(run.id, audited(rows[0].repo_id, "a1", "not json"), "e", "k"));
  CHECK_NOTHROW(s.record(
      run.id,
      audited(rows[1].repo_id, "b1",
              R"({"checklist":[{"line":"x","ticked":3}, 7],"claims":{"paths":[{"exists":"y"}, []],"ci_prose":5},"summary":[]})"),
      "e", "k"));
  CHECK(s.counts(run.id).audited == 2);
  cc::Stmt q(s.db().get(), "SELECT count(*), sum(line), sum(ticked) FROM item_verdicts");
  q.step();
  CHECK(q.integer(0) == 2);  // both entries kept, their odd fields as defaults
  CHECK(q.integer(1) == 0);
  CHECK(q.integer(2) == 0);
  cc::Stmt c(s.db().get(), "SELECT group_concat(verdict) FROM claims");
  c.step();
  CHECK(c.text(0) == "missing,missing");
}

TEST_CASE("history does not print a token in the repository URL") {
  TempDir t;
  cc::Store s(t / "r.db");
  std::vector<cc::RosterRow> rows{{2, "g", "https://staff:ghp_secret@github.com/o/r.git", "", "", ""}};
  s.begin_run(run_info("u1", "n1"), rows);
  std::string h = cc::history_json(s, "g");
  CHECK(h.find("ghp_secret") == std::string::npos);
  CHECK(h.find("https://***@github.com/o/r.git") != std::string::npos);
}
