#include "probes/read/literal_set.h"

#include <cstring>

namespace cc {

namespace {

unsigned two_bytes(const char* p) {
  return static_cast<unsigned char>(p[0]) | static_cast<unsigned>(static_cast<unsigned char>(p[1])) << 8;
}

}  // namespace

LiteralSet::LiteralSet(std::vector<std::string> literals)
    : literals_(std::move(literals)), first_two_(65536 / 64, 0), by_two_(65536) {
  for (std::uint32_t i = 0; i < literals_.size(); ++i) {
    const std::string& l = literals_[i];
    if (l.size() < 2) {
      short_.push_back(i);
      continue;
    }
    const unsigned k = two_bytes(l.data());
    first_two_[k >> 6] |= std::uint64_t(1) << (k & 63);
    by_two_[k].push_back(i);
  }
}

std::vector<bool> LiteralSet::find_in(std::string_view text) const {
  std::vector<bool> found(literals_.size(), false);
  std::size_t left = literals_.size();
  for (std::uint32_t i : short_) {
    found[i] = text.find(literals_[i]) != std::string_view::npos;
    left -= found[i];
  }
  const char* p = text.data();
  const std::size_t n = text.size();
  for (std::size_t at = 0; left > 0 && at + 1 < n; ++at) {
    const unsigned k = two_bytes(p + at);
    if (!(first_two_[k >> 6] >> (k & 63) & 1)) continue;
    for (std::uint32_t i : by_two_[k]) {
      const std::string& l = literals_[i];
      if (!found[i] && n - at >= l.size() && std::memcmp(p + at, l.data(), l.size()) == 0) {
        found[i] = true;
        --left;
      }
    }
  }
  return found;
}

}  // namespace cc
