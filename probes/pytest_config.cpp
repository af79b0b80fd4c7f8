#include "engine/strings.h"
#include "probes/pytest_config.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "probes/read/text.h"
#include "probes/read/toml.h"

namespace cc {

namespace {

std::string_view trim_ini(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The keys we take from any of the files, and where they go.
std::vector<std::string>* slot(PytestConfig& cfg, std::string_view key) {
  if (key == "testpaths") return &cfg.testpaths;
  if (key == "python_files") return &cfg.python_files;
  if (key == "python_classes") return &cfg.python_classes;
  if (key == "python_functions") return &cfg.python_functions;
  if (key == "pythonpath") return &cfg.pythonpath;
  if (key == "addopts") return &cfg.addopts;
  return nullptr;
}

// Strip an inline comment (" #" or " ;") from an ini value. iniconfig keeps them, but a trailing
// comment after testpaths is never meant as a path; documented deviation.
std::string_view strip_inline_comment(std::string_view v) {
  for (std::size_t i = 1; i < v.size(); ++i)
    if ((v[i] == '#' || v[i] == ';') && (v[i - 1] == ' ' || v[i - 1] == '\t'))
      return trim_ini(v.substr(0, i));
  return v;
}

}  // namespace

std::vector<std::string> shell_split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) out.push_back(cur), cur.clear(), in_word = false;
      ++i;
    } else if (c == '\'') {
      in_word = true;
      std::size_t j = s.find('\'', i + 1);
      if (j == std::string::npos) j = n;
      cur.append(s, i + 1, j - i - 1);
      i = j + 1;
    } else if (c == '"') {
      in_word = true;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$'))
          ++i;
        cur += s[i++];
      }
      ++i;
    } else if (c == '\\' && i + 1 < n) {
      in_word = true;
      cur += s[i + 1];
      i += 2;
    } else {
      in_word = true;
      cur += c;
      ++i;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

// ---- ini files (pytest.ini, tox.ini, setup.cfg), iniconfig's rules ------------------------------

bool read_pytest_ini_text(const std::string& path, const std::string& text,
                          const std::string& section, bool always_applies, PytestConfig& cfg) {
  auto lines = split_lines(text);
  std::string cur_section;
  bool have_section = false;
  int section_line = 0;
  std::map<std::string, std::pair<std::string, int>> values;  // key -> (value, line)
  std::vector<std::string> order;
  std::string last_key;
  std::vector<PytestConfig::Problem> problems;
  bool in_ours = false;

  for (std::size_t k = 0; k < lines.size(); ++k) {
    int lineno = int(k) + 1;
    std::string_view raw = lines[k];
    std::string_view t = trim_ini(raw);
    if (t.empty() || t.front() == '#' || t.front() == ';') continue;
    if (raw.front() == '[') {
      std::string_view h = raw;
      for (char cc : {'#', ';'}) {
        auto p = h.find(cc);
        if (p != std::string_view::npos) h = h.substr(0, p);
      }
      h = trim_ini(h);
      if (h.size() < 2 || h.back() != ']') {
        problems.push_back({path, lineno, "malformed section header: " + std::string(t)});
        in_ours = false;
        last_key.clear();
        continue;
      }
      cur_section = std::string(trim_ini(h.substr(1, h.size() - 2)));
      last_key.clear();
      bool ours = cur_section == section;
      if (ours && have_section) {
        problems.push_back({path, lineno, "duplicate section [" + section + "]: ignored"});
        in_ours = false;
        continue;
      }
      in_ours = ours;
      if (ours) {
        have_section = true;
        section_line = lineno;
      }
      continue;
    }
    if (raw.front() == ' ' || raw.front() == '\t') {  // continuation line
      if (in_ours && !last_key.empty()) {
        auto& v = values[last_key].first;
        v += '\n';
        v += strip_inline_comment(t);
      } else if (in_ours) {
        problems.push_back({path, lineno, "continuation line without a key"});
      }
      continue;
    }
    // key = value, or key: value
    std::string_view key, value;
    auto eq = raw.find('=');
    auto colon = raw.find(": ");
    if (eq != std::string_view::npos && raw.substr(0, eq).find(':') == std::string_view::npos) {
      key = trim_ini(raw.substr(0, eq));
      value = trim_ini(raw.substr(eq + 1));
    } else if (colon != std::string_view::npos) {
      key = trim_ini(raw.substr(0, colon));
      value = trim_ini(raw.substr(colon + 2));
    } else {
      if (in_ours) problems.push_back({path, lineno, "unexpected line: " + std::string(t)});
      last_key.clear();
      continue;
    }
    if (!in_ours) {
      last_key.clear();
      continue;
    }
    std::string ks(key);
    if (values.count(ks)) {
      problems.push_back({path, lineno, "duplicate key '" + ks + "': the first one is used"});
      last_key.clear();
      continue;
    }
    values[ks] = {std::string(strip_inline_comment(value)), lineno};
    order.push_back(ks);
    last_key = ks;
  }

  if (!have_section && !always_applies) return false;
  cfg.file = path;
  cfg.section = have_section ? section : "";
  cfg.line = have_section ? section_line : 0;
  for (const auto& k : order) {
    if (auto* dst = slot(cfg, k)) {
      *dst = shell_split(values[k].first);
      cfg.keys_set.push_back(k);
    }
  }
  for (auto& p : problems) cfg.problems.push_back(std::move(p));
  return true;
}

// ---- pyproject.toml, read with the TOML reader (pyproject.h) -----------------------------------

namespace {

// When pyproject.toml is not valid TOML: the 1-based line of a [tool.pytest.ini_options] (or else
// [tool.pytest]) header written in it, and which; 0 when there is none.
std::pair<int, std::string> pytest_header_line(std::string_view text) {
  auto lines = split_lines(text);
  std::pair<int, std::string> native{0, ""};
  for (std::size_t k = 0; k < lines.size(); ++k) {
    std::string_view t = trim_ini(lines[k]);
    std::size_t close = t.find(']');
    if (t.size() < 2 || t[0] != '[' || t[1] == '[' || close == std::string_view::npos) continue;
    std::string name;  // blanks and quotes dropped: [ "tool".pytest ] is [tool.pytest]
    for (char c : t.substr(1, close - 1))
      if (c != ' ' && c != '\t' && c != '"' && c != '\'') name += c;
    if (name == "tool.pytest.ini_options") return {int(k) + 1, name};
    if (name == "tool.pytest" && !native.first) native = {int(k) + 1, name};
  }
  return native;
}

}  // namespace

bool read_pyproject_pytest_text(const std::string& path, const std::string& text,
                                PytestConfig& cfg) {
  TomlLoad t = load_toml(text);
  if (!t.ok) {  // pytest would stop here; we keep its defaults and say why
    auto [line, section] = pytest_header_line(text);
    if (!line) return false;
    cfg.file = path;
    cfg.section = section;
    cfg.line = line;
    // The detail the "dependencies" probe gives for the same file (report_toml_problem), so that
    // the audit's input_problems shows it once, with both probes.
    cfg.problems.push_back({path, t.error_line, path + ": " + t.error});
    return true;
  }
  // [tool.pytest.ini_options], else pytest >= 9's native [tool.pytest]; headers, dotted keys and
  // inline tables alike.
  std::string section = "tool.pytest.ini_options";
  const YNode* table = toml_at(t.root, section);
  if (!table || !table->is_map()) {
    section = "tool.pytest";
    table = toml_at(t.root, section);
  }
  if (!table || !table->is_map()) return false;
  cfg.file = path;
  cfg.section = section;
  cfg.line = table->line;
  // toml++ keeps a table's keys sorted; the order written (by line) is what keys_set records.
  std::vector<const std::pair<YNode, YNode>*> entries;
  for (const auto& e : table->entries) entries.push_back(&e);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto* a, const auto* b) { return a->first.line < b->first.line; });
  for (const auto* e : entries) {
    const auto& [key, v] = *e;
    auto* dst = slot(cfg, key.text);
    if (!dst) continue;
    std::vector<std::string> vals;
    bool ok = true;
    if (v.is_scalar() && !v.plain) {
      vals = shell_split(v.text);  // pytest splits a string "args" value like a command line
    } else if (v.is_seq()) {
      for (const auto& it : v.items) {
        if (!it.is_scalar()) { ok = false; break; }
        vals.push_back(it.text);
      }
    } else {
      ok = false;
    }
    if (!ok) {
      cfg.problems.push_back({path, key.line,
                              "'" + key.text + "' is neither a string nor an array of strings: default kept"});
      continue;
    }
    *dst = std::move(vals);
    cfg.keys_set.push_back(key.text);
  }
  return true;
}

