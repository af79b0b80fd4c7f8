// Secret values found in the repository (issue 12: leaked API keys, private keys). They live in
// memory only: a fact or a result shows a secret as mask_secret() gives it, and every text built
// from the repository's content (facts, the report's quotes) passes through a Redactor first, so
// that no output, log or stored result holds the full value.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cc {

// "ab****yz": the first and last 2 characters of a value of 8 or more; "****" for a shorter one
// (2 + 2 characters would show most of it).
std::string mask_secret(std::string_view value);

class Redactor {
 public:
  // Values shorter than kMinLength are ignored: replacing them would mangle ordinary words.
  static constexpr std::size_t kMinLength = 6;
  void add(std::string_view value);
  // `text` with every occurrence of every value replaced by its mask, left to right, the longest
  // value where several start at the same place. One pass over the text with a hash lookup per
  // byte: thousands of values cost about what a few do.
  std::string apply(std::string_view text) const;
  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }
  const std::vector<std::string>& values() const { return values_; }  // in the order added

 private:
  std::vector<std::string> values_;  // distinct, in the order added
  std::unordered_map<std::string, std::vector<std::size_t>> by_prefix_;  // first kMinLength bytes ->
                                                                          // values_ indices, longest first
};

}  // namespace cc
