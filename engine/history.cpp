#include "engine/history.h"

#include <git2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <queue>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "engine/git_snapshot.h"
#include "engine/odb_guard.h"

namespace cc {

namespace {

template <auto Free>
struct GitFree {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using CommitPtr = std::unique_ptr<git_commit, GitFree<git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, GitFree<git_tree_free>>;
using RepoPtr = std::unique_ptr<git_repository, GitFree<git_repository_free>>;

// Trees nested deeper than this are not followed (a crafted repository could nest thousands).
constexpr int kMaxDepth = 256;
constexpr std::size_t kSummaryCap = 200;

using Oid = std::array<unsigned char, GIT_OID_RAWSZ>;
struct OidHash {
  std::size_t operator()(const Oid& o) const {
    std::size_t h;
    std::memcpy(&h, o.data(), sizeof h);
    return h;
  }
};
Oid to_oid(const git_oid* id) {
  Oid o;
  std::memcpy(o.data(), id->id, o.size());
  return o;
}
git_oid to_git(const Oid& o) {
  git_oid id;
  std::memcpy(id.id, o.data(), o.size());
  return id;
}
std::string hex_of(const Oid& o) {
  git_oid id = to_git(o);
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}
std::string git_message() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

// Interned strings: each distinct path (or author name) is stored once; records refer to it by
// index. The deque keeps the strings' addresses stable for the string_view keys.
class Pool {
 public:
  std::uint32_t intern(std::string_view s) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    store_.emplace_back(s);
    auto id = static_cast<std::uint32_t>(store_.size() - 1);
    index_.emplace(store_.back(), id);
    return id;
  }
  std::optional<std::uint32_t> find(std::string_view s) const {
    auto it = index_.find(s);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& at(std::uint32_t i) const { return store_[i]; }
  std::size_t size() const { return store_.size(); }

 private:
  std::deque<std::string> store_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// The walk stops (this commit's changes are skipped) when an object cannot be read.
struct Unreadable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Change { added, modified, deleted };

struct Delta {
  std::string path;
  Change kind;
  Oid blob{};  // the new content (added/modified)
};

// Content diff of two trees (either may be null = empty), recursing only into subtrees whose
// ids differ. Every tree passes the loose-object guard before libgit2 parses it.
class TreeDiff {
 public:
  TreeDiff(git_repository* repo, const std::string& objects_dir)
      : repo_(repo), objects_dir_(objects_dir) {}

  void run(const git_oid* old_tree, const git_oid* new_tree, std::vector<Delta>& out) {
    std::string prefix;
    walk(old_tree, new_tree, prefix, out, 0);
  }
  bool too_deep() const { return too_deep_; }

 private:
  struct Entry {
    std::string_view name;
    bool tree;
    git_oid id;
  };

  TreePtr load(const git_oid* id) {
    if (!id) return nullptr;
    git_tree* t = nullptr;  // checked by the object guard (odb_guard.h) inside the lookup
    if (git_tree_lookup(&t, repo_, id) < 0) {
      char buf[GIT_OID_HEXSZ + 1];
      git_oid_tostr(buf, sizeof buf, id);
      throw Unreadable(std::string("tree ") + buf + " cannot be read (" + git_message() + ")");
    }
    return TreePtr(t);
  }

  static std::vector<Entry> entries(git_tree* t) {
    std::vector<Entry> out;
    if (!t) return out;
    for (std::size_t k = 0, n = git_tree_entrycount(t); k < n; ++k) {
      const git_tree_entry* e = git_tree_entry_byindex(t, k);
      std::string_view name = git_tree_entry_name(e);
      // The same names GitSnapshot refuses: they would break the path contract.
      if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos)
        continue;
      switch (git_tree_entry_filemode(e)) {
        case GIT_FILEMODE_TREE: out.push_back({name, true, *git_tree_entry_id(e)}); break;
        case GIT_FILEMODE_BLOB:
        case GIT_FILEMODE_BLOB_EXECUTABLE:
        case GIT_FILEMODE_LINK: out.push_back({name, false, *git_tree_entry_id(e)}); break;
        default: break;  // gitlink (submodule): not a file of this repository
      }
    }
    return out;
  }

  void walk(const git_oid* a, const git_oid* b, std::string& prefix, std::vector<Delta>& out,
            int depth) {
    if (a && b && git_oid_equal(a, b)) return;
    if (depth > kMaxDepth) {
      too_deep_ = true;
      return;
    }
    TreePtr ta = load(a), tb = load(b);
    std::vector<Entry> ea = entries(ta.get()), eb = entries(tb.get());
    std::unordered_map<std::string_view, std::size_t> old_ix;
    old_ix.reserve(ea.size());
    for (std::size_t k = 0; k < ea.size(); ++k) old_ix.emplace(ea[k].name, k);
    std::vector<bool> matched(ea.size(), false);
    const std::size_t base = prefix.size();
    auto sub = [&](std::string_view name, const git_oid* x, const git_oid* y) {
      prefix.append(name).push_back('/');
      walk(x, y, prefix, out, depth + 1);
      prefix.resize(base);
    };
    auto file = [&](std::string_view name, Change kind, const git_oid* id) {
      Delta d{prefix + std::string(name), kind, {}};
      if (id) d.blob = to_oid(id);
      out.push_back(std::move(d));
    };
    for (const Entry& n : eb) {
      auto it = old_ix.find(n.name);
      if (it == old_ix.end() || matched[it->second]) {
        if (n.tree) sub(n.name, nullptr, &n.id);
        else file(n.name, Change::added, &n.id);
        continue;
      }
      matched[it->second] = true;
      const Entry& o = ea[it->second];
      if (o.tree && n.tree) {
        sub(n.name, &o.id, &n.id);
      } else if (!o.tree && !n.tree) {
        if (!git_oid_equal(&o.id, &n.id)) file(n.name, Change::modified, &n.id);
      } else if (o.tree) {  // a directory became a file
        sub(o.name, &o.id, nullptr);
        file(n.name, Change::added, &n.id);
      } else {  // a file became a directory
        file(o.name, Change::deleted, nullptr);
        sub(n.name, nullptr, &n.id);
      }
    }
    for (std::size_t k = 0; k < ea.size(); ++k) {
      if (matched[k]) continue;
      if (ea[k].tree) sub(ea[k].name, &ea[k].id, nullptr);
      else file(ea[k].name, Change::deleted, nullptr);
    }
  }

  git_repository* repo_;
  const std::string& objects_dir_;
  bool too_deep_ = false;
};

// Per path, over the walk.
struct Rec {
  std::int32_t first_seen = -1, last_seen = -1;  // commit indices
  std::int32_t added = -1;       // start of the current life (-1: before the walk)
  std::int32_t last_set = -1;    // latest commit that set it
  std::int32_t last_final = -1;  // latest commit that set it to the audited content
  std::uint32_t changes = 0;     // commits that set it during the current life
  bool ever = false;             // some walked commit had it
  bool alive = false;            // state after the last event in walk order
  bool present = false;          // at the audited commit / in the worktree
  bool in_start = false;         // in the tree of the walk's start commit
  bool worktree_changed = false;
  bool stock = false;
  std::vector<std::uint32_t> authors;  // author pool indices, current life
};

std::string first_line_capped(const char* s) {
  std::string out = s ? s : "";
  if (out.size() > kSummaryCap) {
    std::size_t n = kSummaryCap;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;  // whole chars
    out.resize(n);
  }
  return out;
}

}  // namespace

struct History::Impl {
  HistoryOptions opt;
  std::vector<CommitInfo> commits;
  int scaffold = -1;
  bool cut = false;
  bool incomplete = false;  // shallow, unreadable objects: the beginning is not known
  std::vector<std::string> notes;
  Pool paths, authors;
  std::vector<Rec> recs;  // parallel to paths
  std::unordered_map<std::uint32_t, Oid> final_blobs;  // audited tree: path -> blob
  std::vector<std::vector<std::pair<std::uint32_t, Oid>>> early_sets;  // first commits' sets
  struct Set {  // one change that set a path's content, for versions()
    std::uint32_t path;
    std::int32_t commit;
    Oid blob;
  };
  std::vector<Set> sets;  // in walk order
  bool sets_cut = false;

