// The batch roster: a CSV file with a header naming the columns `group,repo` and optionally
// `branch,report,deadline`, one group per row. A bad row is reported with its line and skipped;
// the others run. Sharding (--shard K/N) picks rows by a hash of the group id, so every shard
// gets the same groups on every machine and every night.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

struct RosterRow {
  int line = 0;          // 1-based line of the row in the file
  std::string group;     // the group id, unique in the roster
  std::string repo;      // a URL, a local path (made absolute against the roster's folder) or a bare mirror
  std::string branch;    // "" = the remote's default branch
  std::string report;    // "" = the audit's default (reports/README.md)
  std::string deadline;  // "" = the batch's --at (if any); else an --at value for this group only
};

struct RosterProblem {
  int line = 0;
  std::string detail;
};

struct Roster {
  std::vector<RosterRow> rows;
  std::vector<RosterProblem> skipped;  // rows left out, with why
};

// Parses the roster text. `base_dir` makes relative local repository paths absolute. Throws
// std::invalid_argument when the file as a whole is unusable (no header, no group/repo column,
// an unknown column): nothing can run then.
Roster parse_roster(std::string_view text, const std::string& base_dir);

// --shard K/N (1 <= K <= N): throws std::invalid_argument on anything else.
struct Shard {
  int k = 1, n = 1;
};
Shard parse_shard(const std::string& text);
// Whether a group belongs to shard K/N: FNV-1a 64 of the group id, modulo N, equals K-1.
bool in_shard(const std::string& group, const Shard& shard);

// FNV-1a 64-bit: stable across machines and compilers (std::hash is not).
std::uint64_t fnv1a64(std::string_view s);

}  // namespace cc
