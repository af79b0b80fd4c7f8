#include "engine/strings.h"
#include "reports/text_util.h"

namespace cc::text {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
size_t utf8_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n;
}

// Decode the code point at s[i] (s is valid UTF-8); sets len.
uint32_t decode(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { len = 1; return c; }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (i + n > s.size()) { len = 1; return 0xFFFD; }
  uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  len = n;
  return cp;
}

bool py_space(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool ascii_punct(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 0x21 && u <= 0x2F) || (u >= 0x3A && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
         (u >= 0x7B && u <= 0x7E);
}

bool ascii_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string sanitise(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  static constexpr std::string_view kRepl = "\xEF\xBF\xBD";
  for (size_t i = 0; i < in.size();) {
    char c = in[i];
    if (c == '\r') {
      out.push_back('\n');
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c == '\0') { out.append(kRepl); ++i; continue; }
    size_t n = utf8_len(in, i);
    if (n == 0) { out.append(kRepl); ++i; continue; }
    out.append(in.substr(i, n));
    i += n;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

int python_word_count(std::string_view s) {
  int words = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    size_t len;
    uint32_t cp = decode(s, i, len);
    i += len;
    if (py_space(cp)) in_word = false;
    else if (!in_word) { in_word = true; ++words; }
  }
  return words;
}

int python_image_count(std::string_view s) {
  // Per line (Python's '.' excludes only '\n'): from each "![" the lazy pattern takes the first "]("
  // after it that still has a ")" later on the line, and ends at the first such ")".
  int count = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) eol = s.size();
    std::string_view line = s.substr(pos, eol - pos);
    size_t last_paren = line.rfind(')');
    size_t p = 0;
    while (last_paren != std::string_view::npos) {
      size_t bang = line.find("![", p);
      if (bang == std::string_view::npos) break;
      size_t q = line.find("](", bang + 2);
      if (q == std::string_view::npos || q + 2 > last_paren) break;  // no later start can match either
      size_t r = line.find(')', q + 2);
      ++count;
      p = r + 1;
    }
    pos = eol + 1;
  }
  return count;
}

std::string collapse_ws(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (ascii_ws(c)) { space = !out.empty(); continue; }
    if (space) { out.push_back(' '); space = false; }
    out.push_back(c);
  }
  return out;
}

std::string fingerprint_normal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (ascii_ws(c) || ascii_punct(c)) { space = !out.empty(); continue; }
    if (space) { out.push_back(' '); space = false; }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex64(uint64_t v) {
  static const char* d = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = d[v & 15];
  return out;
}

std::string fingerprint(std::string_view s) { return hex64(fnv1a64(fingerprint_normal(s))); }

std::string lower_ascii(std::string_view s) { return cc::lower_ascii(s); }

}  // namespace cc::text
