// Questions for the oral exam: one short question per ticked item that is over-claimed, weak,
// unverifiable or contradicted by the report's own answer, and per over-claimed number in the
// answers. The wording is data (reports/catalog/questions.yaml): templates with {placeholders}
// filled from the verdict's reason and evidence, never text invented at run time.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/audit.h"


namespace cc {

struct YNode;  // engine/yaml_tree.h

// The placeholders a template may name; loading rejects any other.
const std::vector<std::string>& question_placeholders();

class QuestionTemplates {
 public:
  // Read the `questions` map of one catalog file; throws CatalogError (file:line: what).
  void load(const std::string& file, const YNode& questions);
  // Every outcome has at least one template (called when any were loaded).
  void validate() const;
  bool empty() const { return by_outcome_.empty(); }

  // The variants for an outcome, a rule's own first when it has some; empty when none.
  const std::vector<std::string>& variants(const std::string& rule, const std::string& outcome) const;

 private:
  std::map<std::string, std::vector<std::string>> by_outcome_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_rule_;
};

// The outcomes a template can be written for, in the order questions are asked.
const std::vector<std::string>& question_outcomes();

struct OralQuestion {
  std::string outcome;  // contradicted | overclaimed | weak | unverifiable | test-count | coverage | ci-prose
  std::string rule;     // catalog item id ("" for claims in the answers)
  int line = 0;         // line in the report the question is about
  std::string text;
};

// Fill a template: the first variant whose placeholders all have a value wins; with none, the last
// variant with the missing ones left empty.
std::string fill_question(const std::vector<std::string>& variants,
                          const std::map<std::string, std::string>& values);

// The questions for one audit, items in report order, then the claims in the answers.
std::vector<OralQuestion> oral_questions(const AuditResult& r, const QuestionTemplates& t);

}  // namespace cc
