// Probe "profiler-outputs": profiler results committed to the repository (cProfile .prof dumps,
// torch.profiler traces, line_profiler .lprof, speedscope, py-spy flame graphs under a profiling
// folder, scalene reports). Patterns: probes/data/profiler_outputs.yaml. Only paths are read.
//
// Facts: profiler.output {path, profiler}
#pragma once

#include <string>

#include "probes/probe.h"

namespace cc {

class ProfilerOutputsProbe : public Probe {
 public:
  std::string id() const override { return "profiler-outputs"; }
  std::string summary() const override {
    return "committed profiler output (cProfile dumps, torch.profiler traces, line_profiler, speedscope)";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
};

}  // namespace cc
