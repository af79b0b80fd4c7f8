// The DVC remote's history (issue 4), read along the history walk of the audited commit.
#include "pipeline/dvc_history.h"

#include <git2.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "engine/git_snapshot.h"
#include "engine/odb_guard.h"  // worktree audits read DVC history through the guard too
#include "probes/dvc.h"

namespace cc {
namespace {

// A DVC remote on a GCS bucket that the group replaced: .dvc/config is read at every commit of the
// audited commit's first-parent line (newest first, at most kMaxDvcVersions distinct versions,
// each under kDvcConfigCap bytes; larger or unreadable versions carry no evidence), and each gs://
// remote that some past version had but the audited version lacks becomes a fact
// dvc.remote_history {url, scheme, from, from_date, until, until_date, days, current_schemes}:
// `from` is the first commit of its last stretch, `until` the commit that removed or replaced it.
constexpr const char* kDvcConfig = ".dvc/config";
constexpr std::size_t kMaxDvcVersions = 50;
constexpr std::size_t kDvcConfigCap = 64 * 1024;

struct PathAtCommit {
  int commit = -1;   // index in History::commits()
  int version = -1;  // index into the versions read; -1: absent or unreadable
};

struct DvcVersions {
  std::vector<PathAtCommit> line;  // oldest first
  std::vector<std::vector<std::pair<std::string, std::string>>> remotes;  // per version
};

// The blob id of `path` in the tree of commit `id`; false when absent (or not a regular file).
// Every object passes the loose-object guard before libgit2 parses it; throws on unreadable ones.
bool blob_at(git_repository* repo, const std::string& objects_dir, const git_oid& id, std::string_view path,
             git_oid& out) {
  auto guard = [&](const git_oid* o) {
    std::string bad = check_loose_object(objects_dir, o);
    if (!bad.empty()) throw std::runtime_error(bad);
  };
  guard(&id);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &id) < 0) throw std::runtime_error("a commit cannot be read");
  git_oid tree_id = *git_commit_tree_id(c);
  git_commit_free(c);
  std::size_t pos = 0;
  while (true) {
    guard(&tree_id);
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo, &tree_id) < 0) throw std::runtime_error("a tree cannot be read");
    std::size_t slash = path.find('/', pos);
    std::string name(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    const git_tree_entry* e = git_tree_entry_byname(t, name.c_str());
    bool last = slash == std::string_view::npos;
    bool ok = e && (last ? git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_tree_entry_filemode(e) != GIT_FILEMODE_LINK
                         : git_tree_entry_type(e) == GIT_OBJECT_TREE);
    if (ok) (last ? out : tree_id) = *git_tree_entry_id(e);
    git_tree_free(t);
    if (!ok) return false;
    if (last) return true;
    pos = slash + 1;
  }
}

DvcVersions read_dvc_versions(git_repository* repo, const std::string& objects_dir, const History& h) {
  DvcVersions v;
  const auto& commits = h.commits();
  const CommitInfo* start = h.start();
  if (!start || commits.empty()) return v;
  std::vector<git_oid> ids;  // distinct blob ids seen, parallel to version slots
  std::vector<bool> readable;
  for (int i = static_cast<int>(start - commits.data()); i >= 0; i = commits[i].first_parent) {
    git_oid cid;
    if (git_oid_fromstr(&cid, commits[i].id.c_str()) < 0) break;
    git_oid blob;
    PathAtCommit at{i, -1};
    if (blob_at(repo, objects_dir, cid, kDvcConfig, blob)) {
      auto it = std::find_if(ids.begin(), ids.end(), [&](const git_oid& o) { return git_oid_equal(&o, &blob); });
      if (it == ids.end()) {
        if (ids.size() >= kMaxDvcVersions) break;  // older versions are not read
        ids.push_back(blob);
        it = ids.end() - 1;
      }
      at.version = static_cast<int>(it - ids.begin());
    }
    v.line.push_back(at);
  }
  std::reverse(v.line.begin(), v.line.end());
  v.remotes.resize(ids.size());
  readable.assign(ids.size(), false);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (!check_loose_object(objects_dir, &ids[k]).empty()) continue;
    git_blob* b = nullptr;
    if (git_blob_lookup(&b, repo, &ids[k]) < 0) continue;
    auto size = static_cast<std::size_t>(git_blob_rawsize(b));
    if (size < kDvcConfigCap) {
      v.remotes[k] = dvc_config_remotes(std::string_view(static_cast<const char*>(git_blob_rawcontent(b)), size));
      readable[k] = true;
    }
    git_blob_free(b);
  }
  // Unreadable or oversized versions carry no evidence: drop those commits from the line.
  std::erase_if(v.line, [&](const PathAtCommit& a) { return a.version >= 0 && !readable[a.version]; });
  return v;
}

}  // namespace

