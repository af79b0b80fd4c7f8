// YAML text -> YAML::Node through libyaml's event parser (Debian's libyaml), for the built-in
// data files only: yaml-cpp's own parser reads about 3 MB/s, and the catalog, the templates and
// the contradiction rules are read by every audit. A unit test checks that for every built-in
// file the tree equals yaml-cpp's (the same maps, keys in the same order, the same scalars and
// nulls). The nodes carry no marks (line numbers): on bad data, callers parse again with
// YAML::Load to name the line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string_view>

namespace cc {

struct FastYamlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One document (an empty text gives a null node). Throws FastYamlError on a syntax error, on a
// second document, and on more than 256 levels of nesting.
YAML::Node load_yaml_fast(std::string_view text);

}  // namespace cc
