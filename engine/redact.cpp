#include "engine/redact.h"

namespace cc {

std::string mask_secret(std::string_view v) {
  if (v.size() < 8) return "****";
  return std::string(v.substr(0, 2)) + "****" + std::string(v.substr(v.size() - 2));
}

void Redactor::add(std::string_view value) {
  if (value.size() < kMinLength) return;
  std::vector<std::size_t>& same_start = by_prefix_[std::string(value.substr(0, kMinLength))];
  for (std::size_t k : same_start)
    if (values_[k] == value) return;
  values_.emplace_back(value);
  // Longest first among the values sharing a start, so that the longest match wins.
  auto at = same_start.begin();
  while (at != same_start.end() && values_[*at].size() >= value.size()) ++at;
  same_start.insert(at, values_.size() - 1);
}

std::string Redactor::apply(std::string_view text) const {
  if (values_.empty()) return std::string(text);
  // One pass: at each position, the values starting with the next kMinLength bytes (a hash
  // lookup), so that thousands of values cost no more than a few.
  std::string out;
  std::size_t copied = 0, i = 0;
  std::string key(kMinLength, '\0');
  while (i + kMinLength <= text.size()) {
    key.assign(text.data() + i, kMinLength);
    auto it = by_prefix_.find(key);
    const std::string* hit = nullptr;
    if (it != by_prefix_.end())
      for (std::size_t k : it->second)
        if (text.substr(i).starts_with(values_[k])) {
          hit = &values_[k];
          break;
        }
    if (!hit) {
      ++i;
      continue;
    }
    out.append(text.substr(copied, i - copied)).append(mask_secret(*hit));
    i += hit->size();
    copied = i;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace cc