  void note(std::string s) {
    if (std::find(notes.begin(), notes.end(), s) == notes.end()) notes.push_back(std::move(s));
  }

  Rec* rec(std::string_view p) {
    if (auto i = paths.find(p)) return &recs[*i];
    if (paths.size() >= opt.max_paths) return nullptr;
    std::uint32_t i = paths.intern(p);
    recs.emplace_back();
    return &recs[i];
  }

  void walk(git_repository* repo, const std::string& objects_dir, const git_oid& start);
  void apply(int i, const Delta& d, std::uint32_t author);
  void choose_scaffold();
};

namespace {

struct Raw {
  Oid id;
  Oid tree;
  std::vector<Oid> parents;
  CommitInfo info;
};

}  // namespace

class HistoryDiffs {
 public:
  // A commit's own changes, and what reading its parents' trees could not do (notes the walk
  // that reuses them repeats: its history is as incomplete as the first one's).
  struct Diff {
    std::vector<Delta> deltas;
    std::vector<std::string> problems;
  };
  // Computed by `make` the first time it is asked for.
  template <class Make>
  const Diff& of(const Oid& commit, Make make) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = diffs_.find(commit); it != diffs_.end()) return *it->second;
    }
    auto d = std::make_unique<Diff>(make());  // may throw Unreadable: not kept
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, fresh] = diffs_.emplace(commit, std::move(d));
    return *it->second;
  }

 private:
  std::mutex mu_;
  std::unordered_map<Oid, std::unique_ptr<Diff>, OidHash> diffs_;
};

