#include "engine/git_snapshot.h"

#include <git2.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "engine/libgit2_offline.h"
#include "engine/odb_guard.h"
#include "engine/worktree_snapshot.h"

namespace cc {

namespace fs = std::filesystem;

namespace {

// unique_ptr for libgit2 handles: GitPtr<git_commit, git_commit_free>.
template <auto Free>
struct GitFree {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
template <class T, auto Free>
using GitPtr = std::unique_ptr<T, GitFree<Free>>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;

// A hostile tree could hold millions of entries; refuse rather than exhaust memory.
constexpr std::size_t kMaxFiles = 2'000'000;

std::string git_message() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

std::string oid_hex(const git_oid* id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, id);
  return buf;
}

// "2026-01-23 22:10 +0100": the time as the committer's clock showed it.
std::string format_time(std::int64_t t, int offset_minutes) {
  using namespace std::chrono;
  sys_seconds local{seconds{t + std::int64_t{offset_minutes} * 60}};
  auto day = floor<days>(local);
  year_month_day ymd{day};
  hh_mm_ss hms{local - day};
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d %c%02d%02d", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

// libgit2 1.5 loops forever inflating a truncated loose object (libgit2#7342, fixed upstream
// after Debian 12's 1.5.1) and writes out of bounds when a loose header understates the size
// (libgit2#7177). Truncated loose objects are what a crash mid-write leaves in a local clone, so
// before libgit2 inflates a loose object we inflate it ourselves and check that it is whole; the
// output is discarded, or written into `body` when the caller reads the object this way. Returns
// "" when fine or not loose (packed objects: odb_guard.h), else what is wrong.
std::string check_loose(const std::string& objects_dir, const git_oid* id, LooseBody* body = nullptr) {
  const std::string hex = oid_hex(id);
  const std::string file = objects_dir + hex.substr(0, 2) + "/" + hex.substr(2);
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!f) return "";
  if (body) body->found = true;
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return "cannot start zlib";
  std::unique_ptr<z_stream, int (*)(z_streamp)> end(&zs, inflateEnd);
  auto& [in, out] = inflate_buffers();
  std::string header;  // "<type> <size>", up to the NUL
  bool header_done = false;
  std::uint64_t declared = 0, got = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0) {
      zs.avail_in = static_cast<uInt>(std::fread(in, 1, sizeof in, f.get()));
      zs.next_in = in;
      if (zs.avail_in == 0) return "loose object " + hex + " is truncated";
    }
    // Once the header is known and the body is wanted, zlib writes straight into it; the scratch
    // buffer takes the header and anything past the declared size (which is then an error).
    unsigned char* dest = out;
    std::size_t room = sizeof out;
    if (header_done && body && body->out && got < declared) {
      dest = reinterpret_cast<unsigned char*>(body->out->data()) + got;
      room = std::size_t(std::min<std::uint64_t>(declared - got, 1u << 30));
    }
    zs.next_out = dest;
    zs.avail_out = static_cast<uInt>(room);
    rc = inflate(&zs, Z_NO_FLUSH);
    // Z_BUF_ERROR with input left would mean no progress: treat it as corrupt, never spin.
    if ((rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) ||
        (rc == Z_BUF_ERROR && zs.avail_in != 0))
      return "loose object " + hex + " is corrupt (zlib: " + (zs.msg ? zs.msg : "error") + ")";
    std::size_t produced = room - zs.avail_out;
    if (dest != out) {
      got += produced;
      continue;
    }
    std::size_t k = 0;
    for (; !header_done && k < produced; ++k) {
      if (out[k] == 0) {
        header_done = true;
        auto sp = header.find(' ');
        if (sp == std::string::npos || sp + 1 == header.size() || header.size() - sp > 21)
          return "loose object " + hex + " has a malformed header";
        for (std::size_t j = sp + 1; j < header.size(); ++j) {
          if (header[j] < '0' || header[j] > '9')
            return "loose object " + hex + " has a malformed header";
          declared = declared * 10 + std::uint64_t(header[j] - '0');
        }
        if (body) {
          body->type = header.substr(0, sp);
          body->size = declared;
          if (declared > body->cap) return "";  // too large to read: the caller says so
          if (body->out) body->out->resize(std::size_t(declared));
        }
      } else if (header.size() < 64) {
        header += char(out[k]);
      } else {
        return "loose object " + hex + " has a malformed header";
      }
    }
    const std::size_t rest = produced - k;
    if (header_done && body && body->out && rest > 0 && got + rest <= declared)
      std::memcpy(body->out->data() + got, out + k, rest);
    got += rest;
    if (header_done && got > declared) break;  // a zip bomb stops here, not at its end
  }
  if (!header_done || got != declared)
    return "loose object " + hex + " is corrupt (its size does not match its header)";
  return "";
}