// ---- the search ------------------------------------------------------------------------------

PytestConfig find_pytest_config(const Snapshot& snap) {
  PytestConfig none;
  struct Candidate {
    const char* path;
    int kind;  // 0 ini always, 1 pyproject, 2 ini with section
    const char* section;
  };
  static const Candidate candidates[] = {
      {"pytest.ini", 0, "pytest"},
      {".pytest.ini", 0, "pytest"},
      {"pyproject.toml", 1, ""},
      {"tox.ini", 2, "pytest"},
      {"setup.cfg", 2, "tool:pytest"},
  };
  std::vector<PytestConfig::Problem> skipped;
  for (const auto& c : candidates) {
    if (!snap.exists(c.path)) continue;
    Blob b = snap.read_text(c.path);
    if (!b.ok()) {
      skipped.push_back({c.path, 0, std::string("cannot read ") + c.path + ": " + b.note +
                                         " (" + to_string(b.state) + ")"});
      continue;
    }
    PytestConfig cfg;
    bool applies = c.kind == 1 ? read_pyproject_pytest_text(c.path, b.data, cfg)
                               : read_pytest_ini_text(c.path, b.data, c.section, c.kind == 0, cfg);
    if (applies) {
      cfg.problems.insert(cfg.problems.begin(), skipped.begin(), skipped.end());
      return cfg;
    }
  }
  none.problems = std::move(skipped);
  return none;
}

}  // namespace cc
