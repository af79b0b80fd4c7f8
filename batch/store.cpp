#include "batch/store.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace cc {
namespace {

constexpr int kSchemaVersion = 1;

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, label TEXT NOT NULL, started TEXT NOT NULL,
  finished TEXT, roster TEXT NOT NULL, at TEXT NOT NULL, shard TEXT NOT NULL, engine TEXT NOT NULL,
  catalog TEXT NOT NULL, options TEXT NOT NULL, skipped_rows INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS repositories(
  id INTEGER PRIMARY KEY, grp TEXT NOT NULL UNIQUE, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audits(
  id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL REFERENCES repositories(id),
  run_id INTEGER NOT NULL REFERENCES runs(id), commit_id TEXT NOT NULL, tip TEXT NOT NULL,
  engine TEXT NOT NULL, catalog TEXT NOT NULL, options TEXT NOT NULL, created TEXT NOT NULL,
  overclaimed INTEGER, weak INTEGER, unverifiable INTEGER, underclaimed INTEGER, ok INTEGER,
  not_claimed INTEGER, not_checked INTEGER, partial INTEGER,
  json TEXT NOT NULL, activity TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audits_repo ON audits(repo_id, id);
CREATE TABLE IF NOT EXISTS run_repos(
  run_id INTEGER NOT NULL REFERENCES runs(id), repo_id INTEGER NOT NULL REFERENCES repositories(id),
  line INTEGER NOT NULL, url TEXT NOT NULL, branch TEXT NOT NULL, report TEXT NOT NULL,
  deadline TEXT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  audit_id INTEGER REFERENCES audits(id), fetch_ms INTEGER, audit_ms INTEGER, peak_kb INTEGER,
  PRIMARY KEY(run_id, repo_id));
CREATE TABLE IF NOT EXISTS item_verdicts(
  audit_id INTEGER NOT NULL REFERENCES audits(id), idx INTEGER NOT NULL, rule TEXT NOT NULL,
  module TEXT NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL, ticked INTEGER NOT NULL,
  status TEXT NOT NULL, verdict TEXT NOT NULL, PRIMARY KEY(audit_id, idx));
CREATE TABLE IF NOT EXISTS claims(
  audit_id INTEGER NOT NULL REFERENCES audits(id), idx INTEGER NOT NULL, kind TEXT NOT NULL,
  question INTEGER, claim TEXT NOT NULL, verdict TEXT NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY(audit_id, idx));
CREATE TABLE IF NOT EXISTS merged_runs(uuid TEXT PRIMARY KEY, into_run INTEGER NOT NULL);
)SQL";

RunInfo run_from(Stmt& s) {
  RunInfo r;
  r.id = s.integer(0);
  r.uuid = s.text(1);
  r.label = s.text(2);
  r.started = s.text(3);
  r.finished = s.text(4);
  r.roster = s.text(5);
  r.at = s.text(6);
  r.shard = s.text(7);
  r.engine = s.text(8);
  r.catalog = s.text(9);
  r.options = s.text(10);
  r.skipped_rows = s.integer(11);
  return r;
}

const char* kRunColumns =
    "id, uuid, label, started, coalesce(finished, ''), roster, at, shard, engine, catalog, options, skipped_rows";

using ojson = nlohmann::ordered_json;

// Field readers that never throw: a database handed to merge may hold anything.
std::string str(const ojson& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, ojson::error_handler_t::replace);
}
long long int_or_zero(const ojson& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<long long>() : 0;
}
bool is_true(const ojson& j, const char* key) {
  if (!j.is_object()) return false;
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

std::string utc_now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Store::Store(const std::string& path) : db_(path) {
  // WAL: readers (history, dashboard) never block the batch, and a commit is one append.
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  db_.exec(kSchema);
  Stmt v(db_.get(), "SELECT value FROM meta WHERE key='schema'");
  if (v.step()) {
    if (v.text(0) != std::to_string(kSchemaVersion))
      throw SqlError(path + " has results in schema version " + v.text(0) + ", this claimcheck reads version " +
                     std::to_string(kSchemaVersion));
  } else {
    Stmt(db_.get(), "INSERT INTO meta(key, value) VALUES('schema', ?)").bind(1, std::to_string(kSchemaVersion)).run();
  }
}

RunInfo Store::begin_run(RunInfo info, const std::vector<RosterRow>& rows) {
  Transaction tx(db_);
  Stmt(db_.get(),
       "INSERT INTO runs(uuid, label, started, roster, at, shard, engine, catalog, options, skipped_rows) "
       "VALUES(?,?,?,?,?,?,?,?,?,?)")
      .bind(1, info.uuid).bind(2, info.label).bind(3, info.started).bind(4, info.roster).bind(5, info.at)
      .bind(6, info.shard).bind(7, info.engine).bind(8, info.catalog).bind(9, info.options)
      .bind(10, info.skipped_rows)
      .run();
  info.id = db_.last_id();
  Stmt upsert(db_.get(),
              "INSERT INTO repositories(grp, url) VALUES(?, ?) ON CONFLICT(grp) DO UPDATE SET url=excluded.url");
  Stmt id(db_.get(), "SELECT id FROM repositories WHERE grp=?");
  Stmt add(db_.get(),
           "INSERT INTO run_repos(run_id, repo_id, line, url, branch, report, deadline, state) "
           "VALUES(?,?,?,?,?,?,?,'pending')");
  for (const auto& r : rows) {
    upsert.reset();
    upsert.bind(1, r.group).bind(2, r.repo).run();
    id.reset();
    id.bind(1, r.group);
    id.step();
    long long repo_id = id.integer(0);
    add.reset();
    add.bind(1, info.id).bind(2, repo_id).bind(3, r.line).bind(4, r.repo).bind(5, r.branch).bind(6, r.report)
        .bind(7, r.deadline)
        .run();
  }
  tx.commit();
  return info;
}

std::optional<RunInfo> Store::run(long long id) {
  Stmt s(db_.get(), std::string("SELECT ") + kRunColumns + " FROM runs WHERE id=?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return run_from(s);
}

std::optional<RunInfo> Store::latest_unfinished_run() {
  Stmt s(db_.get(), std::string("SELECT ") + kRunColumns + " FROM runs WHERE finished IS NULL ORDER BY id DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return run_from(s);
}

std::vector<long long> Store::run_ids() {
  std::vector<long long> out;
  Stmt s(db_.get(), "SELECT id FROM runs ORDER BY id");
  while (s.step()) out.push_back(s.integer(0));
  return out;
}

std::vector<RunRow> Store::rows(long long run_id, bool pending_only) {
  std::vector<RunRow> out;
  Stmt s(db_.get(),
         std::string("SELECT rr.repo_id, r.grp, rr.line, rr.url, rr.branch, rr.report, rr.deadline, rr.state, "
                     "rr.reason FROM run_repos rr JOIN repositories r ON r.id = rr.repo_id WHERE rr.run_id=?") +
             (pending_only ? " AND rr.state='pending'" : "") + " ORDER BY rr.line");
  s.bind(1, run_id);
  while (s.step()) {
    RunRow r;
    r.repo_id = s.integer(0);
    r.row.group = s.text(1);
    r.row.line = static_cast<int>(s.integer(2));
    r.row.repo = s.text(3);
    r.row.branch = s.text(4);
    r.row.report = s.text(5);
    r.row.deadline = s.text(6);
    r.state = s.text(7);
    r.reason = s.text(8);
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<PriorAudit> Store::prior_audit(long long repo_id) {
  Stmt s(db_.get(),
         "SELECT id, commit_id, tip, engine, catalog, options FROM audits WHERE repo_id=? ORDER BY id DESC LIMIT 1");
  s.bind(1, repo_id);
  if (!s.step()) return std::nullopt;
  return PriorAudit{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)};
}

void index_audit_json(Db& db, long long audit_id, const std::string& json) {
  ojson j = ojson::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  Stmt item(db.get(),
            "INSERT INTO item_verdicts(audit_id, idx, rule, module, text, line, ticked, status, verdict) "
            "VALUES(?,?,?,?,?,?,?,?,?)");
  int idx = 0;
  if (j.contains("checklist") && j["checklist"].is_array())
    for (const auto& i : j["checklist"]) {
      item.reset();
      item.bind(1, audit_id).bind(2, idx++).bind(3, str(i, "rule")).bind(4, str(i, "module"))
          .bind(5, str(i, "text")).bind(6, int_or_zero(i, "line")).bind(7, is_true(i, "ticked") ? 1 : 0)
          .bind(8, str(i, "status")).bind(9, str(i, "verdict"))
          .run();
    }
  Stmt claim(db.get(),
             "INSERT INTO claims(audit_id, idx, kind, question, claim, verdict, detail) VALUES(?,?,?,?,?,?,?)");
  idx = 0;
  auto add = [&](const std::string& kind, const ojson& c, const std::string& what, const std::string& verdict,
                 const std::string& detail) {
    claim.reset();
    claim.bind(1, audit_id).bind(2, idx++).bind(3, kind);
    if (c.is_object() && c.contains("question") && c["question"].is_number_integer())
      claim.bind(4, c["question"].get<long long>());
    else claim.bind_null(4);
    claim.bind(5, what).bind(6, verdict).bind(7, detail).run();
  };
  if (!j.contains("claims") || !j["claims"].is_object()) return;
  const ojson& c = j["claims"];
  if (c.contains("test_count") && c["test_count"].is_object()) {
    const auto& t = c["test_count"];
    add("test_count", t, str(t, "wording"), str(t, "verdict"), str(t, "reason"));
  }
  if (c.contains("coverage") && c["coverage"].is_object()) {
    const auto& t = c["coverage"];
    add("coverage", t, str(t, "wording"), str(t, "verdict"), str(t, "reason"));
  }
  auto each = [&](const char* key, auto&& f) {
    if (c.contains(key) && c[key].is_array())
      for (const auto& x : c[key]) f(x);
  };
  each("paths", [&](const ojson& p) {
    add("path", p, str(p, "mention"), is_true(p, "exists") ? "exists" : "missing", str(p, "note"));
  });
  each("figures", [&](const ojson& p) {
    std::string v = !p.is_object() || !p.contains("exists") || !p["exists"].is_boolean() ? "unchecked"
                     : p["exists"].get<bool>()                                           ? "exists"
                                                                                         : "missing";
    add("figure", p, str(p, "link"), v, str(p, "note"));
  });
  each("ci_prose", [&](const ojson& p) {
    std::string holds = p.is_object() && p.contains("holds") && p["holds"].is_boolean()
                            ? (p["holds"].get<bool>() ? "holds" : "false")
                            : str(p, "holds");
    add("ci", p, str(p, "claim"), holds, str(p, "reason"));
  });
}

void Store::record(long long run_id, const RepoOutcome& o, const std::string& engine, const std::string& catalog) {
  Transaction tx(db_);
  long long audit_id = o.carried_audit;
  if (o.state == "audited") {
    ojson j = ojson::parse(o.json, nullptr, false);
    ojson sum = j.is_object() && j.contains("summary") && j["summary"].is_object() ? j["summary"] : ojson::object();
    auto n = [&](const char* k) -> std::optional<long long> {
      if (sum.contains(k) && sum[k].is_number_integer()) return sum[k].get<long long>();
      return std::nullopt;
    };
    Stmt s(db_.get(),
           "INSERT INTO audits(repo_id, run_id, commit_id, tip, engine, catalog, options, created, overclaimed, weak, "
           "unverifiable, underclaimed, ok, not_claimed, not_checked, partial, json, activity) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, o.repo_id).bind(2, run_id).bind(3, o.commit).bind(4, o.tip).bind(5, engine).bind(6, catalog)
        .bind(7, o.options).bind(8, utc_now_iso());
    s.bind_opt(9, n("overclaimed")).bind_opt(10, n("weak")).bind_opt(11, n("unverifiable"))
        .bind_opt(12, n("underclaimed")).bind_opt(13, n("ok")).bind_opt(14, n("not-claimed"))
        .bind_opt(15, n("not-checked"));
    if (sum.contains("partial_result") && sum["partial_result"].is_boolean())
      s.bind(16, sum["partial_result"].get<bool>() ? 1 : 0);
    else
      s.bind_null(16);
    s.bind(17, o.json).bind(18, o.activity).run();
    audit_id = db_.last_id();
    index_audit_json(db_, audit_id, o.json);
  }
  Stmt u(db_.get(),
         "UPDATE run_repos SET state=?, reason=?, audit_id=?, fetch_ms=?, audit_ms=?, peak_kb=? "
         "WHERE run_id=? AND repo_id=?");
  u.bind(1, o.state).bind(2, o.reason);
  if (audit_id) u.bind(3, audit_id);
  else u.bind_null(3);
  u.bind(4, o.fetch_ms).bind(5, o.audit_ms).bind(6, o.peak_kb).bind(7, run_id).bind(8, o.repo_id).run();
  tx.commit();
}

void Store::finish_run(long long run_id) {
  Stmt(db_.get(), "UPDATE runs SET finished=? WHERE id=?").bind(1, utc_now_iso()).bind(2, run_id).run();
}

RunCounts Store::counts(long long run_id) {
  RunCounts c;
  Stmt s(db_.get(), "SELECT state, count(*) FROM run_repos WHERE run_id=? GROUP BY state");
  s.bind(1, run_id);
  while (s.step()) {
    std::string st = s.text(0);
    long long n = s.integer(1);
    if (st == "audited") c.audited = n;
    else if (st == "unchanged") c.unchanged = n;
    else if (st == "failed") c.failed = n;
    else c.pending += n;
  }
  return c;
}

}  // namespace cc