void add_dvc_remote_history(const Snapshot& snap, const History* history, const std::string& repo_dir,
                            FactStore& facts) {
  if (!history || !history->path(kDvcConfig)) return;
  const History& h = *history;
  DvcVersions v;
  try {
    auto read = [&](git_repository* repo, const std::string& objects_dir) {
      v = read_dvc_versions(repo, objects_dir, h);
    };
    if (auto* g = dynamic_cast<const GitSnapshot*>(&snap)) {
      g->with_repository(read);
    } else if (snap.commit_id() == "worktree") {
      ensure_libgit2();
      git_repository* repo = nullptr;
      if (git_repository_open_ext(&repo, repo_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) return;
      if (!install_object_guard(repo).empty()) {  // the history reports the corrupt pack
        git_repository_free(repo);
        return;
      }
      const char* common = git_repository_commondir(repo);
      try {
        read(repo, std::string(common ? common : "") + "objects/");
      } catch (...) {
        git_repository_free(repo);
        throw;
      }
      git_repository_free(repo);
    } else {
      return;
    }
  } catch (const std::exception& e) {
    facts.problem(kDvcConfig, 0, std::string("the past versions of .dvc/config could not be read: ") + e.what(),
                  "history");
    return;
  }
  if (v.line.empty()) return;

  // The audited version: the snapshot's file (the worktree's, in a worktree audit).
  std::vector<std::pair<std::string, std::string>> current;
  if (snap.find(kDvcConfig)) {
    Blob b = snap.read_text(kDvcConfig, kDvcConfigCap);
    if (!b.ok()) return;  // the dvc probe reports why
    current = dvc_config_remotes(b.data);
  }
  std::set<std::string> current_urls;
  std::vector<std::string> schemes;
  for (const auto& [name, url] : current) {
    current_urls.insert(url);
    std::string s = dvc_url_scheme(url);
    if (std::find(schemes.begin(), schemes.end(), s) == schemes.end()) schemes.push_back(s);
  }
  std::string current_schemes;
  for (const auto& s : schemes) current_schemes += (current_schemes.empty() ? "" : ",") + s;

  auto has = [&](const PathAtCommit& a, const std::string& url) {
    if (a.version < 0) return false;
    for (const auto& r : v.remotes[a.version])
      if (r.second == url) return true;
    return false;
  };
  std::set<std::string> done;
  const auto& commits = h.commits();
  for (std::size_t k = v.line.size(); k-- > 0;) {  // newest first: each url's last stretch
    if (v.line[k].version < 0) continue;
    for (const auto& r : v.remotes[v.line[k].version]) {
      const std::string& url = r.second;
      if (dvc_url_scheme(url) != "gs" || current_urls.count(url) || !done.insert(url).second) continue;
      if (k + 1 >= v.line.size()) continue;  // only the worktree dropped it: no commit to name
      std::size_t first = k;
      while (first > 0 && has(v.line[first - 1], url)) --first;
      const CommitInfo& from = commits[v.line[first].commit];
      const CommitInfo& until = commits[v.line[k + 1].commit];
      std::int64_t days = (until.commit_time - from.commit_time) / 86400;
      if (days < 0) days = 0;
      Fact f;
      f.kind = "dvc.remote_history";
      f.where = {kDvcConfig, 0};
      f.attrs = {{"url", url.size() > 300 ? url.substr(0, 300) + "..." : url},
                 {"scheme", "gs"},
                 {"from", short_id(from.id)},
                 {"from_date", commit_day(from)},
                 {"until", short_id(until.id)},
                 {"until_date", commit_day(until)},
                 {"days", std::to_string(days)},
                 {"current_schemes", current_schemes}};
      f.detail = "DVC pointed at a GCS bucket (" + f.attrs["url"] + ") from " + commit_day(from) + " (" +
                 short_id(from.id) + ") to " + commit_day(until) + " (" + short_id(until.id) + "), " +
                 std::to_string(days) + (days == 1 ? " day" : " days") + ", before it was " +
                 (v.line[k + 1].version < 0 ? "removed" : "replaced") + "; the audited commit uses " +
                 (current_schemes.empty() ? "no DVC remote" : current_schemes);
      facts.add(std::move(f));
    }
  }
}

}  // namespace cc
