#include "probes/read/literal_set.h"

#include <algorithm>
#include <cstring>

namespace cc {

namespace {

// How common a byte is in code, configuration and prose (higher: more common). Only its order
// matters: it picks each literal's anchor byte, the one memchr stops at least often.
int commonness(unsigned char c) {
  static constexpr std::string_view kLower = "etaoinsrhldcumfpgwybvkxjqz";  // English letter order
  static constexpr std::string_view kUpper = "ETAOINSRHLDCUMFPGWYBVKXJQZ";
  if (c == ' ' || c == '\n' || c == '\t' || c == '\r') return 200;
  if (auto i = kLower.find(char(c)); i != std::string_view::npos) return 150 - int(i) * 2;
  if (std::string_view("\"'.,_-/:=()#*[]{}<>").find(char(c)) != std::string_view::npos) return 120;
  if (c >= '0' && c <= '9') return 60;
  if (auto i = kUpper.find(char(c)); i != std::string_view::npos) return 50 - int(i);
  if (c >= 0x80) return 30;  // UTF-8 text: letters of other scripts
  return 10;                 // the other ASCII punctuation and control bytes
}

}  // namespace

LiteralSet::LiteralSet(std::vector<std::string> literals) : literals_(std::move(literals)) {
  for (std::uint32_t i = 0; i < literals_.size(); ++i) {
    const std::string& l = literals_[i];
    if (l.empty()) {
      empty_.push_back(i);
      continue;
    }
    std::uint32_t at = 0;
    for (std::uint32_t k = 1; k < l.size(); ++k)
      if (commonness(static_cast<unsigned char>(l[k])) < commonness(static_cast<unsigned char>(l[at]))) at = k;
    const auto byte = static_cast<unsigned char>(l[at]);
    auto it = std::find_if(anchors_.begin(), anchors_.end(), [&](const Anchor& a) { return a.byte == byte; });
    if (it == anchors_.end()) it = anchors_.insert(anchors_.end(), Anchor{byte, {}});
    it->literals.push_back({i, at});
  }
  std::stable_sort(anchors_.begin(), anchors_.end(),
                   [](const Anchor& a, const Anchor& b) { return commonness(a.byte) < commonness(b.byte); });
}

std::vector<bool> LiteralSet::find_in(std::string_view text) const {
  std::vector<bool> found(literals_.size(), false);
  for (std::uint32_t i : empty_) found[i] = true;
  const char* p = text.data();
  const std::size_t n = text.size();
  for (const Anchor& a : anchors_) {
    std::size_t left = a.literals.size();
    for (const char* hit = n ? static_cast<const char*>(std::memchr(p, a.byte, n)) : nullptr; hit && left > 0;
         hit = static_cast<const char*>(std::memchr(hit + 1, a.byte, std::size_t(p + n - hit - 1)))) {
      const std::size_t at = std::size_t(hit - p);
      for (const Anchored& l : a.literals) {
        if (found[l.literal] || at < l.offset) continue;
        const std::string& s = literals_[l.literal];
        const std::size_t start = at - l.offset;
        if (n - start >= s.size() && std::memcmp(p + start, s.data(), s.size()) == 0) {
          found[l.literal] = true;
          --left;
        }
      }
    }
  }
  return found;
}

}  // namespace cc
