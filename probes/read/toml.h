// TOML reading for every probe (pyproject.toml, ruff.toml, uv.lock, Pipfile, pixi.toml, ...).
//
// The text is parsed with toml++ (libtomlplusplus-dev, a real TOML 1.0 parser) and copied into the
// same plain tree the YAML probes walk (YNode, probes/read/safe_yaml.h), so that no probe needs toml++'s
// headers: tables are maps (keys in toml++'s order, which is sorted, not the order written; each
// key node carries the line of the key),
// arrays are sequences, strings are quoted scalars (plain = false), and numbers, booleans and
// date-times are plain scalars (plain = true; booleans "true"/"false").
//
// Hostile input: toml++ itself caps nesting of arrays and inline tables (256); before parsing, a
// linear pre-scan refuses dotted keys and table headers with more than `max_key_parts` parts (a
// 4 MiB `[a.a.a.a...]` header would otherwise build, and destroy, a tree millions of levels deep).
// Parse errors never throw out of this file, whichever way toml++ was built (TOML_EXCEPTIONS 0/1):
// they give ok = false with the 1-based line and toml++'s description.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct TomlLimits {
  int max_key_parts = 100;  // parts of one dotted key or table header
  int max_depth = 512;      // nesting of the copied tree (tables, arrays)
};

struct TomlLoad {
  bool ok = false;
  YNode root;          // a map (empty map when the text is empty); null when !ok
  int error_line = 0;  // 1-based, when !ok (0 when unknown)
  std::string error;   // one sentence, when !ok
};

TomlLoad load_toml(std::string_view text, const TomlLimits& limits = {});

// Deepest dotted-key / table-header part count of TOML text, and its 1-based line (linear, no
// parsing; quoted parts and strings are skipped).
std::pair<int, int> toml_key_depth(std::string_view text);

// toml++ 3.3.0 has undefined behaviour when it asks whether some non-ASCII characters are
// whitespace (U+00A1-U+0499 and two other blocks; see toml.cpp), which it asks of characters in
// places no grammar predicts. load_toml parses a text holding them with each such character c
// moved to U+F0000 + c (`text`, `shifted`), and moves them back in the strings, keys and error it
// reads. `error` (with its 1-based `line`) when the text already holds characters there.
struct TomlShield {
  bool shifted = false;
  std::string text;
  int line = 0;
  std::string error;
};
TomlShield shield_toml_text(std::string_view text);
void unshield_toml_text(std::string& s);

// A TOML file of a snapshot.
struct TomlFile {
  std::string path;
  bool present = false;  // the path exists in the snapshot
  bool ok = false;       // read and parsed
  YNode root;            // the document (when ok)
  int error_line = 0;
  std::string error;     // why not ok (read trouble or parse error), for a person
};

// Kind counted by ArtifactCache::made(): one per TOML parse.
inline constexpr std::string_view kTomlTreeKind = "toml-tree";

// Reads and parses `path`, once per audit (the Snapshot's ArtifactCache; each call returns a
// copy of the tree). Not present: present = false, no error. Symlinks are not read.
TomlFile read_toml(const Snapshot& snap, std::string_view path,
                   std::uint64_t cap = kDefaultReadCap, const TomlLimits& limits = {});

// The repository's root pyproject.toml (what pip, uv, pytest and ruff read). Convention: the
// "dependencies" probe reports its read and parse problems; other probes reading it stay silent
// about them, so that one broken file gives one input.problem.
inline TomlFile read_pyproject(const Snapshot& snap) { return read_toml(snap, "pyproject.toml"); }

// Reports a TomlFile's trouble as an input.problem of `probe` (nothing when ok or not present).
void report_toml_problem(const TomlFile& f, FactStore& out, const std::string& probe);

// Lookup by dotted path in a map tree: "tool.pytest.ini_options", "project.scripts". Parts are
// plain key texts (no quoting: a key containing '.' cannot be reached this way; use YNode::get).
const YNode* toml_at(const YNode& root, std::string_view dotted);

// A string, or an array of strings, as texts (other items skipped).
std::vector<std::string> toml_strings(const YNode* n);

}  // namespace cc
