// Data files compiled into the binary by engine/embed.cmake (cc_embed_files).
#pragma once

#include <string_view>
#include <vector>

namespace cc {

struct EmbeddedFile {
  std::string_view name;  // path relative to the embedding folder, e.g. "catalog/rules-2025.yaml"
  std::string_view data;
  std::string_view packed;  // a YAML file's tree read at build time (engine/yaml_pack.h); else empty
};

// Find a file by name in a set of embedded files; empty view when absent.
inline std::string_view find_embedded(const std::vector<EmbeddedFile>& set, std::string_view name) {
  for (const auto& f : set)
    if (f.name == name) return f.data;
  return {};
}

}  // namespace cc

namespace cc {
// Defined in generated code: reports/catalog/*.yaml and probes/data/*.yaml.
const std::vector<EmbeddedFile>& embedded_catalog();
const std::vector<EmbeddedFile>& embedded_probe_data();
}  // namespace cc
