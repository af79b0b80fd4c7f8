// History: the provenance of every path, computed from ONE walk of the history reachable from
// the audited commit (first-parent line and merged branches alike). For each path at the audited
// commit: the commit that added it, the last commit that changed it, its authors, and whether its
// content is still what the scaffold commit (the template's cookiecutter commit) put there. For
// paths that are not at the audited commit: the first and last commit known to have them. Per
// commit: id, author, author and committer times (for deadline questions).
//
// Definitions (walk order = parents before children, older committer time first):
//  - Each commit is diffed against its first parent's tree (an empty tree for a root commit):
//    whole content only (a mode-only change is no change), no rename detection, no pathspec.
//    A merge's change that it merely carries from another parent (the path's content at the
//    merge equals that parent's) is attributed to the side-branch commit that made it, not to
//    the merge; a change that matches no parent (a conflict resolution) is the merge's own.
//  - A path's "life" starts when a change sets it while it is absent (never seen, or deleted
//    earlier in walk order): `added` is the commit that started the life the audited commit
//    sees, i.e. the earliest commit after which it stays. Deleted and re-added: the re-add.
//  - `last_changed`: the latest commit in walk order whose change gave the path the content it
//    has at the audited commit (a revert counts as a change); `authors`: distinct author names
//    of the commits that set it during its current life, in walk order.
//  - The scaffold commit: among the first 10 commits of the walk (never the audited commit
//    itself), the one adding the most paths, provided it adds at least min(5, max(2, 30% of
//    the audited tree's paths)); ties go to the earlier. Groups often commit a README first, so
//    it is not always the root. None when the walk was cut or the clone is shallow (the real
//    beginning is unknown) or the history is a single commit (nothing tells stock from own).
//  - `stock`: the scaffold commit set the path, and its content at the audited commit is still
//    exactly that blob (content equality: a file changed and changed back is stock again).
//  - A worktree audit uses HEAD's history; a file whose bytes on disk differ from HEAD's blob,
//    or that is not in HEAD, counts as changed by the group (worktree_changed, never stock).
// Bounds: at most HistoryOptions::max_commits commits (the newest ones; a note says when cut),
// at most max_paths distinct paths; paths and author names are interned. Every commit and tree
// passes the loose-object guard (check_loose_object) before libgit2 parses it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

class Snapshot;
class GitSnapshot;

struct CommitInfo {
  std::string id;                 // 40 hex
  std::string author;             // author name
  std::string email;              // author email
  std::int64_t author_time = 0;   // unix seconds
  int author_offset = 0;          // minutes east of UTC
  std::int64_t commit_time = 0;   // committer time, unix seconds
  int commit_offset = 0;
  std::string summary;            // first line of the message (capped at 200 bytes)
  int first_parent = -1;          // index in History::commits(); -1: root, or outside the walk
  unsigned parents = 0;           // number of parents (2+ = merge)
  std::uint32_t paths_added = 0;  // paths its own change adds (what the scaffold choice counts)
  std::uint32_t paths_changed = 0;  // paths it adds, modifies or deletes (own changes)
};

// "2026-01-23": the commit's day in its committer's own time zone.
std::string commit_day(const CommitInfo& c);
// The commit's committer time in ISO 8601 with its own offset: 2026-01-23T23:59:59+01:00.
std::string commit_date(const CommitInfo& c);
// The 7-character short form of a commit id.
inline std::string short_id(const std::string& id) { return id.substr(0, 7); }

struct PathHistory {
  std::string path;
  bool present = false;                    // at the audited commit (or in the worktree)
  const CommitInfo* added = nullptr;       // start of its current life; null: unknown (before
                                           // the walk, or untracked in the worktree)
  const CommitInfo* last_changed = nullptr;  // null: unknown, as above
  std::vector<std::string> authors;        // distinct, in order of first appearance
  std::uint32_t changes = 0;               // commits that set it during its current life
  bool stock = false;                      // content still what the scaffold commit put there
  bool worktree_changed = false;           // worktree audit: differs from HEAD or untracked
  const CommitInfo* first_seen = nullptr;  // first commit of the walk known to have it
  const CommitInfo* last_seen = nullptr;   // last commit of the walk known to have it (present:
                                           // the audited commit)
  // "scaffold-stock" when stock, else "group".
  std::string origin() const { return stock ? "scaffold-stock" : "group"; }
};

