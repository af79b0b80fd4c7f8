#include "probes/hydra_configs.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "engine/strings.h"
#include "probes/read/parse_cache.h"
#include "probes/read/file.h"
#include "probes/read/python_syntax.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

using py::PyNode;
using py::PySyntaxTree;

namespace {

constexpr const char* kProbe = "hydra-configs";
constexpr int kMaxTargetsPerFile = 200;
constexpr int kMaxMissingPerFile = 100;

// ---- pattern data -----------------------------------------------------------------------------

struct HydraData {
  std::set<std::string> hyper_keys, config_dirs, not_configs;
  std::string error;
};

const HydraData& hydra_data() {
  static HydraData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/hydra_configs.yaml", y, d.error)) return;
    auto list = [&](const char* key, std::set<std::string>& into) {
      const YNode* n = y.root.get(key);
      if (!n || !n->is_seq()) {
        d.error = std::string("data/hydra_configs.yaml: no `") + key + "` list";
        return;
      }
      for (const auto& i : n->items) into.insert(lower_ascii(i.value()));
    };
    list("hyperparameter_keys", d.hyper_keys);
    list("config_dirs", d.config_dirs);
    list("not_configs", d.not_configs);
  });
  return d;
}

// ---- small helpers ----------------------------------------------------------------------------

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "/" + b;
}
// A directory exists in the snapshot when some file lies under it.
bool dir_exists(const Snapshot& snap, const std::string& dir) {
  if (dir.empty()) return !snap.files().empty();
  std::string pre = dir + "/";
  const auto& fs = snap.files();
  auto it = std::lower_bound(fs.begin(), fs.end(), pre,
                             [](const FileEntry& e, const std::string& p) { return e.path < p; });
  return it != fs.end() && it->path.compare(0, pre.size(), pre) == 0;
}

std::string norm_key(std::string_view k) {
  std::string s = lower_ascii(trim_view(k));
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

// Any mapping key, at any depth, in the hyperparameter list (iterative, bounded by the tree).
bool has_hyperparams(const YNode& root, const std::set<std::string>& keys) {
  std::vector<const YNode*> todo{&root};
  while (!todo.empty()) {
    const YNode* n = todo.back();
    todo.pop_back();
    if (n->is_map()) {
      for (const auto& [k, v] : n->entries) {
        if (k.is_scalar() && keys.count(norm_key(k.text))) return true;
        todo.push_back(&v);
      }
    } else if (n->is_seq()) {
      for (const auto& i : n->items) todo.push_back(&i);
    }
  }
  return false;
}

// The value of the first `profiler:` key at any depth (Lightning's Trainer reads it from a config:
// `trainer: {profiler: simple}`), "" when absent, null or false.
std::string profiler_setting(const YNode& root) {
  std::vector<const YNode*> todo{&root};
  size_t visited = 0;
  while (!todo.empty() && ++visited < 100000) {
    const YNode* n = todo.back();
    todo.pop_back();
    if (n->is_map()) {
      for (const auto& [k, v] : n->entries) {
        if (k.is_scalar() && k.text == "profiler" && v.is_scalar()) {
          std::string val = v.value();
          if (!val.empty() && val != "false" && val != "null" && val != "None" && val != "none") return val.substr(0, 100);
        }
        todo.push_back(&v);
      }
    } else if (n->is_seq()) {
      for (const auto& i : n->items) todo.push_back(&i);
    }
  }
  return "";
}

// ---- JSON and TOML configs (no full parser needed: keys and hyperparameters) ------------------

// JSON into a YNode tree (maps, seqs, scalars) after a nesting pre-check.
bool json_to_ynode(std::string_view text, YNode& out, std::string& error) {
  if (json_nesting_depth(text) > 200) {
    error = "JSON nests deeper than 200 levels: file not parsed";
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    error = "JSON syntax error: file not parsed";
    return false;
  }
  // Iterative copy.
  std::vector<std::pair<const nlohmann::json*, YNode*>> todo{{&j, &out}};
  size_t nodes = 0;
  while (!todo.empty()) {
    auto [src, dst] = todo.back();
    todo.pop_back();
    if (++nodes > 200000) { error = "JSON has more than 200000 values: file skipped"; return false; }
    if (src->is_object()) {
      dst->type = YNode::Type::map;
      dst->entries.resize(src->size());
      size_t i = 0;
      for (auto it = src->begin(); it != src->end(); ++it, ++i) {
        dst->entries[i].first.type = YNode::Type::scalar;
        dst->entries[i].first.text = it.key();
        todo.emplace_back(&it.value(), &dst->entries[i].second);
      }
    } else if (src->is_array()) {
      dst->type = YNode::Type::seq;
      dst->items.resize(src->size());
      for (size_t i = 0; i < src->size(); ++i) todo.emplace_back(&(*src)[i], &dst->items[i]);
    } else if (src->is_string()) {
      dst->type = YNode::Type::scalar;
      dst->text = src->get<std::string>();
    } else if (!src->is_null()) {
      dst->type = YNode::Type::scalar;
      dst->plain = true;
      dst->text = src->dump();
    }
  }
  return true;
}

// TOML: `key = value` lines and [table] headers; enough for key counts and hyperparameters.
void toml_keys(std::string_view text, const std::set<std::string>& hyper, int& top_keys, bool& hp) {
  top_keys = 0;
  hp = false;
  bool in_table = false;
  size_t i = 0;
  while (i < text.size()) {
    size_t e = text.find('\n', i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view l = trim_view(text.substr(i, e - i));
    i = e + 1;
    if (l.empty() || l[0] == '#') continue;
    if (l[0] == '[') {
      std::string_view name = l.substr(l.find_first_not_of('[') == std::string_view::npos ? 0 : l.find_first_not_of('['));
      name = name.substr(0, name.find(']'));
      if (!in_table) ++top_keys;
      in_table = true;
      std::string last(name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1));
      if (hyper.count(norm_key(last))) hp = true;
      continue;
    }
    size_t eq = l.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key(trim_view(l.substr(0, eq)));
    if (key.size() >= 2 && (key[0] == '"' || key[0] == '\'')) key = key.substr(1, key.size() - 2);
    if (!in_table) ++top_keys;
    if (hyper.count(norm_key(key))) hp = true;
  }
}

// ---- Python: Hydra calls ----------------------------------------------------------------------

std::string strip_ws(std::string_view s) {
  std::string o;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') o += c;
  return o;
}

HydraCall::Arg read_arg(const PySyntaxTree& tree, const PyNode& v) {
  HydraCall::Arg a;
  a.given = true;
  if (v.is("none")) {
    a.none = true;
    a.value = "None";
    return a;
  }
  std::string s;
  if (py::string_literal_value(v, s)) {
    a.literal = true;
    a.value = s;
    return a;
  }
  a.value = cut(std::string(v.text()), 200);
  tree.walk(v, [&](const PyNode& n) {
    std::string lit;
    if (n.is("string")) {
      if (py::string_literal_value(n, lit) && a.literals.size() < 16) a.literals.push_back(lit);
      return false;
    }
    if (n.is("identifier") && n.text() == "__file__") a.mentions_file = true;
    return true;
  });
  return a;
}

}  // namespace

