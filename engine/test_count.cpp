#include "engine/test_count.h"

#include <algorithm>
#include <cmath>

namespace cc {
namespace {

enum class Bound { exact, approx, lower, almost, upper, range };

Bound bound_of(const std::string& w) {
  static const char* approx[] = {"approximately", "around", "about", "roughly", "~", "circa", "some"};
  static const char* lower[] = {"over", "more than", "at least", "+", "above", "upwards of"};
  static const char* almost[] = {"almost", "nearly", "close to", "just under"};
  static const char* upper[] = {"fewer than", "less than", "under", "below", "up to", "at most"};
  for (auto* a : almost) if (w == a) return Bound::almost;
  if (w == "between") return Bound::range;
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
    t.verdict = t.note.empty() ? "no-claim" : "unverifiable";
    t.reason = t.note.empty() ? "The answer gives no number of tests." : "The number could not be read: " + t.note + ".";
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
  Bound b = bound_of(t.qualifier);
  if (b == Bound::range && !t.claimed_max) b = Bound::lower;
  long long slack = std::max<long long>(2, static_cast<long long>(std::llround(c * 0.2)));
  bool ok = false, over = false;
  switch (b) {
    case Bound::exact:
      t.tolerance = "exactly " + n(c);
      ok = c >= lo && c <= hi;
      over = c > hi;
      break;
    case Bound::approx:
      t.tolerance = n(std::max<long long>(0, c - slack)) + " to " + n(c + slack) + " (20%, at least 2, either side)";
      ok = hi >= c - slack && lo <= c + slack;
      over = hi < c - slack;
      break;
    case Bound::lower:
      t.tolerance = "at least " + n(c);
      ok = hi >= c;
      over = !ok;
      break;
    case Bound::range: {
      long long top = std::max(c, *t.claimed_max);
      t.tolerance = n(c) + " to " + n(top);
      ok = hi >= c && lo <= top;
      over = hi < c;
      break;
    }
    case Bound::almost:
      t.tolerance = n(static_cast<long long>(c * 0.8)) + " to " + n(c);
      ok = lo <= c && hi >= static_cast<long long>(c * 0.8);
      over = hi < static_cast<long long>(c * 0.8);
      break;
    case Bound::upper:  // "fewer than 20": an upper bound never over-claims
      t.tolerance = "at most " + n(c);
      ok = lo <= c;
      break;
  }
  std::string claim = "\"" + (t.wording.empty() ? n(c) + " " + t.unit : t.wording) + "\"";
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
