#include "probes/dependencies.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/embedded.h"
#include "engine/strings.h"
#include "engine/yaml_pack.h"
#include "probes/read/file.h"
#include "probes/read/parse_cache.h"
#include "probes/read/python_syntax.h"
#include "probes/read/safe_yaml.h"
#include "probes/read/text.h"
#include "probes/read/toml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

const char* kProbe = "dependencies";

// ---- Small helpers ------------------------------------------------------------------------------


std::string utf8_cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

// ---- Package knowledge (probes/data/python_packages.yaml) ---------------------------------------

struct PythonPackages {
  std::map<std::string, std::vector<std::string>> import_names;  // import -> normalised dists
  std::map<std::string, std::vector<std::string>> import_prefixes;
  std::map<std::string, std::vector<std::string>> provided_by;
  std::set<std::string> stdlib;
  std::string error;
};

const PythonPackages& python_packages() {
  static const PythonPackages pk = [] {
    PythonPackages p;
    const EmbeddedFile* f = find_embedded_file(embedded_probe_data(), "data/python_packages.yaml");
    if (!f || f->data.empty()) { p.error = "data/python_packages.yaml is not embedded"; return p; }
    YamlLoad y = embedded_yaml(*f);
    if (!y.ok || !y.root.is_map()) { p.error = "data/python_packages.yaml: " + y.error; return p; }
    auto read_map = [&](const char* key, std::map<std::string, std::vector<std::string>>& dst,
                        bool normalise) {
      const YNode* m = y.root.get(key);
      if (!m || !m->is_map()) return;
      for (const auto& [k, v] : m->entries) {
        auto& list = dst[k.text];
        if (v.is_scalar()) list.push_back(normalise ? normalize_dist_name(v.text) : v.text);
        if (v.is_seq())
          for (const auto& i : v.items)
            if (i.is_scalar()) list.push_back(normalise ? normalize_dist_name(i.text) : lower_ascii(i.text));
      }
    };
    read_map("import_names", p.import_names, true);
    read_map("import_prefixes", p.import_prefixes, false);
    read_map("provided_by", p.provided_by, true);
    if (const YNode* s = y.root.get("stdlib"); s && s->is_seq())
      for (const auto& i : s->items)
        if (i.is_scalar()) p.stdlib.insert(i.text);
    if (p.stdlib.empty()) p.error = "data/python_packages.yaml: no stdlib list";
    return p;
  }();
  return pk;
}

// ---- Collecting declarations ---------------------------------------------------------------------

struct Collector {
  const Snapshot& snap;
  const DependenciesOptions& opt;
  FactStore& out;
  std::set<std::string> declared;       // normalised names, all sources
  std::set<std::string> requirements_done;
  std::vector<std::string> dep_files;   // in the order found (for the import check's location)

  void file_fact(const std::string& path, const std::string& kind, int line,
                 std::map<std::string, std::string> extra = {}) {
    Fact f;
    f.kind = "deps.file";
    f.where = {path, line};
    f.attrs = std::move(extra);
    f.attrs["path"] = path;
    f.attrs["kind"] = kind;
    f.detail = "dependency file " + path + " (" + kind + ")";
    out.add(std::move(f));
    dep_files.push_back(path);
  }

  // Returns true when a package was declared.
  bool declare(const std::string& raw_name, const std::string& spec, const std::string& source,
               const std::string& path, int line) {
    std::string name = normalize_dist_name(raw_name);
    if (name.empty()) return false;
    declared.insert(name);
    Fact f;
    f.kind = "deps.declared";
    f.where = {path, line};
    f.attrs = {{"name", name}, {"source", source}, {"spec", utf8_cut(spec, 200)}, {"file", path}};
    f.detail = "declares " + name + (spec.empty() ? "" : " " + utf8_cut(spec, 80)) + " (" + source + ")";
    out.add(std::move(f));
    return true;
  }

  void python_fact(const std::string& version, const std::string& path, int line) {
    std::string v = trim(version);
    if (v.empty()) return;
    Fact f;
    f.kind = "deps.python";
    f.where = {path, line};
    f.attrs = {{"version", utf8_cut(v, 100)}, {"file", path}};
    f.detail = "Python " + utf8_cut(v, 100) + " required by " + path;
    out.add(std::move(f));
  }

