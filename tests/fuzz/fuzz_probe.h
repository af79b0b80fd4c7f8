// Shared by the libFuzzer targets that feed a probe: the input becomes file(s) of an in-memory
// snapshot and the probe runs on it. A probe must never throw on hostile input, so nothing is
// caught here: an escaping exception is a finding like a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/probe.h"

namespace cc::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits the input at NUL bytes into up to `n` parts, so that one input can fill several files
// (the seeds join files with a NUL; text files never hold one).
inline std::vector<std::string> split_parts(std::string_view in, std::size_t n) {
  std::vector<std::string> parts;
  while (parts.size() + 1 < n) {
    auto nul = in.find('\0');
    if (nul == std::string_view::npos) break;
    parts.emplace_back(in.substr(0, nul));
    in.remove_prefix(nul + 1);
  }
  parts.emplace_back(in);
  return parts;
}

inline void run_probe(const Probe& probe, const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore facts;
  probe.run(snap, facts);
  facts.sort();
}

}  // namespace cc::fuzz
