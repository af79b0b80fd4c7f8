// Queries over a probe's facts, shared by the probe unit tests.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"

namespace cc::test {

// Facts of `kind` whose attributes equal every given value.
inline std::vector<const Fact*> find_facts(const FactStore& fs, const std::string& kind,
                                           const std::map<std::string, std::string>& attrs = {}) {
  std::vector<const Fact*> out;
  for (const Fact* f : fs.of_kind(kind)) {
    bool ok = true;
    for (const auto& [k, v] : attrs)
      if (f->attr(k) != v) ok = false;
    if (ok) out.push_back(f);
  }
  return out;
}

// The one fact of `kind` with those attributes; the test stops when there is not exactly one.
inline const Fact& only_fact(const FactStore& fs, const std::string& kind,
                             const std::map<std::string, std::string>& attrs = {}) {
  auto v = find_facts(fs, kind, attrs);
  REQUIRE_MESSAGE(v.size() == 1, kind << " matches " << v.size() << " facts");
  return *v[0];
}

}  // namespace cc::test
