// Probe "hydra-configs": Hydra configuration trees, other experiment configuration files, and
// W&B sweep files, read statically.
//
// Entry points: calls in *.py files (tree-sitter-python; imports followed, so `from hydra import
// main as hm` and `import hydra as h` count) of hydra.main, initialize, initialize_config_dir,
// initialize_config_module and compose. config_path resolves against the calling file's folder
// (as Hydra does); "pkg://a.b" against a/b or src/a/b; initialize_config_dir's config_dir against
// the repository root when it is a literal, else from the string literals of the expression
// (`os.path.join(os.path.dirname(__file__), "../conf")` -> relative to the file when __file__
// appears). A path leaving the repository is never read: the entry says so and an input.problem
// marks the evidence partial.
// Config roots: the resolved folders of the entries, plus every folder named configs/ or conf/.
// Each *.yaml/*.yml under a root is a Hydra config; its group is its folder below the root.
//
// Facts (attribute values are strings; lists ","-joined):
//   hydra.entry      {file, function (hydra.main|initialize|initialize_config_dir|
//                     initialize_config_module), config_path (as written; "None"; "" when not
//                     given), config_name, version_base, resolved_dir, exists (yes|no|unknown),
//                     note}                                 where: file + line of the call
//   hydra.config     {path, root, primary (yes|no), group, defaults (entries as "key:value" or
//                     "name"), keys (top-level key count), has_hyperparams (yes|no)}
//   hydra.missing    {from, ref, expected (the path looked for)}  where: the defaults entry / call
//   hydra.target     {path, target, exists (yes|no|external|unknown)}  where: the _target_ line
//   hydra.sweeper    {path, value}, hydra.launcher {path, value}  (defaults `hydra/sweeper: x`,
//                     a `hydra: sweeper:` block, or a config file in the hydra/sweeper group)
//   hydra.experiment {path, group}                          files of an experiment/ group
//   config.file      {path, format (yaml|json|toml), has_hyperparams, keys, hydra (yes|no)}:
//                     files in config folders (probes/data/hydra_configs.yaml: config_dirs) and
//                     any other YAML with hyperparameter keys. Hydra configs are included
//                     (hydra=yes), so a rule on experiment configs needs only this kind.
//   wandb.sweep_config {path, method, metric, goal, parameters (count), program}: YAML/JSON whose
//                     top level has `method` and a `parameters` mapping.
//   input.problem    (probe "hydra-configs") for config files that cannot be read or parsed and
//                     for entry points whose folder leaves the repository.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"

namespace cc {

namespace py {
class PySyntaxTree;
}

struct HydraProbeOptions {
  std::uint64_t read_cap = 1024 * 1024;  // bytes per config or Python file
  YamlLimits yaml;
  std::size_t max_python_files = 5000;   // Python files parsed (those mentioning hydra)
  std::size_t max_yaml_files = 3000;     // YAML files outside config folders read
};

class HydraConfigsProbe : public Probe {
 public:
  explicit HydraConfigsProbe(HydraProbeOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "hydra-configs"; }
  std::string summary() const override {
    return "Hydra entry points and config trees (defaults, groups, _target_, sweepers), "
           "experiment config files, W&B sweep files";
  }
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  HydraProbeOptions opt_;
};

// One Hydra call found in a Python source.
struct HydraCall {
  std::string function;  // hydra.main | initialize | initialize_config_dir | initialize_config_module | compose
  int line = 0;
  // Each argument: given?, a plain string literal?, None?, and its value (literal) or source text.
  struct Arg {
    bool given = false, literal = false, none = false;
    std::string value;
    std::vector<std::string> literals;  // string literals inside a non-literal expression
    bool mentions_file = false;         // the expression uses __file__
  };
  Arg path;     // config_path / config_dir / config_module
  Arg name;     // config_name
  Arg version;  // version_base
};

// The Hydra calls of a Python source, in source order. *error is set when it cannot be parsed.
std::vector<HydraCall> find_hydra_calls(std::string_view source, std::string* error = nullptr);
// The same over a tree already parsed (probes/read/parse_cache.h: the audit's shared tree).
std::vector<HydraCall> find_hydra_calls(const py::PySyntaxTree& tree, std::string* error = nullptr);

// Does a dotted `_target_` name a module of the repository (yes), a module of a repository
// package that does not exist (no), or something third-party (external)? Packages are looked for
// at the root and under src/.
std::string resolve_hydra_target(const Snapshot& snap, std::string_view target);

}  // namespace cc