std::vector<HydraCall> find_hydra_calls(std::string_view source, std::string* error) {
  return find_hydra_calls(PySyntaxTree::parse(std::string(source)), error);
}

std::vector<HydraCall> find_hydra_calls(const PySyntaxTree& tree, std::string* error) {
  std::vector<HydraCall> out;
  if (!tree.ok()) {
    if (error) *error = tree.note();
    return out;
  }
  // Local names bound to Hydra: module aliases (`import hydra as h` -> h = hydra) and imported
  // functions (`from hydra import main as hm` -> hm = hydra.main).
  std::map<std::string, std::string> modules{{"hydra", "hydra"}}, funcs;
  tree.walk(tree.root(), [&](const PyNode& n) {
    if (n.is("import_statement")) {
      for (const PyNode& c : n.fields("name")) {
        if (c.is("aliased_import")) {
          std::string m(c.field("name").text());
          if (m == "hydra" || m.rfind("hydra.", 0) == 0) modules[std::string(c.field("alias").text())] = m;
        }
      }
      return false;
    }
    if (n.is("import_from_statement")) {
      std::string m = strip_ws(n.field("module_name").text());
      if (m != "hydra" && m.rfind("hydra.", 0) != 0) return false;
      for (const PyNode& c : n.fields("name")) {
        if (c.is("aliased_import"))
          funcs[std::string(c.field("alias").text())] = m + "." + std::string(c.field("name").text());
        else
          funcs[std::string(c.text())] = m + "." + std::string(c.text());
      }
      return false;
    }
    return py::may_hold_statements(n);  // imports are statements: expressions are passed over
  });
  tree.walk(tree.root(), [&](const PyNode& n) {
    if (!n.is("call")) return true;
    std::string fn = strip_ws(n.field("function").text());
    std::string canon;
    size_t dot = fn.find('.');
    if (dot != std::string::npos) {
      auto it = modules.find(fn.substr(0, dot));
      if (it != modules.end()) canon = it->second + fn.substr(dot);
    } else if (auto it = funcs.find(fn); it != funcs.end()) {
      canon = it->second;
    }
    if (canon.rfind("hydra.", 0) != 0) return true;
    // hydra.experimental.initialize (Hydra 1.0) is the same call.
    std::string last = canon.substr(canon.rfind('.') + 1);
    static const std::set<std::string> known = {"main", "initialize", "initialize_config_dir",
                                                "initialize_config_module", "compose"};
    if (!known.count(last)) return true;
    HydraCall c;
    c.function = last == "main" ? "hydra.main" : last;
    c.line = n.line();
    // Positional order: main(config_path, config_name, version_base); initialize(config_path,
    // job_name, caller_stack_depth, version_base); initialize_config_dir(config_dir, ...);
    // compose(config_name, overrides, ...).
    int pos = 0;
    for (const PyNode& a : n.field("arguments").named_children()) {
      if (a.is("comment")) continue;
      if (a.is("keyword_argument")) {
        std::string k(a.field("name").text());
        PyNode v = a.field("value");
        if (k == "config_path" || k == "config_dir" || k == "config_module") c.path = read_arg(tree, v);
        else if (k == "config_name") c.name = read_arg(tree, v);
        else if (k == "version_base") c.version = read_arg(tree, v);
        continue;
      }
      if (a.is("list_splat") || a.is("dictionary_splat")) continue;
      if (c.function == "compose") {
        if (pos == 0) c.name = read_arg(tree, a);
      } else if (pos == 0) {
        c.path = read_arg(tree, a);
      } else if (pos == 1 && c.function == "hydra.main") {
        c.name = read_arg(tree, a);
      } else if (pos == 2 && c.function == "hydra.main") {
        c.version = read_arg(tree, a);
      }
      ++pos;
    }
    out.push_back(std::move(c));
    return true;
  });
  return out;
}

