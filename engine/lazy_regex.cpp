#include "engine/lazy_regex.h"

#include <re2/re2.h>

namespace cc {

namespace {

// Case-insensitive, RE2 also folds k and s with the Kelvin sign (U+212A, E2 84 AA) and the long s
// (U+017F, C5 BF): a text holding either is left to RE2.
bool holds_ascii_folds(std::string_view text) {
  return text.find("\xE2\x84\xAA") != std::string_view::npos || text.find("\xC5\xBF") != std::string_view::npos;
}

}  // namespace

LazyRegex::LazyRegex(std::string pattern, bool case_insensitive, long long max_mem)
    : pattern_(std::move(pattern)),
      icase_(case_insensitive),
      literal_(LiteralPattern::of(pattern_, icase_)),
      max_mem_(max_mem) {
  std::string_view p = pattern_;
  folds_ = folds_case(p, icase_);
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

bool LazyRegex::may_match(std::string_view text) const { return screen(text, folds_ && holds_ascii_folds(text)); }

bool LazyRegex::screen(std::string_view text, bool folds) const {
  if (folds) return true;  // RE2 decides
  if (literal_) return literal_->matches(text);
  std::call_once(required_once_, [this] { required_ = RequiredLiterals::of(pattern_, icase_); });
  return required_.may_match(text);
}

bool LazyRegex::partial_match(std::string_view text) const {
  const bool folds = folds_ && holds_ascii_folds(text);
  if (!screen(text, folds)) return false;
  if (literal_ && !folds) return true;  // screen compared the strings: the answer
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re());
}

bool LazyRegex::partial_match(std::string_view text, std::string* group) const {
  return may_match(text) && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re(), group);
}

bool LazyRegex::full_match(std::string_view text) const {
  return may_match(text) && RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re());
}

}  // namespace cc
