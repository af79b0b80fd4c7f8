#include "probes/read/text.h"

#include <algorithm>

namespace cc {

std::string cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

std::vector<std::string> split_on(std::string_view s, char sep) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i <= s.size();) {
    std::size_t j = s.find(sep, i);
    if (j == std::string_view::npos) j = s.size();
    parts.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

int json_nesting_depth(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_str = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_str) {
      if (c == '\\') ++i;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  return max_depth;
}

}  // namespace cc
