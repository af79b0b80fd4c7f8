#include "engine/strings.h"
#include "probes/step_classifier.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "engine/embedded.h"
#include "engine/lazy_regex.h"
#include "engine/yaml_pack.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct StepPatterns::Pattern {
  std::unique_ptr<LazyRegex> re;  // compiled on first use
  int line = 0;
  std::string what;               // for compile_all()'s message
};

struct StepPatterns::Rule {
  std::string cls;
  std::string tool;
  std::string uses;                  // lower-case action prefix ("" = any)
  Pattern run;                       // on each command (re == nullptr: none)
  std::vector<std::string> run_starts;  // regex_literal_starts(run): a command starts with one
  std::vector<std::pair<std::string, Pattern>> with;  // input must match
  std::vector<std::string> without;  // inputs that must be absent
  int min_major = -1;
  bool hosted = false;               // only on GitHub-hosted runners
  std::string note;
};

StepPatterns::StepPatterns() = default;
StepPatterns::~StepPatterns() = default;
StepPatterns::StepPatterns(StepPatterns&&) noexcept = default;
StepPatterns& StepPatterns::operator=(StepPatterns&&) noexcept = default;
std::size_t StepPatterns::rule_count() const { return rules_.size(); }

namespace {

// Index just past the character class that opens at re[open] ('['), or npos when it does not close.
size_t class_end(std::string_view re, size_t open) {
  size_t j = open + 1;
  if (j < re.size() && re[j] == '^') ++j;
  if (j < re.size() && re[j] == ']') ++j;  // a leading ']' is a member
  while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
  return j < re.size() ? j + 1 : std::string_view::npos;
}

// Index just past the group that opens at re[open] ('('), or npos when it does not close.
// Escapes and character classes are skipped.
size_t group_end(std::string_view re, size_t open) {
  int depth = 0;
  for (size_t i = open; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      const size_t e = class_end(re, i);
      if (e == std::string_view::npos) return e;
      i = e - 1;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The alternatives of `re`, split at each '|' outside every group and class; nullopt when a
// group or class does not close.
std::optional<std::vector<std::string_view>> alternatives(std::string_view re) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      ++i;
    } else if (c == '(' || c == '[') {
      const size_t end = c == '(' ? group_end(re, i) : class_end(re, i);
      if (end == std::string_view::npos) return std::nullopt;
      i = end - 1;
    } else if (c == '|') {
      out.push_back(re.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(re.substr(start));
  return out;
}

// The literal text `alt` starts with ("" when none): characters up to the first one that is not
// a literal, or that a quantifier may repeat zero times.
std::string literal_prefix(std::string_view alt) {
  std::string lit;
  for (size_t i = 0; i < alt.size();) {
    char ch = alt[i];
    size_t next = i + 1;
    if (ch == '\\') {
      if (next >= alt.size() || std::isalnum(static_cast<unsigned char>(alt[next]))) break;  // \s \d \b ...
      ch = alt[next];
      next = i + 2;
    } else if (std::string_view(".[]()*+?{}|^$").find(ch) != std::string_view::npos) {
      break;
    }
    if (next < alt.size() && (alt[next] == '?' || alt[next] == '*' || alt[next] == '{')) break;
    lit += ch;
    if (next < alt.size() && alt[next] == '+') break;
    i = next;
  }
  return lit;
}

std::unique_ptr<LazyRegex> compile(const std::string& pattern, int line, const std::string& what,
                                   std::string* error, bool now) {
  auto re = std::make_unique<LazyRegex>(pattern, false);
  if (now && !re->re().ok()) {
    *error = "line " + std::to_string(line) + ": bad regex in " + what + ": " + re->error();
    return nullptr;
  }
  return re;
}

// "owner/repo/path@ref" without the ref, lower-case.
std::string action_name(std::string_view uses) {
  size_t at = uses.find('@');
  return lower_ascii(trim(uses.substr(0, at)));
}

bool uses_matches(const std::string& name, const std::string& prefix) {
  if (name == prefix) return true;
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
    char last = prefix.back();
    return name[prefix.size()] == '/' || last == '/' || last == ':';
  }
  return false;
}

}  // namespace

std::vector<std::string> regex_literal_starts(std::string_view re) {
  if (re.empty() || re[0] != '^') return {};
  re.remove_prefix(1);
  // A '|' outside every group: a match need not start as the first alternative does.
  std::optional<std::vector<std::string_view>> alts = alternatives(re);
  if (!alts || alts->size() != 1) return {};
  if (re.substr(0, 3) == "(?:") {  // a leading group: each of its own alternatives
    const size_t end = group_end(re, 0);
    if (end < re.size() && (re[end] == '?' || re[end] == '*' || re[end] == '{')) return {};
    alts = alternatives(re.substr(3, end - 4));
    if (!alts) return {};
  }
  std::vector<std::string> out;
  for (std::string_view a : *alts) {
    std::string lit = literal_prefix(a);
    if (lit.empty()) return {};
    out.push_back(std::move(lit));
  }
  return out;
}

int action_major_version(std::string_view uses) {
  size_t at = uses.find('@');
  if (at == std::string_view::npos) return -1;
  std::string_view ref = uses.substr(at + 1);
  if (!ref.empty() && (ref[0] == 'v' || ref[0] == 'V')) ref.remove_prefix(1);
  size_t n = 0;
  while (n < ref.size() && n < 6 && std::isdigit(static_cast<unsigned char>(ref[n]))) ++n;
  if (n == 0 || (n < ref.size() && ref[n] != '.')) return -1;
  return std::stoi(std::string(ref.substr(0, n)));
}

bool StepPatterns::load(std::string_view text, std::string* error, bool compile_now) {
  return load(read_yaml(text), error, compile_now);
}

bool StepPatterns::load(const YamlLoad& y, std::string* error, bool compile_now) {
  std::string dummy;
  if (!error) error = &dummy;
  prefixes_.clear();
  rules_.clear();
  if (!y.ok) {
    *error = "line " + std::to_string(y.error_line) + ": " + y.error;
    return false;
  }
  const YNode& root = y.root;
  if (!root.is_map()) {
    *error = "line " + std::to_string(root.line) + ": the pattern file must be a mapping";
    return false;
  }
  for (const auto& [k, v] : root.entries) {
    if (k.text != "schema" && k.text != "command_prefixes" && k.text != "classes") {
      *error = "line " + std::to_string(k.line) + ": unknown top-level key '" + k.text +
               "' (expected schema, command_prefixes, classes)";
      return false;
    }
  }
  const YNode* schema = root.get("schema");
  if (!schema || schema->value() != "claimcheck/workflow-steps/1") {
    *error = "line " + std::to_string(schema ? schema->line : root.line) +
             ": schema must be 'claimcheck/workflow-steps/1'";
    return false;
  }
  if (const YNode* pre = root.get("command_prefixes")) {
    if (!pre->is_seq()) {
      *error = "line " + std::to_string(pre->line) + ": command_prefixes must be a list of regexes";
      return false;
    }
    for (const auto& p : pre->items) {
      if (!p.is_scalar()) {
        *error = "line " + std::to_string(p.line) + ": a command prefix must be a string";
        return false;
      }
      auto re = compile(p.text, p.line, "command_prefixes", error, compile_now);
      if (!re) return false;
      prefixes_.push_back({std::move(re), p.line, "command_prefixes"});
    }
  }
  const YNode* classes = root.get("classes");
  if (!classes || !classes->is_map() || classes->entries.empty()) {
    *error = "line " + std::to_string(classes ? classes->line : root.line) +
             ": classes must be a mapping of class name to a list of rules";
    return false;
  }
  for (const auto& [ck, cv] : classes->entries) {
    std::string cls = ck.value();
    if (cls.empty() || cls == "other") {
      *error = "line " + std::to_string(ck.line) + ": bad class name '" + cls + "'";
      return false;
    }
    if (!cv.is_seq()) {
      *error = "line " + std::to_string(cv.line) + ": class '" + cls + "' must hold a list of rules";
      return false;
    }
    for (const auto& r : cv.items) {
      if (!r.is_map()) {
        *error = "line " + std::to_string(r.line) + ": a rule of class '" + cls + "' must be a mapping";
        return false;
      }
      Rule rule;
      rule.cls = cls;
      for (const auto& [rk, rv] : r.entries) {
        const std::string& key = rk.text;
        std::string where = "line " + std::to_string(rk.line) + ": ";
        if (key == "tool") {
          rule.tool = rv.value();
        } else if (key == "uses") {
          rule.uses = lower_ascii(trim(rv.value()));
        } else if (key == "run") {
          if (!rv.is_scalar()) { *error = where + "run must be a regex string"; return false; }
          const std::string what = "run of class '" + cls + "'";
          rule.run = {compile(rv.text, rv.line, what, error, compile_now), rv.line, what};
          if (!rule.run.re) return false;
          rule.run_starts = regex_literal_starts(rv.text);
        } else if (key == "with") {
          if (!rv.is_map()) { *error = where + "with must map input names to regexes"; return false; }
          for (const auto& [wk, wv] : rv.entries) {
            auto re = compile(wv.value(), wv.line, "with." + wk.text, error, compile_now);
            if (!re) return false;
            rule.with.emplace_back(wk.text, Pattern{std::move(re), wv.line, "with." + wk.text});
          }
        } else if (key == "without") {
          if (!rv.is_seq()) { *error = where + "without must be a list of input names"; return false; }
          for (const auto& w : rv.items) rule.without.push_back(w.value());
        } else if (key == "min_major") {
          std::string s = rv.value();
          if (s.empty() || !std::all_of(s.begin(), s.end(), ::isdigit) || s.size() > 6) {
            *error = where + "min_major must be a whole number";
            return false;
          }
          rule.min_major = std::stoi(s);
        } else if (key == "hosted") {
          rule.hosted = rv.value() == "true";
        } else if (key == "note") {
          rule.note = rv.value();
        } else {
          *error = where + "unknown rule key '" + key +
                   "' (expected tool, uses, run, with, without, min_major, hosted, note)";
          return false;
        }
      }
      std::string where = "line " + std::to_string(r.line) + ": ";
      if (rule.tool.empty()) { *error = where + "a rule needs a tool"; return false; }
      if (rule.uses.empty() == !rule.run.re) {
        *error = where + "a rule needs exactly one of uses or run";
        return false;
      }
      if (rule.run.re && (!rule.with.empty() || !rule.without.empty() || rule.min_major >= 0)) {
        *error = where + "with, without and min_major only apply to uses rules";
        return false;
      }
      rules_.push_back(std::move(rule));
    }
  }
  return true;
}

const StepPatterns* StepPatterns::builtin(std::string* error) {
  static std::once_flag once;
  static StepPatterns patterns;
  static bool ok = false;
  static std::string err;
  std::call_once(once, [] {
    const EmbeddedFile* f = find_embedded_file(embedded_probe_data(), "data/workflow_steps.yaml");
    if (!f || f->data.empty()) {
      err = "probes/data/workflow_steps.yaml is not embedded in this build";
      return;
    }
    ok = patterns.load(embedded_yaml(*f), &err, false);
  });
  if (!ok) {
    if (error) *error = err;
    return nullptr;
  }
  return &patterns;
}

std::string StepPatterns::compile_all() const {
  auto check = [](const Pattern& p) -> std::string {
    if (!p.re || p.re->re().ok()) return "";
    return "line " + std::to_string(p.line) + ": bad regex in " + p.what + ": " + p.re->error();
  };
  for (const auto& p : prefixes_)
    if (std::string e = check(p); !e.empty()) return e;
  for (const auto& r : rules_) {
    if (std::string e = check(r.run); !e.empty()) return e;
    for (const auto& [k, p] : r.with)
      if (std::string e = check(p); !e.empty()) return e;
  }
  return "";
}

std::vector<ShellCommand> StepPatterns::commands(std::string_view script) const {
  // Lines, with '\' continuations joined; '#' lines are commented-out commands.
  std::vector<ShellCommand> lines;
  std::string cur;
  size_t i = 0;
  while (i <= script.size()) {
    size_t e = script.find('\n', i);
    if (e == std::string_view::npos) e = script.size();
    std::string line = trim(script.substr(i, e - i));
    i = e + 1;
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      cur += line + " ";
      if (i > script.size()) lines.push_back({trim(cur), false});
      continue;
    }
    cur += line;
    std::string t = trim(cur);
    cur.clear();
    if (t.empty()) {
      if (e == script.size()) break;
      continue;
    }
    bool commented = false;
    while (!t.empty() && t[0] == '#') { t = trim(t.substr(1)); commented = true; }
    if (!t.empty()) lines.push_back({t, commented});
    if (e == script.size()) break;
  }
  std::vector<ShellCommand> out;
  for (const auto& l : lines) {
    std::string text = l.text;
    // Drop a trailing comment of an active line.
    if (!l.commented) {
      size_t h = text.find(" #");
      if (h != std::string::npos) text = trim(text.substr(0, h));
    }
    // Split on && || ; | (quotes ignored: an approximation that is fine for CI commands).
    size_t s = 0;
    for (size_t k = 0; k <= text.size(); ++k) {
      bool sep = k == text.size() || text[k] == ';' || text[k] == '|' ||
                 (text[k] == '&' && k + 1 < text.size() && text[k + 1] == '&');
      if (!sep) continue;
      std::string part = trim(std::string_view(text).substr(s, k - s));
      if (k < text.size() && k + 1 < text.size() && (text[k + 1] == '&' || text[k + 1] == '|')) ++k;
      s = k + 1;
      // Strip prefixes repeatedly (bounded).
      for (int round = 0; round < 32 && !part.empty(); ++round) {
        bool stripped = false;
        for (const auto& pre : prefixes_) {
          re2::StringPiece sp(part);
          if (pre.re->may_match(part) && re2::RE2::Consume(&sp, pre.re->re()) && sp.size() < part.size()) {
            part = trim(std::string_view(sp.data(), sp.size()));
            stripped = true;
            break;
          }
        }
        if (!stripped) break;
      }
      while (!part.empty() && (part[0] == '(' || part[0] == '{' || part[0] == '!')) part = trim(part.substr(1));
      if (!part.empty()) out.push_back({part, l.commented});
    }
  }
  return out;
}