std::string resolve_hydra_target(const Snapshot& snap, std::string_view target) {
  std::string t(trim_view(target));
  if (t.empty() || t.find_first_of(" /\\$") != std::string::npos) return "unknown";
  std::vector<std::string> parts = split_on(t, '.');
  for (const auto& p : parts)
    if (p.empty()) return "unknown";
  if (parts[0] == "__main__") return "unknown";
  bool package_found = false;
  for (const std::string base : {"", "src"}) {
    std::string top = join_path(base, parts[0]);
    if (snap.exists(top + ".py") || dir_exists(snap, top)) package_found = true;
    // The longest module prefix that is a file: a.b.C -> a/b.py or a/b/__init__.py. When that
    // module is not the target's parent (a.b.Outer.Inner, or a package whose __init__ would have
    // to define b), the next name must at least appear in it.
    for (size_t k = parts.size(); k >= 1; --k) {
      std::string m = base;
      for (size_t i = 0; i < k; ++i) m = join_path(m, parts[i]);
      std::string file = snap.exists(m + ".py") ? m + ".py"
                         : snap.exists(m + "/__init__.py") ? m + "/__init__.py" : "";
      if (!file.empty()) {
        if (k + 1 >= parts.size()) return "yes";
        Blob b = snap.read_text(file, 1024 * 1024);
        return b.ok() && b.data.find(parts[k]) != std::string::npos ? "yes" : "no";
      }
      if (k == 1) break;
    }
  }
  return package_found ? "no" : "external";
}