// A mirror (git clone --mirror) whose `config` was deleted: libgit2 would take it for a working
// tree (core.bare unknown), so a directory that is itself a git dir is opened as bare.
bool looks_like_git_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p / "HEAD", ec) && fs::is_directory(p / "objects", ec) &&
         fs::is_directory(p / "refs", ec) && !fs::exists(p / ".git", ec);
}

git_repository* open_repository(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !fs::is_directory(path, ec))
    throw SnapshotError("no such directory: " + path +
                        " (give the path of a clone or a bare mirror)");
  unsigned flags = GIT_REPOSITORY_OPEN_NO_SEARCH;  // never pick up an enclosing repository
  if (looks_like_git_dir(path)) flags |= GIT_REPOSITORY_OPEN_BARE;
  git_repository* repo = nullptr;
  int rc = git_repository_open_ext(&repo, path.c_str(), flags, nullptr);
  if (rc == GIT_ENOTFOUND)
    throw SnapshotError("not a git repository: " + path +
                        " (give the path of a clone or a bare mirror)");
  if (rc == GIT_EOWNER)
    throw SnapshotError("repository " + path + " is owned by another user (" + git_message() +
                        "; run claimcheck as its owner or copy it)");
  if (rc < 0)
    throw SnapshotError("cannot open repository " + path + ": " + git_message());
  return repo;
}

// Loads a commit or tree through libgit2 only after the loose-object guard passed.
void guard(const std::string& objects_dir, const git_oid* id, const std::string& repo_path) {
  std::string bad = check_loose(objects_dir, id);
  if (!bad.empty())
    throw SnapshotError(bad + " in " + repo_path + " (run `git fsck` there, or clone it again)");
}

