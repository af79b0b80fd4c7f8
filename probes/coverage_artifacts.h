// Probe "coverage-artifacts": coverage results and configuration committed to the repository,
// read statically (no XML or SQLite library: the few numbers needed are found by scanning).
//
// Facts (attribute values are strings; percent is an integer, or "" when unknown):
//   coverage.artifact {path, kind, percent}: kind
//       cobertura    coverage.xml / cobertura*.xml: the root <coverage line-rate="0.82"> -> 82
//       json         coverage.json: totals.percent_covered
//       html         htmlcov/index.html (or any index.html with a pc_cov span): <span class="pc_cov">
//       lcov         lcov.info / *.lcov: sum of LH over sum of LF
//       data         .coverage / .coverage.* (SQLite data file: present, no percent)
//       table        a pasted `coverage report` TOTAL row in a markdown file (not under reports/)
//     Percentages round like coverage.py's report: never up to 100 nor down to 0 unless exact.
//   coverage.config   {file, kind (codecov|.coveragerc|setup.cfg|tox.ini)}
//   coverage.badge    {path, url, percent}: coverage badges (shields.io, codecov, coveralls, or a
//                     coverage*.svg image) in README files (not under reports/)
//   input.problem     (probe "coverage-artifacts") for artefacts that are binary, too large or
//                     malformed; the artefact fact is still emitted, with percent "".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

class CoverageArtifactsProbe : public Probe {
 public:
  std::string id() const override { return "coverage-artifacts"; }
  std::string summary() const override {
    return "coverage artefacts (coverage.xml/json, htmlcov, lcov, .coverage), codecov and "
           ".coveragerc configuration, coverage badges";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
};

// The line-rate of a Cobertura document's root <coverage> element, as a fraction; nullopt when
// the text has no such element or the attribute is not a number in [0, 1].
std::optional<double> cobertura_line_rate(std::string_view xml);

// totals.percent_covered of a coverage.py JSON report; nullopt when absent or not a number.
std::optional<double> coverage_json_percent(std::string_view json);

// The integer percent coverage.py would print for a fraction of 100 (49.5 -> 50, 99.7 -> 99,
// 0.2 -> 1).
int coverage_round(double percent);

}  // namespace cc
