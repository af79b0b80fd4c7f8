// Text helpers every probe shares: UTF-8-safe truncation for attributes and details, joining
// lists, and line iteration with 1-based numbers. split_lines / split_commas / trim live in
// engine/strings.h (used by every folder); this file adds what only the probes need.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/strings.h"

namespace cc {

// `s` when at most `max` bytes, else its first `max` bytes, moved back to a UTF-8 character
// boundary (never half a multi-byte character), followed by "...".
std::string cut(std::string_view s, std::size_t max);

// The items of a container of strings joined by `sep`, empty items included ("a,,b").
template <class Strings>
std::string join(const Strings& items, std::string_view sep = ",") {
  std::string o;
  bool first = true;
  for (const auto& x : items) {
    if (!first) o += sep;
    o += x;
    first = false;
  }
  return o;
}

// The same, leaving out empty items ("a,b" for {"a", "", "b"}).
template <class Strings>
std::string join_nonempty(const Strings& items, std::string_view sep = ",") {
  std::string o;
  for (const auto& x : items) {
    if (std::string_view(x).empty()) continue;
    if (!o.empty()) o += sep;
    o += x;
  }
  return o;
}

// Calls f(line_number, line) for each line of `text` (1-based; without "\n" or "\r\n"), the same
// lines as split_lines() but without building the vector. When f returns bool, false stops.
template <class F>
void for_each_line(std::string_view text, F f) {
  std::size_t i = 0;
  int no = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view l = text.substr(i, j - i);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    i = j + 1;
    ++no;
    if constexpr (std::is_same_v<decltype(f(no, l)), bool>) {
      if (!f(no, l)) return;
    } else {
      f(no, l);
    }
  }
}

// The parts of `s` between separators `sep` ("a..b" by '.' -> "a", "", "b"; "" -> one empty part).
std::vector<std::string> split_on(std::string_view s, char sep);

// Deepest nesting of JSON brackets ({ and [) outside strings: a guard to run before a recursive
// JSON parser sees hostile input (linear, no recursion).
int json_nesting_depth(std::string_view text);

}  // namespace cc
