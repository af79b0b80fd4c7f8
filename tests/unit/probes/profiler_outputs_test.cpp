// Probe profiler-outputs: committed profiler results, by path (probes/data/profiler_outputs.yaml).
#include <doctest/doctest.h>

#include "engine/memory_snapshot.h"
#include "probes/profiler_outputs.h"

using namespace cc;

namespace {
FactStore run(std::map<std::string, std::string> files) {
  MemorySnapshot s(std::move(files));
  FactStore out;
  ProfilerOutputsProbe().run(s, out);
  return out;
}
}  // namespace

TEST_CASE("profiler-outputs: dumps and traces that profilers write") {
  FactStore fs = run({{"profiling/train.prof", "x"},
                      {"reports/profile.pstats", "x"},
                      {"log/profiler/host_123.pt.trace.json", "{}"},
                      {"outputs/run.lprof", "x"},
                      {"profiling/flame.svg", "<svg/>"},
                      {"src/pkg/train.py", "pass"},
                      {"reports/figures/overview.svg", "<svg/>"},
                      {".venv/lib/python3.11/site-packages/x/bench.prof", "x"}});
  auto v = fs.of_kind("profiler.output");
  REQUIRE(v.size() == 5);
  std::map<std::string, std::string> by_path;
  for (auto* f : v) by_path[f->where.path] = f->attr("profiler");
  CHECK(by_path["profiling/train.prof"] == "cProfile");
  CHECK(by_path["reports/profile.pstats"] == "cProfile");
  CHECK(by_path["log/profiler/host_123.pt.trace.json"] == "torch.profiler");
  CHECK(by_path["outputs/run.lprof"] == "line_profiler");
  CHECK(by_path["profiling/flame.svg"] == "py-spy");
}

TEST_CASE("profiler-outputs: nothing in a repository without profiler output") {
  CHECK(run({{"README.md", "hi"}, {"data/trace.json", "{}"}, {"figures/a.svg", ""}}).of_kind("profiler.output").empty());
}
