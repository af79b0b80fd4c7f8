#include "probes/code_style.h"

#include <map>
#include <set>
#include <vector>

#include "engine/embedded.h"
#include "engine/strings.h"
#include "engine/yaml_pack.h"
#include "probes/read/file.h"
#include "probes/read/text.h"
#include "probes/read/toml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

const char* kProbe = "code-style";

const std::set<std::string>& style_tools() {
  static const std::set<std::string> s = {"ruff", "flake8", "black", "pylint", "mypy", "isort"};
  return s;
}

struct HookData {
  std::set<std::string> stock;
  std::map<std::string, std::string> cls;  // hook id -> class
  std::string error;
};

const HookData& hook_data() {
  static const HookData hd = [] {
    HookData h;
    YamlLoad y = embedded_yaml(embedded_probe_data(), "data/precommit_hooks.yaml");
    if (!y.ok || !y.root.is_map()) { h.error = "data/precommit_hooks.yaml: " + y.error; return h; }
    if (const YNode* s = y.root.get("stock_hooks"); s && s->is_seq())
      for (const auto& i : s->items) h.stock.insert(i.text);
    if (const YNode* c = y.root.get("classes"); c && c->is_map())
      for (const auto& [k, v] : c->entries)
        for (const auto& i : v.items) h.cls[i.text] = k.text;
    if (h.stock.empty()) h.error = "data/precommit_hooks.yaml: no stock_hooks";
    return h;
  }();
  return hd;
}

// The rule codes a ruff table selects (select/extend-select, at its top or under `lint`), and
// whether they are "narrow": import sorting (I) only, which checks almost nothing of pep8.
std::pair<std::string, bool> ruff_selection(const YNode* ruff) {
  std::set<std::string> codes;
  bool has_select = false;
  auto collect = [&](const YNode* t) {
    if (!t || !t->is_map()) return;
    for (const char* key : {"select", "extend-select"})
      if (const YNode* l = t->get(key); l && l->is_seq()) {
        has_select = has_select || std::string_view(key) == "select";
        for (const auto& c : l->items)
          if (c.is_scalar() && codes.size() < 100) codes.insert(c.text);
      }
  };
  collect(ruff);
  if (ruff && ruff->is_map()) collect(ruff->get("lint"));
  std::string joined;
  bool narrow = has_select && !codes.empty();
  for (const auto& c : codes) {
    joined += (joined.empty() ? "" : ",") + c;
    if (c.empty() || c[0] != 'I') narrow = false;
  }
  return {joined, narrow};
}

void style_fact(FactStore& out, const std::string& tool, const std::string& file, int line,
                const std::string& section, const YNode* table = nullptr) {
  Fact f;
  f.kind = "style.config";
  f.where = {file, line};
  f.attrs = {{"tool", tool}, {"file", file}, {"section", section}};
  f.detail = tool + " configured in " + file + (section.empty() ? "" : " [" + section + "]");
  if (tool == "ruff" && table) {
    auto [codes, narrow] = ruff_selection(table);
    if (!codes.empty()) f.attrs["select"] = codes;
    f.attrs["narrow"] = narrow ? "yes" : "no";
    if (narrow) f.detail += ", selecting only import sorting (" + codes + ")";
  }
  out.add(std::move(f));
}

// INI section headers of a file: (name, line).
std::vector<std::pair<std::string, int>> ini_sections(std::string_view text) {
  std::vector<std::pair<std::string, int>> out;
  size_t i = 0;
  int ln = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    ++ln;
    std::string_view l = trim_view(text.substr(i, j - i));
    if (!l.empty() && l[0] == '[') {
      size_t close = l.find(']');
      if (close != std::string_view::npos) out.emplace_back(trim(l.substr(1, close - 1)), ln);
    }
    i = j + 1;
  }
  return out;
}

// The tool an INI section configures, "" when none of ours.
std::string tool_of_section(const std::string& sec) {
  std::string s = lower_ascii(sec);
  if (s == "flake8") return "flake8";
  if (s == "mypy" || s.rfind("mypy-", 0) == 0) return s == "mypy" ? "mypy" : "";
  if (s == "isort" || s == "tool:isort" || s == "settings") return s == "settings" ? "" : "isort";
  if (s.rfind("pylint", 0) == 0 || s == "messages control" || s == "master" || s == "format")
    return s.rfind("pylint", 0) == 0 ? "pylint" : "";
  return "";
}

