// Small string helpers shared by every folder (ASCII-only on purpose: input is untrusted and
// locale-independent results keep output deterministic).
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

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

inline bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

// '/'-separated repository paths: "a/b/c.py" -> "c.py" (a view into `path`), "c.py" -> "c.py".
inline std::string_view basename_of(std::string_view path) {
  size_t s = path.rfind('/');
  return s == std::string_view::npos ? path : path.substr(s + 1);
}
// "a/b/c.py" -> "a/b"; "c.py" -> "".
inline std::string dirname_of(std::string_view path) {
  size_t s = path.rfind('/');
  return s == std::string_view::npos ? std::string() : std::string(path.substr(0, s));
}

// The trimmed, non-empty parts of a comma-separated list ("a, b,,c" -> a, b, c).
inline std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string_view::npos) j = s.size();
    std::string part(trim_view(s.substr(i, j - i)));
    if (!part.empty()) out.push_back(std::move(part));
    i = j + 1;
  }
  return out;
}

// The lines of a text, without their "\n" or "\r\n"; no empty last line after a final newline.
// Index k holds line k + 1.
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view l = text.substr(i, j - i);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    i = j + 1;
  }
  return out;
}

// A file-name glob whose only wildcard is '*' (any run of characters): "*.env", ".env.*".
inline bool glob_match(std::string_view pat, std::string_view s) {
  size_t star = pat.find('*');
  if (star == std::string_view::npos) return pat == s;
  std::string_view head = pat.substr(0, star), rest = pat.substr(star + 1);
  if (!s.starts_with(head)) return false;
  s.remove_prefix(head.size());
  if (rest.empty()) return true;
  for (size_t i = 0; i <= s.size(); ++i)
    if (glob_match(rest, s.substr(i))) return true;
  return false;
}

}  // namespace cc
