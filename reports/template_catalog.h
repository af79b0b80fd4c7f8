// Template recognition: which version of the course's report template a report follows.
//
// The catalog (reports/catalog/templates.yaml, compiled into the binary) holds, per template version,
// fingerprints instead of text: the 64-bit FNV-1a hash (16 hex digits) of each checklist item, each
// question prompt and each non-question heading, after text::fingerprint_normal() (ASCII lower case,
// punctuation and whitespace runs to one space). It also holds the per-question word/image limits that
// the course's checker (report.py) applied to that version.
//
// Similarity of a report to a version: (checklist items found + prompts found) divided by
// (max(version items, report items) + max(version prompts, report prompts)), multiset matching; when the
// report has no checklist at all, only prompts count. So 1.0 means the same items and prompts.
// Ties go to the version with the same question count, then the same checklist size, then the newest.
// Similarity 0 (nothing in common): version "" and a family guessed from the structure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"

namespace cc {

struct YamlLoad;

struct QuestionLimits {
  int question = 0;
  std::optional<int> min_words, max_words, min_images, max_images;
};

struct TemplateVersion {
  std::string id;       // file name stem: "2026-01-09_eb7305c5"
  std::string date;     // "2026-01-09"
  std::string family;   // "2022" | "2023" | "2025"
  int questions = 0;
  int checklist_items = 0;
  std::vector<uint64_t> checklist;  // fingerprints in template order
  std::vector<uint64_t> prompts;    // fingerprints, prompt of question i at [i-1]
  std::vector<uint64_t> headings;   // fingerprints of the non-question headings
  std::vector<QuestionLimits> limits;
};

// Family from structure: no checklist -> "2022" unless 31 questions; >= 52 items or 31 questions -> "2025";
// otherwise "2023".
std::string template_family(int questions, int checklist_items);

// Parse a templates.yaml text. Malformed entries are skipped with a message in errors (when given).
std::vector<TemplateVersion> load_template_versions(std::string_view yaml,
                                                    std::vector<std::string>* errors = nullptr);
// The same from a tree already read (the built-in file's, engine/yaml_pack.h).
std::vector<TemplateVersion> load_template_versions(const YamlLoad& y,
                                                    std::vector<std::string>* errors = nullptr);

// The versions of the embedded catalog/templates.yaml (parsed once).
const std::vector<TemplateVersion>& template_versions();

// One catalog entry (a YAML sequence item, without limits) for a template's markdown: used to
// generate reports/catalog/templates.yaml. Limits come from question-constraints.tsv separately.
std::string template_fingerprint_yaml(std::string_view template_md, std::string_view id,
                                      std::string_view date);

// Closest version with its family, similarity and differences (sentences).
TemplateMatch recognise_template(const Report& report);
TemplateMatch recognise_template(const Report& report, const std::vector<TemplateVersion>& versions);

// Fill each answer's min/max words/images from the limits of report.tmpl.version (if known).
void apply_template_limits(Report& report);
void apply_template_limits(Report& report, const std::vector<TemplateVersion>& versions);

}  // namespace cc
