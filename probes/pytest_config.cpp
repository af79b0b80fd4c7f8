#include "probes/pytest_config.h"

#include <map>
#include <optional>
#include <string_view>

namespace cc {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) {
      if (i < text.size()) out.push_back(text.substr(i));
      break;
    }
    out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
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
      return trim(v.substr(0, i));
  return v;
}

}  // namespace

std::string join_list(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

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
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view t = trim(raw);
    if (t.empty() || t.front() == '#' || t.front() == ';') continue;
    if (raw.front() == '[') {
      std::string_view h = raw;
      for (char cc : {'#', ';'}) {
        auto p = h.find(cc);
        if (p != std::string_view::npos) h = h.substr(0, p);
      }
      h = trim(h);
      if (h.size() < 2 || h.back() != ']') {
        problems.push_back({path, lineno, "malformed section header: " + std::string(t)});
        in_ours = false;
        last_key.clear();
        continue;
      }
      cur_section = std::string(trim(h.substr(1, h.size() - 2)));
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
      key = trim(raw.substr(0, eq));
      value = trim(raw.substr(eq + 1));
    } else if (colon != std::string_view::npos) {
      key = trim(raw.substr(0, colon));
      value = trim(raw.substr(colon + 2));
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

// ---- pyproject.toml: a small TOML reader for the one table we need --------------------------

namespace {

struct TomlValue {
  enum Kind { string, array, other } kind = other;
  std::string str;               // string: the value; other: the raw token
  std::vector<TomlValue> items;  // array
};

class TomlScanner {
 public:
  explicit TomlScanner(std::string_view s) : s_(s) {}

  bool eof() const { return i_ >= s_.size(); }
  char peek() const { return eof() ? '\0' : s_[i_]; }
  int line() const { return line_; }
  std::size_t pos() const { return i_; }

  void advance() {
    if (!eof()) {
      if (s_[i_] == '\n') ++line_;
      ++i_;
    }
  }
  void skip_spaces() {
    while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) advance();
  }
  void skip_comment() {
    if (peek() == '#')
      while (!eof() && peek() != '\n') advance();
  }
  // Whitespace, newlines and comments (inside arrays).
  void skip_ws_nl() {
    for (;;) {
      skip_spaces();
      if (peek() == '#') skip_comment();
      if (peek() == '\n') { advance(); continue; }
      break;
    }
  }
  void skip_line() {
    while (!eof() && peek() != '\n') advance();
    if (!eof()) advance();
  }
  bool starts_with(std::string_view p) const { return s_.substr(i_, p.size()) == p; }

  // Parses one value; on failure sets err and returns nullopt.
  std::optional<TomlValue> value(std::string& err, int depth = 0) {
    if (depth > 32) { err = "arrays nested too deep"; return std::nullopt; }
    char c = peek();
    if (starts_with("\"\"\"") || starts_with("'''")) return multiline_string(err);
    if (c == '"') return basic_string(err);
    if (c == '\'') return literal_string(err);
    if (c == '[') {
      advance();
      TomlValue v;
      v.kind = TomlValue::array;
      for (;;) {
        skip_ws_nl();
        if (eof()) { err = "unterminated array"; return std::nullopt; }
        if (peek() == ']') { advance(); return v; }
        auto item = value(err, depth + 1);
        if (!item) return std::nullopt;
        v.items.push_back(std::move(*item));
        skip_ws_nl();
        if (peek() == ',') { advance(); continue; }
        if (peek() == ']') { advance(); return v; }
        err = eof() ? "unterminated array" : std::string("expected ',' or ']' in array, found '") +
                                                 peek() + "'";
        return std::nullopt;
      }
    }
    if (c == '{') {  // inline table: skip it, balanced, strings respected
      TomlValue v;
      int d = 0;
      std::size_t start = i_;
      while (!eof()) {
        char ch = peek();
        if (ch == '"' || ch == '\'') {
          auto sv = ch == '"' ? basic_string(err) : literal_string(err);
          if (!sv) return std::nullopt;
          continue;
        }
        if (ch == '\n') { err = "newline in inline table"; return std::nullopt; }
        advance();
        if (ch == '{') ++d;
        if (ch == '}' && --d == 0) break;
      }
      if (d != 0) { err = "unterminated inline table"; return std::nullopt; }
      v.str = std::string(s_.substr(start, i_ - start));
      return v;
    }
    // Bare scalar: number, bool, date. Up to a delimiter.
    std::size_t start = i_;
    while (!eof() && peek() != ',' && peek() != ']' && peek() != '\n' && peek() != '#' &&
           peek() != '}')
      advance();
    std::string raw(trim(s_.substr(start, i_ - start)));
    if (raw.empty()) { err = "missing value"; return std::nullopt; }
    TomlValue v;
    v.str = raw;
    return v;
  }

 private:
  std::optional<TomlValue> basic_string(std::string& err) {
    advance();  // "
    TomlValue v;
    v.kind = TomlValue::string;
    while (!eof() && peek() != '"') {
      char ch = peek();
      if (ch == '\n') { err = "newline in string"; return std::nullopt; }
      if (ch == '\\') {
        advance();
        char e = peek();
        switch (e) {
          case 'n': v.str += '\n'; break;
          case 't': v.str += '\t'; break;
          case 'r': v.str += '\r'; break;
          case '"': v.str += '"'; break;
          case '\\': v.str += '\\'; break;
          default: v.str += '\\'; v.str += e; break;  // \uXXXX kept as written
        }
        advance();
        continue;
      }
      v.str += ch;
      advance();
    }
    if (eof()) { err = "unterminated string"; return std::nullopt; }
    advance();
    return v;
  }
  std::optional<TomlValue> literal_string(std::string& err) {
    advance();
    TomlValue v;
    v.kind = TomlValue::string;
    while (!eof() && peek() != '\'') {
      if (peek() == '\n') { err = "newline in string"; return std::nullopt; }
      v.str += peek();
      advance();
    }
    if (eof()) { err = "unterminated string"; return std::nullopt; }
    advance();
    return v;
  }
  std::optional<TomlValue> multiline_string(std::string& err) {
    std::string q(s_.substr(i_, 3));
    for (int k = 0; k < 3; ++k) advance();
    if (peek() == '\n') advance();  // a newline right after the opening quotes is trimmed
    TomlValue v;
    v.kind = TomlValue::string;
    while (!eof() && !starts_with(q)) {
      if (q[0] == '"' && peek() == '\\') {
        advance();
        if (peek() == '\n' || peek() == ' ' || peek() == '\t' || peek() == '\r') {
          skip_ws_nl();  // line-ending backslash
          continue;
        }
        char e = peek();
        v.str += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        advance();
        continue;
      }
      v.str += peek();
      advance();
    }
    if (eof()) { err = "unterminated multi-line string"; return std::nullopt; }
    for (int k = 0; k < 3; ++k) advance();
    return v;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1;
};

// Table header text -> normalised dotted name (whitespace around dots removed, quotes kept off).
std::optional<std::string> header_name(std::string_view h) {
  std::string out;
  std::size_t i = 0;
  while (i < h.size()) {
    char c = h[i];
    if (c == ' ' || c == '\t') { ++i; continue; }
    if (c == '"' || c == '\'') {
      auto j = h.find(c, i + 1);
      if (j == std::string_view::npos) return std::nullopt;
      out.append(h.substr(i + 1, j - i - 1));
      i = j + 1;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

bool read_pyproject_pytest_text(const std::string& path, const std::string& text,
                                PytestConfig& cfg) {
  TomlScanner sc(text);
  std::string table;
  struct Found {
    std::string table;
    int header_line = 0;
    std::vector<std::pair<std::string, TomlValue>> kv;
    std::vector<int> lines;
  };
  Found ini_options, native;  // [tool.pytest.ini_options], [tool.pytest] (pytest >= 9)
  bool has_ini = false, has_native = false;
  std::vector<PytestConfig::Problem> problems;
  auto ours = [&]() -> Found* {
    if (table == "tool.pytest.ini_options") return &ini_options;
    if (table == "tool.pytest") return &native;
    return nullptr;
  };

  while (!sc.eof()) {
    sc.skip_spaces();
    char c = sc.peek();
    if (c == '\n') { sc.advance(); continue; }
    if (c == '#') { sc.skip_line(); continue; }
    int lineno = sc.line();
    if (c == '[') {
      bool array_table = sc.starts_with("[[");
      std::size_t start = sc.pos();
      sc.skip_line();
      std::string_view l(text);
      l = l.substr(start, sc.pos() - start);
      auto hash = l.find('#');  // table names with '#' in quotes are not supported
      if (hash != std::string_view::npos) l = l.substr(0, hash);
      l = trim(l);
      if (!l.empty() && l.back() == '\n') l.remove_suffix(1);
      l = trim(l);
      std::size_t open = array_table ? 2 : 1;
      if (l.size() < 2 * open || l.substr(l.size() - open) != (array_table ? "]]" : "]")) {
        problems.push_back({path, lineno, "malformed table header"});
        table.clear();
        continue;
      }
      auto name = header_name(l.substr(open, l.size() - 2 * open));
      table = (name && !array_table) ? *name : std::string();
      if (table == "tool.pytest.ini_options") {
        if (has_ini) problems.push_back({path, lineno, "duplicate [tool.pytest.ini_options]"});
        has_ini = true;
        if (!ini_options.header_line) ini_options.header_line = lineno;
      } else if (table == "tool.pytest") {
        has_native = true;
        if (!native.header_line) native.header_line = lineno;
      }
      continue;
    }
    // key = value
    std::size_t kstart = sc.pos();
    std::string key;
    bool key_ok = true;
    while (!sc.eof() && sc.peek() != '=' && sc.peek() != '\n') {
      char kc = sc.peek();
      if (kc == '"' || kc == '\'') {
        sc.advance();
        while (!sc.eof() && sc.peek() != kc && sc.peek() != '\n') key += sc.peek(), sc.advance();
        if (sc.peek() != kc) { key_ok = false; break; }
        sc.advance();
        continue;
      }
      if (kc != ' ' && kc != '\t') key += kc;
      sc.advance();
    }
    (void)kstart;
    if (!key_ok || sc.peek() != '=' || key.empty()) {
      problems.push_back({path, lineno, "expected `key = value`"});
      sc.skip_line();
      continue;
    }
    sc.advance();  // '='
    sc.skip_spaces();
    std::string err;
    auto v = sc.value(err);
    if (!v) {
      problems.push_back({path, sc.line(), "cannot read the value of '" + key + "': " + err});
      sc.skip_line();
      continue;
    }
    sc.skip_spaces();
    sc.skip_comment();
    if (!sc.eof() && sc.peek() != '\n') {
      problems.push_back({path, sc.line(), "unexpected text after the value of '" + key + "'"});
      sc.skip_line();
    }
    if (Found* f = ours()) {
      f->kv.emplace_back(key, std::move(*v));
      f->lines.push_back(lineno);
    }
  }

  Found* use = has_ini ? &ini_options : has_native ? &native : nullptr;
  if (!use) return false;
  cfg.file = path;
  cfg.section = has_ini ? "tool.pytest.ini_options" : "tool.pytest";
  cfg.line = use->header_line;
  for (std::size_t k = 0; k < use->kv.size(); ++k) {
    const auto& [key, v] = use->kv[k];
    auto* dst = slot(cfg, key);
    if (!dst) continue;
    std::vector<std::string> vals;
    bool ok = true;
    if (v.kind == TomlValue::string) {
      vals = shell_split(v.str);  // pytest splits a string "args" value like a command line
    } else if (v.kind == TomlValue::array) {
      for (const auto& it : v.items) {
        if (it.kind == TomlValue::array) { ok = false; break; }
        vals.push_back(it.str);
      }
    } else {
      ok = false;
    }
    if (!ok) {
      problems.push_back({path, use->lines[k],
                          "'" + key + "' is neither a string nor an array of strings: default kept"});
      continue;
    }
    *dst = std::move(vals);
    cfg.keys_set.push_back(key);
  }
  for (auto& p : problems) cfg.problems.push_back(std::move(p));
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
