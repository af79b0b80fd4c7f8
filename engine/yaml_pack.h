// The built-in YAML (the catalog, templates, contradictions, questions and the probes' data files)
// is read by read_yaml at build time, by the cc-yaml-pack tool, and embedded beside its text as a
// packed tree; an audit rebuilds the YNode tree from that without libyaml. Reading those 180 KB
// of YAML was about 3 ms of every audit, rebuilding them is about a tenth of that. A built-in
// file that does not parse fails the build, with its line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/embedded.h"
#include "engine/yaml_tree.h"

namespace cc {

// The packed form of a load that succeeded (notes included).
std::string pack_yaml(const YamlLoad& y);

// The load `packed` holds; false when it is not one pack_yaml() wrote (then `out` is unchanged).
bool unpack_yaml(std::string_view packed, YamlLoad& out);

// The embedded YAML file `name`: its packed tree when the build made one, else its text read
// with read_yaml (default limits). An absent file reads as empty text does.
YamlLoad embedded_yaml(const std::vector<EmbeddedFile>& set, std::string_view name);
YamlLoad embedded_yaml(const EmbeddedFile& f);

}  // namespace cc