std::shared_ptr<HistoryDiffs> make_history_diffs() { return std::make_shared<HistoryDiffs>(); }

void History::Impl::walk(git_repository* repo, const std::string& objects_dir,
                         const git_oid& start) {
  auto lookup = [&](const Oid& id, CommitPtr& out) -> std::string {
    git_oid g = to_git(id);
    git_commit* c = nullptr;  // checked by the object guard (odb_guard.h) inside the lookup
    int rc = git_commit_lookup(&c, repo, &g);
    if (rc == GIT_ENOTFOUND)
      return "commit " + hex_of(id) + " is missing (a shallow clone?): " + git_message();
    if (rc < 0)  // present but refused by the object guard (odb_guard.h): damaged, not shallow
      return "commit " + hex_of(id) + " cannot be read: " + git_message();
    out.reset(c);
    return "";
  };

  // 1. Collect: newest committer time first (git log's order), at most max_commits.
  std::vector<Raw> raws;
  std::unordered_map<Oid, std::size_t, OidHash> index;
  std::unordered_set<Oid, OidHash> queued;
  using Item = std::tuple<std::int64_t, std::uint64_t, Oid>;  // time, -seq, id
  std::priority_queue<Item> queue;
  std::uint64_t seq = 0;
  queue.emplace(0, ~seq, to_oid(&start));
  queued.insert(to_oid(&start));
  while (!queue.empty()) {
    if (raws.size() >= opt.max_commits) {
      cut = true;
      note("the history was cut at " + std::to_string(opt.max_commits) +
           " commits: older commits were not read, so provenance before them is unknown");
      break;
    }
    Oid id = std::get<2>(queue.top());
    queue.pop();
    CommitPtr c;
    std::string bad = lookup(id, c);
    if (!bad.empty()) {
      if (raws.empty()) throw Unreadable(bad);
      incomplete = true;
      note("history incomplete: " + bad);
      continue;
    }
    Raw r;
    r.id = id;
    r.tree = to_oid(git_commit_tree_id(c.get()));
    CommitInfo& ci = r.info;
    ci.id = hex_of(id);
    if (const git_signature* a = git_commit_author(c.get())) {
      ci.author = first_line_capped(a->name);
      ci.email = first_line_capped(a->email);
      ci.author_time = a->when.time;
      ci.author_offset = a->when.offset;
    }
    ci.commit_time = git_commit_time(c.get());
    ci.commit_offset = git_commit_time_offset(c.get());
    ci.summary = first_line_capped(git_commit_summary(c.get()));
    ci.parents = git_commit_parentcount(c.get());
    for (unsigned k = 0; k < ci.parents; ++k) {
      const git_oid* p = git_commit_parent_id(c.get(), k);
      if (!p) continue;
      Oid po = to_oid(p);
      r.parents.push_back(po);
      if (queued.insert(po).second) queue.emplace(ci.commit_time, ~(++seq), po);
    }
    // The queue orders parents by their child's time; a parent's own time is only known once
    // read. Good enough for choosing which commits a cut keeps: the newest ones.
    index.emplace(id, raws.size());
    raws.push_back(std::move(r));
  }

  // 2. Order: parents before children, older committer time first, ties by id (deterministic).
  const std::size_t n = raws.size();
  std::vector<std::size_t> pending(n, 0);
  std::vector<std::vector<std::size_t>> children(n);
  for (std::size_t k = 0; k < n; ++k)
    for (const Oid& p : raws[k].parents)
      if (auto it = index.find(p); it != index.end()) {
        ++pending[k];
        children[it->second].push_back(k);
      }
  using Ready = std::tuple<std::int64_t, std::string, std::size_t>;
  std::priority_queue<Ready, std::vector<Ready>, std::greater<Ready>> ready;
  for (std::size_t k = 0; k < n; ++k)
    if (pending[k] == 0) ready.emplace(raws[k].info.commit_time, raws[k].info.id, k);
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::size_t k = std::get<2>(ready.top());
    ready.pop();
    order.push_back(k);
    for (std::size_t ch : children[k])
      if (--pending[ch] == 0) ready.emplace(raws[ch].info.commit_time, raws[ch].info.id, ch);
  }
  std::vector<int> pos(n, -1);
  for (std::size_t i = 0; i < order.size(); ++i) pos[order[i]] = static_cast<int>(i);
  commits.reserve(order.size());
  for (std::size_t k : order) {
    CommitInfo ci = raws[k].info;
    if (!raws[k].parents.empty())
      if (auto it = index.find(raws[k].parents[0]); it != index.end())
        ci.first_parent = pos[it->second];
    commits.push_back(std::move(ci));
  }

  // 3. The audited tree: which paths are present, with which content.
  TreeDiff differ(repo, objects_dir);
  const Raw& head = raws[0];  // the start is always read first
  {
    std::vector<Delta> all;
    git_oid t = to_git(head.tree);
    differ.run(nullptr, &t, all);  // throws Unreadable: no History at all
    for (const Delta& d : all) {
      Rec* r = rec(d.path);
      if (!r) {
        cut = true;
        note("more than " + std::to_string(opt.max_paths) + " paths: the rest have no history");
        break;
      }
      r->present = true;
      r->in_start = true;
      final_blobs.emplace(*paths.find(d.path), d.blob);
    }
  }

  // 4. One diff per commit against its first parent, in walk order.
  auto tree_of = [&](const Oid& commit, Oid& tree) -> bool {
    if (auto it = index.find(commit); it != index.end()) {
      tree = raws[it->second].tree;
      return true;
    }
    CommitPtr c;  // a parent outside a cut walk: read it for its tree only
    std::string bad = lookup(commit, c);
    if (!bad.empty()) {
      incomplete = true;
      note("history incomplete: " + bad);
      return false;
    }
    tree = to_oid(git_commit_tree_id(c.get()));
    return true;
  };
  early_sets.resize(std::min(opt.scaffold_window, order.size()));
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Raw& r = raws[order[i]];
    try {
      auto diff = [&] {
        std::vector<Delta> deltas;
        git_oid mine = to_git(r.tree);
        Oid ptree{};  // read only when has_parent
        bool has_parent = !r.parents.empty() && tree_of(r.parents[0], ptree);
        git_oid pt = to_git(ptree);
        differ.run(has_parent ? &pt : nullptr, &mine, deltas);
        if (r.parents.size() > 1 && !deltas.empty()) {
          // A merge: drop what it carries unchanged from another parent.
          std::vector<std::unordered_set<std::string>> differs_from;
          for (std::size_t k = 1; k < r.parents.size(); ++k) {
            Oid otree;
            if (!tree_of(r.parents[k], otree)) continue;
            std::vector<Delta> dk;
            git_oid ot = to_git(otree);
            differ.run(&ot, &mine, dk);
            std::unordered_set<std::string> s;
            for (auto& d : dk) s.insert(std::move(d.path));
            differs_from.push_back(std::move(s));
          }
          std::erase_if(deltas, [&](const Delta& d) {
            return std::any_of(differs_from.begin(), differs_from.end(),
                               [&](const auto& s) { return !s.count(d.path); });
          });
        }
        return deltas;
      };
      // The diff against the parents' trees is the commit's own, wherever the walk started (a
      // parent outside a cut walk is read for its tree): another walk's copy serves.
      std::vector<Delta> own;
      const std::vector<Delta>* found = &own;
      if (opt.diffs) {
        const HistoryDiffs::Diff& d = opt.diffs->of(r.id, [&] {
          const std::size_t before = notes.size();
          HistoryDiffs::Diff made;
          made.deltas = diff();
          made.problems.assign(notes.begin() + static_cast<std::ptrdiff_t>(before), notes.end());
          return made;
        });
        for (const auto& p : d.problems) {
          incomplete = true;
          note(p);
        }
        found = &d.deltas;
      } else {
        own = diff();
      }
      const std::vector<Delta>& deltas = *found;
      std::uint32_t author = authors.intern(commits[i].author);
      for (const Delta& d : deltas) apply(static_cast<int>(i), d, author);
    } catch (const Unreadable& e) {
      incomplete = true;
      note("the changes of commit " + commits[i].id.substr(0, 7) + " are unknown: " + e.what());
    }
  }
  if (differ.too_deep())
    note("directories nested deeper than " + std::to_string(kMaxDepth) + " levels were skipped");
}

