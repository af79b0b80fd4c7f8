// Numeric claims found in the answers of a report: the number of tests (question 7) and the coverage
// (question 8). Paths, figures and CI prose: reports/answer_claims.h.
//
// extract_test_count() reads the answer to the question whose prompt asks "How many tests" (question 7
// in every template; 7 when no prompt says so) and finds numbers attached to a test unit word:
// - numbers as digits ("45", "1,200"), words ("twelve", "twenty-five", "two hundred", "a dozen"), in
//   bold/italic/code markup ("**45**"), with "+" ("45+ tests" -> qualifier "at least");
// - unit words after the number, with up to three modifiers in between ("14 unit tests", "45 API and
//   model tests"): "test", "tests", "test cases", "test functions", "test methods" -> unit "tests";
//   "test files", "test modules", "test scripts", "test suites", "files/modules ... with/of/containing
//   tests" -> unit "test files";
// - also "the number of tests is 45" / "tests: 45" (number after the unit).
// - qualifier words before the number, normalised: "approximately" (approximately, approx., about,
//   around, roughly, circa, ~, ≈, some), "over" (over, more than, above, exceeding,
//   in excess of, upwards of, just/well over, slightly more than), "at least" (at
//   least, minimum of, no fewer than, 45+), "almost" (almost, nearly, close to, just under), "fewer than" (fewer than,
//   less than, under, below), "at most" (at most, up to, maximum of, no more than), "exactly" (exactly, precisely);
// - ranges "40-50 tests", "40 to 50 tests", "between 40 and 50 tests": claimed = 40 (the lower bound,
//   which a repository must reach), claimed_max = 50, qualifier "between".
// Choice among several test counts: one whose sentence says "total"/"in all"/"altogether" first, else
// the largest (so "20 tests: 12 unit and 8 integration" gives 20). A test-file count goes to
// files_claimed; when only files are claimed, claimed stays empty and unit is "test files".
// A number longer than 15 digits is not read: claimed stays empty and note says why.
// No number at all: claimed empty (the claim is still returned when the answer exists, with an empty
// wording); no answer: nullopt.
#pragma once

#include <optional>
#include <string>

#include "engine/audit.h"
#include "reports/report.h"

namespace cc {

struct TestCountClaim {
  int question = 7;
  std::string quote;                    // the sentence holding the number, at most 300 bytes
  std::optional<long long> claimed;     // number of tests claimed
  std::optional<long long> claimed_max; // upper bound of a range ("40-50 tests")
  std::optional<long long> files_claimed;  // number of test files claimed ("11 test files")
  std::string qualifier;  // "", "approximately", "over", "at least", "almost", "fewer than", "at most",
                          // "exactly", "between"
  std::string unit;       // "tests" | "test files" ("" when no number was found)
  std::string wording;    // the words as written, e.g. "approximately 45 tests"
  std::string note;       // why a number could not be read, e.g. "number too large (400 digits)"
};

std::optional<TestCountClaim> extract_test_count(const Report& report);

// The same on one answer text (question number given): used by extract_test_count and tests.
TestCountClaim extract_test_count_from(std::string_view answer_text, int question);

// Coverage claimed in the answer to the question whose prompt mentions "code coverage" (question 8
// when no prompt says so): the TOTAL row of a pasted `coverage report` table first ("TOTAL 120 30 75%",
// also as a markdown table, qualifier "table"); else a percentage ("65%", "48 %", "45.5 percent",
// "approximately **45%**", ranges "60-70%" / "between 60 and 70%"), preferring one whose sentence speaks
// of the total/our coverage over per-file numbers, and skipping the template's hypothetical "100%".
// Qualifiers as for tests. Fills the claim fields of CoverageCheck (claims_judge fills the rest).
// No answer or an unfilled placeholder: nullopt; an answer without a percentage: claimed empty.
std::optional<CoverageCheck> extract_coverage(const Report& report);
CoverageCheck extract_coverage_from(std::string_view answer_text, int question);

}  // namespace cc