  Blob read(const std::string& path) {
    const FileEntry* e = snap.find(path);
    if (e && e->symlink) {
      Blob b;
      b.state = ReadState::error;
      b.note = "a symbolic link: not read";
      return b;
    }
    return snap.read_text(path, opt.read_cap);
  }

  bool read_or_report(const std::string& path, Blob& b) {
    b = read(path);
    if (b.ok()) return true;
    out.problem(path, 0, not_read_detail(path, b), kProbe);
    return false;
  }

  // ---- requirements files ----
  int requirements_file(const std::string& path, std::vector<std::string>& stack, bool top) {
    if (std::find(stack.begin(), stack.end(), path) != stack.end()) return -1;
    if (!requirements_done.insert(path).second) return 0;
    Blob b;
    if (!read_or_report(path, b)) return 0;
    stack.push_back(path);
    int count = 0;
    auto lines = split_lines(b.data);
    std::string logical;
    int start_line = 0;
    for (size_t k = 0; k < lines.size(); ++k) {
      std::string_view l = lines[k];
      if (logical.empty()) start_line = int(k) + 1;
      // pip joins a line ending in a backslash with the next one.
      if (!l.empty() && l.back() == '\\') {
        logical.append(l.substr(0, l.size() - 1));
        logical += ' ';
        if (k + 1 < lines.size()) continue;
      } else {
        logical.append(l);
      }
      std::string line = std::move(logical);
      logical.clear();
      // Comments: a '#' at the start or after whitespace.
      for (size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
          line.resize(i);
          break;
        }
      std::string t = trim(line);
      if (t.empty()) continue;
      if (t[0] == '-') {
        count += option_line(path, start_line, t, stack);
        continue;
      }
      Requirement r = parse_requirement(t);
      if (r.name.empty()) continue;  // a path or a URL without a name
      if (declare(r.name, r.spec, "requirements:" + path, path, start_line)) ++count;
    }
    stack.pop_back();
    file_fact(path, "requirements", 0,
              {{"packages", std::to_string(count)}, {"included", top ? "no" : "yes"}});
    return count;
  }

  // An option line of a requirements file. Returns packages declared (by -e with #egg=).
  int option_line(const std::string& path, int line, const std::string& t,
                  std::vector<std::string>& stack) {
    std::string opt, val;
    size_t sp = t.find_first_of(" \t=");
    if (t.rfind("--", 0) == 0) {
      opt = t.substr(0, sp);
      val = sp == std::string::npos ? "" : trim(std::string_view(t).substr(sp + 1));
    } else {
      opt = t.substr(0, 2);
      val = trim(std::string_view(t).substr(2));
      if (!val.empty() && val[0] == '=') val = trim(std::string_view(val).substr(1));
    }
    if (opt == "-r" || opt == "--requirement") {
      if (val.empty()) {
        out.problem(path, line, path + ":" + std::to_string(line) + ": -r without a file", kProbe);
        return 0;
      }
      auto target = normalize_repo_path(dirname_of(path), val);
      if (!target) {
        out.problem(path, line, path + ":" + std::to_string(line) + ": include '" + utf8_cut(val, 200) +
                                    "' leaves the repository: not followed", kProbe);
        return 0;
      }
      if (!snap.exists(*target)) {
        out.problem(path, line, path + ":" + std::to_string(line) + ": included file '" + *target +
                                    "' is not in the repository", kProbe);
        return 0;
      }
      if (int(stack.size()) >= this->opt.max_include_depth) {
        out.problem(path, line, path + ":" + std::to_string(line) + ": includes nested deeper than " +
                                    std::to_string(this->opt.max_include_depth) + ": not followed", kProbe);
        return 0;
      }
      int n = requirements_file(*target, stack, false);
      if (n < 0) {
        out.problem(path, line, path + ":" + std::to_string(line) + ": circular include of " + *target +
                                    " (" + join(stack, " -> ") + " -> " + *target + "): not followed again",
                    kProbe);
        return 0;
      }
      return 0;  // the included file's packages are counted in its own deps.file
    }
    if (opt == "-e" || opt == "--editable") {
      size_t egg = val.find("#egg=");
      if (egg != std::string::npos) {
        std::string name = val.substr(egg + 5);
        name = name.substr(0, name.find_first_of("&[ "));
        if (declare(name, "-e " + val, "requirements:" + path, path, line)) return 1;
      }
      return 0;
    }
    return 0;  // -c, -i, --index-url, --extra-index-url, -f, --hash, ...: not declarations
  }