CommitPtr resolve_start(git_repository* repo, const std::string& objects_dir,
                        const SnapshotRequest& req) {
  git_commit* commit = nullptr;
  if (req.rev.empty()) {
    // HEAD is resolved to an id first so that the guard sees the commit before libgit2 does.
    git_oid id;
    if (git_reference_name_to_id(&id, repo, "HEAD") < 0) {
      if (git_repository_head_unborn(repo) == 1)
        throw SnapshotError("repository " + req.repo_path +
                            " has no commits on HEAD yet (commit something, or give --rev)");
      throw SnapshotError("cannot resolve HEAD in " + req.repo_path + ": " + git_message() +
                          " (give --rev)");
    }
    guard(objects_dir, &id, req.repo_path);
    if (git_commit_lookup(&commit, repo, &id) < 0)
      throw SnapshotError("HEAD of " + req.repo_path + " is not a readable commit: " +
                          git_message());
    return CommitPtr(commit);
  }
  git_object* obj = nullptr;
  int rc = git_revparse_single(&obj, repo, req.rev.c_str());
  if (rc == GIT_EAMBIGUOUS)
    throw SnapshotError("ambiguous revision '" + req.rev + "' in " + req.repo_path +
                        " (give more characters of the commit id, or a full ref name)");
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
    throw SnapshotError("unknown revision '" + req.rev + "' in " + req.repo_path +
                        " (give a branch, a tag or a commit id)");
  if (rc < 0)
    throw SnapshotError("cannot resolve '" + req.rev + "' in " + req.repo_path + ": " +
                        git_message());
  ObjectPtr holder(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
    throw SnapshotError("revision '" + req.rev + "' in " + req.repo_path +
                        " does not name a commit (give a branch, a tag or a commit id)");
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

// The last commit on the first-parent history from `c` whose committer time is <= at. Side
// branches merged later are never visited, whatever their dates.
CommitPtr first_parent_at(git_repository* repo, const std::string& objects_dir, CommitPtr c,
                          std::int64_t at, const SnapshotRequest& req) {
  const std::string branch = req.rev.empty() ? "HEAD" : "'" + req.rev + "'";
  while (git_commit_time(c.get()) > at) {
    const std::string short_id = oid_hex(git_commit_id(c.get())).substr(0, 7);
    if (git_commit_parentcount(c.get()) == 0)
      throw SnapshotError("no commit on the first-parent history of " + branch + " in " +
                          req.repo_path + " is at or before " + req.at + " (its first commit " +
                          short_id + " is of " +
                          format_time(git_commit_time(c.get()), git_commit_time_offset(c.get())) +
                          ")");
    const git_oid* parent_id = git_commit_parent_id(c.get(), 0);
    guard(objects_dir, parent_id, req.repo_path);
    git_commit* parent = nullptr;
    int rc = parent_id ? git_commit_lookup(&parent, repo, parent_id) : GIT_ENOTFOUND;
    if (rc == GIT_ENOTFOUND)
      throw SnapshotError("history of " + req.repo_path + " stops at commit " + short_id +
                          " (parent missing: a shallow clone?); fetch the full history to use --at");
    if (rc < 0)  // present but damaged (the object guard refused it): not a shallow clone
      throw SnapshotError("the parent of commit " + short_id + " in " + req.repo_path +
                          " cannot be read: " + git_message() +
                          " (run `git fsck` there, or clone it again)");
    c.reset(parent);
  }
  return c;
}

// Lists every file of a tree: an explicit stack rather than git_tree_walk, so that each subtree
// passes the loose-object guard before libgit2 parses it, and depth cannot overflow the stack.
void list_tree(git_repository* repo, git_odb* odb, const std::string& objects_dir,
               const git_oid* root, const std::string& repo_path, std::vector<FileEntry>& entries,
               std::vector<std::array<unsigned char, 20>>& ids) {
  std::vector<std::pair<git_oid, std::string>> todo{{*root, ""}};
  while (!todo.empty()) {
    auto [tree_id, prefix] = std::move(todo.back());
    todo.pop_back();
    guard(objects_dir, &tree_id, repo_path);
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo, &tree_id) < 0)
      throw SnapshotError("directory '" + prefix + "' (tree " + oid_hex(&tree_id) + ") in " +
                          repo_path + " cannot be read (" + git_message() +
                          "); fetch the repository without a tree filter");
    TreePtr tree(raw);
    for (std::size_t k = 0, n = git_tree_entrycount(raw); k < n; ++k) {
      const git_tree_entry* e = git_tree_entry_byindex(raw, k);
      std::string_view name = git_tree_entry_name(e);
      // Crafted trees can hold names git itself refuses; they would break the path contract.
      if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos)
        continue;
      std::string path = prefix + std::string(name);
      const git_oid* id = git_tree_entry_id(e);
      bool symlink = false;
      switch (git_tree_entry_filemode(e)) {
        case GIT_FILEMODE_TREE: todo.emplace_back(*id, path + "/"); continue;
        case GIT_FILEMODE_BLOB:
        case GIT_FILEMODE_BLOB_EXECUTABLE: break;
        case GIT_FILEMODE_LINK: symlink = true; break;
        default: continue;  // gitlink (submodule): its files are not in this repository
      }
      if (entries.size() >= kMaxFiles)
        throw SnapshotError("the commit in " + repo_path + " has more than " +
                            std::to_string(kMaxFiles) +
                            " files; claimcheck does not read trees that large");
      // Size from the object header: never inflate a blob just to learn its size. A missing
      // blob (partial clone) keeps its entry with size 0; read() reports it.
      std::size_t len = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (git_odb_read_header(&len, &type, odb, id) < 0) len = 0;
      entries.push_back({std::move(path), len, symlink});
      std::array<unsigned char, 20> raw_id;
      std::memcpy(raw_id.data(), id->id, raw_id.size());
      ids.push_back(raw_id);
    }
  }
}

}  // namespace

