// Snapshot: the one interface through which claimcheck reads a repository.
// Implementations: a commit in a git object database (git_snapshot.h), a working tree
// (worktree_snapshot.h), and an in-memory tree for unit tests (memory_snapshot.h).
// Paths are repository-relative, '/'-separated, never absolute, never containing "..".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/artifact_cache.h"

namespace cc {

// Default cap for files that get parsed (YAML, Python, markdown): hostile repos hold huge files.
inline constexpr std::uint64_t kDefaultReadCap = 4ull * 1024 * 1024;

enum class ReadState {
  ok,              // data holds the whole file
  not_found,       // no such path in the snapshot
  missing_object,  // the path exists but its blob is not in the object database (partial clone)
  too_large,       // size exceeds the cap; data is empty
  binary,          // read_text only: NUL bytes found
  invalid_utf8,    // read_text only: not valid UTF-8
  error,           // anything else; note says what
};

const char* to_string(ReadState s);

struct Blob {
  ReadState state = ReadState::error;
  std::string data;        // the bytes (only when state == ok)
  std::uint64_t size = 0;  // the file's real size, when known
  std::string note;        // human-readable reason when state != ok

  bool ok() const { return state == ReadState::ok; }
};

struct FileEntry {
  std::string path;
  std::uint64_t size = 0;
  bool symlink = false;
};

class Snapshot {
 public:
  virtual ~Snapshot() = default;

  // Regular files and symlinks, sorted by path (byte order). Directories are implied.
  virtual const std::vector<FileEntry>& files() const = 0;

  // Raw bytes of a file, at most `cap` bytes; larger files give too_large.
  virtual Blob read(std::string_view path, std::uint64_t cap = kDefaultReadCap) const = 0;

  // What this snapshot is: a 40-hex commit id, or "worktree".
  virtual std::string commit_id() const = 0;

  // One line for messages: "commit 1a2b3c4 (2026-01-23) of /path/to/repo".
  virtual std::string describe() const = 0;

  // Helpers built on the above.
  bool exists(std::string_view path) const;
  const FileEntry* find(std::string_view path) const;
  // read() plus text checks: binary (NUL byte) and invalid UTF-8 are reported as such.
  Blob read_text(std::string_view path, std::uint64_t cap = kDefaultReadCap) const;
  // Files directly or indirectly under a directory ("" = all), in path order.
  std::vector<const FileEntry*> under(std::string_view dir) const;

  // What probes parsed from this snapshot's files (probes/read/parse_cache.h), and a git
  // snapshot's small files inflated, shared by every probe of the audit. A snapshot whose files
  // change must clear() it.
  ArtifactCache& artifacts() const { return artifacts_; }
  // Empties what was kept for the probes (parsed trees, inflated files) once they have run, and
  // hands it over to be freed by its holder (on another thread): the rest of the audit reads a few
  // files only, and memory peaks with the probes, not after them.
  std::shared_ptr<void> release_caches() const { return artifacts_.release(); }

 private:
  mutable ArtifactCache artifacts_;
};

// Normalise a path mentioned by untrusted input relative to a base directory inside the repo.
// Returns nullopt when the result would leave the repository (absolute, or ".." past the root).
std::optional<std::string> normalize_repo_path(std::string_view base_dir, std::string_view rel);

bool is_valid_utf8(std::string_view s);
bool looks_binary(std::string_view s);

}  // namespace cc
