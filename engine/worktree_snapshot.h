// WorktreeSnapshot (--worktree): the files of a working tree as they are on disk, uncommitted
// changes included. In a git repository: the tracked files (index) plus untracked files that are
// not ignored, minus files deleted from disk. In a plain directory: every file except under .git.
// Symlinks are never followed (listed with symlink=true; read() gives the target string), special
// files are skipped, and every read goes through openat(O_NOFOLLOW) component by component, so
// nothing outside the root is ever read, even if the tree changes while it is being read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/git_snapshot.h"  // SnapshotError
#include "engine/snapshot.h"

namespace cc {

// Thread-safety: read() keeps no shared state (one file descriptor chain per call).
class WorktreeSnapshot : public Snapshot {
 public:
  // Throws SnapshotError when the directory cannot be listed (missing, bare repo, bad index, ...).
  static std::unique_ptr<WorktreeSnapshot> open(const std::string& dir);

  const std::vector<FileEntry>& files() const override { return entries_; }
  Blob read(std::string_view path, std::uint64_t cap = kDefaultReadCap) const override;
  std::string commit_id() const override { return "worktree"; }
  // "working tree of /path (uncommitted changes included)"
  std::string describe() const override;

  // True when git's index and ignore rules chose the files; false for a plain directory walk.
  bool is_git() const { return git_; }

 private:
  WorktreeSnapshot() = default;
  std::string root_;
  bool git_ = false;
  std::vector<FileEntry> entries_;
};

}  // namespace cc
