#include "probes/layout.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "engine/strings.h"
#include "probes/read/safe_yaml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "layout";

std::vector<std::string_view> split_segments(std::string_view p) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    out.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// One segment: '*' any run of characters, '?' one character.
bool segment_match(std::string_view pat, std::string_view s) {
  size_t p = 0, i = 0, star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star_p = ++p;
      star_i = i;
      continue;
    }
    if (p < pat.size() && (pat[p] == '?' || pat[p] == s[i])) {
      ++p;
      ++i;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

bool is_placeholder(std::string_view path) {
  size_t s = path.rfind('/');
  std::string_view base = s == std::string_view::npos ? path : path.substr(s + 1);
  return base == ".gitkeep" || base == ".keep" || base == ".gitignore" || base == ".empty";
}

struct Entry {
  std::string name, flag;
  std::vector<std::string> any;
  bool real = false, score = true;
};

struct LayoutData {
  std::vector<Entry> entries;
  std::string error;
};

const LayoutData& layout_data() {
  static LayoutData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/layout.yaml", y, d.error)) return;
    const YNode* ex = y.root.get("expected");
    if (!ex || !ex->is_seq()) { d.error = "data/layout.yaml: no `expected` list"; return; }
    for (const auto& e : ex->items) {
      Entry en;
      if (const YNode* n = e.get("name")) en.name = n->value();
      if (const YNode* n = e.get("flag")) en.flag = n->value();
      if (const YNode* n = e.get("real")) en.real = n->value() == "true";
      if (const YNode* n = e.get("score")) en.score = n->value() != "false";
      if (const YNode* a = e.get("any"); a && a->is_seq())
        for (const auto& p : a->items) en.any.push_back(p.value());
      if (en.name.empty() || en.any.empty()) {
        d.error = "data/layout.yaml: line " + std::to_string(e.line) + ": an entry needs name and any";
        d.entries.clear();
        return;
      }
      d.entries.push_back(std::move(en));
    }
  });
  return d;
}

bool glob_segments(const std::vector<std::string_view>& pat, const std::vector<std::string_view>& segs) {
  // Backtracking over "**" with one resume point per "**" (classic wildcard matching over
  // segments): linear in practice, bounded by |pat| * |segs|.
  size_t p = 0, s = 0, star_p = std::string_view::npos, star_s = 0;
  while (s < segs.size()) {
    if (p < pat.size() && pat[p] == "**") {
      star_p = ++p;
      star_s = s;
      continue;
    }
    if (p < pat.size() && segment_match(pat[p], segs[s])) {
      ++p;
      ++s;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    s = ++star_s;
  }
  while (p < pat.size() && pat[p] == "**") ++p;
  return p == pat.size();
}

}  // namespace

bool path_glob(std::string_view pattern, std::string_view path) {
  return glob_segments(split_segments(pattern), split_segments(path));
}

std::string find_package_dir(const Snapshot& snap) {
  const PathSkipper vendored(snap);
  static const std::set<std::string> not_packages = {
      "tests", "test", "docs", "scripts", "notebooks", "configs", "conf", "reports", "data",
      "models", "dockerfiles", "outputs", "build", "dist", "examples", "benchmarks"};
  std::map<std::string, int> src_count, top_count;  // dir -> .py files
  std::set<std::string> src_init, top_init;
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    if (p.size() < 3 || p.compare(p.size() - 3, 3, ".py") != 0 || vendored(p)) continue;
    auto segs = split_segments(p);
    if (segs.size() >= 3 && segs[0] == "src") {
      std::string d = "src/" + std::string(segs[1]);
      ++src_count[d];
      if (segs.size() == 3 && segs[2] == "__init__.py") src_init.insert(d);
    } else if (segs.size() >= 2 && !not_packages.count(std::string(segs[0])) && segs[0][0] != '.') {
      std::string d(segs[0]);
      ++top_count[d];
      if (segs.size() == 2 && segs[1] == "__init__.py") top_init.insert(d);
    }
  }
  auto best = [](const std::map<std::string, int>& counts, const std::set<std::string>& need) {
    std::string b;
    int n = 0;
    for (const auto& [d, c] : counts)
      if ((need.empty() || need.count(d)) && c > n) { b = d; n = c; }
    return b;
  };
  // src/<pkg>/ with an __init__.py, else any src/<dir>/ of Python files (namespace package),
  // else a top-level package with an __init__.py.
  if (std::string b = best(src_count, src_init); !b.empty() && (src_init.count(b))) return b;
  if (std::string b = best(src_count, {}); !b.empty()) return b;
  if (!top_init.empty()) return best(top_count, top_init);
  return "";
}

void LayoutProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  const LayoutData& data = layout_data();
  if (!data.error.empty()) {
    out.problem("", 0, "layout patterns unavailable: " + data.error, kProbe);
    return;
  }
  std::string pkg = find_package_dir(snap);
  // Files and directories of the tree (vendored trees left out), split into segments once;
  // files are also indexed by basename so that a pattern ending in a literal name is cheap.
  struct Path {
    std::vector<std::string_view> segs;
    bool real;
  };
  std::vector<Path> files;
  std::map<std::string_view, std::vector<size_t>> by_base;
  std::map<std::string, bool> dir_real;  // dir -> holds a file that is not a placeholder
  for (const auto& f : snap.files()) {
    if (vendored(f.path)) continue;
    bool real = !is_placeholder(f.path);
    files.push_back({split_segments(f.path), real});
    by_base[files.back().segs.back()].push_back(files.size() - 1);
    for (size_t s = f.path.find('/'); s != std::string::npos; s = f.path.find('/', s + 1)) {
      auto [it, fresh] = dir_real.emplace(f.path.substr(0, s), real);
      if (!fresh && real) it->second = true;
    }
  }
  std::vector<std::pair<std::string, bool>> dirs(dir_real.begin(), dir_real.end());
  std::vector<std::vector<std::string_view>> dir_segs;
  for (const auto& [d, r] : dirs) dir_segs.push_back(split_segments(d));
  auto matches = [&](const Entry& e) {
    for (std::string pat : e.any) {
      for (size_t k; (k = pat.find("{pkg}")) != std::string::npos;)
        pat.replace(k, 5, pkg.empty() ? "**" : pkg);
      bool dir = !pat.empty() && pat.back() == '/';
      if (dir) pat.pop_back();
      auto ps = split_segments(pat);
      if (dir) {
        for (size_t i = 0; i < dirs.size(); ++i)
          if ((dirs[i].second || !e.real) && glob_segments(ps, dir_segs[i])) return true;
      } else if (ps.back().find_first_of("*?") == std::string_view::npos) {
        auto it = by_base.find(ps.back());
        if (it != by_base.end())
          for (size_t i : it->second)
            if ((!e.real || files[i].real) && glob_segments(ps, files[i].segs)) return true;
      } else {
        for (const auto& f : files)
          if ((!e.real || f.real) && glob_segments(ps, f.segs)) return true;
      }
    }
    return false;
  };
  Fact f;
  f.kind = "layout.summary";
  f.where = {"", 0};
  size_t slash = pkg.rfind('/');
  std::string name = slash == std::string::npos ? pkg : pkg.substr(slash + 1);
  f.attrs["has_src_package"] = pkg.rfind("src/", 0) == 0 ? "yes" : "no";
  f.attrs["src_package"] = name;
  f.attrs["package_dir"] = pkg;
  int expected = 0, matched = 0;
  std::set<std::string> missing;
  for (const auto& e : data.entries) {
    bool m = matches(e);
    if (!e.flag.empty() && (f.attrs[e.flag] != "yes")) f.attrs[e.flag] = m ? "yes" : "no";
    if (!e.score) continue;
    ++expected;
    if (m) ++matched;
    else missing.insert(e.name);
  }
  int score = expected ? (matched * 100 + expected / 2) / expected : 0;
  f.attrs["score"] = std::to_string(score);
  f.attrs["matched"] = std::to_string(matched);
  f.attrs["expected"] = std::to_string(expected);
  std::string miss;
  for (const auto& m : missing) miss += (miss.empty() ? "" : ",") + m;
  f.attrs["missing"] = miss;
  f.detail = "cookiecutter layout: " + std::to_string(matched) + " of " + std::to_string(expected) +
             " expected entries (" + std::to_string(score) + "%)" +
             (pkg.empty() ? ", no Python package found" : ", package " + pkg) +
             (missing.empty() ? "" : "; missing: " + miss);
  out.add(std::move(f));
}

}  // namespace cc