// One content a path had during the walk (issue 12: a secret committed and deleted later stays
// in every clone, so the probes that look for such things read the past versions too).
struct PathVersion {
  std::string path;
  std::string blob;                    // 40 hex
  const CommitInfo* commit = nullptr;  // the first commit (walk order) that gave the path it
  bool audited = false;                // the path has this content at the audited commit (for a
                                       // worktree audit: in HEAD and unchanged on disk)
};

// The tree diffs of walked commits, shareable between two walks of one repository (--at walks
// the deadline commit's history and HEAD's: a commit's diff against its parents does not depend
// on where the walk started, so each is computed once). Thread-safe.
class HistoryDiffs;
std::shared_ptr<HistoryDiffs> make_history_diffs();

struct HistoryOptions {
  std::size_t max_commits = 20'000;
  std::size_t max_paths = 4'000'000;  // distinct paths over the whole walk
  std::size_t max_versions = 500'000;  // (path, content) changes recorded for versions()
  std::size_t scaffold_window = 10;   // the scaffold is one of the first N commits
  std::size_t scaffold_min_paths = 5;
  double scaffold_min_share = 0.30;   // ...or this share of the audited tree, if fewer
  std::shared_ptr<HistoryDiffs> diffs;  // null: this walk's own
};

class History {
 public:
  History();
  ~History();
  History(History&&) noexcept;
  History& operator=(History&&) noexcept;

  // The history of a commit snapshot; walks under the snapshot's libgit2 mutex.
  static History of(const GitSnapshot& snap, const HistoryOptions& opt = {});
  // A worktree snapshot: HEAD's history of the repository at `dir`, with files that differ on
  // disk (or are untracked) marked as changed by the group. `dir` without a git repository or
  // without commits gives a History with no commits (every path "group").
  static History of_worktree(const std::string& dir, const Snapshot& worktree,
                             const HistoryOptions& opt = {});
  // Picks by the snapshot's type: a GitSnapshot, a worktree (commit_id() == "worktree", with the
  // repository at repo_dir), anything else (in-memory) gives an empty History.
  static History of(const Snapshot& snap, const std::string& repo_dir,
                    const HistoryOptions& opt = {});

  // Every walked commit, in walk order (parents before children, oldest first).
  const std::vector<CommitInfo>& commits() const;
  // The audited commit (HEAD for a worktree); null for an empty History.
  const CommitInfo* start() const;
  // The scaffold commit; null when none qualifies (see above).
  const CommitInfo* scaffold() const;
  // A path at the audited commit, or one that existed at some walked commit; nullopt if never.
  std::optional<PathHistory> path(std::string_view p) const;
  // "scaffold-stock" when the path is at the audited commit with the scaffold's content
  // unchanged, else "group" (also for unknown paths).
  std::string origin_of(std::string_view p) const;
  // Paths that existed at some walked commit but not at the audited one, sorted.
  std::vector<std::string> former_paths() const;
  // Every distinct (path, content) a walked commit set, with the first commit that set it, in
  // walk order of that commit, then by path. Contents a path had only before the walk began
  // are not there. At most max_versions changes are recorded (a note says when cut).
  std::vector<PathVersion> versions() const;

  bool cut() const;  // the walk stopped at max_commits (or max_paths) before the root
  // What limited the history, one sentence each: "the history was cut at 20000 commits", a
  // shallow clone, an unreadable object. Empty when the walk was complete.
  const std::vector<std::string>& notes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace cc