  // ---- pyproject.toml ----
  void pyproject(const std::string& path) {
    TomlFile tf = read_toml(snap, path, opt.read_cap);
    if (!tf.ok) {
      report_toml_problem(tf, out, kProbe);
      file_fact(path, "pyproject", 0, {{"parsed", "no"}});
      return;
    }
    const YNode& root = tf.root;
    int count = 0;
    auto req_list = [&](const YNode* n, const std::string& source) {
      if (!n || !n->is_seq()) return;
      for (const auto& i : n->items) {
        if (!i.is_scalar()) continue;  // {include-group = "x"}
        Requirement r = parse_requirement(i.text);
        if (declare(r.name, r.spec, source, path, i.line)) ++count;
      }
    };
    const YNode* project = root.get("project");
    if (project && project->is_map()) {
      req_list(project->get("dependencies"), "project");
      if (const YNode* od = project->get("optional-dependencies"); od && od->is_map())
        for (const auto& [k, v] : od->entries) req_list(&v, "optional:" + k.text);
      if (const YNode* rp = project->get("requires-python"); rp && rp->is_scalar())
        python_fact(rp->text, path, rp->line);
      for (const char* sec : {"scripts", "gui-scripts"})
        if (const YNode* s = project->get(sec); s && s->is_map())
          for (const auto& [k, v] : s->entries)
            if (v.is_scalar()) script_fact(k.text, v.text, path, k.line);
    }
    if (const YNode* dg = root.get("dependency-groups"); dg && dg->is_map())
      for (const auto& [k, v] : dg->entries) req_list(&v, "group:" + k.text);
    if (const YNode* uv = toml_at(root, "tool.uv"); uv && uv->is_map())
      req_list(uv->get("dev-dependencies"), "group:dev");
    if (const YNode* poetry = toml_at(root, "tool.poetry"); poetry && poetry->is_map()) {
      auto poetry_table = [&](const YNode* t, const std::string& source) {
        if (!t || !t->is_map()) return;
        for (const auto& [k, v] : t->entries) {
          if (k.text == "python") {
            python_fact(v.is_scalar() ? v.text : v.get("version") ? v.get("version")->text : "", path, k.line);
            continue;
          }
          std::string spec = v.is_scalar() ? v.text : v.value();
          if (declare(k.text, spec, source, path, k.line)) ++count;
        }
      };
      poetry_table(poetry->get("dependencies"), "poetry");
      poetry_table(poetry->get("dev-dependencies"), "group:dev");
      if (const YNode* groups = poetry->get("group"); groups && groups->is_map())
        for (const auto& [k, v] : groups->entries) poetry_table(v.get("dependencies"), "group:" + k.text);
      if (const YNode* s = poetry->get("scripts"); s && s->is_map())
        for (const auto& [k, v] : s->entries) {
          std::string target = v.is_scalar() ? v.text : "";
          if (v.is_map())
            for (const char* key : {"callable", "reference"})
              if (const YNode* c = v.get(key); c && c->is_scalar()) target = c->text;
          script_fact(k.text, target, path, k.line);
        }
    }
    // setuptools' dynamic dependencies read from requirement files.
    std::vector<std::string> dynamic_files;
    if (const YNode* dyn = toml_at(root, "tool.setuptools.dynamic"); dyn && dyn->is_map()) {
      if (const YNode* d = dyn->get("dependencies"); d && d->is_map())
        for (const auto& f : toml_strings(d->get("file"))) dynamic_files.push_back(f);
      if (const YNode* od = dyn->get("optional-dependencies"); od && od->is_map())
        for (const auto& [k, v] : od->entries)
          if (v.is_map())
            for (const auto& f : toml_strings(v.get("file"))) dynamic_files.push_back(f);
    }
    for (const auto& f : dynamic_files) {
      auto target = normalize_repo_path(dirname_of(path), f);
      if (!target) {
        out.problem(path, 0, path + ": dynamic dependency file '" + utf8_cut(f, 200) +
                                 "' leaves the repository: not read", kProbe);
        continue;
      }
      if (!snap.exists(*target)) continue;  // other probes' business; the rule sees no file
      std::vector<std::string> stack;
      requirements_file(*target, stack, true);
    }
    if (const YNode* tool = root.get("tool"); tool && tool->is_map())
      for (const auto& [k, v] : tool->entries) {
        Fact f;
        f.kind = "pyproject.tool";
        f.where = {path, k.line};
        f.attrs = {{"tool", k.text}, {"file", path}};
        f.detail = path + " configures " + k.text + " ([tool." + k.text + "])";
        out.add(std::move(f));
      }
    std::map<std::string, std::string> extra{{"packages", std::to_string(count)}, {"parsed", "yes"}};
    if (const YNode* bb = toml_at(root, "build-system.build-backend"); bb && bb->is_scalar())
      extra["build_backend"] = utf8_cut(bb->text, 100);
    if (!dynamic_files.empty()) extra["dynamic_from"] = join(dynamic_files);
    file_fact(path, "pyproject", 0, extra);
  }