void precommit(const std::string& path, std::string_view text, const CodeStyleOptions& opt, FactStore& out) {
  YamlLoad y = read_yaml(text, opt.yaml);
  if (!y.ok) {
    out.problem(path, y.error_line, path + ": " + y.error, kProbe);
    return;
  }
  const HookData& hd = hook_data();
  int hooks = 0;
  bool stock = true;
  std::vector<std::string> lint;
  if (const YNode* repos = y.root.get("repos"); repos && repos->is_seq()) {
    for (const auto& r : repos->items) {
      if (!r.is_map()) continue;
      const YNode* repo = r.get("repo");
      std::string rname = repo && repo->is_scalar() ? repo->text : "";
      const YNode* hs = r.get("hooks");
      if (!hs || !hs->is_seq()) continue;
      for (const auto& h : hs->items) {
        const YNode* id = h.get("id");
        if (!id || !id->is_scalar()) continue;
        ++hooks;
        if (!hd.stock.count(id->text)) stock = false;
        auto it = hd.cls.find(id->text);
        std::string cls = it == hd.cls.end() ? "other" : it->second;
        if (cls != "other") lint.push_back(id->text);
        Fact f;
        f.kind = "precommit.hook";
        f.where = {path, id->line ? id->line : h.line};
        f.attrs = {{"repo", cut(rname, 300)}, {"id", cut(id->text, 100)}, {"class", cls}, {"file", path}};
        f.detail = "pre-commit hook " + cut(id->text, 100) + (rname.empty() ? "" : " from " + cut(rname, 300));
        out.add(std::move(f));
      }
    }
  }
  std::string lints;
  for (const auto& l : lint) lints += (lints.empty() ? "" : ",") + l;
  Fact f;
  f.kind = "precommit.config";
  f.where = {path, 0};
  f.attrs = {{"path", path}, {"hooks", std::to_string(hooks)},
             {"stock", hooks > 0 && stock ? "yes" : "no"}, {"lint_hooks", cut(lints, 500)}};
  f.detail = path + ": " + std::to_string(hooks) + " hook(s)" + (hooks > 0 && stock ? ", only the template's stock hooks" : "");
  out.add(std::move(f));
}

}  // namespace

std::string CodeStyleProbe::summary() const {
  return "ruff/flake8/black/pylint/mypy/isort configuration (pyproject, ruff.toml, .flake8, setup.cfg, "
         "tox.ini, mypy.ini, .pylintrc) and .pre-commit-config.yaml hooks";
}

void CodeStyleProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  if (!hook_data().error.empty()) out.problem("", 0, "internal: " + hook_data().error, kProbe);
  for (const auto& e : snap.files()) {
    const std::string& p = e.path;
    if (vendored(p) || e.symlink) continue;
    std::string base(basename_of(p));
    std::string lbase = lower_ascii(base);
    auto read = [&](Blob& b) { return read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap}); };
    Blob b;
    if (base == "pyproject.toml") {
      TomlFile tf = read_toml(snap, p, opt_.read_cap);  // problems: reported by "dependencies"
      if (!tf.ok) continue;
      if (const YNode* tool = tf.root.get("tool"); tool && tool->is_map())
        for (const auto& [k, v] : tool->entries)
          if (style_tools().count(k.text)) style_fact(out, k.text, p, k.line, "tool." + k.text, &v);
    } else if (base == "ruff.toml" || base == ".ruff.toml") {
      TomlFile tf = read_toml(snap, p, opt_.read_cap);
      report_toml_problem(tf, out, kProbe);
      style_fact(out, "ruff", p, 0, "", tf.ok ? &tf.root : nullptr);
    } else if (base == ".flake8") {
      style_fact(out, "flake8", p, 0, "");
    } else if (base == "mypy.ini" || base == ".mypy.ini") {
      style_fact(out, "mypy", p, 0, "");
    } else if (base == ".pylintrc" || base == "pylintrc" || base == ".pylintrc.toml") {
      style_fact(out, "pylint", p, 0, "");
    } else if (base == ".isort.cfg") {
      style_fact(out, "isort", p, 0, "");
    } else if (base == "setup.cfg" || base == "tox.ini") {
      if (!read(b)) continue;
      std::set<std::string> seen;
      for (const auto& [sec, line] : ini_sections(b.data)) {
        std::string tool = tool_of_section(sec);
        if (!tool.empty() && seen.insert(tool).second) style_fact(out, tool, p, line, sec);
      }
    } else if (lbase == ".pre-commit-config.yaml" || lbase == ".pre-commit-config.yml") {
      if (read(b)) precommit(p, b.data, opt_, out);
    }
  }
}

}  // namespace cc
