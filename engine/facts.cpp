#include "engine/facts.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace cc {

void FactStore::problem(const std::string& path, int line, const std::string& what,
                        const std::string& probe) {
  Fact f;
  f.kind = kInputProblem;
  f.attrs["probe"] = probe;
  f.where = {path, line};
  f.detail = what;
  facts_.push_back(std::move(f));
}

std::vector<const Fact*> FactStore::of_kind(const std::string& kind) const {
  std::vector<const Fact*> out;
  for (const auto& f : facts_)
    if (f.kind == kind) out.push_back(&f);
  return out;
}

void FactStore::sort() {
  std::stable_sort(facts_.begin(), facts_.end(), [](const Fact& a, const Fact& b) {
    return std::tie(a.kind, a.where.path, a.where.line, a.detail, a.attrs) <
           std::tie(b.kind, b.where.path, b.where.line, b.detail, b.attrs);
  });
}

void FactStore::absorb(FactStore&& other) {
  if (facts_.empty()) facts_ = std::move(other.facts_);
  else facts_.insert(facts_.end(), std::make_move_iterator(other.facts_.begin()),
                     std::make_move_iterator(other.facts_.end()));
  other.facts_.clear();
  for (const auto& v : other.secrets_.values()) secrets_.add(v);
}

void FactStore::redact() {
  if (secrets_.empty()) return;
  for (auto& f : facts_) {
    f.detail = secrets_.apply(f.detail);
    for (auto& [k, v] : f.attrs) v = secrets_.apply(v);
  }
}

}  // namespace cc