void History::Impl::apply(int i, const Delta& d, std::uint32_t author) {
  Rec* r = rec(d.path);
  if (!r) {
    if (!cut) note("more than " + std::to_string(opt.max_paths) + " paths: the rest have no history");
    cut = true;
    return;
  }
  CommitInfo& c = commits[i];
  const int parent = c.first_parent;
  ++c.paths_changed;
  if (d.kind == Change::deleted) {
    if (!r->ever) r->first_seen = parent;  // it existed before the walk
    r->ever = true;
    r->alive = false;
    if (parent > r->last_seen) r->last_seen = parent;
    return;
  }
  if (d.kind == Change::added) ++c.paths_added;
  if (!r->alive) {  // a new life
    // A change to a path never seen means it existed before the walk (cut or shallow).
    bool before_walk = d.kind == Change::modified && !r->ever;
    r->added = before_walk ? -1 : i;
    r->changes = 0;
    r->authors.clear();
    if (!r->ever) r->first_seen = before_walk ? parent : i;
    if (r->first_seen < 0 && !before_walk) r->first_seen = i;
  }
  r->ever = true;
  r->alive = true;
  ++r->changes;
  if (std::find(r->authors.begin(), r->authors.end(), author) == r->authors.end())
    r->authors.push_back(author);
  r->last_set = i;
  if (i > r->last_seen) r->last_seen = i;
  if (r->present) {
    auto it = final_blobs.find(*paths.find(d.path));
    if (it != final_blobs.end() && it->second == d.blob) r->last_final = i;
  }
  if (static_cast<std::size_t>(i) < early_sets.size())
    early_sets[i].emplace_back(*paths.find(d.path), d.blob);
  if (sets.size() < opt.max_versions) {
    sets.push_back({*paths.find(d.path), i, d.blob});
  } else if (!sets_cut) {
    sets_cut = true;
    note("more than " + std::to_string(opt.max_versions) +
         " file changes: the later versions of files are not listed");
  }
}