std::string check_loose_object(const std::string& objects_dir, const git_oid* id, LooseBody* body) {
  return check_loose(objects_dir, id, body);
}

InflateBuffers& inflate_buffers() {
  static thread_local std::unique_ptr<InflateBuffers> buffers;
  if (!buffers) buffers.reset(new InflateBuffers);  // default-initialised: not zeroed
  return *buffers;
}

void ensure_libgit2() {
  static const bool done = [] {
    libgit2_offline_in_effect();  // links the network set-up's replacements (libgit2_offline.h)
    git_libgit2_init();
    // We only read: hash verification of every inflated object doubles blob-read time.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    return true;
  }();
  (void)done;
}

std::int64_t parse_instant(const std::string& s) {
  auto fail = [&]() -> std::int64_t {
    throw SnapshotError("cannot read --at '" + s +
                        "' (give an ISO-8601 instant such as 2026-01-23T23:59:59+01:00, "
                        "2026-01-23T22:59Z or 2026-01-23)");
  };
  std::size_t i = 0;
  auto num = [&](int digits, int& out) {
    if (i + digits > s.size()) return false;
    out = 0;
    for (int k = 0; k < digits; ++k, ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  auto lit = [&](char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  };
  int y, mo, d;
  if (!num(4, y) || !lit('-') || !num(2, mo) || !lit('-') || !num(2, d)) return fail();
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return fail();
  const std::int64_t day_start = std::int64_t{sys_days{ymd}.time_since_epoch().count()} * 86400;
  if (i == s.size()) return day_start + 23 * 3600 + 59 * 60 + 59;  // a bare date: end of day UTC

  int h, mi, sec = 0;
  if (!(lit('T') || lit(' '))) return fail();
  if (!num(2, h) || !lit(':') || !num(2, mi)) return fail();
  if (lit(':')) {
    if (!num(2, sec)) return fail();
    if (lit('.')) {  // fractions: commit times are whole seconds, so dropping them is exact
      std::size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return fail();
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return fail();
  int offset = 0;  // minutes east of UTC; no offset means UTC
  if (lit('Z') || lit('z')) {
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i++] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!num(2, oh)) return fail();
    if (i < s.size()) {
      lit(':');
      if (!num(2, om)) return fail();
    }
    if (oh > 23 || om > 59) return fail();
    offset = sign * (oh * 60 + om);
  }
  if (i != s.size()) return fail();
  return day_start + h * 3600 + mi * 60 + sec - std::int64_t{offset} * 60;
}

std::unique_ptr<Snapshot> open_snapshot(const SnapshotRequest& req) {
  if (req.worktree) {
    if (!req.rev.empty() || !req.at.empty())
      throw SnapshotError("--worktree reads the files on disk; drop --rev/--at, or drop --worktree");
    return WorktreeSnapshot::open(req.repo_path);
  }
  ensure_libgit2();
  std::int64_t at = 0;
  if (!req.at.empty()) at = parse_instant(req.at);  // bad input fails before touching the repo

  std::unique_ptr<GitSnapshot> snap(new GitSnapshot);
  snap->repo_path_ = req.repo_path;
  snap->repo_ = open_repository(req.repo_path);
  // From here on every object libgit2 reads for this repository (git_revparse_single included)
  // passes the corruption guard first (odb_guard.h).
  if (std::string bad = install_object_guard(snap->repo_); !bad.empty())
    throw SnapshotError(bad + " in " + req.repo_path +
                        " (run `git fsck` there, or clone it again)");
  if (git_repository_odb(&snap->odb_, snap->repo_) < 0)
    throw SnapshotError("cannot open the object database of " + req.repo_path + ": " +
                        git_message());

  const char* common = git_repository_commondir(snap->repo_);
  snap->objects_dir_ = std::string(common ? common : "") + "objects/";

  CommitPtr commit = resolve_start(snap->repo_, snap->objects_dir_, req);
  if (!req.at.empty())
    commit = first_parent_at(snap->repo_, snap->objects_dir_, std::move(commit), at, req);

  git_commit* c = commit.get();
  snap->commit_id_ = oid_hex(git_commit_id(c));
  snap->commit_time_ = git_commit_time(c);
  snap->commit_time_offset_ = git_commit_time_offset(c);
  if (const git_signature* a = git_commit_author(c)) {
    snap->author_name_ = a->name ? a->name : "";
    snap->author_email_ = a->email ? a->email : "";
  }
  if (const char* sum = git_commit_summary(c)) snap->summary_ = sum;
  list_tree(snap->repo_, snap->odb_, snap->objects_dir_, git_commit_tree_id(c), req.repo_path,
            snap->entries_, snap->blob_ids_);

  // Tree order is not byte order ("a.txt" < "a/b" in a tree): sort both vectors together, and
  // drop duplicate paths a crafted tree might hold so that find() is well defined.
  std::vector<std::size_t> order(snap->entries_.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return snap->entries_[a].path < snap->entries_[b].path;
  });
  std::vector<FileEntry> entries;
  std::vector<std::array<unsigned char, 20>> ids;
  entries.reserve(order.size());
  ids.reserve(order.size());
  for (std::size_t k : order) {
    if (!entries.empty() && entries.back().path == snap->entries_[k].path) continue;
    entries.push_back(std::move(snap->entries_[k]));
    ids.push_back(snap->blob_ids_[k]);
  }
  snap->entries_ = std::move(entries);
  snap->blob_ids_ = std::move(ids);
  return snap;
}

GitSnapshot::~GitSnapshot() {
  if (odb_) git_odb_free(odb_);
  if (repo_) git_repository_free(repo_);
}

std::string GitSnapshot::describe() const {
  return "commit " + commit_id_.substr(0, 7) + " (" +
         format_time(commit_time_, commit_time_offset_) + ") of " + repo_path_;
}

namespace {
// The commit's files kept inflated after a first read, in the snapshot's artifact cache (several
// probes read the same file, and libgit2 keeps no blob): most source and configuration files are
// a few KiB; data and notebooks over this size are read again when asked again.
constexpr std::uint64_t kKeepInflatedMax = 256u << 10;

Blob too_large(std::uint64_t len, std::uint64_t cap) {
  Blob b;
  b.size = len;
  b.state = ReadState::too_large;
  b.note = "file of " + std::to_string(len) + " bytes exceeds the cap of " + std::to_string(cap) + " bytes";
  return b;
}
}  // namespace

Blob GitSnapshot::read(std::string_view path, std::uint64_t cap) const {
  Blob b;
  const FileEntry* e = find(path);
  if (!e) {
    b.state = ReadState::not_found;
    b.note = "no such file in commit " + commit_id_.substr(0, 7);
    return b;
  }
  git_oid id;
  std::memcpy(id.id, blob_ids_[static_cast<std::size_t>(e - entries_.data())].data(), sizeof id.id);
  // The tree's size is the object header's: a read under a smaller cap (a figure's first bytes)
  // says too_large without inflating the file into the cache.
  if (e->size > cap) return too_large(e->size, cap);
  if (e->size <= kKeepInflatedMax) {
    auto kept = artifacts().get<std::string>("inflated", path, [&] {
      Blob whole = read_oid(id, kKeepInflatedMax);
      const std::size_t n = whole.data.size();
      return std::make_pair(whole.ok() ? std::make_shared<const std::string>(std::move(whole.data)) : nullptr, n);
    });
    if (kept) {  // what read_oid() would return for these bytes and this cap
      if (kept->size() > cap) return too_large(kept->size(), cap);
      b.data = *kept;
      b.size = b.data.size();
      b.state = ReadState::ok;
      return b;
    }
  }
  b = read_oid(id, cap);  // large, or not readable: the problem is told as for any read
  if (!b.ok() && b.size == 0) b.size = e->size;  // missing or unreadable: the tree's size
  return b;
}

std::unique_ptr<GitSnapshot> GitSnapshot::object_reader() const {
  std::unique_ptr<GitSnapshot> r(new GitSnapshot);
  r->repo_path_ = repo_path_;
  r->commit_id_ = commit_id_;
  r->repo_ = open_repository(repo_path_);
  if (std::string bad = install_object_guard(r->repo_); !bad.empty())
    throw SnapshotError(bad + " in " + repo_path_ + " (run `git fsck` there, or clone it again)");
  if (git_repository_odb(&r->odb_, r->repo_) < 0)
    throw SnapshotError("cannot open the object database of " + repo_path_ + ": " + git_message());
  r->objects_dir_ = objects_dir_;
  return r;
}

Blob GitSnapshot::read_object(std::string_view id_hex, std::uint64_t cap) const {
  git_oid id;
  if (id_hex.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&id, id_hex.data(), id_hex.size()) < 0) {
    Blob b;
    b.note = "not an object id: " + std::string(id_hex.substr(0, 64));
    return b;
  }
  return read_oid(id, cap);
}

