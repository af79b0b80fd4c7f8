// Classifies GitHub workflow steps (test, coverage, lint, cache, docker, deploy, setup, ...) with
// patterns read from probes/data/workflow_steps.yaml: action prefixes for `uses:`, RE2 regexes for
// the shell commands of `run:`, conditions on `with:` inputs. No pattern lives in code.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc {

class LazyRegex;
struct YamlLoad;

struct StepView {
  std::string uses;  // as written, e.g. "astral-sh/setup-uv@v5"
  std::string run;   // the script
  std::vector<std::pair<std::string, std::string>> with;  // inputs, ${{ matrix.x }} substituted
  bool self_hosted = false;  // every runner of the job is self-hosted
};

struct StepClass {
  std::string cls;                 // "test", "lint", ..., or "other"
  std::vector<std::string> tools;  // sorted, distinct
  bool commented = false;          // found only in commented-out lines of the script
  std::vector<std::string> notes;  // from the rules that matched
};

// One shell command of a run script after the pattern file's prefixes (env assignments, `uv run`,
// `python -m`, ...) are stripped. Exposed for tests.
struct ShellCommand {
  std::string text;
  bool commented = false;  // from a line starting with '#'
};

class StepPatterns {
 public:
  StepPatterns();
  ~StepPatterns();
  StepPatterns(StepPatterns&&) noexcept;
  StepPatterns& operator=(StepPatterns&&) noexcept;

  // Parse a pattern file. On error returns false and sets *error ("line N: what"). The regexes
  // are compiled now when `compile_now`, else on first use (compile_all() then checks them).
  bool load(std::string_view yaml_text, std::string* error, bool compile_now = true);
  // The same from a tree already read (the built-in file's, engine/yaml_pack.h).
  bool load(const YamlLoad& y, std::string* error, bool compile_now = true);

  // The patterns compiled into the binary (probes/data/workflow_steps.yaml), loaded once; their
  // regexes compile on first use (the unit tests compile_all() them). nullptr when that data is
  // malformed; *error then says why.
  static const StepPatterns* builtin(std::string* error);

  // Compiles every regex now: "" or the first that does not compile ("line N: bad regex in ...").
  std::string compile_all() const;

  // Every class the step belongs to, sorted by class name; {"other"} when none.
  std::vector<StepClass> classify(const StepView& step) const;

  // The script split into commands ('&&', '||', ';', '|', newlines; '\' continuations joined),
  // prefixes stripped.
  std::vector<ShellCommand> commands(std::string_view script) const;

  std::size_t rule_count() const;

 private:
  struct Pattern;
  struct Rule;
  std::vector<Pattern> prefixes_;
  std::vector<Rule> rules_;
};

// The literal texts one of which every match of `regex` starts with, when the regex is anchored
// (^) and begins with literal text or a group of literal alternatives: '^(?:pytest|py\.test)\s'
// -> {"pytest", "py.test"}. Empty when not known (the regex must then be tried). A run rule is
// only tried, and compiled, on a command that starts with one of them: most of the 61 rules meet
// no command of a repository's workflows.
std::vector<std::string> regex_literal_starts(std::string_view regex);

// Major version of an action reference: "x/y@v5.1" -> 5, "x/y@5" -> 5; -1 when unknown (sha, branch).
int action_major_version(std::string_view uses);

}  // namespace cc
