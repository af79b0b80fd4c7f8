#include "engine/lazy_regex.h"

#include <re2/re2.h>

namespace cc {

LazyRegex::LazyRegex(std::string pattern, bool case_insensitive, long long max_mem)
    : pattern_(std::move(pattern)), icase_(case_insensitive), max_mem_(max_mem) {}

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

}  // namespace cc