  void script_fact(const std::string& name, const std::string& target, const std::string& path, int line) {
    Fact f;
    f.kind = "deps.script";
    f.where = {path, line};
    f.attrs = {{"name", utf8_cut(name, 100)}, {"target", utf8_cut(target, 200)}, {"file", path}};
    f.detail = "console script " + utf8_cut(name, 100) + " -> " + utf8_cut(target, 200);
    out.add(std::move(f));
  }

  // ---- Pipfile, pixi.toml ----
  void toml_tables(const std::string& path, const std::string& kind,
                   const std::vector<std::pair<std::string, std::string>>& tables) {
    TomlFile tf = read_toml(snap, path, opt.read_cap);
    if (!tf.ok) {
      report_toml_problem(tf, out, kProbe);
      file_fact(path, kind, 0, {{"parsed", "no"}});
      return;
    }
    int count = 0;
    for (const auto& [table, source] : tables) {
      const YNode* t = toml_at(tf.root, table);
      if (!t || !t->is_map()) continue;
      for (const auto& [k, v] : t->entries) {
        if (k.text == "python") {
          python_fact(v.is_scalar() ? v.text : v.value(), path, k.line);
          continue;
        }
        if (declare(k.text, v.is_scalar() ? v.text : v.value(), source, path, k.line)) ++count;
      }
    }
    if (const YNode* r = toml_at(tf.root, "requires.python_version"); r && r->is_scalar())
      python_fact(r->text, path, r->line);
    file_fact(path, kind, 0, {{"packages", std::to_string(count)}, {"parsed", "yes"}});
  }

  // ---- environment.yml ----
  void conda_env(const std::string& path) {
    Blob b;
    if (!read_or_report(path, b)) return;
    YamlLoad y = read_yaml(b.data);
    if (!y.ok) {
      out.problem(path, y.error_line, path + ": " + y.error, kProbe);
      file_fact(path, "environment.yml", 0, {{"parsed", "no"}});
      return;
    }
    int count = 0;
    const std::string source = "conda:" + path;
    if (const YNode* deps = y.root.get("dependencies"); deps && deps->is_seq()) {
      for (const auto& d : deps->items) {
        if (d.is_scalar()) {
          std::string t = trim(d.text);
          size_t cc = t.find("::");
          if (cc != std::string::npos) t = t.substr(cc + 2);
          size_t e = t.find_first_of("=<>!~ ");
          std::string name = t.substr(0, e);
          std::string spec = e == std::string::npos ? "" : trim(std::string_view(t).substr(e));
          if (name == "python") {
            python_fact(spec, path, d.line);
            continue;
          }
          if (name == "pip") continue;
          if (declare(name, spec, source, path, d.line)) ++count;
        } else if (d.is_map()) {
          if (const YNode* pip = d.get("pip"); pip && pip->is_seq())
            for (const auto& p : pip->items) {
              if (!p.is_scalar()) continue;
              std::string t = trim(p.text);
              if (t.rfind("-r", 0) == 0 || t.rfind("--requirement", 0) == 0) {
                std::vector<std::string> stack{path};
                option_line(path, p.line, t, stack);
                continue;
              }
              Requirement r = parse_requirement(t);
              if (declare(r.name, r.spec, source, path, p.line)) ++count;
            }
        }
      }
    }
    file_fact(path, "environment.yml", 0, {{"packages", std::to_string(count)}, {"parsed", "yes"}});
  }