Blob GitSnapshot::read_oid(const git_oid& id, std::uint64_t cap) const {
  Blob b;
  // Blobs (loose, whole in a pack, or deltas within their pack) are inflated once, by the guard,
  // into the Blob itself, without the libgit2 lock: two probes' threads read at once. What the
  // guard leaves (absent objects, deltas on a base elsewhere) goes through libgit2.
  DirectRead d = read_object_direct(odb_, &id, cap, b.data);
  if (d.state == DirectRead::read && d.type == GIT_OBJECT_BLOB) {
    b.size = b.data.size();
    b.state = ReadState::ok;
    return b;
  }
  const std::string hex = oid_hex(&id);
  if (d.state != DirectRead::elsewhere && d.type != GIT_OBJECT_BLOB) {
    b.data.clear();
    b.state = ReadState::error;
    b.note = d.state == DirectRead::corrupt ? "cannot read blob " + hex + ": " + d.error
                                            : "object " + hex + " is not a blob";
    return b;
  }
  if (d.state == DirectRead::too_large) return too_large(d.size, cap);
  std::lock_guard<std::mutex> lock(mu_);
  // Header first: a missing or huge blob is detected without inflating anything.
  std::size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&len, &type, odb_, &id);
  if (rc == GIT_ENOTFOUND) {
    b.state = ReadState::missing_object;
    b.note = "blob " + hex + " is not in the object database (partial clone?)";
    return b;
  }
  if (rc < 0) {
    b.state = ReadState::error;
    b.note = "cannot read blob " + hex + ": " + git_message();
    return b;
  }
  if (type != GIT_OBJECT_BLOB) {
    b.state = ReadState::error;
    b.note = "object " + hex + " is not a blob";
    return b;
  }
  if (len > cap) return too_large(len, cap);
  b.size = len;
  // The object guard (odb_guard.h) checks the object inside git_odb_read: not inflated twice here.
  git_odb_object* raw = nullptr;
  rc = git_odb_read(&raw, odb_, &id);
  if (rc < 0) {
    b.state = rc == GIT_ENOTFOUND ? ReadState::missing_object : ReadState::error;
    b.note = "cannot read blob " + hex + ": " + git_message();
    return b;
  }
  OdbObjectPtr obj(raw);
  b.data.assign(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  b.size = b.data.size();
  b.state = ReadState::ok;
  return b;
}

}  // namespace cc
