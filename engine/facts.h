// Facts: what probes found in a repository, each with its location. A fact knows nothing of
// checklists; catalog rules (reports/catalog/*.yaml) select facts by kind and attributes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/redact.h"

namespace cc {

struct Location {
  std::string path;  // repository-relative
  int line = 0;      // 1-based; 0 when the fact is about the whole file

  bool operator==(const Location&) const = default;
};

struct Fact {
  std::string kind;                          // dotted name, e.g. "workflow.step", "pytest.file"
  std::map<std::string, std::string> attrs;  // sorted: deterministic output
  Location where;
  std::string detail;                        // one sentence for a person
  std::string origin = "group";              // "group" or "scaffold-stock"

  // The attribute's value, "" when absent: a reference (rules read attributes in loops; the
  // value was copied at every call).
  const std::string& attr(const std::string& key) const {
    static const std::string kNone;
    auto it = attrs.find(key);
    return it == attrs.end() ? kNone : it->second;
  }
};

// Problems reading the input (too large, binary, malformed YAML, ...) are facts of kind
// "input.problem" so they show up as evidence and mark results as partial.
inline constexpr const char* kInputProblem = "input.problem";

class FactStore {
 public:
  void add(Fact f) { facts_.push_back(std::move(f)); }
  void problem(const std::string& path, int line, const std::string& what,
               const std::string& probe);
  const std::vector<Fact>& all() const { return facts_; }
  // For a probe that refines facts it emitted earlier in the same run (e.g. marks a trigger
  // unreachable once every workflow has been read).
  std::vector<Fact>& all_mutable() { return facts_; }
  std::vector<const Fact*> of_kind(const std::string& kind) const;
  // Sort by (kind, path, line, detail, attrs) so that output never depends on probe order.
  void sort();

  // A secret a probe found (issue 12): never put in a fact; redact() masks it in every fact's
  // attributes and detail (other probes may quote the line that holds it).
  void add_secret(std::string_view value) { secrets_.add(value); }
  const Redactor& secrets() const { return secrets_; }
  void redact();
  // Appends another store's facts and secrets (a probe run on another thread into its own store).
  void absorb(FactStore&& other);

 private:
  std::vector<Fact> facts_;
  Redactor secrets_;
};

}  // namespace cc
