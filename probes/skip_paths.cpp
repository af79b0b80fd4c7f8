#include "probes/skip_paths.h"

#include <mutex>
#include <vector>

#include "probes/read/safe_yaml.h"

namespace cc {

namespace {

struct SkipData {
  std::vector<std::string> vendored, python_tooling, course_files, tool_runs;
  std::string error;
};

const SkipData& skip_data() {
  static SkipData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/skip_dirs.yaml", y, d.error)) return;
    for (auto [key, list] : {std::pair{"vendored", &d.vendored}, {"python_tooling", &d.python_tooling},
                             {"course_files", &d.course_files}, {"tool_runs", &d.tool_runs}}) {
      const YNode* n = y.root.get(key);
      if (!n || !n->is_seq()) { d.error = std::string("data/skip_dirs.yaml: no `") + key + "` list"; return; }
      for (const auto& i : n->items) list->push_back(i.value());
    }
  });
  return d;
}

// An entry of skip_dirs.yaml: a name, "*suffix" or "prefix*".
bool entry_matches(std::string_view entry, std::string_view name) {
  if (!entry.empty() && entry.front() == '*') {
    entry.remove_prefix(1);
    return name.size() > entry.size() && name.substr(name.size() - entry.size()) == entry;
  }
  if (!entry.empty() && entry.back() == '*') {
    entry.remove_suffix(1);
    return name.size() > entry.size() && name.substr(0, entry.size()) == entry;
  }
  return name == entry;
}

bool listed(const std::vector<std::string>& entries, std::string_view name) {
  for (const auto& e : entries)
    if (entry_matches(e, name)) return true;
  return false;
}

}  // namespace

const std::string& skip_dirs_error() { return skip_data().error; }

bool skipped_dir_name(std::string_view name, SkipRule rule) {
  if (name.empty()) return false;
  const SkipData& d = skip_data();
  return listed(d.vendored, name) || (rule == SkipRule::python_tooling && listed(d.python_tooling, name));
}

std::set<std::string> venv_dirs(const Snapshot& snap) {
  std::set<std::string> out;
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    size_t s = p.rfind('/');
    if (p.compare(s == std::string::npos ? 0 : s + 1, std::string::npos, "pyvenv.cfg") == 0)
      out.insert(s == std::string::npos ? std::string() : p.substr(0, s));
  }
  return out;
}

bool course_file(std::string_view path) {
  for (const auto& f : skip_data().course_files)
    if (path == f) return true;
  return false;
}

bool in_skipped_dir(std::string_view path, SkipRule rule, const std::set<std::string>& venvs,
                    std::size_t from) {
  if (from == 0 && course_file(path)) return true;
  // The directory components at or after `from` (the last component is the file name).
  std::vector<std::string_view> dirs;
  std::vector<std::size_t> ends;
  for (std::size_t i = from, j; i <= path.size() && (j = path.find('/', i)) != std::string_view::npos; i = j + 1) {
    dirs.push_back(path.substr(i, j - i));
    ends.push_back(j);
  }
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    if (skipped_dir_name(dirs[k], rule)) return true;
    // A virtualenv of any name by its layout: <dir>/lib/python3.x/... or <dir>/Lib/python3.x/...
    if (k + 2 < dirs.size() && (dirs[k + 1] == "lib" || dirs[k + 1] == "Lib") &&
        dirs[k + 2].substr(0, 6) == "python")
      return true;
    if (!venvs.empty() && venvs.count(std::string(path.substr(0, ends[k])))) return true;
  }
  return false;
}

bool in_tool_run(std::string_view path) {
  // Each entry is "parent/child" (child may be "prefix*"): a directory `child` directly inside a
  // directory `parent`, anywhere in the path.
  std::vector<std::string_view> dirs;
  for (std::size_t i = 0, j; (j = path.find('/', i)) != std::string_view::npos; i = j + 1)
    dirs.push_back(path.substr(i, j - i));
  for (const auto& e : skip_data().tool_runs) {
    const std::size_t slash = e.find('/');
    if (slash == std::string::npos) continue;
    const std::string_view parent(e.data(), slash), child(e.data() + slash + 1, e.size() - slash - 1);
    for (std::size_t k = 0; k + 1 < dirs.size(); ++k)
      if (dirs[k] == parent && entry_matches(child, dirs[k + 1])) return true;
  }
  return false;
}

}  // namespace cc