  // ---- setup.cfg ----
  void setup_cfg(const std::string& path) {
    Blob b;
    if (!read_or_report(path, b)) return;
    std::string section, key;
    int count = 0;
    auto lines = split_lines(b.data);
    for (size_t k = 0; k < lines.size(); ++k) {
      int ln = int(k) + 1;
      std::string_view raw = lines[k];
      std::string t = trim(raw);
      if (t.empty() || t[0] == '#' || t[0] == ';') continue;
      if (raw[0] == '[') {
        size_t close = t.find(']');
        section = close == std::string::npos ? "" : trim(std::string_view(t).substr(1, close - 1));
        key.clear();
        continue;
      }
      bool cont = raw[0] == ' ' || raw[0] == '\t';
      std::string value;
      if (!cont) {
        size_t eq = t.find_first_of("=:");
        if (eq == std::string::npos) { key.clear(); continue; }
        key = trim(std::string_view(t).substr(0, eq));
        value = trim(std::string_view(t).substr(eq + 1));
      } else {
        value = t;
      }
      if (value.empty()) continue;
      std::string source;
      if (section == "options" && key == "install_requires") source = "setup.cfg";
      else if (section == "options.extras_require") source = "optional:" + key;
      else if (section == "options" && key == "python_requires" && !cont) {
        python_fact(value, path, ln);
        continue;
      } else continue;
      Requirement r = parse_requirement(value);
      if (declare(r.name, r.spec, source, path, ln)) ++count;
    }
    file_fact(path, "setup.cfg", 0, {{"packages", std::to_string(count)}});
  }

  // ---- setup.py (setup(install_requires=[...]) with literal strings) ----
  void setup_py(const std::string& path) {
    const FileEntry* e = snap.find(path);
    if (e && e->symlink) {
      Blob b;
      read_or_report(path, b);  // reports it: a symbolic link is not read
      return;
    }
    auto pf = python_tree(snap, path, opt.read_cap);
    if (!pf->read_ok()) {
      out.problem(path, 0, not_read_detail(path, pf->read), kProbe);
      return;
    }
    const py::PySyntaxTree& tree = *pf->tree;
    int count = 0;
    if (tree.ok()) {
      tree.walk(tree.root(), [&](const py::PyNode& n) {
        if (!n.is("call")) return true;
        std::string_view fn = n.field("function").text();
        if (fn != "setup" && fn != "setuptools.setup") return true;
        py::PyNode args = n.field("arguments");
        for (const py::PyNode& a : args.named_children()) {
          if (!a.is("keyword_argument")) continue;
          std::string_view key = a.field("name").text();
          py::PyNode v = a.field("value");
          std::string s;
          if (key == "python_requires" && py::string_literal_value(v, s)) python_fact(s, path, v.line());
          std::string source = key == "install_requires" ? "setup.py" : "";
          if (key == "extras_require" && v.is("dictionary")) {
            for (const py::PyNode& pair : v.named_children()) {
              if (!pair.is("pair")) continue;
              std::string extra;
              if (!py::string_literal_value(pair.field("key"), extra)) continue;
              for (const py::PyNode& e : pair.field("value").named_children())
                if (py::string_literal_value(e, s)) {
                  Requirement r = parse_requirement(s);
                  if (declare(r.name, r.spec, "optional:" + extra, path, e.line())) ++count;
                }
            }
          }
          if (source.empty() || !(v.is("list") || v.is("tuple"))) continue;
          for (const py::PyNode& e : v.named_children())
            if (py::string_literal_value(e, s)) {
              Requirement r = parse_requirement(s);
              if (declare(r.name, r.spec, source, path, e.line())) ++count;
            }
        }
        return false;
      });
    }
    file_fact(path, "setup.py", 0, {{"packages", std::to_string(count)}});
  }

  // ---- lock files: only how many packages they lock ----
  void lock_file(const std::string& path, const std::string& kind) {
    Blob b = read(path);
    std::map<std::string, std::string> extra;
    if (b.ok()) {
      int n = 0;
      for_each_line(b.data, [&](int, std::string_view l) {  // a lock file is often most of a MiB
        if (trim_view(l) == "[[package]]") ++n;
      });
      extra["packages"] = std::to_string(n);
    } else {
      extra["packages"] = "";
      extra["note"] = std::string("not read (") + to_string(b.state) + ")";
    }
    file_fact(path, kind, 0, extra);
  }