std::vector<StepClass> StepPatterns::classify(const StepView& step) const {
  struct Acc {
    std::set<std::string> active, commented;
    std::set<std::string> notes;
  };
  std::map<std::string, Acc> acc;
  std::string name = action_name(step.uses);
  int major = action_major_version(step.uses);
  std::vector<ShellCommand> cmds;
  if (!step.run.empty()) cmds = commands(step.run);
  auto with_value = [&](const std::string& key) -> const std::string* {
    for (const auto& [k, v] : step.with)
      if (k == key) return &v;
    return nullptr;
  };
  for (const auto& r : rules_) {
    if (!r.uses.empty()) {
      if (name.empty() || !uses_matches(name, r.uses)) continue;
      if (r.min_major >= 0 && major < r.min_major) continue;
      if (r.hosted && step.self_hosted) continue;
      bool ok = true;
      for (const auto& [k, pat] : r.with) {
        const std::string* v = with_value(k);
        if (!v || !pat.re->partial_match(*v)) { ok = false; break; }
      }
      for (const auto& k : r.without)
        if (with_value(k)) ok = false;
      if (!ok) continue;
      acc[r.cls].active.insert(r.tool);
      if (!r.note.empty()) acc[r.cls].notes.insert(r.note);
    } else if (r.run.re) {
      for (const auto& c : cmds) {
        if (!r.run_starts.empty() &&
            std::none_of(r.run_starts.begin(), r.run_starts.end(),
                         [&](const std::string& s) { return c.text.compare(0, s.size(), s) == 0; }))
          continue;  // cannot match: not compiled for this command
        if (!r.run.re->partial_match(c.text)) continue;
        (c.commented ? acc[r.cls].commented : acc[r.cls].active).insert(r.tool);
        if (!r.note.empty()) acc[r.cls].notes.insert(r.note);
      }
    }
  }
  std::vector<StepClass> out;
  for (auto& [cls, a] : acc) {
    StepClass sc;
    sc.cls = cls;
    sc.commented = a.active.empty();
    const auto& tools = a.active.empty() ? a.commented : a.active;
    sc.tools.assign(tools.begin(), tools.end());
    sc.notes.assign(a.notes.begin(), a.notes.end());
    out.push_back(std::move(sc));
  }
  if (out.empty()) out.push_back(StepClass{"other", {}, false, {}});
  return out;
}

}  // namespace cc
