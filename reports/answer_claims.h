// Claims in the answers that name things in the repository or in CI: repository paths, image links,
// and what the CI question says the workflows do. Extraction only: the claim fields of the engine's
// PathCheck / FigureCheck / CiProseCheck (engine/audit.h); engine/claims_judge.h judges them.
//
// Paths (every answer), from
// - inline code spans (`src/pkg/train.py`, `python src/pkg/train.py --lr 1e-3`: every token),
// - fenced code blocks (commands: every token of every line),
// - markdown links [text](target) (relative to the report's folder, like GitHub renders them),
// - GitHub blob/tree/raw links github.com/<o>/<r>/(blob|tree|raw)/<ref>/<path> and
//   raw.githubusercontent.com/<o>/<r>/<ref>/<path>: the path part (owner/repo are not compared),
// - plain text: a word with a '/' and a known file extension (tests/test_api.py).
// A token is a path when it has a known file extension (.py, .yaml, .toml, .dockerfile, .png, ...) or
// is a known file name (Dockerfile, Makefile, ...), or, in code only, has a '/' (then `directory_like`:
// the judge keeps it only when its first folder exists, so `train/loss` or `CI/CD` are not paths).
// Not paths: URLs to other hosts, host-like first parts (gcr.io/x), action references (actions/x@v4),
// globs, variables ($HOME/x), placeholders (<path>), options (-r), python module names (torch.nn).
// Absolute paths in code (/app/src, container paths) are skipped; in links they are kept (outside).
// Each (question, mention) once; at most kMaxPathMentions in all (a note says when more were found).
//
// Figures: ![alt](target "title") and <img src="target">, per answer, at most kMaxFigures in all.
//
// CI prose (the question whose prompt says "continuous integration" / "continues integration", else
// 11): per clause (sentences split at , ; but however only), in clauses that speak of CI (test, CI,
// workflow, action, matrix, run, job, operating system, ...) and are not hypothetical (could, would,
// should, plan, future, if): operating systems (ubuntu/linux, windows, macos/mac/osx), Python versions
// (3.N in a sentence naming Python), caching (cache/caching/cached), linting (lint, linter, ruff,
// flake8, pylint, black, isort, mypy, pre-commit). A negation before the mention in its clause
// ("not", "n't", "no", "never", "without", "neither", "nor") makes a negative claim.
#pragma once

#include <string>
#include <vector>

#include "engine/audit.h"
#include "reports/report.h"

namespace cc {

inline constexpr size_t kMaxPathMentions = 500;
inline constexpr size_t kMaxFigures = 500;
inline constexpr size_t kMaxCiClaims = 100;

struct ExtractedAnswerClaims {
  std::vector<PathCheck> paths;  // claim fields only; directory_like ones carry note "directory-like"
  std::vector<FigureCheck> figures;
  std::vector<CiProseCheck> ci_prose;
  std::vector<std::string> notes;  // caps reached
};

// report_dir: the folder links are relative to ("reports" for reports/README.md; "" for the root).
ExtractedAnswerClaims extract_answer_claims(const Report& report, const std::string& report_dir);

// Pieces, for tests.
// `more` (optional) is increased by the number of mentions found beyond the cap.
std::vector<PathCheck> extract_paths_from(std::string_view answer_text, int question,
                                          const std::string& report_dir, size_t* more = nullptr);
std::vector<FigureCheck> extract_figures_from(std::string_view answer_text, int question,
                                              size_t* more = nullptr);
std::vector<CiProseCheck> extract_ci_prose_from(std::string_view answer_text, int question);

}  // namespace cc
