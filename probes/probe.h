// A probe reads one kind of evidence from a Snapshot and emits facts. It knows nothing of
// reports or checklists. One probe per file pair in probes/, listed in probes/registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string id() const = 0;           // kebab-case, e.g. "github-workflows"
  virtual std::string summary() const = 0;      // one line: what it reads
  virtual void run(const Snapshot& snap, FactStore& out) const = 0;
};

// Every probe, in the order of probes/registry.cpp.
std::vector<std::unique_ptr<Probe>> all_probes();

}  // namespace cc
