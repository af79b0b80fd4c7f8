#include "probes/workflow_paths.h"

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <vector>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/safe_yaml.h"

namespace cc {

std::string github_path_filter_regex(std::string_view p) {
  std::string re;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '*') {
      if (i + 1 < p.size() && p[i + 1] == '*') {
        ++i;
        if (i + 1 < p.size() && p[i + 1] == '/') {  // "**/" also matches no folder at all
          re += "(?:.*/)?";
          ++i;
        } else {
          re += ".*";
        }
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      size_t close = p.find(']', i + 1);
      if (close == std::string_view::npos) {
        re += "\\[";
      } else {
        re += std::string(p.substr(i, close - i + 1));
        i = close;
      }
    } else {
      re += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return re;
}

namespace {

// The .gitignore line (root .gitignore only) that ignores the pattern's first folder, if any.
std::string ignoring_line(const Snapshot& snap, const std::string& pattern) {
  size_t slash = pattern.find('/');
  if (slash == std::string::npos || pattern.find_first_of("*?[") < slash) return "";
  std::string dir = pattern.substr(0, slash);
  Blob b = snap.read_text(".gitignore", 256 * 1024);
  if (!b.ok()) return "";
  size_t i = 0;
  while (i < b.data.size()) {
    size_t j = b.data.find('\n', i);
    if (j == std::string::npos) j = b.data.size();
    std::string line = trim(std::string_view(b.data).substr(i, j - i));
    std::string bare = line;
    if (!bare.empty() && bare.front() == '/') bare.erase(0, 1);
    while (!bare.empty() && (bare.back() == '/' || bare.back() == '*')) bare.pop_back();
    if (bare == dir) return line;
    i = j + 1;
  }
  return "";
}

struct TrackedClasses {
  std::unique_ptr<LazyRegex> data, model;  // large: compiled when a path may match
  std::string error;
};

// probes/data/tracked_files.yaml: which tracked files are data and which are models.
const TrackedClasses& tracked_classes() {
  static TrackedClasses t;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/tracked_files.yaml", y, t.error)) return;
    for (auto [key, re] : {std::pair{"data", &t.data}, {"model", &t.model}}) {
      const YNode* n = y.root.get(key);
      if (!n || !n->is_scalar()) { t.error = std::string("data/tracked_files.yaml: no `") + key + "`"; return; }
      *re = std::make_unique<LazyRegex>(n->value(), true);
    }
  });
  return t;
}

}  // namespace

void check_trigger_paths(const Snapshot& snap, FactStore& out) {
  const TrackedClasses& tc = tracked_classes();
  if (!tc.error.empty()) out.problem("", 0, "internal: " + tc.error + ": data triggers not judged", "github-workflows");
  std::vector<Fact> found;
  for (Fact& trig : out.all_mutable()) {
    if (trig.kind != "workflow.trigger") continue;
    const Fact* t = &trig;
    std::string paths = t->attr("paths");
    if (paths.empty()) continue;
    std::vector<std::unique_ptr<RE2>> res;
    std::vector<std::string> positive;
    for (const auto& p : split_commas(paths)) {
      if (p.front() == '!') continue;  // a negation only narrows the filter
      RE2::Options o;
      o.set_log_errors(false);
      auto re = std::make_unique<RE2>(github_path_filter_regex(p), o);
      if (!re->ok()) continue;
      res.push_back(std::move(re));
      positive.push_back(p);
    }
    if (res.empty()) continue;
    // reachable: some tracked file matches; reaches_data / reaches_model: some tracked data file
    // (or DVC pointer) / model file matches -- a filter on data/** that only matches data.py
    // fires on code changes, not on data changes.
    bool matched = false, data = false, model = false;
    const bool classes = tc.error.empty();
    for (const auto& f : snap.files()) {
      bool hit = false;
      for (const auto& re : res)
        if (RE2::FullMatch(f.path, *re)) { hit = true; break; }
      if (!hit) continue;
      matched = true;
      if (classes && !data && tc.data->full_match(f.path)) data = true;
      if (classes && !model && tc.model->full_match(f.path)) model = true;
      if (data && model) break;
    }
    trig.attrs["reachable"] = matched ? "yes" : "no";
    if (classes) {
      trig.attrs["reaches_data"] = data ? "yes" : "no";
      trig.attrs["reaches_model"] = model ? "yes" : "no";
    }
    if (matched) continue;
    Fact f;
    f.kind = "workflow.trigger_paths_unmatched";
    f.where = t->where;
    f.attrs = {{"workflow", t->attr("workflow")}, {"event", t->attr("event")}, {"paths", paths}};
    std::string ignored;
    for (const auto& p : positive)
      if (ignored.empty()) ignored = ignoring_line(snap, p);
    if (!ignored.empty()) f.attrs["ignored"] = ignored;
    f.detail = "no file in the repository matches the " + t->attr("event") + " paths filter (" + paths +
               ")" + (ignored.empty() ? "" : ", and .gitignore keeps it out of git ('" + ignored + "')") +
               ": a push never changes such a file, so this trigger can never fire";
    found.push_back(std::move(f));
  }
  for (auto& f : found) out.add(std::move(f));
}

}  // namespace cc