  void python_version_file(const std::string& path) {
    Blob b;
    if (!read_or_report(path, b)) return;
    auto lines = split_lines(b.data);
    for (size_t k = 0; k < lines.size(); ++k) {
      std::string t = trim(lines[k]);
      if (t.empty() || t[0] == '#') continue;
      python_fact(t, path, int(k) + 1);
      break;
    }
    file_fact(path, ".python-version", 0);
  }
};

bool is_requirements_name(const std::string& path) {
  std::string base = lower_ascii(basename_of(path));
  bool ext = ends_with(base, ".txt") || ends_with(base, ".in");
  if (!ext) return false;
  if (base.find("requirements") != std::string::npos || base.find("requirement") != std::string::npos)
    return true;
  std::string dir = lower_ascii(dirname_of(path));
  return dir == "requirements" || ends_with(dir, "/requirements");
}

// ---- The import check ---------------------------------------------------------------------------

bool is_test_path(const std::string& path) {
  std::string lp = lower_ascii(path);
  std::string base(basename_of(lp));
  if (base.rfind("test_", 0) == 0 || ends_with(base, "_test.py") || base == "conftest.py") return true;
  for (const char* d : {"tests/", "test/", "testing/"})
    if (lp.rfind(d, 0) == 0 || lp.find(std::string("/") + d) != std::string::npos) return true;
  return false;
}

// The Python files the import check reads, in order: those under the source roots (src/,
// top-level packages, a folder with __init__.py at the top), else the top-level modules; never
// tests, docs or notebooks.
std::vector<std::string> import_check_files(const Snapshot& snap, const PathSkipper& vendored) {
  std::set<std::string> roots;
  for (const auto& e : snap.files()) {
    if (vendored(e.path)) continue;
    size_t slash = e.path.find('/');
    if (slash != std::string::npos && e.path.compare(slash, std::string::npos, "/__init__.py") == 0)
      roots.insert(e.path.substr(0, slash + 1));
  }
  bool has_src = false;
  for (const auto& e : snap.files())
    if (e.path.rfind("src/", 0) == 0 && ends_with(e.path, ".py")) { has_src = true; break; }
  if (has_src) roots.insert("src/");
  for (const char* skip : {"tests/", "test/", "docs/", "notebooks/"}) roots.erase(skip);

  std::vector<std::string> files;
  for (const auto& e : snap.files()) {
    if (e.symlink || !ends_with(e.path, ".py") || vendored(e.path) || is_test_path(e.path)) continue;
    bool in_root = false;
    for (const auto& r : roots)
      if (e.path.rfind(r, 0) == 0) in_root = true;
    if (!in_root && roots.empty() && e.path.find('/') == std::string::npos) {
      static const std::set<std::string> tooling = {"setup.py", "tasks.py", "noxfile.py", "conftest.py",
                                                    "manage.py", "fabfile.py"};
      in_root = !tooling.count(e.path);
    }
    if (in_root) files.push_back(e.path);
  }
  return files;
}

// Python module and folder names of the repository: first-party imports (not every folder: a
// committed wandb/ run folder must not hide a missing wandb dependency).
std::set<std::string> local_names(const Snapshot& snap, const PathSkipper& vendored) {
  std::set<std::string> local;
  for (const auto& e : snap.files()) {
    if (vendored(e.path)) continue;
    std::string base(basename_of(e.path));
    if (!ends_with(base, ".py") && !ends_with(base, ".pyi")) continue;
    local.insert(base.substr(0, base.rfind('.')));
    size_t i = 0;
    for (size_t j; (j = e.path.find('/', i)) != std::string::npos; i = j + 1)
      local.insert(e.path.substr(i, j - i));
  }
  return local;
}

std::uint64_t import_read_cap(const DependenciesOptions& opt) { return std::min<std::uint64_t>(opt.read_cap, 1u << 20); }

