// Fetching a group's repository into the batch cache with libgit2: cloned once as a bare mirror
// of its branches and tags (full history: provenance needs the whole walk, so never shallow),
// then fetched (with pruning) on later nights. Caps: a deadline and a size; past either the
// transfer is stopped and the repository is reported failed with the reason.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cc {

struct FetchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::uint64_t max_bytes = 2ull << 30;  // transferred and on disk
};

struct FetchResult {
  std::string path;   // the bare mirror in the cache ("" on failure)
  std::string error;  // one line: why the repository could not be fetched ("" on success)
  bool cloned = false;          // first fetch into an empty cache entry
  std::uint64_t disk_bytes = 0; // size of the mirror after the fetch
};

// The cache entry's folder name for a group and URL: readable, distinct per group and URL.
std::string cache_key(const std::string& group, const std::string& url);

// Clone or fetch `url` into `cache_dir`/`key`. The caller holds the cache for itself (one batch
// per cache at a time): lock files a killed fetch left in the mirror are removed as stale. Never throws for repository trouble: the result
// says what went wrong. Uses libgit2 (initialised here when needed).
FetchResult fetch_mirror(const std::string& url, const std::string& cache_dir, const std::string& key,
                         const FetchLimits& limits);

}  // namespace cc
