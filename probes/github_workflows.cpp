#include "engine/strings.h"
#include "probes/github_workflows.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

#include "probes/read/parse_cache.h"
#include "probes/read/file.h"
#include "probes/read/text.h"
#include "probes/step_classifier.h"
#include "probes/workflow_paths.h"

namespace cc {

namespace {

const char* kProbe = "github-workflows";

// Cut at `max` bytes without splitting a UTF-8 sequence.
std::string utf8_prefix(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// First 200 bytes of a script, its non-blank lines joined with " ; ".
// Can this lint script fail the build? Not with `--exit-zero` or `|| true`, nor when it only
// reformats (`ruff format`, `black` without --check/--diff): such a step checks nothing.
// Judged per command (lines, `&&`, `;`): one command that checks and can fail is enough.
bool lint_enforcing(const std::string& script) {
  static const RE2 never(R"((--exit-zero|\|\|\s*(true|:|exit\s+0|echo)))");
  static const RE2 checker(R"((\bruff\s+check\b|\bruff\s+(\.|[\w/]+\.py)|\bflake8\b|\bpylint\b|\bmypy\b|\bpre-commit\s+run\b|\bisort\b.*--check|\bpycodestyle\b|--check\b|--diff\b))");
  std::string cmd;
  auto judge = [&]() {
    bool ok = RE2::PartialMatch(cmd, checker) && !RE2::PartialMatch(cmd, never);
    cmd.clear();
    return ok;
  };
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    bool split = c == '\n' || c == ';' || (c == '&' && i + 1 < script.size() && script[i + 1] == '&');
    if (!split) {
      cmd.push_back(c);
      continue;
    }
    if (c == '&') ++i;
    if (judge()) return true;
  }
  return judge();
}

// What a coverage command measures: `--cov=pkg`, `--cov pkg`, `coverage run --source=pkg`
// (comma-joined; "" when it measures everything it imports).
std::string coverage_targets(const std::string& script) {
  static const RE2 re(R"((?:--cov|--source)(?:=|\s+)([A-Za-z0-9_./\\-]+))");
  std::set<std::string> out;
  re2::StringPiece in(script);
  std::string t;
  while (out.size() < 10 && RE2::FindAndConsume(&in, re, &t))
    if (t.front() != '-') out.insert(t);
  std::string j;
  for (const auto& x : out) j += (j.empty() ? "" : ",") + x;
  return j;
}

// Marks coverage steps whose every target names nothing in the repository (`--cov=com` copied
// from an example): such a step measures none of the project's code.
void check_coverage_targets(const Snapshot& snap, FactStore& out) {
  for (Fact& f : out.all_mutable()) {
    if (f.kind != "workflow.step" || f.attr("cov_targets").empty()) continue;
    bool any = false;
    const std::string targets = f.attr("cov_targets");
    for (std::string t : split_commas(targets)) {
      if (any) break;
      while (!t.empty() && (t.back() == '/' || t.back() == '\\')) t.pop_back();
      while (t.rfind("./", 0) == 0) t.erase(0, 2);
      if (t.empty() || t == ".") { any = true; break; }
      std::string as_path = t;
      if (as_path.find('/') == std::string::npos) std::replace(as_path.begin(), as_path.end(), '.', '/');
      for (const auto& e : snap.files()) {
        const std::string& p = e.path;
        auto at = [&](size_t pos) {  // `as_path` is a folder or a .py module at `pos`
          return p.compare(pos, as_path.size(), as_path) == 0 &&
                 (p.compare(pos + as_path.size(), 1, "/") == 0 || p.compare(pos + as_path.size(), std::string::npos, ".py") == 0);
        };
        if (at(0)) { any = true; break; }
        for (size_t s = p.find('/'); s != std::string::npos; s = p.find('/', s + 1))
          if (at(s + 1)) { any = true; break; }
        if (any) break;
      }
    }
    f.attrs["cov_target_exists"] = any ? "yes" : "no";
    if (!any)
      f.detail += "; it measures " + targets + ", which names no folder or module of the repository";
  }
}

std::string run_summary(const std::string& script) {
  std::string o;
  size_t i = 0;
  while (i <= script.size()) {
    size_t e = script.find('\n', i);
    if (e == std::string::npos) e = script.size();
    std::string l = trim(std::string_view(script).substr(i, e - i));
    if (!l.empty()) {
      if (!o.empty()) o += " ; ";
      o += l;
    }
    if (o.size() > 200 || e == script.size()) break;
    i = e + 1;
  }
  return utf8_prefix(o, 200);
}

// Scalar or list of scalars as a set of texts.
std::set<std::string> string_list(const YNode* n) {
  std::set<std::string> out;
  if (!n) return out;
  if (n->is_scalar()) out.insert(n->value());
  if (n->is_seq())
    for (const auto& i : n->items)
      if (i.is_scalar()) out.insert(i.value());
  return out;
}

std::set<std::string> map_keys(const YNode* n) {
  std::set<std::string> out;
  if (n && n->is_map())
    for (const auto& [k, v] : n->entries) out.insert(k.value());
  return out;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// ---- Triggers ---------------------------------------------------------------------------------

const std::set<std::string>& known_events() {
  static const std::set<std::string> s = {
      "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
      "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "image_version",
      "issue_comment", "issues", "label", "merge_group", "milestone", "page_build", "project",
      "project_card", "project_column", "public", "pull_request", "pull_request_review",
      "pull_request_review_comment", "pull_request_target", "push", "registry_package", "release",
      "repository_dispatch", "schedule", "status", "watch", "workflow_call", "workflow_dispatch",
      "workflow_run"};
  return s;
}

// Keys GitHub reads under an event (anything else is ignored).
std::set<std::string> event_keys(const std::string& event) {
  if (event == "push")
    return {"branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore"};
  if (event == "pull_request" || event == "pull_request_target")
    return {"branches", "branches-ignore", "paths", "paths-ignore", "types"};
  if (event == "workflow_dispatch") return {"inputs"};
  if (event == "workflow_call") return {"inputs", "outputs", "secrets"};
  if (event == "workflow_run") return {"workflows", "types", "branches", "branches-ignore"};
  if (event == "merge_group") return {"types", "branches"};
  return {"types"};
}

std::string suggest_key(const std::string& key, const std::set<std::string>& known) {
  std::string norm = key;
  std::replace(norm.begin(), norm.end(), '_', '-');
  norm = lower_ascii(norm);
  std::string best;
  size_t best_d = 3;
  for (const auto& k : known) {
    if (k == norm) return k;
    size_t d = edit_distance(norm, k);
    if (d < best_d) { best_d = d; best = k; }
  }
  return best;
}

// ---- Runners ----------------------------------------------------------------------------------

struct RunsOn {
  std::string text;  // labels joined with '+'; "group:<g>" for runner groups
  std::string os;    // family
  bool unresolved = false;
};

RunsOn resolve_runs_on(const YNode* n, const MatrixCombo& combo, bool matrix_known) {
  RunsOn r;
  if (!n || n->is_null()) return r;
  std::vector<std::string> labels;
  auto add_scalar = [&](const YNode& s) {
    bool unres = false;
    std::string t = substitute_matrix(s.is_scalar() && !s.plain ? s.text : s.value(), combo,
                                      matrix_known, &unres);
    if (unres) r.unresolved = true;
    labels.push_back(trim(t));
  };
  const YNode* node = n;
  YNode resolved;
  // runs-on: ${{ matrix.os }} where the matrix value is itself a list or a mapping.
  if (n->is_scalar() && matrix_known) {
    std::string t = trim(n->text);
    if (t.rfind("${{", 0) == 0 && t.size() > 5 && t.compare(t.size() - 2, 2, "}}") == 0 &&
        t.find("${{", 3) == std::string::npos) {
      std::string expr = trim(std::string_view(t).substr(3, t.size() - 5));
      if (expr.rfind("matrix.", 0) == 0) {
        if (const YNode* v = combo.get(expr.substr(7)); v && (v->is_seq() || v->is_map())) {
          resolved = *v;
          node = &resolved;
        }
      }
    }
  }
  if (node->is_scalar()) {
    add_scalar(*node);
  } else if (node->is_seq()) {
    for (const auto& i : node->items)
      if (i.is_scalar()) add_scalar(i);
  } else if (node->is_map()) {
    if (const YNode* g = node->get("group"); g && g->is_scalar()) {
      bool unres = false;
      labels.push_back("group:" + substitute_matrix(g->value(), combo, matrix_known, &unres));
      if (unres) r.unresolved = true;
    }
    if (const YNode* l = node->get("labels")) {
      if (l->is_scalar()) add_scalar(*l);
      if (l->is_seq())
        for (const auto& i : l->items)
          if (i.is_scalar()) add_scalar(i);
    }
  }
  for (const auto& l : labels) {
    if (l.empty()) continue;
    if (!r.text.empty()) r.text += "+";
    r.text += l;
  }
  r.os = r.unresolved ? "other" : runner_os_family(r.text);
  return r;
}

// ---- Steps ------------------------------------------------------------------------------------

struct StepInfo {
  const YNode* node = nullptr;
  int index = 0;  // 1-based
  std::string name, uses, run, if_;
  std::vector<std::pair<std::string, const YNode*>> with;
};

StepView view_for(const StepInfo& s, const MatrixCombo& combo, bool matrix_known, bool self_hosted) {
  StepView v;
  v.uses = s.uses;
  v.run = s.run;
  v.self_hosted = self_hosted;
  for (const auto& [k, n] : s.with)
    v.with.emplace_back(k, substitute_matrix(n->is_scalar() && !n->plain ? n->text : n->value(),
                                             combo, matrix_known));
  return v;
}

struct ClassAcc {
  std::set<std::string> tools;
  bool active = false;  // found active in at least one combination
  std::set<std::string> notes;
};

// The python version a combination runs: setup-python's input, else setup-uv's, else the matrix.
std::pair<std::string, std::string> python_of(const std::vector<StepInfo>& steps,
                                              const MatrixCombo& combo, bool matrix_known) {
  auto from_input = [&](const std::string& prefix) -> std::pair<bool, std::string> {
    for (const auto& s : steps) {
      std::string name = lower_ascii(s.uses.substr(0, s.uses.find('@')));
      if (name != prefix) continue;
      for (const auto& [k, n] : s.with) {
        if (k == "python-version-file") return {true, ""};
        if (k != "python-version") continue;
        bool unres = false;
        std::string t = substitute_matrix(n->is_scalar() && !n->plain ? n->text : n->value(), combo,
                                          matrix_known, &unres);
        if (unres) return {false, ""};
        std::set<std::string> vs;
        std::string cur;
        for (char c : t + "\n") {
          if (c == '\n' || c == ',') {
            if (!trim(cur).empty()) vs.insert(trim(cur));
            cur.clear();
          } else {
            cur += c;
          }
        }
        return {true, join_nonempty(vs)};
      }
    }
    return {false, ""};
  };
  if (auto [found, v] = from_input("actions/setup-python"); found && !v.empty()) return {v, "setup-python"};
  if (auto [found, v] = from_input("astral-sh/setup-uv"); found && !v.empty()) return {v, "setup-uv"};
  for (const char* k : {"python-version", "python_version", "python", "py"})
    if (const YNode* v = combo.get(k); v && !v->value().empty()) return {v->value(), "matrix"};
  return {"", ""};
}

std::string torch_of(const MatrixCombo& combo) {
  for (const char* k : {"torch", "pytorch", "torch-version", "pytorch-version", "torch_version",
                        "pytorch_version"})
    if (const YNode* v = combo.get(k); v && !v->value().empty()) return v->value();
  return "";
}

}  // namespace

bool is_active_workflow_path(std::string_view path) {
  const std::string_view dir = ".github/workflows/";
  if (path.substr(0, dir.size()) != dir) return false;
  std::string_view name = path.substr(dir.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return false;
  auto ends = [&](std::string_view suf) {
    return name.size() > suf.size() && name.substr(name.size() - suf.size()) == suf;
  };
  return ends(".yml") || ends(".yaml");
}

bool looks_like_workflow(std::string_view text) {
  bool on = false, jobs = false;
  size_t i = 0;
  while (i < text.size() && !(on && jobs)) {
    size_t e = text.find('\n', i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view l = text.substr(i, e - i);
    auto key = [&](std::string_view k) {
      if (l.substr(0, k.size()) != k) return false;
      std::string_view r = l.substr(k.size());
      while (!r.empty() && r[0] == ' ') r.remove_prefix(1);
      return !r.empty() && r[0] == ':';
    };
    if (key("on") || key("\"on\"") || key("'on'") || key("true")) on = true;
    if (key("jobs")) jobs = true;
    i = e + 1;
  }
  return on && jobs;
}

std::string runner_os_family(std::string_view runs_on) {
  std::string s = lower_ascii(runs_on);
  std::vector<std::string> labels;
  size_t i = 0;
  while (i <= s.size()) {
    size_t e = s.find('+', i);
    if (e == std::string::npos) e = s.size();
    labels.push_back(trim(std::string_view(s).substr(i, e - i)));
    i = e + 1;
  }
  for (const auto& l : labels)
    if (l == "self-hosted") return "self-hosted";
  for (const auto& l : labels) {
    if (l.rfind("ubuntu", 0) == 0) return "ubuntu";
    if (l.rfind("windows", 0) == 0) return "windows";
    if (l.rfind("macos", 0) == 0) return "macos";
  }
  return "other";
}

std::string GithubWorkflowsProbe::summary() const {
  return "GitHub Actions workflows (.github/workflows/*.yml): triggers, jobs, expanded matrices, "
         "classified steps";
}

void GithubWorkflowsProbe::analyse(const std::string& path, std::string_view text,
                                   FactStore& out) const {
  analyse(path, text, read_yaml(text, opt_.yaml), out);
}

void GithubWorkflowsProbe::analyse(const std::string& path, std::string_view text, const YamlLoad& y,
                                   FactStore& out) const {
  auto problem = [&](int line, const std::string& what) { out.problem(path, line, what, kProbe); };
  if (!y.ok) {
    problem(y.error_line, y.error);
    return;
  }
  for (const auto& [line, what] : y.notes) problem(line, what);
  const YNode& root = y.root;
  if (root.is_null()) {
    problem(0, "the workflow file is empty (or only comments): GitHub does not run it");
  } else if (!root.is_map()) {
    problem(root.line, std::string("the workflow is a ") + (root.is_seq() ? "list" : "scalar") +
                           ", not a mapping: GitHub rejects it");
  }
  const YNode* name = root.get("name");
  const YNode* on = root.get("on");
  const YNode* on_key = nullptr;
  bool on_is_true = false;
  for (const auto& [k, v] : root.entries)
    if (k.is_scalar() && k.text == "on") { on_key = &k; break; }
  if (!on) {
    for (const auto& [k, v] : root.entries)
      if (k.is_scalar() && k.plain && k.value() == "true") {
        on = &v;
        on_key = &k;
        on_is_true = true;
        break;
      }
  }
  const YNode* jobs = root.get("jobs");

  // Steps are classified by the pattern file; a malformed one is reported once per workflow.
  std::string pattern_error;
  const StepPatterns* patterns = StepPatterns::builtin(&pattern_error);
  if (!patterns)
    problem(0, "step patterns unavailable, steps not classified: " + pattern_error);

  // ---- workflow.trigger
  std::set<std::string> events;
  // How the workflow starts, for its steps and file: "manual" when workflow_dispatch is its only
  // trigger (it runs only when someone clicks it: not a trigger workflow), "none" without `on:`.
  auto triggered = [&]() -> std::string {
    if (events.empty()) return "none";
    return events.size() == 1 && events.count("workflow_dispatch") ? "manual" : "auto";
  };
  auto trigger = [&](const std::string& event, const YNode* cfg, int line) {
    events.insert(event);
    Fact f;
    f.kind = "workflow.trigger";
    f.where = {path, line};
    f.attrs["workflow"] = path;
    f.attrs["event"] = event;
    if (on_is_true) f.attrs["on_key"] = "true";
    std::string detail = "triggered by " + event;
    if (!known_events().count(event)) {
      Fact u;
      u.kind = "workflow.trigger_unknown_key";
      u.where = {path, line};
      u.attrs = {{"workflow", path}, {"event", ""}, {"key", event}};
      std::set<std::string> filters = {"branches", "branches-ignore", "tags", "tags-ignore",
                                       "paths", "paths-ignore", "types"};
      std::string sug = suggest_key(event, filters);
      u.detail = "'" + event + "' is not a GitHub event: GitHub ignores it";
      if (!sug.empty()) {
        u.attrs["suggestion"] = sug;
        u.detail += " (a filter such as '" + sug + "' belongs under push: or pull_request:)";
      }
      out.add(std::move(u));
      return;
    }
    if (cfg && cfg->is_map()) {
      std::set<std::string> known = event_keys(event);
      for (const auto& [k, v] : cfg->entries) {
        std::string key = k.value();
        if (known.count(key)) {
          std::string attr = key;
          std::replace(attr.begin(), attr.end(), '-', '_');
          if (key == "inputs" || key == "outputs" || key == "secrets")
            f.attrs[attr] = join_nonempty(map_keys(&v));
          else
            f.attrs[attr] = join_nonempty(string_list(&v));
          if (f.attrs[attr].empty()) f.attrs.erase(attr);
          continue;
        }
        Fact u;
        u.kind = "workflow.trigger_unknown_key";
        u.where = {path, k.line};
        u.attrs = {{"workflow", path}, {"event", event}, {"key", key}};
        std::string sug = suggest_key(key, known);
        u.detail = "GitHub ignores the key '" + key + "' under " + event;
        if (!sug.empty()) {
          u.attrs["suggestion"] = sug;
          u.detail += " (did you mean '" + sug + "'?)";
        }
        if (key == "path" || sug == "paths" || sug == "paths-ignore" || sug == "branches" ||
            sug == "tags")
          u.detail += ": the filter has no effect, so the workflow runs on every " + event;
        out.add(std::move(u));
      }
    } else if (cfg && cfg->is_seq() && event == "schedule") {
      std::vector<std::string> crons;
      for (const auto& i : cfg->items)
        if (const YNode* c = i.get("cron")) crons.push_back(c->value());
      std::string s;
      for (const auto& c : crons) s += (s.empty() ? "" : " ; ") + c;
      if (!s.empty()) f.attrs["cron"] = s;
    } else if (cfg && !cfg->is_null() && !(cfg->is_scalar() && cfg->value().empty())) {
      problem(cfg->line, "the configuration of event '" + event +
                             "' is not a mapping: GitHub rejects it");
    }
    for (const char* k : {"branches", "paths", "tags", "types", "cron", "workflows", "inputs"})
      if (auto it = f.attrs.find(k); it != f.attrs.end()) detail += ", " + std::string(k) + ": " + it->second;
    if (on_is_true)
      detail += " (the 'on' key is written as 'true', as a YAML 1.1 tool writes it; GitHub "
                "expects 'on')";
    f.detail = detail;
    out.add(std::move(f));
  };
  if (root.is_map()) {
    if (!on) {
      problem(1, "the workflow has no 'on:' key: GitHub rejects it, it never runs");
    } else if (on->is_scalar()) {
      trigger(on->value(), nullptr, on->line);
    } else if (on->is_seq()) {
      for (const auto& e : on->items)
        if (e.is_scalar()) trigger(e.value(), nullptr, e.line);
    } else if (on->is_map()) {
      for (const auto& [k, v] : on->entries) trigger(k.value(), &v, k.line);
    } else {
      problem(on_key ? on_key->line : 1, "the 'on:' key is empty: GitHub rejects the workflow");
    }
  }

  // ---- jobs
  std::set<std::string> job_ids;
  std::vector<std::pair<int, std::string>> job_lines;           // for commented-out steps
  std::map<std::string, std::set<std::string>> job_os;          // job -> os families
  if (root.is_map()) {
    if (!jobs || jobs->is_null()) {
      problem(1, "the workflow has no jobs: GitHub rejects it");
    } else if (!jobs->is_map()) {
      problem(jobs->line, "'jobs' is not a mapping: GitHub rejects the workflow");
    }
  }
  if (jobs && jobs->is_map()) {
    for (const auto& [jk, job] : jobs->entries) {
      std::string jid = jk.value();
      job_ids.insert(jid);
      job_lines.emplace_back(jk.line, jid);
      if (!job.is_map()) {
        problem(jk.line, "job '" + jid + "' is not a mapping: GitHub rejects the workflow");
        continue;
      }
      const YNode* runs_on = job.get("runs-on");
      const YNode* reusable = job.get("uses");
      const YNode* strategy = job.get("strategy");
      const YNode* matrix = strategy && strategy->is_map() ? strategy->get("matrix") : nullptr;
      int matrix_line = matrix ? matrix->line : 0;  // the `matrix:` key's line
      if (matrix)
        for (const auto& [k, v] : strategy->entries)
          if (&v == matrix) matrix_line = k.line;
      if (strategy && strategy->is_scalar() && has_expression(strategy->text))
        matrix = strategy;  // strategy: ${{ fromJSON(...) }}
      if (!runs_on && !reusable)
        problem(jk.line, "job '" + jid + "' has no runs-on: GitHub rejects the workflow");
      MatrixExpansion mx = expand_matrix(matrix, opt_.matrix_cap);
      for (const auto& [line, what] : mx.notes) problem(line ? line : jk.line, "job '" + jid + "': " + what);
      bool known = !mx.unresolved;

      // Steps.
      std::vector<StepInfo> steps;
      if (const YNode* st = job.get("steps")) {
        if (!st->is_seq()) {
          problem(st->line, "steps of job '" + jid + "' are not a list: GitHub rejects the workflow");
        } else {
          int idx = 0;
          for (const auto& s : st->items) {
            ++idx;
            if (!s.is_map()) {
              problem(s.line, "step " + std::to_string(idx) + " of job '" + jid +
                                  "' is not a mapping: GitHub rejects the workflow");
              continue;
            }
            StepInfo si;
            si.node = &s;
            si.index = idx;
            if (const YNode* n = s.get("name")) si.name = n->value();
            if (const YNode* n = s.get("uses")) si.uses = n->value();
            if (const YNode* n = s.get("run")) si.run = n->is_scalar() && !n->plain ? n->text : n->value();
            if (const YNode* n = s.get("if")) si.if_ = n->value();
            if (const YNode* w = s.get("with"); w && w->is_map())
              for (const auto& [wk, wv] : w->entries) si.with.emplace_back(wk.value(), &wv);
            steps.push_back(std::move(si));
          }
        }
      } else if (!reusable) {
        problem(jk.line, "job '" + jid + "' has no steps: GitHub rejects the workflow");
      }

      // Per combination: runner, python, torch; step classes (union over combinations).
      std::vector<RunsOn> runners;
      for (const auto& c : mx.combos) runners.push_back(resolve_runs_on(runs_on, c, known));
      bool all_self_hosted = !runners.empty() && std::all_of(runners.begin(), runners.end(), [](const RunsOn& r) {
        return r.os == "self-hosted";
      });
      std::vector<std::map<std::string, ClassAcc>> step_classes(steps.size());
      bool has_test = false;
      if (patterns) {
        for (size_t si = 0; si < steps.size(); ++si) {
          // Only `with:` inputs are substituted per combination: classify each distinct set once.
          bool varies = std::any_of(steps[si].with.begin(), steps[si].with.end(), [](const auto& w) {
            return w.second->is_scalar() && has_expression(w.second->text);
          });
          std::set<std::vector<std::pair<std::string, std::string>>> seen;
          for (const auto& c : mx.combos) {
            StepView view = view_for(steps[si], c, known, all_self_hosted);
            if (!seen.insert(view.with).second) continue;
            for (const auto& sc : patterns->classify(view)) {
              auto& acc = step_classes[si][sc.cls];
              if (!sc.commented) {
                if (!acc.active) acc.tools.clear();
                acc.active = true;
                acc.tools.insert(sc.tools.begin(), sc.tools.end());
              } else if (!acc.active) {
                acc.tools.insert(sc.tools.begin(), sc.tools.end());
              }
              acc.notes.insert(sc.notes.begin(), sc.notes.end());
            }
            if (!varies) break;
          }
          if (auto it = step_classes[si].find("test"); it != step_classes[si].end() && it->second.active)
            has_test = true;
        }
      }

      std::set<std::string> runs_on_set, os_set, py_set, torch_set;
      int ci = 0;
      for (const auto& c : mx.combos) {
        const RunsOn& ro = runners[ci++];
        auto [py, py_src] = python_of(steps, c, known);
        std::string torch = torch_of(c);
        runs_on_set.insert(ro.text);
        os_set.insert(ro.os);
        py_set.insert(py);
        torch_set.insert(torch);
        Fact f;
        f.kind = "workflow.combo";
        f.where = {path, c.line == 0 ? jk.line : (matrix && c.line == matrix->line ? matrix_line : c.line)};
        f.attrs = {{"workflow", path}, {"job", jid}, {"index", std::to_string(ci)},
                   {"runs_on", ro.text}, {"os", ro.os}, {"tests", has_test ? "yes" : "no"}};
        if (!py.empty()) { f.attrs["python"] = py; f.attrs["python_source"] = py_src; }
        if (!torch.empty()) f.attrs["torch"] = torch;
        for (const auto& [k, v] : c.texts()) f.attrs["m." + k] = v;
        if (mx.unresolved) f.attrs["matrix_unresolved"] = "yes";
        f.detail = "job " + jid + " on " + (ro.text.empty() ? "(no runner)" : ro.text) +
                   (py.empty() ? "" : ", python " + py) + (torch.empty() ? "" : ", torch " + torch);
        if (mx.unresolved) f.detail += "; " + mx.unresolved_detail;
        else if (ro.unresolved) f.detail += "; runs-on holds an expression that is not a matrix value";
        out.add(std::move(f));
      }
      job_os[jid] = os_set;

      if (mx.has_matrix) {
        Fact f;
        f.kind = "workflow.matrix";
        f.where = {path, matrix_line};
        auto count = [](const std::set<std::string>& s) {
          return std::to_string(std::count_if(s.begin(), s.end(), [](const std::string& x) { return !x.empty(); }));
        };
        f.attrs = {{"workflow", path}, {"job", jid}, {"combos", std::to_string(mx.total)},
                   {"os", join_nonempty(os_set)}, {"python", join_nonempty(py_set)}, {"torch", join_nonempty(torch_set)},
                   {"os_count", count(os_set)}, {"python_count", count(py_set)},
                   {"torch_count", count(torch_set)}};
        if (mx.unresolved) f.attrs["matrix_unresolved"] = "yes";
        if (mx.capped) f.attrs["capped"] = "yes";
        f.detail = "job " + jid + ": " + std::to_string(mx.total) + " combination(s)";
        if (!os_set.empty()) f.detail += ", os " + join_nonempty(os_set);
        if (!join_nonempty(py_set).empty()) f.detail += ", python " + join_nonempty(py_set);
        if (!join_nonempty(torch_set).empty()) f.detail += ", torch " + join_nonempty(torch_set);
        if (mx.unresolved) f.detail += "; " + mx.unresolved_detail;
        if (mx.capped)  // a cap reached is said, never silent (issue 11)
          f.detail += "; more than " + std::to_string(kGithubMatrixCap) +
                      " combinations (GitHub's cap per matrix): only the first " +
                      std::to_string(kGithubMatrixCap) + " were expanded";
        // Unquoted 3.10 is the number 3.1 in YAML: say so, it is a classic CI mistake.
        if (matrix->is_map())
          for (const auto& [k, v] : matrix->entries)
            if (v.is_seq())
              for (const auto& i : v.items)
                if (i.is_scalar() && i.plain && i.value() != i.text && !i.value().empty())
                  f.detail += "; " + k.text + " value " + i.text + " is unquoted, so YAML reads " +
                              i.value();
        out.add(std::move(f));
      }

      {
        Fact f;
        f.kind = "workflow.job";
        f.where = {path, jk.line};
        f.attrs = {{"workflow", path}, {"job", jid}, {"runs_on", join_nonempty(runs_on_set)},
                   {"os", join_nonempty(os_set)}, {"combos", std::to_string(mx.total)},
                   {"steps", std::to_string(steps.size())}, {"tests", has_test ? "yes" : "no"}};
        // Distinct OS / Python / torch versions of this one job's matrix: multi-OS testing is one
        // test job that runs on several, not several single-OS workflows.
        auto count = [](const std::set<std::string>& v) {
          return std::to_string(std::count_if(v.begin(), v.end(), [](const std::string& x) { return !x.empty(); }));
        };
        f.attrs["os_count"] = count(os_set);
        f.attrs["python_count"] = count(py_set);
        f.attrs["torch_count"] = count(torch_set);
        if (const YNode* n = job.get("needs")) f.attrs["needs"] = join_nonempty(string_list(n));
        if (const YNode* n = job.get("if")) f.attrs["if"] = n->value();
        if (reusable) f.attrs["uses"] = reusable->value();
        for (const char* k : {"needs", "if"})
          if (f.attrs.count(k) && f.attrs[k].empty()) f.attrs.erase(k);
        f.detail = "job " + jid + (runs_on_set.empty() || join_nonempty(runs_on_set).empty() ? std::string()
                                                                 : " on " + join_nonempty(runs_on_set)) +
                   ", " + std::to_string(mx.total) + " combination(s), " +
                   std::to_string(steps.size()) + " step(s)";
        if (reusable) f.detail += ", calls the reusable workflow " + reusable->value();
        out.add(std::move(f));
      }

      for (size_t si = 0; si < steps.size(); ++si) {
        const StepInfo& s = steps[si];
        auto classes = step_classes[si];
        if (classes.empty()) classes["other"] = ClassAcc{{}, true, {}};
        for (const auto& [cls, acc] : classes) {
          Fact f;
          f.kind = "workflow.step";
          f.where = {path, s.node->line};
          f.attrs = {{"workflow", path}, {"job", jid}, {"step", std::to_string(s.index)},
                     {"class", cls}, {"tool", join_nonempty(acc.tools)}, {"os", join_nonempty(os_set)},
                     {"commented", acc.active ? "no" : "yes"}, {"triggered", triggered()}};
          if (!s.name.empty()) f.attrs["name"] = s.name;
          if (!s.uses.empty()) f.attrs["uses"] = s.uses;
          if (!s.run.empty()) f.attrs["run"] = run_summary(s.run);
          if (!s.if_.empty()) f.attrs["if"] = s.if_;
          if (cls == "lint" && !s.run.empty()) {
            const YNode* coe = s.node->get("continue-on-error");  // a failing step never fails the job
            bool soft = coe && coe->value() == "true";
            f.attrs["enforcing"] = !soft && lint_enforcing(s.run) ? "yes" : "no";
          }
          if (cls == "coverage" && !s.run.empty()) {
            std::string targets = coverage_targets(s.run);
            if (!targets.empty()) f.attrs["cov_targets"] = targets;
          }
          std::string label = s.name.empty() ? (s.uses.empty() ? run_summary(s.run) : s.uses) : s.name;
          f.detail = "step " + std::to_string(s.index) + " (" + utf8_prefix(label, 80) + ") of job " +
                     jid + ": " + cls + (acc.tools.empty() ? "" : " (" + join_nonempty(acc.tools) + ")");
          if (!acc.active) f.detail += ", only in commented-out lines of its script";
          for (const auto& n : acc.notes) f.detail += "; " + n;
          out.add(std::move(f));
        }
      }
    }
  }

  // ---- commented-out steps (YAML comments holding `- run:` / `uses:` lines)
  std::set<std::string> all_os;
  for (const auto& [j, s] : job_os) all_os.insert(s.begin(), s.end());
  int jobs_line = 0;
  if (root.is_map())
    for (const auto& [k, v] : root.entries)
      if (k.is_scalar() && k.text == "jobs") jobs_line = k.line;
  auto job_at = [&](int line) -> std::string {
    std::string j;
    if (!jobs_line || line <= jobs_line) return j;
    for (const auto& [l, id] : job_lines)
      if (l <= line) j = id;
    return j;
  };
  if (patterns) {
    std::vector<int> comment_lines = yaml_comment_lines(text);
    // Line texts, indexable by number.
    std::vector<std::string_view> lines = split_lines(text);  // without "\r"
    size_t b = 0;
    int emitted = 0;
    while (b < comment_lines.size() && emitted < 1000) {
      size_t e = b + 1;
      while (e < comment_lines.size() && comment_lines[e] == comment_lines[e - 1] + 1) ++e;
      int first = comment_lines[b];
      // Uncomment the block: drop up to the first '#' (and repeated '#'), keep relative indent.
      std::vector<std::string> body;
      size_t min_indent = std::string::npos;
      for (size_t k = b; k < e; ++k) {
        std::string_view l = lines[comment_lines[k] - 1];
        size_t h = l.find('#');
        std::string_view r = l.substr(h + 1);
        while (!r.empty() && r[0] == '#') r.remove_prefix(1);
        std::string s(r);
        size_t ind = s.find_first_not_of(' ');
        if (ind != std::string::npos) min_indent = std::min(min_indent, ind);
        body.push_back(s);
      }
      std::string block;
      for (auto& s : body)
        block += (min_indent != std::string::npos && s.size() >= min_indent ? s.substr(min_indent) : trim(s)) + "\n";
      struct Found {
        int line;
        std::string name, uses, run;
        std::vector<std::pair<std::string, std::string>> with;
      };
      std::vector<Found> found;
      YamlLimits small = opt_.yaml;
      small.max_nodes = 5000;
      YamlLoad cy = read_yaml(block, small);
      if (cy.ok && !cy.root.is_scalar() && !cy.root.is_null()) {
        // Walk (iteratively, bounded) for mappings that look like steps.
        std::vector<const YNode*> todo{&cy.root};
        size_t visited = 0;
        while (!todo.empty() && ++visited < 5000) {
          const YNode* n = todo.back();
          todo.pop_back();
          if (n->is_map()) {
            const YNode* u = n->get("uses");
            const YNode* r = n->get("run");
            if ((u && u->is_scalar()) || (r && r->is_scalar())) {
              Found f{first + n->line - 1, "", "", "", {}};
              if (const YNode* nm = n->get("name")) f.name = nm->value();
              if (u && u->is_scalar()) f.uses = u->value();
              if (r && r->is_scalar()) f.run = r->plain ? r->value() : r->text;
              if (const YNode* w = n->get("with"); w && w->is_map())
                for (const auto& [wk, wv] : w->entries) f.with.emplace_back(wk.value(), wv.value());
              found.push_back(std::move(f));
              continue;
            }
            for (const auto& [k, v] : n->entries) todo.push_back(&v);
          } else if (n->is_seq()) {
            for (const auto& i : n->items) todo.push_back(&i);
          }
        }
        std::sort(found.begin(), found.end(), [](const Found& a, const Found& c) { return a.line < c.line; });
      } else {
        // Not YAML: read each line as `uses: x`, `run: x` or a shell command.
        for (size_t k = 0; k < body.size(); ++k) {
          std::string s = trim(body[k]);
          if (s.rfind("- ", 0) == 0) s = trim(s.substr(2));
          Found f{first + static_cast<int>(k), "", "", "", {}};
          if (s.rfind("uses:", 0) == 0) f.uses = trim(s.substr(5));
          else if (s.rfind("run:", 0) == 0) f.run = trim(s.substr(4));
          else f.run = s;
          found.push_back(std::move(f));
        }
      }
      for (const auto& fd : found) {
        StepView v;
        v.uses = fd.uses;
        v.run = fd.run;
        v.with = fd.with;
        for (const auto& sc : patterns->classify(v)) {
          if (sc.cls == "other" || sc.cls == "setup") continue;
          std::string jid = job_at(fd.line);
          Fact f;
          f.kind = "workflow.step";
          f.where = {path, fd.line};
          f.attrs = {{"workflow", path}, {"job", jid}, {"step", ""}, {"class", sc.cls},
                     {"tool", [&] { std::set<std::string> t(sc.tools.begin(), sc.tools.end()); return join_nonempty(t); }()},
                     {"os", jid.empty() ? join_nonempty(all_os) : join_nonempty(job_os[jid])}, {"commented", "yes"},
                     {"triggered", triggered()}};
          if (!fd.name.empty()) f.attrs["name"] = fd.name;
          if (!fd.uses.empty()) f.attrs["uses"] = fd.uses;
          if (!fd.run.empty()) f.attrs["run"] = run_summary(fd.run);
          f.detail = "commented-out " + sc.cls + " step" + (jid.empty() ? "" : " in job " + jid) +
                     ": it never runs";
          out.add(std::move(f));
          ++emitted;
        }
      }
      b = e;
    }
  }

  // ---- workflow.file
  Fact f;
  f.kind = "workflow.file";
  f.where = {path, name ? name->line : 1};
  f.attrs = {{"workflow", path}, {"name", name ? name->value() : ""}, {"events", join_nonempty(events)},
             {"jobs", join_nonempty(job_ids)}, {"triggered", triggered()}};
  f.detail = "workflow " + (name && !name->value().empty() ? "'" + name->value() + "'" : path) +
             (events.empty() ? "" : " on " + join_nonempty(events)) + ", " + std::to_string(job_ids.size()) +
             " job(s)";
  out.add(std::move(f));
}

void GithubWorkflowsProbe::run(const Snapshot& snap, FactStore& out) const {
  int misplaced_reads = 0;
  for (const auto& e : snap.files()) {
    const std::string& p = e.path;
    std::string lp = lower_ascii(p);
    bool yml = lp.size() > 4 && (lp.compare(lp.size() - 4, 4, ".yml") == 0 ||
                                 (lp.size() > 5 && lp.compare(lp.size() - 5, 5, ".yaml") == 0));
    if (is_active_workflow_path(p)) {
      if (e.symlink) {
        out.problem(p, 0, "workflow file is a symbolic link: not read", kProbe);
        continue;
      }
      auto doc = yaml_doc(snap, p, opt_.read_cap, opt_.yaml);  // the audit's shared tree
      if (!doc->read.ok()) {
        out.problem(p, 0, not_read_detail("workflow file", doc->read), kProbe);
        continue;
      }
      analyse(p, doc->read.data, doc->load, out);
      continue;
    }
    // Workflow-looking YAML that GitHub never runs.
    std::string reason;
    const std::string wf = ".github/workflows/";
    size_t slash = p.rfind('/');
    std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
    if (p.rfind(wf, 0) == 0) {
      reason = p.find('/', wf.size()) != std::string::npos
                   ? "in a subfolder of .github/workflows/: GitHub only runs files directly in that folder"
                   : "its extension is not .yml or .yaml: GitHub does not run it";
    } else if (yml) {
      bool candidate = dir.empty();
      for (const char* seg : {".github/", "github/", "workflows/", "workflow/", ".workflows/", "ci/",
                              ".ci/", "actions/"}) {
        std::string s(seg);
        if (lp.rfind(s, 0) == 0 || lp.find("/" + s) != std::string::npos) candidate = true;
      }
      if (lp.find("workflow") != std::string::npos) candidate = true;
      if (!candidate) continue;
      if (lp.find("/.github/workflows/") != std::string::npos)
        reason = "in " + p.substr(0, lp.find("/.github/workflows/")) +
                 "/.github/workflows/, not the repository root's .github/workflows/: GitHub never runs it";
      else
        reason = "not in .github/workflows/: GitHub never runs it";
    } else {
      continue;
    }
    if (e.symlink || misplaced_reads >= 500) continue;
    ++misplaced_reads;
    // Candidates are only sniffed: a smaller cap is enough (a workflow is a few KiB).
    Blob b = snap.read_text(p, std::min<std::uint64_t>(opt_.read_cap, 256 * 1024));
    if (!b.ok() || !looks_like_workflow(b.data)) continue;
    Fact f;
    f.kind = "workflow.misplaced";
    f.where = {p, 0};
    f.attrs = {{"workflow", p}, {"reason", reason}};
    f.detail = "workflow file " + p + " is " + reason;
    out.add(std::move(f));
  }
  check_trigger_paths(snap, out);
  check_coverage_targets(snap, out);
}

}  // namespace cc
