#include "probes/read/glob.h"

#include <cstddef>

namespace cc {

namespace {

enum class Class { malformed, in, out };

// pat[pp] == '['. On a well-formed class, pp moves past its ']'.
Class match_class(std::string_view pat, std::size_t& pp, char c, const GlobDialect& d) {
  std::size_t q = pp + 1;
  bool neg = false;
  if (q < pat.size() && (pat[q] == '!' || (d.caret_negates && pat[q] == '^'))) {
    neg = true;
    ++q;
  }
  const std::size_t first = q;  // a ']' here is a member, not the end
  bool in = false;
  while (q < pat.size() && (pat[q] != ']' || q == first)) {
    char lo = pat[q];
    if (d.escapes && lo == '\\' && q + 1 < pat.size()) lo = pat[++q];
    ++q;
    char hi = lo;
    if (q + 1 < pat.size() && pat[q] == '-' && pat[q + 1] != ']') {
      hi = pat[q + 1];
      if (d.escapes && hi == '\\' && q + 2 < pat.size()) {
        hi = pat[q + 2];
        ++q;
      }
      q += 2;
    }
    if (lo <= c && c <= hi) in = true;
  }
  if (q >= pat.size()) return Class::malformed;
  pp = q + 1;
  return in != neg ? Class::in : Class::out;
}

}  // namespace

bool glob_match(std::string_view pat, std::string_view s, const GlobDialect& d) {
  std::size_t p = 0, i = 0, star_p = std::string_view::npos, star_i = 0;
  bool star_any = false;  // the last star may take a '/'
  while (i < s.size()) {
    if (p < pat.size()) {
      const char pc = pat[p];
      if (pc == '*') {
        if (d.double_star) {
          star_any = p + 1 < pat.size() && pat[p + 1] == '*';
          p += star_any ? 2 : 1;
        } else {
          while (p < pat.size() && pat[p] == '*') ++p;
          star_any = !d.slash_bound;
        }
        star_p = p;
        star_i = i;
        continue;
      }
      const bool slash = d.slash_bound && s[i] == '/';
      if (pc == '?') {
        if (!slash) {
          ++p;
          ++i;
          continue;
        }
      } else if (pc == '[' && d.classes) {
        if (!slash) {
          std::size_t pp = p;
          switch (match_class(pat, pp, s[i], d)) {
            case Class::in:
              p = pp;
              ++i;
              continue;
            case Class::malformed:
              if (d.bad_class_fails) return false;
              if (s[i] == '[') {
                ++p;
                ++i;
                continue;
              }
              break;
            case Class::out:
              break;
          }
        }
      } else if (pc == '\\' && d.escapes && p + 1 < pat.size()) {
        if (pat[p + 1] == s[i]) {
          p += 2;
          ++i;
          continue;
        }
      } else if (pc == s[i]) {
        ++p;
        ++i;
        continue;
      }
    }
    // Mismatch: the last star takes one more character (a '/' only where it may).
    if (star_p != std::string_view::npos && (star_any || s[star_i] != '/')) {
      p = star_p;
      i = ++star_i;
      continue;
    }
    return false;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace cc
