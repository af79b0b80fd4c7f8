#include "probes/profiler_outputs.h"

#include <memory>
#include <mutex>
#include <vector>

#include "engine/lazy_regex.h"
#include "probes/read/safe_yaml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "profiler-outputs";
constexpr int kMaxFacts = 50;  // a folder of thousands of traces says no more than fifty

struct Rules {
  std::vector<std::pair<std::string, std::unique_ptr<LazyRegex>>> outputs;  // (profiler, path pattern)
  std::string error;
};

const Rules& rules() {
  static Rules r;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/profiler_outputs.yaml", y, r.error)) return;
    const YNode* list = y.root.get("outputs");
    if (!list || !list->is_seq()) { r.error = "data/profiler_outputs.yaml: no `outputs` list"; return; }
    for (const auto& item : list->items) {
      const YNode* p = item.get("profiler");
      const YNode* rx = item.get("regex");
      if (!p || !rx) { r.error = "data/profiler_outputs.yaml: line " + std::to_string(item.line) + ": needs profiler and regex"; return; }
      r.outputs.emplace_back(p->value(), std::make_unique<LazyRegex>(rx->value(), true));
    }
  });
  return r;
}

}  // namespace

void ProfilerOutputsProbe::run(const Snapshot& snap, FactStore& out) const {
  const Rules& r = rules();
  if (!r.error.empty()) {
    out.problem("", 0, "internal: " + r.error + ": profiler output not looked for", kProbe);
    return;
  }
  const PathSkipper vendored(snap);
  int n = 0;
  for (const auto& e : snap.files()) {
    if (n >= kMaxFacts) break;
    if (vendored(e.path)) continue;
    for (const auto& [profiler, re] : r.outputs) {
      if (!re->full_match(e.path)) continue;
      Fact f;
      f.kind = "profiler.output";
      f.where = {e.path, 0};
      f.attrs = {{"path", e.path}, {"profiler", profiler}};
      f.detail = "committed " + profiler + " output " + e.path;
      out.add(std::move(f));
      ++n;
      break;
    }
  }
}

}  // namespace cc
