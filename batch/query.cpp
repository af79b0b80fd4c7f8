#include "batch/query.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace cc {
namespace {

using json = nlohmann::ordered_json;

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

// ---- history ------------------------------------------------------------------------------------

// A token in a URL's user info (https://user:TOKEN@host/...) is not printed.
std::string redact_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  auto slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, scheme + 3) + "***" + url.substr(at);
}

json history_of(Store& store, const std::string& group) {
  Stmt g(store.db().get(), "SELECT id, url FROM repositories WHERE grp=?");
  g.bind(1, group);
  if (!g.step()) throw std::invalid_argument("no group '" + group + "' in the database");
  long long repo = g.integer(0);
  json out;
  out["group"] = group;
  out["repo"] = redact_url(g.text(1));
  out["runs"] = json::array();
  Stmt s(store.db().get(),
         "SELECT ru.id, ru.label, ru.started, rr.state, rr.reason, a.id, a.commit_id, a.created, a.overclaimed, "
         "a.weak, a.unverifiable, a.underclaimed, a.ok, a.not_claimed, a.not_checked, a.partial, a.engine "
         "FROM run_repos rr JOIN runs ru ON ru.id = rr.run_id LEFT JOIN audits a ON a.id = rr.audit_id "
         "WHERE rr.repo_id=? ORDER BY ru.id DESC");
  s.bind(1, repo);
  while (s.step()) {
    json r;
    r["run"] = s.integer(0);
    r["label"] = s.text(1);
    r["started"] = s.text(2);
    r["state"] = s.text(3);
    r["reason"] = s.text(4);
    if (s.null(5)) {
      r["audit"] = nullptr;
    } else {
      r["audit"] = s.integer(5);
      r["commit"] = s.text(6);
      r["audited_at"] = s.text(7);
      r["engine"] = s.text(16);
      json sum;
      const char* keys[] = {"overclaimed", "weak", "unverifiable", "underclaimed", "ok", "not-claimed", "not-checked"};
      for (int i = 0; i < 7; ++i) sum[keys[i]] = s.null(8 + i) ? json(nullptr) : json(s.integer(8 + i));
      sum["partial_result"] = !s.null(15) && s.integer(15) != 0;
      r["summary"] = std::move(sum);
    }
    out["runs"].push_back(std::move(r));
  }
  return out;
}

// ---- diff ---------------------------------------------------------------------------------------

struct GroupInRun {
  std::string state, reason, commit;
  long long audit = 0;
};

std::map<std::string, GroupInRun> groups_of(Store& store, long long run) {
  Stmt r(store.db().get(), "SELECT id FROM runs WHERE id=?");
  r.bind(1, run);
  if (!r.step()) throw std::invalid_argument("no run " + std::to_string(run) + " in the database");
  std::map<std::string, GroupInRun> out;
  Stmt s(store.db().get(),
         "SELECT g.grp, rr.state, rr.reason, coalesce(a.commit_id, ''), coalesce(rr.audit_id, 0) FROM run_repos rr "
         "JOIN repositories g ON g.id = rr.repo_id LEFT JOIN audits a ON a.id = rr.audit_id WHERE rr.run_id=?");
  s.bind(1, run);
  while (s.step()) out[s.text(0)] = {s.text(1), s.text(2), s.text(3), s.integer(4)};
  return out;
}

struct Item {
  std::string text, module, status, verdict;
};

