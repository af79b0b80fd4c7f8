// YAML for the probes: the repositories' files are read with read_yaml (engine/yaml_tree.h:
// libyaml's events into a plain, finite tree under node and depth budgets, so alias bombs, cyclic
// anchors and deep nesting stop with an error instead of exploding); here, what only probes need.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/yaml_tree.h"  // YNode, YamlLimits, YamlLoad

namespace cc {

// The YAML comment lines of a text: 1-based line numbers of lines whose first non-blank
// character is '#', outside block scalars (a '#' line inside `run: |` is script, not YAML).
std::vector<int> yaml_comment_lines(std::string_view text);

// A data file of probes/data/ compiled into the binary (name: "data/layout.yaml"), read with
// read_yaml. False, with `error` set, when it is not embedded ("data/x.yaml is not embedded") or
// does not load ("data/x.yaml: line N: <why>").
bool load_probe_data(std::string_view name, YamlLoad& out, std::string& error);

}  // namespace cc
