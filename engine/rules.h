// Catalog rules: data (reports/catalog/*.yaml), not code. Two kinds of file:
//  - checks.yaml: named checks. A check is an ordered list of outcomes, each a status with a
//    condition over facts and a sentence; the first outcome whose condition holds wins, else
//    `otherwise`. See reports/catalog/README.md for the schema.
//  - rules-<family>.yaml: the checklist items of one template family: text patterns (RE2,
//    case-insensitive), module, and the check that decides them (or none: not-checked).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audit.h"
#include "engine/facts.h"
#include "engine/lazy_regex.h"
#include "engine/questions.h"

namespace re2 {
class RE2;
}


namespace cc {

struct YNode;     // engine/yaml_tree.h
struct YamlLoad;  // engine/yaml_tree.h

// A rule file that does not follow the schema: says which file, where and what.
struct CatalogError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A catalog file's error at a node, "FILE:LINE: what", thrown as CatalogError (rules and
// questions read their YAML with these).
[[noreturn]] void catalog_fail(const std::string& file, const YNode& n, const std::string& what);
// A scalar's text where a string is wanted (a pattern, a probe name, a map's key), else
// catalog_fail.
const std::string& catalog_text(const std::string& file, const YNode& n);

struct AttrTest {
  std::string attr;
  std::shared_ptr<const LazyRegex> re;  // partial match
  std::string pattern;
};

struct NumTest {
  std::string attr;
  std::string op;  // >=, <=, >, <, ==, !=
  long long value = 0;
};

struct Condition {
  enum class Kind { all, any, not_, leaf } kind = Kind::leaf;
  std::vector<Condition> children;
  // leaf: facts of `fact` kind whose attrs match every `where` and `num` test
  std::string fact;
  std::vector<AttrTest> where;
  std::vector<NumTest> num;
  long long min = 1;                    // at least this many matching facts...
  std::optional<long long> max;         // ...and at most this many
  std::string distinct;                 // ...or, if set, this many distinct values of this attr
  std::optional<std::string> origin;    // only facts of this origin ("group")
  // all: the children's matched facts must share a file (one file that has facts of every child):
  // "a FastAPI route and a bucket write in the same module". Only "path" is known.
  std::string same;
};

struct Outcome {
  std::string status;  // supported | partial | absent | unverifiable
  std::optional<Condition> when;  // none: always
  std::string says;
};

// An observation worth showing that does not change the status (the accusation policy): when
// `when` holds, each fact it matched becomes a note "says: <fact detail>" with the fact's place.
struct NoteRule {
  Condition when;
  std::string says;
};

struct Check {
  std::string id;
  std::string looked_for;                 // what would support the item, for a person
  std::vector<Outcome> outcomes;          // first that holds wins
  Outcome otherwise;                      // when none holds
  std::vector<std::string> probes;        // input problems of these probes make "absent" unsure
  std::vector<NoteRule> notes;            // shown under the item whatever the status
};

struct ItemRule {
  std::string id;
  std::string module;
  std::vector<std::shared_ptr<const LazyRegex>> patterns;
  std::string check;  // "" -> not-checked
};

// What evaluate() knows besides the facts.
struct EvalContext {
  std::string scaffold_commit;  // id of the scaffold commit (History::scaffold()), "" if none
};

struct CheckResult {
  std::string status;
  std::string reason;
  std::vector<Evidence> evidence;
  std::vector<ItemNote> notes;
};

class Catalog {
 public:
  // Load from (file name, text) pairs; throws CatalogError with file and line on bad data.
  void load(const std::string& name, std::string_view yaml_text, bool compile_now = true);
  // The same from a file already read (the built-in files' trees, engine/yaml_pack.h).
  void load(const std::string& name, const YamlLoad& y, bool compile_now = true);
  // The same from a parsed file (engine/yaml_tree.h).
  // compile_now: every pattern is compiled (and a bad one is an error) here; otherwise on its first
  // use (engine/lazy_regex.h: the built-in catalog, whose patterns the unit tests compile).
  void load_tree(const std::string& name, const YNode& root, bool compile_now = true);
  void validate() const;  // every item's check exists
  // Every pattern compiled now (the batch, before its workers fork: they share the compiled ones).
  void compile_patterns() const;
  // The patterns of one check compiled now (an audit, beside the probes, for its report's items).
  void compile_patterns(const Check& c) const;

  // The item rule of `family` whose pattern matches the item text (first in file order).
  const ItemRule* match_item(const std::string& family, std::string_view text) const;
  const Check* check(const std::string& id) const;
  std::vector<std::string> families() const;
  // Everything loaded, in file order: for `claimcheck rules` and `claimcheck explain`.
  const std::vector<std::pair<std::string, ItemRule>>& items() const { return items_; }
  const std::vector<Check>& checks() const { return checks_; }
  // Questions for the oral exam (questions.yaml); empty when the catalog has none.
  const QuestionTemplates& questions() const { return questions_; }

  // A `supported` outcome whose evidence is all "scaffold-stock" becomes `partial`, and its
  // reason names the stock files and the scaffold commit: the template's own file proves little.
  CheckResult evaluate(const Check& c, const FactStore& facts, const EvalContext& ctx = {}) const;

 private:
  std::vector<Check> checks_;
  std::vector<std::pair<std::string, ItemRule>> items_;  // family -> rule, file order
  QuestionTemplates questions_;
};

}  // namespace cc
