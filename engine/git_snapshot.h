// GitSnapshot: one commit read straight from a git object database through libgit2 (no checkout),
// so it works the same on a normal clone, a bare mirror and a mirror whose `config` file is gone.
// open_snapshot() is the single entry point that turns command-line choices (--rev, --at,
// --worktree) into a Snapshot, or a SnapshotError with a one-line message that says what to do.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/snapshot.h"

struct git_repository;
struct git_odb;
struct git_oid;

namespace cc {

// The repository or the requested commit cannot be read at all (exit status 3).
class SnapshotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SnapshotRequest {
  std::string repo_path;  // a clone, a bare mirror, or (with worktree) any directory
  std::string rev;        // --rev: anything git_revparse_single accepts; "" = HEAD
  std::string at;         // --at: ISO-8601 instant (see parse_instant); "" = no time limit
  bool worktree = false;  // --worktree: the files on disk instead of a commit
};

// HEAD, `rev`, and/or `at` resolved to a commit (or the working tree). Throws SnapshotError.
std::unique_ptr<Snapshot> open_snapshot(const SnapshotRequest& req);

// Parses an --at value into unix seconds. Accepted: 2026-01-23T23:59:59+01:00, ...Z, the same
// without seconds, +0100 offsets, and a bare date 2026-01-23 meaning 23:59:59 UTC of that day.
// A date-time without offset is taken as UTC. Throws SnapshotError on anything else.
std::int64_t parse_instant(const std::string& text);

// Thread-safety: read() may be called from several threads at once: a mutex serialises the
// libgit2 calls (libgit2 objects are not safe for concurrent use); files() is immutable.
class GitSnapshot : public Snapshot {
 public:
  ~GitSnapshot() override;
  GitSnapshot(const GitSnapshot&) = delete;
  GitSnapshot& operator=(const GitSnapshot&) = delete;

  const std::vector<FileEntry>& files() const override { return entries_; }
  Blob read(std::string_view path, std::uint64_t cap = kDefaultReadCap) const override;
  std::string commit_id() const override { return commit_id_; }
  // "commit 1a2b3c4 (2026-01-23 22:10 +0100) of /path"
  std::string describe() const override;

  std::int64_t commit_time() const { return commit_time_; }          // committer time, unix s
  int commit_time_offset() const { return commit_time_offset_; }     // minutes east of UTC
  const std::string& author_name() const { return author_name_; }
  const std::string& author_email() const { return author_email_; }
  const std::string& summary() const { return summary_; }            // first line of the message
  const std::string& repo_path() const { return repo_path_; }

  // A blob by its 40-hex id (a past version of a file, from History::versions()), with read()'s
  // checks and cap; a too_large Blob carries the blob's size.
  Blob read_object(std::string_view id_hex, std::uint64_t cap = kDefaultReadCap) const;

  // A second reader of the same repository's objects, with its own libgit2 handles, guard and
  // lock (libgit2 objects are used from one thread at a time): read_object() on it can run on
  // another thread while probes read this snapshot. It lists no files.
  std::unique_ptr<GitSnapshot> object_reader() const;

  // For History (history.cpp), which walks the same repository: runs f(repo, objects_dir) with
  // the libgit2 mutex held, so that no read() runs at the same time. objects_dir is
  // "<gitdir>/objects/", for check_loose_object().
  template <class F>
  decltype(auto) with_repository(F&& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::forward<F>(f)(repo_, static_cast<const std::string&>(objects_dir_));
  }

 private:
  friend std::unique_ptr<Snapshot> open_snapshot(const SnapshotRequest& req);
  GitSnapshot() = default;
  Blob read_oid(const git_oid& id, std::uint64_t cap) const;

  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  mutable std::mutex mu_;  // guards every libgit2 call on repo_/odb_ after construction

  std::vector<FileEntry> entries_;
  std::vector<std::array<unsigned char, 20>> blob_ids_;  // raw oids, parallel to entries_

  std::string objects_dir_;  // "<gitdir>/objects/", for the loose-object guard
  std::string repo_path_;
  std::string commit_id_;
  std::int64_t commit_time_ = 0;
  int commit_time_offset_ = 0;
  std::string author_name_, author_email_, summary_;
};

// The loose-object guard: libgit2 1.5 hangs or overreads on a truncated or lying loose object,
// so every commit and tree is checked with this before libgit2 parses it. Returns "" when the
// object is whole or not loose (packed), else what is wrong with it.
struct LooseBody;
std::string check_loose_object(const std::string& objects_dir, const git_oid* id,
                               LooseBody* body = nullptr);

// What check_loose_object also gives when asked: the object's body, inflated once, into `out`
// (null: only its type and size), unless its declared size passes `cap`. When it returns "" and
// `size` <= `cap`, *out holds the whole body, checked.
struct LooseBody {
  std::uint64_t cap = 0;
  std::string* out = nullptr;
  bool found = false;  // the loose file exists
  std::string type;    // "blob", "tree", ... from the header
  std::uint64_t size = 0;  // declared by the header
};

// The guards' zlib buffers, one pair per thread that checks objects, allocated on its first use
// and not zeroed. (As static thread_local arrays they were 256 KiB of every thread's TLS block,
// which glibc zeroes when any thread starts: 64 page faults per thread, reader or not.)
struct InflateBuffers {
  unsigned char in[65536];
  unsigned char out[65536];
};
InflateBuffers& inflate_buffers();

// libgit2 set up once for the whole process (init + strict hash verification off: we only read).
void ensure_libgit2();

}  // namespace cc
