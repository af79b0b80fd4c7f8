#include "batch/fetch.h"

#include <git2.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "batch/roster.h"
#include "engine/git_snapshot.h"  // ensure_libgit2

namespace cc {
namespace {

namespace fs = std::filesystem;

struct Progress {
  FetchLimits limits;
  std::string stopped;  // why the transfer callback stopped it
};

// "512 KiB", "3 MiB": small caps (tests, tiny repositories) must not read as "0 MiB".
std::string human_size(std::uint64_t bytes) {
  if (bytes < (1u << 20)) return std::to_string((bytes + 1023) >> 10) + " KiB";
  return std::to_string(bytes >> 20) + " MiB";
}

int on_transfer(const git_indexer_progress* stats, void* payload) {
  auto* p = static_cast<Progress*>(payload);
  if (stats->received_bytes > p->limits.max_bytes) {
    p->stopped = "the transfer passed the size cap of " + human_size(p->limits.max_bytes);
    return -1;
  }
  if (std::chrono::steady_clock::now() > p->limits.deadline) {
    p->stopped = "the fetch passed the time cap";
    return -1;
  }
  return 0;
}

int on_sideband(const char*, int, void* payload) {
  auto* p = static_cast<Progress*>(payload);
  if (std::chrono::steady_clock::now() > p->limits.deadline) {
    p->stopped = "the fetch passed the time cap";
    return -1;
  }
  return 0;
}

std::string git_failure(const char* what) {
  const ::git_error* e = git_error_last();
  std::string msg = std::string(what) + ": " + (e && e->message ? e->message : "unknown libgit2 error");
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg;
}

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  }
  return n;
}

// Lock files a fetch killed half-way (kill -9 of the batch) left behind; libgit2 would refuse
// to update those refs for ever. Only safe because one batch at a time uses a cache (the
// runner holds the cache lock), so no live process can own them.
void remove_stale_locks(const fs::path& dir) {
  std::error_code ec;
  for (const char* f : {"HEAD.lock", "packed-refs.lock", "config.lock", "FETCH_HEAD.lock"}) fs::remove(dir / f, ec);
  std::vector<fs::path> locks;
  for (fs::recursive_directory_iterator it(dir / "refs", fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".lock") locks.push_back(it->path());
  for (const auto& l : locks) fs::remove(l, ec);
}

struct RepoCloser {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
struct RemoteCloser {
  void operator()(git_remote* r) const { git_remote_free(r); }
};

}  // namespace

std::string cache_key(const std::string& group, const std::string& url) {
  std::string name;
  for (char c : group) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  if (name.size() > 64) name.resize(64);
  char hash[17];
  // Group and URL both hashed: two ids that read the same once sanitised ("a/b", "a_b") never
  // share a mirror, and a group that moves to another URL gets a fresh one.
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a64(group + '\n' + url)));
  return name + "-" + std::string(hash, 12) + ".git";
}

FetchResult fetch_mirror(const std::string& url, const std::string& cache_dir, const std::string& key,
                         const FetchLimits& limits) {
  ensure_libgit2();
  FetchResult out;
  const fs::path dir = fs::path(cache_dir) / key;
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) {
    out.error = "cannot create the cache folder " + cache_dir + ": " + ec.message();
    return out;
  }

  git_repository* raw = nullptr;
  if (fs::exists(dir / "HEAD", ec) && git_repository_open_bare(&raw, dir.c_str()) == 0) {
    remove_stale_locks(dir);  // clone once, then fetch
  } else {
    fs::remove_all(dir, ec);  // a half-made entry from an interrupted first clone
    if (git_repository_init(&raw, dir.c_str(), 1) != 0) {
      out.error = git_failure("cannot create the mirror");
      return out;
    }
    out.cloned = true;
  }
  std::unique_ptr<git_repository, RepoCloser> repo(raw);

  // An anonymous remote: the URL always comes from the roster, never from the cached config.
  git_remote* rraw = nullptr;
  if (git_remote_create_anonymous(&rraw, repo.get(), url.c_str()) != 0) {
    out.error = git_failure("bad repository URL");
    return out;
  }
  std::unique_ptr<git_remote, RemoteCloser> remote(rraw);

  Progress progress{limits, ""};
  git_fetch_options fo = GIT_FETCH_OPTIONS_INIT;
  fo.callbacks.transfer_progress = on_transfer;
  fo.callbacks.sideband_progress = on_sideband;
  fo.callbacks.payload = &progress;
  fo.prune = GIT_FETCH_PRUNE;
  fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // the refspec below takes them all
  const char* specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
  git_strarray refspecs{const_cast<char**>(specs), 2};
  if (git_remote_fetch(remote.get(), &refspecs, &fo, "claimcheck batch fetch") != 0) {
    out.error = progress.stopped.empty() ? git_failure("fetch failed") : progress.stopped;
    if (out.cloned) fs::remove_all(dir, ec);
    return out;
  }

  // HEAD follows the remote's default branch, so that an audit without a branch reads it.
  git_buf head = GIT_BUF_INIT;
  if (git_remote_default_branch(&head, remote.get()) == 0) {
    int rc = git_repository_set_head(repo.get(), head.ptr);
    git_buf_dispose(&head);
    if (rc != 0) {
      out.error = git_failure("cannot point HEAD at the remote's default branch");
      return out;
    }
  } else {
    git_reference* any = nullptr;
    // No advertised HEAD (an empty repository, or a server that hides it).
    if (git_repository_head(&any, repo.get()) != 0) {
      out.error = "the remote repository has no default branch (is it empty?)";
      return out;
    }
    git_reference_free(any);
  }

  out.disk_bytes = dir_bytes(dir);
  if (out.disk_bytes > limits.max_bytes) {
    out.error = "the repository takes " + human_size(out.disk_bytes) + ", over the size cap of " +
                human_size(limits.max_bytes);
    repo.reset();
    fs::remove_all(dir, ec);  // do not keep what will not be audited
    return out;
  }
  out.path = dir.string();
  return out;
}

}  // namespace cc
