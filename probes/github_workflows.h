// Probe "github-workflows": the GitHub Actions workflows of a repository, read statically.
// Reads .github/workflows/*.yml|*.yaml (the only files GitHub runs) and emits, each with its file
// and line:
//   workflow.file, workflow.trigger, workflow.trigger_unknown_key, workflow.job, workflow.combo
//   (one per expanded matrix combination), workflow.matrix, workflow.step (one per step and class;
//   commented-out steps too, with commented=yes), workflow.misplaced (workflow-looking YAML that
//   GitHub never runs). Reading problems become input.problem facts; other files still count.
// Step classes come from probes/data/workflow_steps.yaml (see step_classifier.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"
#include "probes/workflow_matrix.h"

namespace cc {

struct WorkflowProbeOptions {
  std::uint64_t read_cap = kDefaultReadCap;  // bytes per workflow file
  YamlLimits yaml;                           // nesting depth and node budget per file
  std::size_t matrix_cap = kGithubMatrixCap; // combinations per job
};

class GithubWorkflowsProbe : public Probe {
 public:
  explicit GithubWorkflowsProbe(WorkflowProbeOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "github-workflows"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;

  // Every fact of one workflow file whose text is already read (tests, reuse).
  void analyse(const std::string& path, std::string_view text, FactStore& out) const;
  // The same with the text already parsed (the audit's shared tree, probes/read/parse_cache.h).
  void analyse(const std::string& path, std::string_view text, const YamlLoad& y, FactStore& out) const;

 private:
  WorkflowProbeOptions opt_;
};

// .github/workflows/<name>.yml or .yaml, directly in that folder: a file GitHub runs.
bool is_active_workflow_path(std::string_view path);

// Cheap text test (no parsing): a top-level `on:` (or `true:`) key and a top-level `jobs:` key.
bool looks_like_workflow(std::string_view text);

// Runner labels to an OS family: ubuntu | windows | macos | self-hosted | other.
std::string runner_os_family(std::string_view runs_on);

}  // namespace cc
