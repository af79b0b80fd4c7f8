#include "probes/project_commands.h"

#include <map>
#include <set>

#include "engine/strings.h"
#include "probes/read/parse_cache.h"
#include "probes/read/file.h"
#include "probes/read/python_syntax.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

const char* kProbe = "project-commands";

std::string join_cmds(const std::vector<std::string>& v) {
  std::string o;
  for (const auto& x : v) {
    if (x.empty()) continue;
    if (!o.empty()) o += " ; ";
    o += x;
    if (o.size() > 4000) break;
  }
  return cut(o, 2000);
}

// Logical lines: backslash-newline continuations joined (with one space), each with its first line.
std::vector<std::pair<std::string, int>> logical_lines(std::string_view text) {
  std::vector<std::pair<std::string, int>> out;
  size_t i = 0;
  int ln = 0;
  std::string cur;
  int start = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view l = text.substr(i, j - i);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    ++ln;
    if (cur.empty()) start = ln;
    if (!l.empty() && l.back() == '\\') {
      cur.append(l.substr(0, l.size() - 1));
      if (cur.empty()) cur = " ";
      i = j + 1;
      if (i < text.size()) continue;
    } else {
      if (!cur.empty() && !l.empty() && cur.back() != ' ') cur += ' ';
      // Continuation lines of a recipe keep their leading tab: drop it when joining.
      if (!cur.empty()) l = trim_view(l);
      cur.append(l);
    }
    out.emplace_back(std::move(cur), start);
    cur.clear();
    i = j + 1;
  }
  return out;
}

std::string strip_recipe_prefix(std::string_view s) {
  s = trim_view(s);
  while (!s.empty() && (s[0] == '@' || s[0] == '-' || s[0] == '+')) s = trim_view(s.substr(1));
  return std::string(s);
}

void emit_targets(const std::string& path, const std::string& kind, const std::vector<CommandTarget>& ts,
                  FactStore& out) {
  for (const auto& t : ts) {
    Fact f;
    f.kind = "make.target";
    f.where = {path, t.line};
    std::string cmds = join_cmds(t.commands);
    f.attrs = {{"file", path}, {"name", cut(t.name, 100)}, {"commands", cmds}, {"kind", kind}};
    f.detail = (kind == "just" ? "just recipe " : "make target ") + cut(t.name, 100) +
               (cmds.empty() ? "" : ": " + cut(cmds, 200));
    out.add(std::move(f));
  }
}

// ---- tasks.py ------------------------------------------------------------------------------------

bool is_task_decorator(const py::PyNode& dec) {
  for (const py::PyNode& c : dec.named_children()) {
    py::PyNode e = c;
    if (e.is("call")) e = e.field("function");
    std::string_view t = e.text();
    if (t == "task" || t == "invoke.task" || t == "inv.task") return true;
  }
  return false;
}

// Text of a command argument: a plain string's value; an f-string or concatenation as written
// without its quotes; anything else as written.
std::string command_arg(const py::PyNode& n) {
  std::string s;
  if (py::string_literal_value(n, s)) return s;
  if (n.is("string")) {
    std::string_view t = n.text();
    size_t q = t.find_first_of("\"'");
    if (q != std::string_view::npos) {
      t = t.substr(q);
      size_t ql = (t.size() >= 6 && (t.substr(0, 3) == "\"\"\"" || t.substr(0, 3) == "'''")) ? 3 : 1;
      if (t.size() >= 2 * ql) t = t.substr(ql, t.size() - 2 * ql);
    }
    return std::string(t);
  }
  if (n.is("concatenated_string")) {
    std::string o;
    for (const py::PyNode& c : n.named_children()) o += command_arg(c);
    return o;
  }
  return std::string(n.text());
}