void History::Impl::choose_scaffold() {
  if (cut || incomplete || commits.size() < 2) return;
  std::size_t present = 0;
  for (const Rec& r : recs) present += r.present;
  std::size_t share = static_cast<std::size_t>(std::ceil(opt.scaffold_min_share * double(present)));
  std::size_t need = std::min(opt.scaffold_min_paths, std::max<std::size_t>(2, share));
  const std::size_t last = commits.size() - 1;  // the audited commit
  std::uint32_t best = 0;
  for (std::size_t i = 0; i < early_sets.size() && i < last; ++i)
    if (commits[i].paths_added >= need && commits[i].paths_added > best) {
      best = commits[i].paths_added;
      scaffold = static_cast<int>(i);
    }
  if (scaffold < 0) return;
  for (const auto& [p, blob] : early_sets[scaffold]) {
    auto it = final_blobs.find(p);
    if (it != final_blobs.end() && it->second == blob) recs[p].stock = true;
  }
}

std::string commit_date(const CommitInfo& c) {
  const int offset_min = c.commit_offset;
  std::time_t shifted = static_cast<std::time_t>(c.commit_time + static_cast<std::int64_t>(offset_min) * 60);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  char buf[64];
  int off = offset_min < 0 ? -offset_min : offset_min;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_min < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string commit_day(const CommitInfo& c) {
  std::time_t t = static_cast<std::time_t>(c.commit_time + static_cast<std::int64_t>(c.commit_offset) * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

History::History() : d_(std::make_unique<Impl>()) {}
History::~History() = default;
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;

History History::of(const GitSnapshot& snap, const HistoryOptions& opt) {
  History h;
  h.d_->opt = opt;
  git_oid start;
  if (git_oid_fromstr(&start, snap.commit_id().c_str()) < 0) {
    h.d_->note("the audited commit id cannot be read: no history");
    return h;
  }
  snap.with_repository([&](git_repository* repo, const std::string& objects_dir) {
    try {
      h.d_->walk(repo, objects_dir, start);
      h.d_->choose_scaffold();
    } catch (const Unreadable& e) {
      Impl fresh;
      fresh.opt = opt;
      fresh.note(std::string("the history cannot be read: ") + e.what());
      *h.d_ = std::move(fresh);
    }
  });
  return h;
}

History History::of_worktree(const std::string& dir, const Snapshot& worktree,
                             const HistoryOptions& opt) {
  History h;
  Impl& d = *h.d_;
  d.opt = opt;
  ensure_libgit2();
  git_repository* raw = nullptr;
  RepoPtr repo;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0)
    repo.reset(raw);
  std::string unguarded;  // corrupt packs: no history rather than an unguarded walk
  if (repo) unguarded = install_object_guard(repo.get());
  if (!unguarded.empty()) {
    d.note("the history cannot be read: " + unguarded);
    repo.reset();
  }
  git_oid head;
  bool have_head = repo && git_reference_name_to_id(&head, repo.get(), "HEAD") == 0;
  if (have_head) {
    const char* common = git_repository_commondir(repo.get());
    std::string objects_dir = std::string(common ? common : "") + "objects/";
    try {
      d.walk(repo.get(), objects_dir, head);
    } catch (const Unreadable& e) {
      Impl fresh;
      fresh.opt = opt;
      fresh.note(std::string("the history cannot be read: ") + e.what());
      d = std::move(fresh);
      have_head = false;
    }
  } else if (unguarded.empty()) {
    d.note("no commit history: every file counts as the group's");
  }
  // The worktree decides what is present; HEAD's blobs decide what is unchanged.
  git_odb* odb = nullptr;
  if (have_head && git_repository_odb(&odb, repo.get()) < 0) odb = nullptr;
  std::unique_ptr<git_odb, GitFree<git_odb_free>> odb_holder(odb);
  std::unordered_map<std::uint32_t, Oid> head_blobs = std::move(d.final_blobs);
  d.final_blobs.clear();
  for (Rec& r : d.recs) r.present = false;
  for (const FileEntry& e : worktree.files()) {
    Rec* r = d.rec(e.path);
    if (!r) break;
    r->present = true;
    std::uint32_t idx = *d.paths.find(e.path);
    auto it = head_blobs.find(idx);
    bool same = false;
    if (it != head_blobs.end() && odb) {
      git_oid want = to_git(it->second);
      std::size_t len = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (git_odb_read_header(&len, &type, odb, &want) == 0 && len == e.size) {
        Blob b = worktree.read(e.path, std::max<std::uint64_t>(len, 1));
        git_oid got;
        same = b.ok() && git_odb_hash(&got, b.data.data(), b.data.size(), GIT_OBJECT_BLOB) == 0 &&
               git_oid_equal(&got, &want);
      }
    }
    if (same) {
      d.final_blobs.emplace(idx, it->second);
    } else {
      r->worktree_changed = true;  // changed on disk, or untracked (then no commit had it)
    }
  }
  // last_final must follow the worktree's view: recompute stock from scaffold sets.
  if (have_head) d.choose_scaffold();
  return h;
}

History History::of(const Snapshot& snap, const std::string& repo_dir, const HistoryOptions& opt) {
  if (auto* g = dynamic_cast<const GitSnapshot*>(&snap)) return of(*g, opt);
  if (snap.commit_id() == "worktree") return of_worktree(repo_dir, snap, opt);
  History h;
  h.d_->opt = opt;
  return h;
}

const std::vector<CommitInfo>& History::commits() const { return d_->commits; }

const CommitInfo* History::start() const {
  return d_->commits.empty() ? nullptr : &d_->commits.back();
}

const CommitInfo* History::scaffold() const {
  return d_->scaffold < 0 ? nullptr : &d_->commits[d_->scaffold];
}

std::optional<PathHistory> History::path(std::string_view p) const {
  auto idx = d_->paths.find(p);
  if (!idx) return std::nullopt;
  const Rec& r = d_->recs[*idx];
  if (!r.present && !r.ever) return std::nullopt;
  auto at = [&](int i) -> const CommitInfo* {
    return i < 0 || static_cast<std::size_t>(i) >= d_->commits.size() ? nullptr
                                                                      : &d_->commits[i];
  };
  PathHistory h;
  h.path = std::string(p);
  h.present = r.present;
  h.first_seen = at(r.first_seen);
  h.last_seen = r.in_start ? start() : at(r.last_seen);
  if (r.present) {
    int added = r.alive ? r.added : (r.last_final >= 0 ? r.last_final : r.last_set);
    int changed = r.last_set;
    if (r.last_final >= 0 && (added < 0 || r.last_final >= added)) changed = r.last_final;
    h.added = at(added);
    h.last_changed = at(changed);
    h.changes = r.changes;
    for (std::uint32_t a : r.authors) h.authors.push_back(d_->authors.at(a));
    h.worktree_changed = r.worktree_changed;
    h.stock = r.stock && !r.worktree_changed;
    if (r.worktree_changed && !r.in_start) {  // untracked: no commit has this file
      h.added = h.last_changed = nullptr;
      h.changes = 0;
      h.authors.clear();
    }
  }
  return h;
}

std::string History::origin_of(std::string_view p) const {
  auto h = path(p);
  return h && h->present ? h->origin() : std::string("group");
}

std::vector<std::string> History::former_paths() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < d_->recs.size(); ++i)
    if (d_->recs[i].ever && !d_->recs[i].present) out.push_back(d_->paths.at(i));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PathVersion> History::versions() const {
  // Distinct (path, blob), keeping the earliest set: `sets` is in walk order already.
  std::vector<std::size_t> order(d_->sets.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  const auto& s = d_->sets;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(s[a].path, s[a].blob) < std::tie(s[b].path, s[b].blob);
  });
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (k == 0 || s[order[k]].path != s[order[k - 1]].path || s[order[k]].blob != s[order[k - 1]].blob)
      keep.push_back(order[k]);
  std::sort(keep.begin(), keep.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(s[a].commit, d_->paths.at(s[a].path)) < std::tie(s[b].commit, d_->paths.at(s[b].path));
  });
  std::vector<PathVersion> out;
  out.reserve(keep.size());
  for (std::size_t k : keep) {
    PathVersion v;
    v.path = d_->paths.at(s[k].path);
    v.blob = hex_of(s[k].blob);
    v.commit = &d_->commits[s[k].commit];
    auto it = d_->final_blobs.find(s[k].path);
    v.audited = d_->recs[s[k].path].present && it != d_->final_blobs.end() && it->second == s[k].blob;
    out.push_back(std::move(v));
  }
  return out;
}

bool History::cut() const { return d_->cut; }

const std::vector<std::string>& History::notes() const { return d_->notes; }

}  // namespace cc