namespace {

struct Root {
  std::string dir;
  std::set<std::string> primary_names;  // config names (with .yaml) the entries use
};

struct ConfigFile {
  std::string path, root, group;
};

// A defaults-list entry, read from its node.
struct DefaultRef {
  std::string text;      // "name" or "key:value" as written
  std::string group;     // the group path (for key:value), "" for plain names
  std::vector<std::string> options;
  bool optional = false, override_ = false, absolute = false;
  int line = 0;
};

std::vector<DefaultRef> read_defaults(const YNode& defaults) {
  std::vector<DefaultRef> out;
  if (!defaults.is_seq()) return out;
  for (const auto& item : defaults.items) {
    DefaultRef r;
    r.line = item.line;
    if (item.is_scalar()) {
      r.text = item.value();
      std::string name = r.text;
      if (size_t at = name.find('@'); at != std::string::npos) name = name.substr(0, at);
      if (!name.empty() && name[0] == '/') { r.absolute = true; name = name.substr(1); }
      if (name != "_self_" && !name.empty()) r.options.push_back(name);
    } else if (item.is_map() && !item.entries.empty()) {
      const auto& [k, v] = item.entries.front();
      std::string key = trim(k.value());
      std::string rest = key;
      for (;;) {
        if (rest.rfind("override ", 0) == 0) { r.override_ = true; rest = trim(rest.substr(9)); continue; }
        if (rest.rfind("optional ", 0) == 0) { r.optional = true; rest = trim(rest.substr(9)); continue; }
        break;
      }
      if (size_t at = rest.find('@'); at != std::string::npos) rest = rest.substr(0, at);
      if (!rest.empty() && rest[0] == '/') { r.absolute = true; rest = rest.substr(1); }
      r.group = rest;
      r.text = key + ":" + v.value();
      auto add = [&](const YNode& o) {
        std::string s = o.value();
        if (s.empty() || s == "???" || s == "null" || s.find("${") != std::string::npos) return;
        r.options.push_back(s);
      };
      if (v.is_scalar()) add(v);
      else if (v.is_seq())
        for (const auto& o : v.items)
          if (o.is_scalar()) add(o);
    } else {
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string with_yaml(const std::string& name) {
  return ends_with(name, ".yaml") || ends_with(name, ".yml") ? name : name + ".yaml";
}

bool is_yaml_name(std::string_view lp) { return ends_with(lp, ".yaml") || ends_with(lp, ".yml"); }

class Run {
 public:
  Run(const Snapshot& snap, FactStore& out, const HydraProbeOptions& opt, const HydraData& data)
      : snap_(snap), out_(out), opt_(opt), data_(data) {}

  void go() {
    entries();
    roots_from_dirs();
    configs();
    multiruns();
  }

 private:
  const Snapshot& snap_;
  const PathSkipper vendored{snap_};
  FactStore& out_;
  const HydraProbeOptions& opt_;
  const HydraData& data_;
  std::map<std::string, Root> roots_;
  std::set<std::string> seen_configs_;

  void problem(const std::string& path, int line, const std::string& what) {
    out_.problem(path, line, what, kProbe);
  }

  Blob read(const std::string& path) {
    Blob b = snap_.read_text(path, opt_.read_cap);
    return b;
  }

  // -- Hydra multirun sweeps written down in the README, scripts, tasks or Makefile:
  //    `train.py -m lr=0.1,0.01 epochs=10,20` (a `-m`/`--multirun` followed by overrides, one of
  //    them with several comma-separated values). `python -m pkg.train` is not one: a module name
  //    follows that -m, not an override.
  void multiruns() {
    static const re2::RE2 re(R"((?:^|\s)(?:-m|--multirun)((?:\s+[\w.+~/-]+=\S+)+))");
    static const re2::RE2 swept(R"([\w.+~/-]+=\S*,\S*)");
    size_t read_files = 0;
    int found = 0;
    for (const auto& f : snap_.files()) {
      if (found >= 20 || read_files >= 500) break;
      std::string lp = lower_ascii(f.path);
      std::string base(basename_of(lp));
      bool candidate = (ends_with(lp, ".md") && lp.rfind("reports/", 0) != 0) || ends_with(lp, ".sh") ||
                       base == "tasks.py" || base == "makefile" || base == "justfile" ||
                       (lp.rfind(".github/workflows/", 0) == 0 && (ends_with(lp, ".yml") || ends_with(lp, ".yaml")));
      if (!candidate || f.symlink || vendored(f.path)) continue;
      Blob b = read(f.path);
      ++read_files;
      if (!b.ok() || (b.data.find("-m") == std::string::npos && b.data.find("--multirun") == std::string::npos)) continue;
      auto lines = split_lines(b.data);
      for (size_t i = 0; i < lines.size() && found < 20; ++i) {
        std::string cmd(lines[i].substr(0, 2000));
        int first = static_cast<int>(i) + 1;
        while (!cmd.empty() && trim(cmd).size() && trim(cmd).back() == '\\' && i + 1 < lines.size() && cmd.size() < 8000) {
          std::string t = trim(cmd);
          t.pop_back();
          cmd = t + " " + trim(lines[++i].substr(0, 2000));
        }
        std::string overrides;
        if (!re2::RE2::PartialMatch(cmd, re, &overrides) || !re2::RE2::PartialMatch(overrides, swept)) continue;
        Fact fact;
        fact.kind = "hydra.multirun";
        fact.where = {f.path, first};
        std::string ov;
        for (char ch : trim(overrides))  // continuation lines leave runs of spaces
          if (!(ch == ' ' && !ov.empty() && ov.back() == ' ')) ov.push_back(ch == '\t' ? ' ' : ch);
        overrides = ov;
        fact.attrs = {{"file", f.path}, {"overrides", trim(overrides).substr(0, 300)}};
        fact.detail = "a Hydra multirun sweep over " + trim(overrides).substr(0, 160);
        out_.add(std::move(fact));
        ++found;
      }
    }
  }

  // -- entry points
  void entries() {
    size_t parsed = 0;
    for (const auto& f : snap_.files()) {
      if (!ends_with(f.path, ".py") || f.symlink || vendored(f.path)) continue;
      if (parsed >= opt_.max_python_files) break;
      Blob b = read(f.path);
      if (!b.ok() || b.data.find("hydra") == std::string::npos) continue;
      ++parsed;
      std::string err;
      auto pf = python_tree(snap_, f.path, opt_.read_cap);  // the audit's shared tree
      if (!pf->read_ok()) continue;
      auto calls = find_hydra_calls(*pf->tree, &err);
      if (!err.empty()) {
        problem(f.path, 0, "Python file not parsed for Hydra calls: " + err);
        continue;
      }
      // compose(config_name=...) names the primary config of the file's initialize* calls.
      std::string composed;
      for (const auto& c : calls)
        if (c.function == "compose" && c.name.literal && composed.empty()) composed = c.name.value;
      for (const auto& c : calls)
        if (c.function != "compose") entry(f.path, c, composed);
    }
  }

  void entry(const std::string& file, const HydraCall& c, const std::string& composed) {
    Fact f;
    f.kind = "hydra.entry";
    f.where = {file, c.line};
    std::string dir = dirname_of(file);
    std::string config_path = c.path.given ? c.path.value : "";
    std::string config_name = c.name.given ? c.name.value : "";
    if (!c.name.given && c.function != "hydra.main") config_name = composed;
    std::string resolved, exists = "no", note;
    bool escaped = false;
    bool at_root = false;
    auto resolve = [&](const std::string& base, const std::string& rel) {
      if (rel.empty() || rel == ".") { resolved = base; at_root = base.empty(); return; }
      auto r = normalize_repo_path(base, rel);
      if (!r) {
        // normalize_repo_path refuses the root itself: "<rel>/x" -> "x" means the root.
        if (auto x = normalize_repo_path(base, rel + "/x"); x && *x == "x") at_root = true;
        else escaped = true;
        return;
      }
      resolved = *r;
    };
    if (c.function == "initialize_config_module") {
      if (c.path.literal) {
        std::string m = c.path.value;
        std::replace(m.begin(), m.end(), '.', '/');
        resolve("", m);
        if (!escaped && !dir_exists(snap_, resolved) && dir_exists(snap_, join_path("src", resolved)))
          resolved = join_path("src", resolved);
      } else if (c.path.given) {
        exists = "unknown";
        note = "config_module is not a literal: not resolved";
      }
    } else if (!c.path.given) {
      if (c.function == "hydra.main") {
        bool new_default = c.version.given && (c.version.none || c.version.value >= "1.2");
        if (new_default) {
          note = "config_path not given: with version_base " + c.version.value +
                 " Hydra searches no config folder (configs from the ConfigStore only)";
        } else {
          resolved = dir;
          note = "config_path not given: Hydra 1.1 behaviour searches the calling file's folder";
        }
      } else {
        note = "config_path not given: Hydra searches no config folder";
      }
    } else if (c.path.none) {
      note = "config_path=None: Hydra searches no config folder (configs from the ConfigStore only)";
    } else if (c.path.literal) {
      std::string p = c.path.value;
      if (p.rfind("pkg://", 0) == 0) {
        std::string m = p.substr(6);
        std::replace(m.begin(), m.end(), '.', '/');
        resolve("", m);
        if (!escaped && !dir_exists(snap_, resolved) && dir_exists(snap_, join_path("src", resolved)))
          resolved = join_path("src", resolved);
      } else if (p.rfind("file://", 0) == 0) {
        p = p.substr(7);
        resolve(c.function == "initialize_config_dir" ? "" : dir, p);
      } else if (c.function == "initialize_config_dir") {
        // Hydra wants an absolute path; a relative one is read from the working directory.
        resolve("", p);
      } else {
        resolve(dir, p);
      }
    } else {
      // An expression: its string literals, relative to the file when __file__ is used.
      std::string rel;
      for (const auto& l : c.path.literals) rel = join_path(rel, l);
      if (rel.empty()) {
        exists = "unknown";
        note = "config path is an expression without literals: not resolved";
      } else {
        resolve(c.path.mentions_file ? dir : "", rel);
        note = "resolved from the string literals of the expression";
      }
    }
    if (escaped) {
      note = "config path '" + cut(config_path, 100) + "' leaves the repository: not read";
      exists = "no";
      resolved.clear();
      problem(file, c.line, "Hydra config path '" + cut(config_path, 100) +
                                "' points outside the repository: its configs cannot be checked");
    } else if (at_root) {
      // The repository root as config folder: its YAML files are not all Hydra configs, so it
      // is not taken as a root; the primary config is still checked below.
      exists = "yes";
      note = (note.empty() ? "" : note + "; ") + "the config folder is the repository root";
    } else if (!resolved.empty()) {
      exists = dir_exists(snap_, resolved) ? "yes" : "no";
    } else if (c.function == "hydra.main" && !c.path.given && note.empty()) {
      exists = "no";
    }
    f.attrs = {{"file", file},
               {"function", c.function},
               {"config_path", config_path},
               {"config_name", config_name},
               {"version_base", c.version.given ? c.version.value : ""},
               {"resolved_dir", resolved},
               {"exists", exists}};
    if (!note.empty()) f.attrs["note"] = note;
    f.detail = c.function + "(" + (c.path.given ? "config_path=" + cut(config_path, 80) : "") +
               (config_name.empty() ? "" : std::string(c.path.given ? ", " : "") + "config_name=" + cut(config_name, 80)) +
               ")" + (resolved.empty() ? "" : " -> " + resolved + (exists == "yes" ? "" : " (missing)")) +
               (note.empty() ? "" : "; " + note);
    out_.add(std::move(f));
    if (exists == "yes") {
      Root* r = nullptr;
      if (!at_root) {
        r = &roots_[resolved];
        r->dir = resolved;
      }
      if (!config_name.empty() && (c.name.literal || !c.name.given)) {
        std::string cn = with_yaml(config_name);
        if (r) r->primary_names.insert(cn);
        if (auto p = normalize_repo_path(resolved, cn); !p || !snap_.exists(*p)) {
          Fact m;
          m.kind = "hydra.missing";
          m.where = {file, c.line};
          m.attrs = {{"from", file}, {"ref", config_name}, {"expected", p ? *p : ""}};
          m.detail = "config_name '" + cut(config_name, 80) + "' names no file" +
                     (p ? " (" + *p + " does not exist)" : " inside the repository");
          out_.add(std::move(m));
        }
      }
    }
  }

  // -- folders named configs/ or conf/ are roots too (the outermost one of a chain)
  void roots_from_dirs() {
    std::set<std::string> seen;
    for (const auto& f : snap_.files()) {
      if (vendored(f.path)) continue;
      std::string d = dirname_of(f.path);
      std::string prefix;
      size_t i = 0;
      while (i <= d.size() && !d.empty()) {
        size_t j = d.find('/', i);
        if (j == std::string::npos) j = d.size();
        std::string seg = d.substr(i, j - i);
        std::string full = d.substr(0, j);
        if (seg == "configs" || seg == "conf") {
          bool inside_root = false;
          for (const auto& [r, _] : roots_)
            if (full == r || full.rfind(r + "/", 0) == 0) inside_root = true;
          if (!inside_root && seen.insert(full).second) roots_[full].dir = full;
          break;
        }
        i = j + 1;
      }
    }
  }

  const Root* root_of(const std::string& path) const {
    const Root* best = nullptr;
    for (const auto& [d, r] : roots_)
      if (path.rfind(d + "/", 0) == 0 && (!best || d.size() > best->dir.size())) best = &r;
    return best;
  }

  bool in_config_dir(const std::string& lp) const {
    size_t i = 0;
    while (true) {
      size_t j = lp.find('/', i);
      if (j == std::string::npos) return false;
      if (data_.config_dirs.count(lp.substr(i, j - i))) return true;
      i = j + 1;
    }
  }

  // -- every config file
  void configs() {
    size_t yaml_outside = 0;
    for (const auto& f : snap_.files()) {
      const std::string& p = f.path;
      if (vendored(p) || f.symlink) continue;
      std::string lp = lower_ascii(p);
      std::string base(basename_of(lp));
      bool yaml = is_yaml_name(lp), json = ends_with(lp, ".json"), toml = ends_with(lp, ".toml");
      if (!yaml && !json && !toml) continue;
      if (lp.rfind(".github/", 0) == 0 || lp.rfind(".dvc/", 0) == 0 || data_.not_configs.count(base) ||
          base.rfind("cloudbuild", 0) == 0 || base.rfind("docker-compose", 0) == 0 ||
          base.rfind("requirements", 0) == 0)
        continue;
      const Root* root = yaml ? root_of(p) : nullptr;
      bool config_dir = root || in_config_dir(lp);
      if (!config_dir) {
        if (!yaml) continue;
        if (yaml_outside >= opt_.max_yaml_files || f.size > 256 * 1024) continue;
        ++yaml_outside;
      }
      Blob b = read(p);
      if (!b.ok()) {
        if (config_dir)
          problem(p, 0, not_read_detail("config file", b));
        continue;
      }
      YNode tree;
      int top_keys = 0;
      bool hp = false, parsed = true;
      std::vector<std::pair<int, std::string>> notes;
      if (yaml) {
        auto doc = yaml_doc(snap_, p, opt_.read_cap, opt_.yaml);  // the audit's shared tree
        const YamlLoad& y = doc->load;
        if (!y.ok) {
          if (config_dir) problem(p, y.error_line, y.error);
          parsed = false;
        } else {
          tree = y.root;
          notes = y.notes;
        }
      } else if (json) {
        std::string err;
        if (!json_to_ynode(b.data, tree, err)) {
          problem(p, 0, err);
          parsed = false;
        }
      }
      if (!parsed) continue;
      if (toml) {
        toml_keys(b.data, data_.hyper_keys, top_keys, hp);
      } else {
        top_keys = tree.is_map() ? static_cast<int>(tree.entries.size()) : 0;
        hp = has_hyperparams(tree, data_.hyper_keys);
      }
      if (config_dir)
        for (const auto& [line, what] : notes) problem(p, line, what);
      if (!toml) sweep_config(p, tree);
      if (root) hydra_config(p, *root, tree, hp);
      if (config_dir || hp) {
        Fact c;
        c.kind = "config.file";
        c.where = {p, 0};
        std::string fmt = yaml ? "yaml" : json ? "json" : "toml";
        c.attrs = {{"path", p}, {"format", fmt}, {"has_hyperparams", hp ? "yes" : "no"},
                   {"keys", std::to_string(top_keys)}, {"hydra", root ? "yes" : "no"}};
        c.detail = fmt + " config with " + std::to_string(top_keys) + " top-level key(s)" +
                   (hp ? ", hyperparameters" : "") + (root ? ", in the Hydra tree " + root->dir : "");
        if (std::string prof = toml ? "" : profiler_setting(tree); !prof.empty()) {
          c.attrs["profiler"] = prof;
          c.detail += ", profiler: " + prof;
        }
        out_.add(std::move(c));
      }
    }
  }

  void sweep_config(const std::string& p, const YNode& root) {
    const YNode* method = root.get("method");
    const YNode* params = root.get("parameters");
    if (!method || !method->is_scalar() || !params || !params->is_map()) return;
    Fact f;
    f.kind = "wandb.sweep_config";
    f.where = {p, root.line};
    std::string metric, goal, program;
    if (const YNode* m = root.get("metric")) {
      if (const YNode* n = m->get("name")) metric = n->value();
      if (const YNode* g = m->get("goal")) goal = g->value();
    }
    if (const YNode* pr = root.get("program")) program = pr->value();
    f.attrs = {{"path", p}, {"method", method->value()}, {"metric", cut(metric, 100)},
               {"goal", cut(goal, 40)}, {"parameters", std::to_string(params->entries.size())},
               {"program", cut(program, 100)}};
    f.detail = "sweep configuration: method " + cut(method->value(), 40) + ", " +
               std::to_string(params->entries.size()) + " parameter(s)" +
               (metric.empty() ? "" : ", metric " + cut(metric, 60));
    out_.add(std::move(f));
  }

  void plugin(const std::string& kind, const std::string& path, int line, const std::string& value,
              const std::string& how) {
    Fact f;
    f.kind = kind;
    f.where = {path, line};
    f.attrs = {{"path", path}, {"value", cut(value, 200)}};
    f.detail = kind.substr(6) + " " + cut(value, 80) + " (" + how + ")";
    out_.add(std::move(f));
  }

  void hydra_config(const std::string& p, const Root& root, const YNode& tree, bool hp) {
    std::string rel = p.substr(root.dir.size() + 1);
    std::string group = dirname_of(rel);
    bool primary = group.empty() && root.primary_names.count(std::string(basename_of(rel)));
    std::vector<std::string> defaults_text;
    if (const YNode* d = tree.get("defaults")) {
      int missing = 0;
      for (const auto& r : read_defaults(*d)) {
        defaults_text.push_back(r.text);
        std::string g = r.group;
        if (g == "hydra/sweeper" || g == "hydra/launcher")
          for (const auto& o : r.options)
            plugin(g == "hydra/sweeper" ? "hydra.sweeper" : "hydra.launcher", p, r.line, o,
                   "defaults list");
        if (g.rfind("hydra/", 0) == 0 || g == "hydra" || r.optional) continue;  // plugins
        for (const auto& o : r.options) {
          std::string target = r.absolute ? "" : group;
          target = join_path(target, g);
          target = join_path(target, o);
          auto path = normalize_repo_path(root.dir, with_yaml(target));
          if (path && snap_.exists(*path)) continue;
          if (++missing > kMaxMissingPerFile) break;
          Fact m;
          m.kind = "hydra.missing";
          m.where = {p, r.line};
          m.attrs = {{"from", p}, {"ref", cut(r.text, 200)}, {"expected", path ? *path : ""}};
          m.detail = "defaults entry '" + cut(r.text, 80) + "' names no config file" +
                     (path ? " (" + *path + " does not exist)" : " inside the repository");
          out_.add(std::move(m));
        }
      }
    }
    // `hydra:` block: sweeper / launcher settings.
    if (const YNode* h = tree.get("hydra"); h && h->is_map()) {
      for (const char* k : {"sweeper", "launcher"}) {
        const YNode* n = h->get(k);
        if (!n || n->is_null()) continue;
        std::string v = n->is_map() && n->get("_target_") ? n->get("_target_")->value() : n->value();
        plugin(std::string("hydra.") + k, p, n->line, v, "hydra." + std::string(k) + " block");
      }
    }
    if (group == "hydra/sweeper" || group == "hydra/launcher")
      plugin(group == "hydra/sweeper" ? "hydra.sweeper" : "hydra.launcher", p, 0,
             std::string(basename_of(rel).substr(0, basename_of(rel).rfind('.'))), "config group file");
    std::string last_group(basename_of(group));
    if (last_group == "experiment" || last_group == "experiments") {
      Fact e;
      e.kind = "hydra.experiment";
      e.where = {p, 0};
      e.attrs = {{"path", p}, {"group", group}};
      e.detail = "Hydra experiment config in group " + group;
      out_.add(std::move(e));
    }
    targets(p, tree);
    Fact f;
    f.kind = "hydra.config";
    f.where = {p, 0};
    int keys = tree.is_map() ? static_cast<int>(tree.entries.size()) : 0;
    f.attrs = {{"path", p}, {"root", root.dir}, {"primary", primary ? "yes" : "no"}, {"group", group},
               {"defaults", cut(join(defaults_text), 1000)}, {"keys", std::to_string(keys)},
               {"has_hyperparams", hp ? "yes" : "no"}};
    f.detail = std::string(primary ? "primary " : "") + "Hydra config" +
               (group.empty() ? "" : " in group " + group) + ", " + std::to_string(keys) +
               " top-level key(s)" +
               (defaults_text.empty() ? "" : ", defaults: " + cut(join(defaults_text), 120));
    out_.add(std::move(f));
  }

  void targets(const std::string& p, const YNode& tree) {
    int n_found = 0;
    std::vector<const YNode*> todo{&tree};
    while (!todo.empty() && n_found < kMaxTargetsPerFile) {
      const YNode* n = todo.back();
      todo.pop_back();
      if (n->is_map()) {
        for (auto it = n->entries.rbegin(); it != n->entries.rend(); ++it) {
          const auto& [k, v] = *it;
          if (k.is_scalar() && k.text == "_target_" && v.is_scalar()) {
            std::string t = v.value();
            std::string ex = resolve_hydra_target(snap_, t);
            Fact f;
            f.kind = "hydra.target";
            f.where = {p, v.line};
            f.attrs = {{"path", p}, {"target", cut(t, 200)}, {"exists", ex}};
            f.detail = "_target_ " + cut(t, 100) +
                       (ex == "yes" ? " (a module of the repository)"
                        : ex == "no" ? ": no such module in the repository"
                        : ex == "external" ? " (third-party)" : " (not resolved)");
            out_.add(std::move(f));
            ++n_found;
          } else {
            todo.push_back(&v);
          }
        }
      } else if (n->is_seq()) {
        for (auto it = n->items.rbegin(); it != n->items.rend(); ++it) todo.push_back(&*it);
      }
    }
  }
};

}  // namespace

void HydraConfigsProbe::run(const Snapshot& snap, FactStore& out) const {
  const HydraData& data = hydra_data();
  if (!data.error.empty()) {
    out.problem("", 0, "hydra-configs patterns unavailable: " + data.error, kProbe);
    return;
  }
  Run(snap, out, opt_, data).go();
}

}  // namespace cc
