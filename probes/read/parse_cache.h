// Each file parsed once per audit: the Python syntax tree and the YAML tree of a path, made on
// the first request and then shared by every probe that asks (through the Snapshot's
// ArtifactCache, engine/artifact_cache.h). What a probe reports about a file it could not read or
// parse is unchanged: the artifact carries the read's state and note and the parse's status,
// and each probe words its own input problem from them, as before.
//
// Caps: a caller's read cap still decides. A file larger than the caller's cap is read directly
// (too_large, with the snapshot's note) and not cached; a smaller file is read once, whatever the
// caller's cap. A caller with a parse timeout shorter than the default sees timed_out when the
// shared parse took longer (PythonFile::ok_within).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/snapshot.h"
#include "probes/read/python_syntax.h"
#include "probes/read/safe_yaml.h"

namespace cc {

// Kinds counted by ArtifactCache::made(): one per parse.
inline constexpr std::string_view kPythonTreeKind = "python-tree";
inline constexpr std::string_view kYamlTreeKind = "yaml-tree";

struct PythonFile {
  Blob read;                               // state, note and size of the read (data: empty)
  std::optional<py::PySyntaxTree> tree;    // when read.ok(): the tree (it keeps the source)
  std::uint64_t parse_micros = 0;          // how long the parse took

  bool read_ok() const { return read.ok() && tree.has_value(); }
  // The tree, when it parsed (status ok) within `timeout_micros` (0: no limit).
  const py::PySyntaxTree* ok_within(std::uint64_t timeout_micros) const;
};

// The Python syntax tree of `path` (read with Snapshot::read_text, parsed with the default
// PyParseOptions), shared for the audit. `use`: declared for a read announced with
// expect_python_tree (ArtifactCache: the tree is dropped first once its announced reads are made).
std::shared_ptr<const PythonFile> python_tree(const Snapshot& snap, const std::string& path,
                                              std::uint64_t cap = kDefaultReadCap,
                                              ArtifactCache::Use use = ArtifactCache::Use::undeclared);

// About how many bytes tree-sitter's tree of `source` takes (the cache's estimate).
std::size_t python_tree_bytes(std::string_view source);

// Announces, before the probes run (Probe::declare_reads), one python_tree(..., Use::declared)
// read of `path` that a probe will make.
void expect_python_tree(const Snapshot& snap, const std::string& path);

struct YamlFile {
  Blob read;      // state, note and size; data: the text (YAML files are small and probes scan it)
  YamlLoad load;  // when read.ok()
};

// The YAML tree of `path` under `limits`, shared for the audit (one per path and limits).
std::shared_ptr<const YamlFile> yaml_doc(const Snapshot& snap, const std::string& path,
                                         std::uint64_t cap = kDefaultReadCap,
                                         const YamlLimits& limits = {});

}  // namespace cc
