// The report against its own ticks: an answer that says a checklist item was not done ("we did not
// get to profiling", "quantization was dropped in the end", "monitoring was not implemented", "the
// API was only deployed locally"), or that the thing lives outside this repository ("our frontend
// is in a separate repository"). Rules are data: reports/catalog/contradictions.yaml holds, per
// catalog item id, the topic words that name the item's thing, and the cue templates ({topic}
// stands for the item's topics) that say it was not done.
//
// Precision first: a quote counts only when a cue matches inside one sentence of an answer, with
// the topic within a few words of the cue; a sentence that also says it was done after all ("but
// in the end we managed", "... instead.") is not a contradiction; hypotheticals are not cues.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"

namespace cc {

struct YNode;     // engine/yaml_tree.h
struct YamlLoad;  // engine/yaml_tree.h

struct ContradictionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Contradiction {
  std::string item;   // catalog item id ("profiling")
  std::string kind;   // "not-done" | "elsewhere"
  int question = 0;
  int line = 0;       // line of the sentence in the report file
  std::string quote;  // the sentence (cut to about 300 bytes)
  std::string cue;    // the words that matched
};

class ContradictionRules {
 public:
  ContradictionRules();
  ~ContradictionRules();
  ContradictionRules(ContradictionRules&&) noexcept;
  ContradictionRules& operator=(ContradictionRules&&) noexcept;

  // Load contradictions.yaml text; throws ContradictionError naming the line on bad data.
  // compile_now: every pattern compiled (a bad one an error) at load; else on first use.
  void load(std::string_view yaml_text, const std::string& name = "contradictions.yaml", bool compile_now = true);
  // The same from a file already read (the built-in file's tree, engine/yaml_pack.h).
  void load(const YamlLoad& y, const std::string& name, bool compile_now = true);
  // The same from a parsed file (engine/yaml_tree.h).
  void load_tree(const YNode& root, const std::string& name, bool compile_now = true);
  bool empty() const;
  // The built-in rules (reports/catalog/contradictions.yaml, compiled in).
  static const ContradictionRules& builtin();

  // The first not-done and the first elsewhere quote per item id of `items` (ids as in the
  // catalog), in report order.
  std::vector<Contradiction> find(const Report& report, const std::vector<std::string>& items) const;

  // The first pass (which shared cues may match each sentence) runs every cue's own pattern on
  // each sentence, or, for reports of at least this many sentences, one RE2::Set of them, built
  // on that first use. The set's build (about 2 ms) costs more than it saves below about 1,500
  // sentences (measured); a real report has a few hundred. Both give the same answers (tests set 0 and
  // SIZE_MAX to compare them).
  static constexpr std::size_t kSetFromSentences = 1500;
  void first_pass_set_from(std::size_t sentences) { set_from_ = sentences; }

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
  std::size_t set_from_ = kSetFromSentences;
};

}  // namespace cc
