// Small string helpers shared by every folder (ASCII-only on purpose: input is untrusted and
// locale-independent results keep output deterministic).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace cc {

inline std::string lower_ascii(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

inline std::string_view trim_view(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

inline std::string trim(std::string_view s) { return std::string(trim_view(s)); }

}  // namespace cc