void tasks_file(const std::string& path, const py::PySyntaxTree& tree, FactStore& out) {
  if (!tree.ok()) {
    out.problem(path, 0, path + " not parsed (" + to_string(tree.status()) + "): " + tree.note(), kProbe);
    return;
  }
  tree.walk(tree.root(), [&](const py::PyNode& n) {
    if (!n.is("decorated_definition")) return !n.is("string");
    bool task = false;
    for (const py::PyNode& c : n.named_children())
      if (c.is("decorator") && is_task_decorator(c)) task = true;
    py::PyNode def = n.field("definition");
    if (!task || !def.is("function_definition")) return true;
    std::string name(def.field("name").text());
    std::set<std::string> ctx = {"ctx", "c", "context"};
    py::PyNode params = def.field("parameters");
    for (const py::PyNode& p : params.named_children()) {
      py::PyNode id = p.is("identifier") ? p : p.field("name");
      if (id.is("identifier")) ctx.insert(std::string(id.text()));
      break;  // only the first parameter is the context
    }
    std::vector<std::string> cmds;
    tree.walk(def.field("body"), [&](const py::PyNode& m) {
      if (!m.is("call")) return true;
      py::PyNode fn = m.field("function");
      if (fn.is("attribute")) {
        std::string_view attr = fn.field("attribute").text();
        py::PyNode obj = fn.field("object");
        if ((attr == "run" || attr == "sudo") && obj.is("identifier") && ctx.count(std::string(obj.text()))) {
          py::PyNode args = m.field("arguments");
          for (const py::PyNode& a : args.named_children()) {
            if (a.is("keyword_argument") || a.is("comment")) continue;
            cmds.push_back(trim(command_arg(a)));
            break;
          }
        }
      }
      return true;
    });
    Fact f;
    f.kind = "task.def";
    f.where = {path, def.line()};
    std::string cli = name;
    for (auto& ch : cli)
      if (ch == '_') ch = '-';
    std::string joined = join_cmds(cmds);
    f.attrs = {{"name", cut(name, 100)}, {"cli", cut(cli, 100)}, {"commands", joined},
               {"runs", std::to_string(cmds.size())}, {"file", path}};
    f.detail = "invoke task " + cut(name, 100) + (joined.empty() ? "" : ": " + cut(joined, 200));
    out.add(std::move(f));
    return false;
  });
}

}  // namespace

std::vector<CommandTarget> makefile_targets(std::string_view text) {
  std::vector<CommandTarget> out;
  std::vector<size_t> current;  // indexes into out of the rule being read
  bool in_define = false;
  for (auto& [line, ln] : logical_lines(text)) {
    std::string_view l = line;
    if (in_define) {
      if (trim_view(l).rfind("endef", 0) == 0) in_define = false;
      continue;
    }
    if (!l.empty() && l[0] == '\t') {
      std::string_view t = trim_view(l);
      if (t.empty() || t[0] == '#') continue;
      for (size_t k : current) out[k].commands.push_back(strip_recipe_prefix(t));
      continue;
    }
    std::string_view t = trim_view(l);
    if (t.empty() || t[0] == '#') continue;
    std::string_view first = t.substr(0, t.find_first_of(" \t"));
    if (first == "define") { in_define = true; current.clear(); continue; }
    if (first == "ifeq" || first == "ifneq" || first == "ifdef" || first == "ifndef" || first == "else" ||
        first == "endif")
      continue;  // conditionals keep the rule context
    if (first == "include" || first == "-include" || first == "sinclude" || first == "export" ||
        first == "unexport" || first == "override" || first == "vpath") {
      current.clear();
      continue;
    }
    // A rule: "targets : prerequisites [; recipe]"; an assignment has '=' before any ':'
    // (or ':=', '::=', ':::=').
    size_t colon = t.find(':');
    size_t eq = t.find('=');
    if (colon == std::string_view::npos || (eq != std::string_view::npos && eq < colon) ||
        (colon + 1 < t.size() && t[colon + 1] == '=') ||
        (colon + 2 < t.size() && t[colon + 1] == ':' && t[colon + 2] == '=')) {
      current.clear();
      continue;
    }
    std::string_view targets = t.substr(0, colon);
    std::string_view rest = t.substr(colon + 1);
    if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
    current.clear();
    std::string inline_recipe;
    size_t semi = rest.find(';');
    if (semi != std::string_view::npos) inline_recipe = strip_recipe_prefix(rest.substr(semi + 1));
    size_t i = 0;
    while (i < targets.size()) {
      while (i < targets.size() && (targets[i] == ' ' || targets[i] == '\t')) ++i;
      size_t j = i;
      while (j < targets.size() && targets[j] != ' ' && targets[j] != '\t') ++j;
      std::string name(targets.substr(i, j - i));
      i = j;
      if (name.empty() || name[0] == '.' || name.find('%') != std::string::npos ||
          name.find('$') != std::string::npos)
        continue;
      CommandTarget ct;
      ct.name = name;
      ct.line = ln;
      if (!inline_recipe.empty()) ct.commands.push_back(inline_recipe);
      out.push_back(std::move(ct));
      current.push_back(out.size() - 1);
    }
  }
  return out;
}

