#include "batch/activity.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/git_snapshot.h"
#include "engine/history.h"

namespace cc {
namespace {

std::string utc_day(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool is_workflow(const std::string& p) {
  return p.rfind(".github/workflows/", 0) == 0 && p.find('/', 18) == std::string::npos &&
         (p.ends_with(".yml") || p.ends_with(".yaml"));
}

// pytest's default discovery names: test_*.py and *_test.py.
bool is_test_file(const std::string& p) {
  auto slash = p.rfind('/');
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  return base.ends_with(".py") && (base.rfind("test_", 0) == 0 || base.ends_with("_test.py"));
}

}  // namespace

std::string git_activity_json(const std::string& repo, const std::string& commit) {
  SnapshotRequest req;
  req.repo_path = repo;
  req.rev = commit;
  auto snap = open_snapshot(req);
  History h = History::of(*snap, repo);  // the guarded walk (loose-object checks, caps)

  std::map<std::string, int> per_day, per_author;
  int merges = 0;
  for (const auto& c : h.commits()) {
    ++per_day[utc_day(c.author_time)];
    ++per_author[c.author];
    if (c.parents > 1) ++merges;
  }
  int workflows = 0, tests = 0;
  for (const auto& f : snap->files()) {
    if (is_workflow(f.path)) ++workflows;
    if (is_test_file(f.path)) ++tests;
  }
  nlohmann::ordered_json j;
  j["commits"] = h.commits().size();
  j["merges"] = merges;
  j["contributors"] = per_author.size();
  j["first"] = per_day.empty() ? "" : per_day.begin()->first;
  j["last"] = per_day.empty() ? "" : per_day.rbegin()->first;
  j["per_day"] = nlohmann::ordered_json::array();
  for (const auto& [day, n] : per_day) j["per_day"].push_back({{"day", day}, {"commits", n}});
  std::vector<std::pair<std::string, int>> authors(per_author.begin(), per_author.end());
  std::stable_sort(authors.begin(), authors.end(), [](auto& a, auto& b) { return a.second > b.second; });
  j["per_author"] = nlohmann::ordered_json::array();
  for (const auto& [name, n] : authors) j["per_author"].push_back({{"author", name}, {"commits", n}});
  j["workflow_files"] = workflows;
  j["test_files"] = tests;
  j["cut"] = h.cut();
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace cc