void import_check(const Snapshot& snap, const DependenciesOptions& opt, Collector& c) {
  const PathSkipper vendored(snap);
  const PythonPackages& pk = python_packages();
  if (!pk.error.empty()) {
    c.out.problem("", 0, "internal: " + pk.error + ": import check skipped", kProbe);
    return;
  }
  const std::vector<std::string> files = import_check_files(snap, vendored);
  const std::set<std::string> local = local_names(snap, vendored);

  std::map<std::string, std::pair<std::string, int>> imports;  // top-level name -> first place
  size_t read_files = 0;
  std::uint64_t bytes = 0;
  int unparsed = 0;
  for (const auto& path : files) {
    if (read_files >= opt.max_source_files || bytes >= opt.max_source_bytes) break;
    auto pf = python_tree(snap, path, import_read_cap(opt), ArtifactCache::Use::declared);
    if (!pf->read_ok()) { ++unparsed; continue; }
    ++read_files;
    bytes += pf->tree->source().size();
    const py::PySyntaxTree* parsed = pf->ok_within(2'000'000);  // a shorter timeout than the others'
    if (!parsed) { ++unparsed; continue; }
    const py::PySyntaxTree& tree = *parsed;
    auto note = [&](std::string_view dotted, int line) {
      std::string top(dotted.substr(0, dotted.find('.')));
      top = trim(top);
      if (!top.empty() && !imports.count(top)) imports[top] = {path, line};
    };
    tree.walk(tree.root(), [&](const py::PyNode& n) {
      if (n.is("import_statement")) {
        for (const py::PyNode& ch : n.named_children()) {
          if (ch.is("dotted_name")) note(ch.text(), ch.line());
          else if (ch.is("aliased_import")) note(ch.field("name").text(), ch.line());
        }
        return false;
      }
      if (n.is("import_from_statement")) {
        py::PyNode m = n.field("module_name");
        if (m.is("dotted_name")) note(m.text(), m.line());
        return false;
      }
      return py::may_hold_statements(n);  // imports are statements: expressions are passed over
    });
  }

  std::vector<std::string> third_party, missing, transitive;
  int found = 0;
  auto is_declared = [&](const std::string& name) -> int {  // 2 declared, 1 transitive, 0 missing
    if (c.declared.count(normalize_dist_name(name))) return 2;
    if (auto it = pk.import_names.find(name); it != pk.import_names.end())
      for (const auto& d : it->second)
        if (c.declared.count(d)) return 2;
    if (auto it = pk.import_prefixes.find(name); it != pk.import_prefixes.end())
      for (const auto& pre : it->second)
        for (auto d = c.declared.lower_bound(pre); d != c.declared.end() && d->rfind(pre, 0) == 0; ++d)
          return 2;
    if (auto it = pk.provided_by.find(name); it != pk.provided_by.end())
      for (const auto& d : it->second)
        if (c.declared.count(d)) return 1;
    return 0;
  };
  for (const auto& [name, where] : imports) {
    if (pk.stdlib.count(name) || local.count(name) || name == "__future__") continue;
    third_party.push_back(name);
    int d = is_declared(name);
    if (d == 2) ++found;
    else if (d == 1) ++found, transitive.push_back(name);
    else missing.push_back(name);
  }
  std::vector<std::string> shown = third_party;
  if (shown.size() > 100) shown.resize(100);
  Fact f;
  f.kind = "deps.import_check";
  std::string at;
  for (const auto& p : c.dep_files)
    if (p == "pyproject.toml") at = p;
  if (at.empty() && !c.dep_files.empty()) at = c.dep_files.front();
  f.where = {at, 0};
  f.attrs = {{"imported", std::to_string(third_party.size())},
             {"declared_found", std::to_string(found)},
             {"missing", join(missing)},
             {"transitive", join(transitive)},
             {"imports", join(shown)},
             {"files", std::to_string(read_files)},
             {"declared", std::to_string(c.declared.size())},
             {"missing_count", std::to_string(missing.size())},
             // The share of imported packages that are declared: rules tell "a few stray imports"
             // (a note) from a dependency file that does not describe the source (a downgrade).
             {"declared_share", std::to_string(third_party.empty() ? 100 : found * 100 / static_cast<int>(third_party.size()))}};
  if (unparsed) f.attrs["unparsed"] = std::to_string(unparsed);
  f.detail = std::to_string(third_party.size()) + " third-party packages imported by " +
             std::to_string(read_files) + " source files, " + std::to_string(found) + " declared";
  if (!missing.empty()) {
    f.detail += "; not declared: ";
    for (size_t i = 0; i < missing.size() && i < 10; ++i) {
      const auto& w = imports[missing[i]];
      f.detail += (i ? ", " : "") + missing[i] + " (" + w.first + ":" + std::to_string(w.second) + ")";
    }
    if (missing.size() > 10) f.detail += ", ...";
  }
  c.out.add(std::move(f));
}

}  // namespace

