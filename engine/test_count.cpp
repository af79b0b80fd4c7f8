#include "engine/test_count.h"

#include <algorithm>
#include <cmath>

namespace cc {
namespace {

enum class Bound { exact, approx, lower, upper };

Bound bound_of(const std::string& w) {
  static const char* approx[] = {"approximately", "around", "about", "roughly", "~", "circa", "some"};
  static const char* lower[] = {"over", "more than", "at least", "+", "above", "upwards of"};
  static const char* upper[] = {"almost", "nearly", "fewer than", "less than", "under", "up to", "at most"};
  for (auto* a : approx) if (w == a) return Bound::approx;
  for (auto* a : lower) if (w == a) return Bound::lower;
  for (auto* a : upper) if (w == a) return Bound::upper;
  return Bound::exact;
}

std::string n(long long v) { return std::to_string(v); }

}  // namespace

void judge_test_count(TestCountCheck& t, bool partial) {
  if (!t.claimed && t.claimed_files && t.unit.empty()) t.unit = "test files";
  std::optional<long long> claimed = t.unit == "test files" ? (t.claimed ? t.claimed : t.claimed_files)
                                                            : t.claimed;
  if (!claimed) {
    t.verdict = "no-claim";
    t.reason = "The answer gives no number of tests.";
    return;
  }
  long long c = *claimed;
  // What the claim may be counted as: test files, or test functions / collected items.
  long long lo, hi;
  std::string what;
  if (t.unit == "test files") {
    lo = hi = t.files;
    what = n(t.files) + " test files";
  } else {
    lo = std::min(t.functions, t.items);
    hi = std::max(t.functions, t.items);
    what = n(t.functions) + " test functions and " + n(t.items) + " collected items";
  }
  bool upper_open = !t.items_exact && t.unit != "test files";  // items is only a lower bound
  Bound b = bound_of(t.wording);
  long long slack = std::max<long long>(2, static_cast<long long>(std::llround(c * 0.2)));
  bool ok = false, over = false;
  switch (b) {
    case Bound::exact:
      t.tolerance = "exactly " + n(c);
      ok = c >= lo && c <= hi;
      over = c > hi;
      break;
    case Bound::approx:
      t.tolerance = n(std::max<long long>(0, c - slack)) + " to " + n(c + slack) + " (" +
                    t.wording + " " + n(c) + ": within 20%, at least 2)";
      ok = hi >= c - slack && lo <= c + slack;
      over = hi < c - slack;
      break;
    case Bound::lower:
      t.tolerance = "at least " + n(c);
      ok = hi >= c;
      over = !ok;
      break;
    case Bound::upper:
      t.tolerance = "at most " + n(c) + " and more than " + n(static_cast<long long>(c * 0.8));
      ok = lo <= c && hi >= static_cast<long long>(c * 0.8);
      over = hi < static_cast<long long>(c * 0.8);
      break;
  }
  std::string claim = (t.wording.empty() ? "" : t.wording + " ") + n(c) + " " +
                      (t.unit.empty() ? "tests" : t.unit);
  if (ok) {
    t.verdict = "ok";
    t.reason = "The claim of " + claim + " matches the " + what + " pytest would collect.";
    return;
  }
  if (over && (upper_open || partial)) {
    t.verdict = "unverifiable";
    t.reason = "Claimed " + claim + "; measured " + what + ", but " +
               (partial ? std::string("some test files could not be read")
                        : std::string("some parametrize values are not literal, so the real number of items may be higher")) +
               ".";
    return;
  }
  t.verdict = over ? "overclaimed" : "underclaimed";
  t.reason = "Claimed " + claim + " (allowed: " + t.tolerance + "), but the repository has " + what +
             ".";
}

}  // namespace cc
