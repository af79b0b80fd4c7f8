// Bounded YAML loading for hostile input: a pre-scan refuses deep nesting before yaml-cpp's
// recursive parser sees the text, and the parsed document is copied into a plain tree (YNode)
// under a node budget, so alias bombs ("billion laughs") and cyclic anchors stop with a note
// instead of exploding. Probes then walk YNode, which is finite and acyclic by construction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/yaml_tree.h"  // YNode, YamlLimits, YamlLoad

namespace cc {

// Estimate of the nesting depth of YAML text without parsing it (linear, no recursion): block
// indentation levels, "- " sequence entries on one line, and flow brackets outside quotes; the
// content of block scalars (| and >) is skipped. Returns the deepest level and its 1-based line.
std::pair<int, int> yaml_nesting_depth(std::string_view text);

// The YAML comment lines of a text: 1-based line numbers of lines whose first non-blank
// character is '#', outside block scalars (a '#' line inside `run: |` is script, not YAML).
std::vector<int> yaml_comment_lines(std::string_view text);

// Pre-scan, parse with yaml-cpp, copy within the limits.
YamlLoad load_yaml(std::string_view text, const YamlLimits& limits = {});

// A data file of probes/data/ compiled into the binary (name: "data/layout.yaml"), read with
// read_yaml (libyaml: the project's own data, read by every audit). False, with `error` set, when it is not embedded ("data/x.yaml is not embedded") or
// does not load ("data/x.yaml: line N: <why>").
bool load_probe_data(std::string_view name, YamlLoad& out, std::string& error);

}  // namespace cc
