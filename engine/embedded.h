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

// Find a file by name in a set of embedded files; nullptr when absent.
inline const EmbeddedFile* find_embedded_file(const std::vector<EmbeddedFile>& set, std::string_view name) {
  for (const auto& f : set)
    if (f.name == name) return &f;
  return nullptr;
}

// A file's bytes by name; empty view when absent.
inline std::string_view find_embedded(const std::vector<EmbeddedFile>& set, std::string_view name) {
  const EmbeddedFile* f = find_embedded_file(set, name);
  return f ? f->data : std::string_view();
}

}  // namespace cc

namespace cc {
// Defined in generated code: reports/catalog/*.yaml and probes/data/*.yaml.
const std::vector<EmbeddedFile>& embedded_catalog();
const std::vector<EmbeddedFile>& embedded_probe_data();
}  // namespace cc
