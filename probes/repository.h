// Probe `repository`: the audited snapshot itself (a repository exists; how many files).
#pragma once

#include "probes/probe.h"

namespace cc {

class RepositoryProbe : public Probe {
 public:
  std::string id() const override { return "repository"; }
  std::string summary() const override { return "the audited commit or working tree itself"; }
  void run(const Snapshot& snap, FactStore& out) const override;
};

}  // namespace cc
