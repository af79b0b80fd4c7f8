// Reading one file of the Snapshot for a probe, or recording why it could not be read: the one
// place that turns a Blob's trouble (too large, binary, not UTF-8, missing from a partial clone,
// a symbolic link) into an input.problem, in the wording every probe uses:
//   "<what> not read (<state>): <note>"      e.g. "workflow file not read (too-large): file of ..."
//   "<what> is a symbolic link: not read"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

struct ReadAs {
  std::string_view what;                // how the detail names the file; empty: its path
  std::uint64_t cap = kDefaultReadCap;  // larger files are too_large
  bool refuse_symlink = false;          // a symbolic link is not followed: an input problem
};

// "<what> not read (<state>): <note>" (no ": <note>" when the note is empty).
std::string not_read_detail(std::string_view what, const Blob& b);

// Reads `path` as text (Snapshot::read_text) into `b`. When it cannot be read, adds one
// input.problem of `probe` at (path, 0) and returns false.
bool read_or_problem(const Snapshot& snap, const std::string& path, FactStore& out,
                     const std::string& probe, Blob& b, const ReadAs& as = {});

}  // namespace cc