std::vector<CommandTarget> justfile_recipes(std::string_view text) {
  std::vector<CommandTarget> out;
  bool in_body = false;
  for (auto& [line, ln] : logical_lines(text)) {
    std::string_view l = line;
    if (!l.empty() && (l[0] == ' ' || l[0] == '\t')) {
      if (!in_body) continue;
      std::string_view t = trim_view(l);
      if (t.empty() || t[0] == '#') continue;
      out.back().commands.push_back(strip_recipe_prefix(t));
      continue;
    }
    in_body = false;
    std::string_view t = trim_view(l);
    if (t.empty() || t[0] == '#' || t[0] == '[') continue;
    std::string_view first = t.substr(0, t.find_first_of(" \t"));
    if (first == "set" || first == "alias" || first == "export" || first == "import" || first == "mod" ||
        first == "unexport")
      continue;
    size_t i = 0;
    if (t[0] == '@') ++i;
    size_t s = i;
    while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_' || t[i] == '-')) ++i;
    if (i == s) continue;
    std::string name(t.substr(s, i - s));
    // Parameters up to the ':' that is not ':='. Quoted defaults may hold ':'.
    size_t k = i;
    char q = 0;
    bool header = false;
    for (; k < t.size(); ++k) {
      char c = t[k];
      if (q) { if (c == q) q = 0; continue; }
      if (c == '"' || c == '\'') { q = c; continue; }
      if (c == ':') { header = !(k + 1 < t.size() && t[k + 1] == '='); break; }
    }
    if (!header) continue;
    CommandTarget ct;
    ct.name = name;
    ct.line = ln;
    out.push_back(std::move(ct));
    in_body = true;
  }
  return out;
}

bool is_makefile_name(std::string_view path) {
  std::string b(basename_of(path));
  return b == "Makefile" || b == "makefile" || b == "GNUmakefile" || (b.size() > 3 && ends_with(b, ".mk"));
}

bool is_justfile_name(std::string_view path) {
  std::string b = lower_ascii(basename_of(path));
  return b == "justfile" || b == ".justfile" || (b.size() > 5 && ends_with(b, ".just"));
}

std::string ProjectCommandsProbe::summary() const {
  return "invoke tasks.py (tasks and the commands they run), Makefile and justfile targets";
}

void ProjectCommandsProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  for (const auto& e : snap.files()) {
    const std::string& p = e.path;
    if (vendored(p) || e.symlink) continue;
    std::string base(basename_of(p));
    bool tasks = base == "tasks.py" || (p.rfind("tasks/", 0) == 0 && ends_with(p, ".py"));
    bool make = is_makefile_name(p), just = is_justfile_name(p);
    if (!tasks && !make && !just) continue;
    Blob b;
    if (!read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap})) continue;
    if (tasks) {
      auto pf = python_tree(snap, p, opt_.read_cap);  // the audit's shared tree
      if (pf->read_ok()) tasks_file(p, *pf->tree, out);
    }
    else if (make) emit_targets(p, "make", makefile_targets(b.data), out);
    else emit_targets(p, "just", justfile_recipes(b.data), out);
  }
}

}  // namespace cc