// Items keyed by their text (a second item with the same text gets "#2"), in report order.
std::vector<std::pair<std::string, Item>> items_of(Store& store, long long audit) {
  std::vector<std::pair<std::string, Item>> out;
  std::map<std::string, int> seen;
  Stmt s(store.db().get(), "SELECT text, module, status, verdict FROM item_verdicts WHERE audit_id=? ORDER BY idx");
  s.bind(1, audit);
  while (s.step()) {
    Item i{s.text(0), s.text(1), s.text(2), s.text(3)};
    int n = ++seen[i.text];
    out.emplace_back(n == 1 ? i.text : i.text + " #" + std::to_string(n), i);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> claims_of(Store& store, long long audit) {
  std::vector<std::pair<std::string, std::string>> out;
  std::map<std::string, int> seen;
  Stmt s(store.db().get(), "SELECT kind, claim, verdict FROM claims WHERE audit_id=? ORDER BY idx");
  s.bind(1, audit);
  while (s.step()) {
    std::string key = s.text(0) + " \"" + s.text(1) + "\"";
    int n = ++seen[key];
    out.emplace_back(n == 1 ? key : key + " #" + std::to_string(n), s.text(2));
  }
  return out;
}

json diff_of(Store& store, long long a, long long b) {
  auto ga = groups_of(store, a), gb = groups_of(store, b);
  json out;
  out["run_a"] = a;
  out["run_b"] = b;
  json status = json::array(), overclaims = json::array(), claims = json::array(), still = json::array();
  json only_a = json::array(), only_b = json::array(), failed = json::array();
  for (const auto& [g, x] : ga)
    if (!gb.count(g)) only_a.push_back(g);
  for (const auto& [g, y] : gb) {
    auto it = ga.find(g);
    if (it == ga.end()) {
      only_b.push_back(g);
    }
    if (y.state == "failed") failed.push_back({{"group", g}, {"reason", y.reason}});
    if (it == ga.end() || !y.audit) continue;
    const GroupInRun& x = it->second;
    if (x.audit && x.commit == y.commit) still.push_back({{"group", g}, {"commit", y.commit}});
    if (x.audit == y.audit) continue;  // carried over: nothing can differ
    std::map<std::string, Item> before;
    if (x.audit)
      for (auto& [k, i] : items_of(store, x.audit)) before[k] = i;
    for (const auto& [k, i] : items_of(store, y.audit)) {
      auto p = before.find(k);
      if (p != before.end() && p->second.status != i.status)
        status.push_back({{"group", g}, {"item", i.text}, {"module", i.module}, {"from", p->second.status},
                          {"to", i.status}, {"verdict_from", p->second.verdict}, {"verdict_to", i.verdict}});
      if (i.verdict == "overclaimed" && (p == before.end() || p->second.verdict != "overclaimed"))
        overclaims.push_back({{"group", g}, {"item", i.text}, {"module", i.module}});
    }
    std::map<std::string, std::string> cbefore;
    if (x.audit)
      for (auto& [k, v] : claims_of(store, x.audit)) cbefore[k] = v;
    std::map<std::string, std::string> cafter;
    for (const auto& [k, v] : claims_of(store, y.audit)) {
      cafter[k] = v;
      auto p = cbefore.find(k);
      if (p == cbefore.end())
        claims.push_back({{"group", g}, {"claim", k}, {"from", nullptr}, {"to", v}});
      else if (p->second != v)
        claims.push_back({{"group", g}, {"claim", k}, {"from", p->second}, {"to", v}});
    }
    for (const auto& [k, v] : cbefore)
      if (!cafter.count(k)) claims.push_back({{"group", g}, {"claim", k}, {"from", v}, {"to", nullptr}});
  }
  out["status_changed"] = std::move(status);
  out["new_overclaims"] = std::move(overclaims);
  out["claims_changed"] = std::move(claims);
  out["commit_not_moved"] = std::move(still);
  out["only_in_a"] = std::move(only_a);
  out["only_in_b"] = std::move(only_b);
  out["failed_in_b"] = std::move(failed);
  return out;
}

std::string s(const json& j) { return j.is_null() ? "-" : j.is_string() ? j.get<std::string>() : j.dump(); }

}  // namespace

std::string history_json(Store& store, const std::string& group) { return dump(history_of(store, group)); }

std::string history_text(Store& store, const std::string& group) {
  json h = history_of(store, group);
  std::ostringstream o;
  o << "group " << group << " (" << s(h["repo"]) << "): " << h["runs"].size() << " run(s), newest first\n";
  for (const auto& r : h["runs"]) {
    o << "  run " << s(r["run"]) << "  " << s(r["started"]) << "  " << s(r["state"]);
    if (r["audit"].is_null()) {
      o << "  " << s(r["reason"]) << "\n";
      continue;
    }
    const auto& m = r["summary"];
    o << "  " << s(r["commit"]).substr(0, 7) << "  " << s(m["overclaimed"]) << " overclaimed, " << s(m["weak"])
      << " weak, " << s(m["unverifiable"]) << " unverifiable, " << s(m["ok"]) << " ok"
      << (m["partial_result"].get<bool>() ? " (partial)" : "") << "  [audit " << s(r["audit"])
      << (r["state"] == "unchanged" ? ", carried over" : "") << "]\n";
  }
  return o.str();
}

std::string diff_json(Store& store, long long a, long long b) { return dump(diff_of(store, a, b)); }

std::string diff_text(Store& store, long long a, long long b) {
  json d = diff_of(store, a, b);
  std::ostringstream o;
  o << "diff: run " << a << " -> run " << b << "\n";
  o << "boxes that changed status (" << d["status_changed"].size() << "):\n";
  for (const auto& x : d["status_changed"])
    o << "  " << s(x["group"]) << ": [" << s(x["module"]) << "] " << s(x["item"]) << ": " << s(x["from"]) << " -> "
      << s(x["to"]) << " (" << s(x["verdict_from"]) << " -> " << s(x["verdict_to"]) << ")\n";
  o << "new over-claims (" << d["new_overclaims"].size() << "):\n";
  for (const auto& x : d["new_overclaims"])
    o << "  " << s(x["group"]) << ": [" << s(x["module"]) << "] " << s(x["item"]) << "\n";
  o << "claims changed (" << d["claims_changed"].size() << "):\n";
  for (const auto& x : d["claims_changed"])
    o << "  " << s(x["group"]) << ": " << s(x["claim"]) << ": " << s(x["from"]) << " -> " << s(x["to"]) << "\n";
  o << "groups whose commit did not move (" << d["commit_not_moved"].size() << "):";
  for (const auto& x : d["commit_not_moved"]) o << " " << s(x["group"]);
  o << "\n";
  if (!d["only_in_a"].empty()) {
    o << "only in run " << a << ":";
    for (const auto& g : d["only_in_a"]) o << " " << s(g);
    o << "\n";
  }
  if (!d["only_in_b"].empty()) {
    o << "only in run " << b << ":";
    for (const auto& g : d["only_in_b"]) o << " " << s(g);
    o << "\n";
  }
  for (const auto& x : d["failed_in_b"]) o << "failed in run " << b << ": " << s(x["group"]) << ": " << s(x["reason"]) << "\n";
  return o.str();
}

}  // namespace cc
