#include "engine/worktree_snapshot.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace cc {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFiles = 2'000'000;  // same guard as GitSnapshot

// Owns a file descriptor.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) { reset(); fd = o.fd; o.fd = -1; }
    return *this;
  }
  ~Fd() { reset(); }
  void reset() { if (fd >= 0) ::close(fd); fd = -1; }
};

// Opens the directory holding `rel` (a normalised repo path) without following any symlink on
// the way, and returns it with the last component in `leaf`. fd < 0 when a component is
// missing, not a directory, or a symlink: such a path is not inside the root.
Fd open_parent(const std::string& root, const std::string& rel, std::string& leaf) {
  Fd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::size_t start = 0;
  while (dir.fd >= 0) {
    std::size_t slash = rel.find('/', start);
    if (slash == std::string::npos) {
      leaf = rel.substr(start);
      return dir;
    }
    std::string comp = rel.substr(start, slash - start);
    dir = Fd(::openat(dir.fd, comp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    start = slash + 1;
  }
  return dir;
}

// A path is acceptable if it is already normalised and does not reach into a .git directory.
bool acceptable(const std::string& p) {
  auto norm = normalize_repo_path("", p);
  if (!norm || *norm != p) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = p.find('/', start);
    std::string_view comp(p.data() + start, (slash == std::string::npos ? p.size() : slash) - start);
    if (comp == ".git") return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

// lstat beneath the root: regular files and symlinks become entries; anything else (deleted,
// directory, fifo, socket, device) is left out.
void add_if_file(const std::string& root, const std::string& rel, std::vector<FileEntry>& out) {
  if (!acceptable(rel)) return;
  std::string leaf;
  Fd dir = open_parent(root, rel, leaf);
  if (dir.fd < 0) return;
  struct stat st;
  if (::fstatat(dir.fd, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
  if (S_ISREG(st.st_mode)) out.push_back({rel, std::uint64_t(st.st_size), false});
  else if (S_ISLNK(st.st_mode)) out.push_back({rel, std::uint64_t(st.st_size), true});
}

std::string git_message() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

// Candidates from git: index entries (tracked) and untracked, not ignored files.
std::vector<std::string> git_candidates(git_repository* repo, const std::string& dir) {
  std::vector<std::string> paths;
  git_index* index = nullptr;
  if (git_repository_index(&index, repo) < 0)
    throw SnapshotError("cannot read the index of " + dir + ": " + git_message());
  std::size_t n = git_index_entrycount(index);
  for (std::size_t k = 0; k < n; ++k) {
    const git_index_entry* e = git_index_get_byindex(index, k);
    if (e && e->path && e->mode != GIT_FILEMODE_COMMIT) paths.emplace_back(e->path);
  }
  git_index_free(index);

  git_status_options opts;
  git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  // No INCLUDE_IGNORED: ignored files are not part of the group's work. No UPDATE_INDEX: read only.
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* list = nullptr;
  if (git_status_list_new(&list, repo, &opts) < 0)
    throw SnapshotError("cannot list the working tree of " + dir + ": " + git_message());
  n = git_status_list_entrycount(list);
  for (std::size_t k = 0; k < n; ++k) {
    const git_status_entry* s = git_status_byindex(list, k);
    if (s && (s->status & GIT_STATUS_WT_NEW) && s->index_to_workdir &&
        s->index_to_workdir->new_file.path)
      paths.emplace_back(s->index_to_workdir->new_file.path);
  }
  git_status_list_free(list);
  return paths;
}

// Candidates from a plain directory: everything except .git, symlinked dirs not entered.
std::vector<std::string> walk_candidates(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw SnapshotError("cannot list directory " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;  // an unreadable part: keep what was listed rather than loop on the error
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    std::error_code sec;
    auto st = it->symlink_status(sec);
    if (sec || !(fs::is_regular_file(st) || fs::is_symlink(st))) continue;
    paths.push_back(it->path().lexically_relative(dir).generic_string());
    if (paths.size() > kMaxFiles)
      throw SnapshotError("directory " + dir + " has more than " + std::to_string(kMaxFiles) +
                          " files; claimcheck does not read trees that large");
  }
  return paths;
}

}  // namespace

std::unique_ptr<WorktreeSnapshot> WorktreeSnapshot::open(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec))
    throw SnapshotError("no such directory: " + dir + " (give the path of a working tree)");
  std::unique_ptr<WorktreeSnapshot> snap(new WorktreeSnapshot);
  snap->root_ = dir;

  ensure_libgit2();
  git_repository* repo = nullptr;
  int rc = git_repository_open_ext(&repo, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  std::vector<std::string> paths;
  if (rc == GIT_ENOTFOUND) {
    paths = walk_candidates(dir);
  } else if (rc < 0) {
    throw SnapshotError("cannot open repository " + dir + ": " + git_message());
  } else {
    std::unique_ptr<git_repository, void (*)(git_repository*)> holder(repo, git_repository_free);
    const char* workdir = git_repository_workdir(repo);
    if (git_repository_is_bare(repo) || !workdir)
      throw SnapshotError(dir + " is a bare repository without a working tree (drop --worktree)");
    // core.worktree in a hostile config could point anywhere: only the given directory is read.
    if (!fs::equivalent(workdir, dir, ec) || ec)
      throw SnapshotError("the working tree of " + dir + " is configured elsewhere (" + workdir +
                          "); give that directory instead");
    snap->git_ = true;
    paths = git_candidates(repo, dir);
  }

  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  if (paths.size() > kMaxFiles)
    throw SnapshotError("working tree " + dir + " has more than " + std::to_string(kMaxFiles) +
                        " files; claimcheck does not read trees that large");
  for (const auto& p : paths) add_if_file(dir, p, snap->entries_);
  return snap;
}

std::string WorktreeSnapshot::describe() const {
  return "working tree of " + root_ + " (uncommitted changes included)";
}

Blob WorktreeSnapshot::read(std::string_view path, std::uint64_t cap) const {
  Blob b;
  const FileEntry* e = find(path);
  if (!e) {
    b.state = ReadState::not_found;
    b.note = "no such file in the working tree";
    return b;
  }
  b.size = e->size;
  auto too_large = [&](std::uint64_t size) {
    b.state = ReadState::too_large;
    b.size = size;
    b.note = "file of " + std::to_string(size) + " bytes exceeds the cap of " +
             std::to_string(cap) + " bytes";
    return b;
  };
  auto vanished = [&]() {
    b.state = ReadState::error;
    b.note = "file changed on disk while claimcheck was reading it";
    return b;
  };

  std::string leaf;
  Fd dir = open_parent(root_, e->path, leaf);
  if (dir.fd < 0) return vanished();
  struct stat st;
  if (::fstatat(dir.fd, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return vanished();

  if (e->symlink) {
    // The link's own text, never what it points to.
    if (!S_ISLNK(st.st_mode)) return vanished();
    if (std::uint64_t(st.st_size) > cap) return too_large(st.st_size);
    std::string target(std::size_t(st.st_size) + 1, '\0');
    ssize_t n = ::readlinkat(dir.fd, leaf.c_str(), target.data(), target.size());
    if (n < 0 || std::size_t(n) >= target.size()) return vanished();
    target.resize(std::size_t(n));
    b.data = std::move(target);
  } else {
    // O_NOFOLLOW: a file swapped for a symlink is refused; O_NONBLOCK: a swapped-in fifo
    // cannot block the open; fstat below rejects anything but a regular file.
    Fd f(::openat(dir.fd, leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return vanished();
    if (std::uint64_t(st.st_size) > cap) return too_large(st.st_size);
    // Read at most cap+1 bytes: a file growing after fstat still cannot exceed the cap.
    std::string data;
    char buf[65536];
    while (true) {
      ssize_t n = ::read(f.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        b.state = ReadState::error;
        b.note = std::string("cannot read file: ") + std::strerror(errno);
        return b;
      }
      if (n == 0) break;
      data.append(buf, std::size_t(n));
      if (data.size() > cap) return too_large(data.size());
    }
    b.data = std::move(data);
  }
  b.size = b.data.size();
  b.state = ReadState::ok;
  return b;
}

}  // namespace cc
