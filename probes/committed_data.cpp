#include "probes/committed_data.h"

#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/history.h"
#include "engine/strings.h"
#include "probes/read/safe_yaml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "committed-data";

struct Kind {
  std::string kind, what;
  std::vector<std::string> names;  // lower-case globs
  std::uint64_t min_bytes = 0;
};

struct DataRules {
  std::vector<Kind> kinds;
  std::size_t max_history_blobs = 200000;
  std::string error;
};

const DataRules& rules() {
  static DataRules r;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/committed_data.yaml", y, r.error)) return;
    const YNode* kinds = y.root.get("kinds");
    if (!kinds || !kinds->is_seq()) {
      r.error = "data/committed_data.yaml: needs a kinds list";
      return;
    }
    if (const YNode* m = y.root.get("max_history_blobs"))
      r.max_history_blobs = std::strtoull(m->text.c_str(), nullptr, 10);
    for (const auto& k : kinds->items) {
      const YNode *kind = k.get("kind"), *what = k.get("what"), *names = k.get("names"), *min = k.get("min_bytes");
      if (!kind || !what || !names || !names->is_seq() || !min) {
        r.error = "data/committed_data.yaml: line " + std::to_string(k.line) +
                  ": a kind needs kind, what, names and min_bytes";
        r.kinds.clear();
        return;
      }
      Kind x{kind->text, what->text, {}, std::strtoull(min->text.c_str(), nullptr, 10)};
      for (const auto& n : names->items) x.names.push_back(lower_ascii(n.text));
      r.kinds.push_back(std::move(x));
    }
  });
  return r;
}

const Kind* kind_of(std::string_view path, std::uint64_t size) {
  const std::string name = lower_ascii(basename_of(path));
  for (const Kind& k : rules().kinds) {
    if (size < k.min_bytes) continue;
    for (const auto& n : k.names)
      if (glob_match(n, name)) return &k;
  }
  return nullptr;
}

void emit(FactStore& out, const Kind& k, const std::string& path, std::uint64_t size, const CommitInfo* c,
          bool in_head, std::size_t versions, std::uint64_t total) {
  Fact f;
  f.kind = "data.committed";
  f.where = {path, 0};
  f.attrs = {{"kind", k.kind},
             {"what", k.what},
             {"path", path},
             {"size", std::to_string(size)},
             {"commit", c ? c->id : ""},
             {"date", c ? commit_day(*c) : ""},
             {"in_head", in_head ? "yes" : "no"},
             {"versions", std::to_string(versions)}};
  std::string d = k.what + ", " + human_size(size);
  if (in_head) {
    d += c ? ", committed in " + c->id.substr(0, 7) + " (" + commit_day(*c) + ")" : std::string();
    d += ": it belongs in DVC, Git LFS or a bucket, not in git";
  } else {
    d += versions > 1 ? " (the largest of " + std::to_string(versions) + " past versions, " + human_size(total) +
                            " in all)"
                      : std::string();
    d += c ? ", committed in " + c->id.substr(0, 7) + " (" + commit_day(*c) + ")" : std::string();
    d += ": no longer in the audited commit, but every clone still downloads it";
  }
  f.detail = d;
  out.add(std::move(f));
}

}  // namespace

std::string committed_data_kind(std::string_view path, std::uint64_t size) {
  const Kind* k = kind_of(path, size);
  return k ? k->kind : "";
}

std::string human_size(std::uint64_t b) {
  char buf[32];
  if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", double(b) / double(1ull << 30));
  else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", double(b) / double(1ull << 20));
  else if (b >= 1024) std::snprintf(buf, sizeof buf, "%llu KiB", static_cast<unsigned long long>(b / 1024));
  else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
  return buf;
}

std::string CommittedDataProbe::summary() const {
  return "data and model files committed to git (weights, datasets, notebooks with outputs, large files), "
         "in the audited commit and its history";
}

void CommittedDataProbe::run(const Snapshot& snap, FactStore& out) const {
  run_with_past(snap, PastVersions{}, out);
}

void CommittedDataProbe::run_with_past(const Snapshot& snap, const PastVersions& past, FactStore& out) const {
  const DataRules& r = rules();
  if (!r.error.empty()) {
    out.problem("", 0, r.error, kProbe);
    return;
  }
  const History* h = past.read_blob ? past.history : nullptr;
  std::vector<PathVersion> versions;
  if (h) versions = h->versions();
  std::unordered_map<std::string, const CommitInfo*> head_commit;
  std::unordered_set<std::string> head_blobs;
  for (const auto& v : versions)
    if (v.audited) {
      head_commit.emplace(v.path, v.commit);
      head_blobs.insert(v.blob);
    }
  const PathSkipper vendored(snap);
  for (const auto& e : snap.files()) {
    if (e.symlink || vendored(e.path)) continue;
    if (const Kind* k = kind_of(e.path, e.size)) {
      auto it = head_commit.find(e.path);
      emit(out, *k, e.path, e.size, it == head_commit.end() ? nullptr : it->second, true, 0, 0);
    }
  }
  // Past versions: each distinct blob's size looked up once, from its header.
  struct Past {
    const Kind* kind = nullptr;
    std::uint64_t size = 0, total = 0;
    const CommitInfo* commit = nullptr;
    std::size_t versions = 0;
  };
  std::map<std::string, Past> by_path;  // ordered: deterministic facts
  std::unordered_set<std::string> looked_up = head_blobs;
  std::size_t n = 0;
  bool capped = false;
  for (const auto& v : versions) {
    if (v.audited || in_skipped_dir(v.path) || !looked_up.insert(v.blob).second) continue;
    if (++n > r.max_history_blobs) {
      capped = true;
      break;
    }
    Blob b = past.read_blob(v.blob, 0);  // cap 0: the header's size only
    const Kind* k = kind_of(v.path, b.size);
    if (!k) continue;
    Past& p = by_path[v.path];
    ++p.versions;
    p.total += b.size;
    if (b.size > p.size) {
      p.size = b.size;
      p.kind = k;
      p.commit = v.commit;
    }
  }
  for (const auto& [path, p] : by_path) emit(out, *p.kind, path, p.size, p.commit, false, p.versions, p.total);
  if (capped) {  // a note beside the findings, not an input problem: no check depends on it
    Fact f;
    f.kind = "data.scan";
    f.attrs = {{"capped", "yes"}};
    f.detail = "more than " + std::to_string(r.max_history_blobs) +
               " past versions of files: the sizes of the rest were not looked up";
    out.add(std::move(f));
  }
}

}  // namespace cc
