#include "engine/lazy_regex.h"

#include <re2/re2.h>

#include <algorithm>

namespace cc {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// A pattern RE2 would match as the plain string it is: ASCII (RE2 folds non-ASCII letters by
// Unicode's rules, and refuses a pattern that is not UTF-8) with no metacharacter.
bool plain(std::string_view p) {
  if (p.empty()) return false;
  for (unsigned char c : p)
    if (c >= 0x80 || std::string_view("\\^$.|?*+()[]{}").find(char(c)) != std::string_view::npos) return false;
  return true;
}

// Case-insensitive, RE2 also folds k and s with the Kelvin sign (U+212A, E2 84 AA) and the long s
// (U+017F, C5 BF): a text holding either is left to RE2.
bool holds_ascii_folds(std::string_view text) {
  return text.find("\xE2\x84\xAA") != std::string_view::npos || text.find("\xC5\xBF") != std::string_view::npos;
}

}  // namespace

LazyRegex::LazyRegex(std::string pattern, bool case_insensitive, long long max_mem)
    : pattern_(std::move(pattern)), icase_(case_insensitive), literal_(plain(pattern_)), max_mem_(max_mem) {
  if (literal_ && icase_)
    for (char c : pattern_) folded_ += lower(c);
}

LazyRegex::~LazyRegex() = default;

const re2::RE2& LazyRegex::re() const {
  std::call_once(once_, [this] {
    RE2::Options o;
    o.set_case_sensitive(!icase_);
    o.set_log_errors(false);
    if (max_mem_ > 0) o.set_max_mem(max_mem_);
    re_ = std::make_unique<re2::RE2>(pattern_, o);
  });
  return *re_;
}

std::string LazyRegex::error() const { return re().ok() ? std::string() : re().error(); }

bool LazyRegex::partial_match(std::string_view text) const {
  if (!literal_ || (icase_ && holds_ascii_folds(text)))
    return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re());
  if (!icase_) return text.find(pattern_) != std::string_view::npos;
  auto hit = std::search(text.begin(), text.end(), folded_.begin(), folded_.end(),
                         [](char a, char b) { return lower(a) == b; });
  return hit != text.end();
}

}  // namespace cc
