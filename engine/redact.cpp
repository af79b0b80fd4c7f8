#include "engine/redact.h"

#include <algorithm>

namespace cc {

std::string mask_secret(std::string_view v) {
  if (v.size() < 8) return "****";
  return std::string(v.substr(0, 2)) + "****" + std::string(v.substr(v.size() - 2));
}

void Redactor::add(std::string_view value) {
  if (value.size() < kMinLength) return;
  if (std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  values_.emplace_back(value);
  std::stable_sort(values_.begin(), values_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const auto& v : values_) {
    if (out.find(v) == std::string::npos) continue;
    const std::string m = mask_secret(v);
    std::string next;
    next.reserve(out.size());
    std::size_t i = 0;
    for (std::size_t j; (j = out.find(v, i)) != std::string::npos; i = j + v.size())
      next.append(out, i, j - i).append(m);
    next.append(out, i, std::string::npos);
    out = std::move(next);
  }
  return out;
}

}  // namespace cc