std::string normalize_dist_name(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char ch : trim_view(name)) {
    if (ch == '-' || ch == '_' || ch == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

Requirement parse_requirement(std::string_view text) {
  Requirement r;
  std::string_view t = trim_view(text);
  // Per-requirement options (--hash=...) after the requirement.
  for (size_t i = 1; i + 2 < t.size(); ++i)
    if (t[i] == '-' && t[i + 1] == '-' && (t[i - 1] == ' ' || t[i - 1] == '\t')) {
      t = trim_view(t.substr(0, i));
      break;
    }
  // URL or path requirements: a name only from #egg= or a wheel/sdist file name.
  if (t.find("://") != std::string_view::npos && t.find('@') == std::string_view::npos) {
    size_t egg = t.find("#egg=");
    if (egg != std::string_view::npos) {
      std::string_view n = t.substr(egg + 5);
      r.name = std::string(n.substr(0, n.find_first_of("&[ ")));
      r.spec = std::string(t);
    }
    return r;
  }
  if (!t.empty() && (t[0] == '.' || t[0] == '/' || t[0] == '~')) {
    std::string base(basename_of(t));
    if (ends_with(base, ".whl") || ends_with(base, ".tar.gz") || ends_with(base, ".zip")) {
      r.name = base.substr(0, base.find('-'));
      r.spec = std::string(t);
    }
    return r;
  }
  size_t i = 0;
  auto namechar = [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '.';
  };
  while (i < t.size() && namechar(t[i])) ++i;
  if (i == 0) return r;
  r.name = std::string(t.substr(0, i));
  r.spec = trim(t.substr(i));
  return r;
}

std::string DependenciesProbe::summary() const {
  return "pyproject.toml, requirements*.txt (with -r includes), lock files, environment.yml, "
         ".python-version, setup.py/cfg, Pipfile: declared packages, scripts, Python version, "
         "and whether the source's imports are declared";
}

void DependenciesProbe::declare_reads(const Snapshot& snap) const {
  if (!python_packages().error.empty()) return;
  // The import check's reads, as it stops: at max_source_files files or max_source_bytes bytes
  // read (a file over the read cap is not read from the cache).
  std::size_t n = 0;
  std::uint64_t bytes = 0;
  for (const auto& path : import_check_files(snap, PathSkipper(snap))) {
    if (n >= opt_.max_source_files || bytes >= opt_.max_source_bytes) break;
    const FileEntry* e = snap.find(path);
    if (!e || e->size > import_read_cap(opt_)) continue;
    expect_python_tree(snap, path);
    ++n;
    bytes += e->size;
  }
}

void DependenciesProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  Collector c{snap, opt_, out, {}, {}, {}};
  std::vector<std::string> requirements;
  for (const auto& e : snap.files()) {
    const std::string& p = e.path;
    if (vendored(p) || in_tool_run(p)) continue;  // W&B's pip freeze is not a declaration
    std::string base(basename_of(p));
    std::string lbase = lower_ascii(base);
    if (base == "pyproject.toml") c.pyproject(p);
    else if (is_requirements_name(p)) requirements.push_back(p);
    else if (base == "uv.lock") c.lock_file(p, "uv.lock");
    else if (base == "poetry.lock") c.lock_file(p, "poetry.lock");
    else if (lbase.rfind("environment", 0) == 0 && (ends_with(lbase, ".yml") || ends_with(lbase, ".yaml")))
      c.conda_env(p);
    else if (base == "pixi.toml")
      c.toml_tables(p, "pixi.toml", {{"dependencies", "pixi"}, {"pypi-dependencies", "pixi"}});
    else if (base == "Pipfile")
      c.toml_tables(p, "Pipfile", {{"packages", "pipfile"}, {"dev-packages", "group:dev"}});
    else if (base == ".python-version") c.python_version_file(p);
    else if (base == "setup.py") c.setup_py(p);
    else if (base == "setup.cfg") c.setup_cfg(p);
  }
  for (const auto& p : requirements) {
    std::vector<std::string> stack;
    c.requirements_file(p, stack, true);
  }
  import_check(snap, opt_, c);
}

}  // namespace cc
