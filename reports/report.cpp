#include "reports/report.h"

namespace cc {

const Answer* Report::answer(int question) const {
  for (const auto& a : answers)
    if (a.question == question) return &a;
  return nullptr;
}

}  // namespace cc
