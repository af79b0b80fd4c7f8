#include "probes/python_imports.h"

#include <algorithm>

#include "probes/skip_paths.h"

namespace cc::py {

std::string compact_dotted(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') out += c;
  return out;
}

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "/" + b;
}

// ---- import statements ---------------------------------------------------------------------

void PyImports::note_import(const PyNode& n, std::vector<ImportBinding>& bindings) {
  for (const PyNode& c : n.fields("name")) {
    if (c.is("dotted_name")) {
      std::string full = compact_dotted(c.text());
      if (full.empty()) continue;
      plain_imports.push_back(full);
      std::string head = full.substr(0, full.find('.'));
      bindings.push_back({head, head, full, false, false, c.line()});
    } else if (c.is("aliased_import")) {
      std::string full = compact_dotted(c.field("name").text());
      if (full.empty()) continue;
      plain_imports.push_back(full);
      bindings.push_back({std::string(c.field("alias").text()), full, full, false, true, c.line()});
    }
  }
}

void PyImports::note_from_import(const PyNode& n, std::vector<ImportBinding>& bindings) {
  FromImport fi;
  fi.line = n.line();
  PyNode mod = n.field("module_name");
  if (mod.is("relative_import")) {
    for (const PyNode& c : mod.children()) {
      if (c.is("import_prefix")) {
        for (char ch : c.text()) fi.level += ch == '.';
      } else if (c.is("dotted_name")) {
        fi.module = compact_dotted(c.text());
      }
    }
  } else {
    fi.module = compact_dotted(mod.text());
  }
  for (const PyNode& c : n.named_children())
    if (c.is("wildcard_import")) fi.names.push_back("*");
  std::string prefix(std::size_t(fi.level), '.');
  for (const PyNode& c : n.fields("name")) {
    std::string orig, local;
    bool aliased = c.is("aliased_import");
    if (aliased) {
      orig = compact_dotted(c.field("name").text());
      local = std::string(c.field("alias").text());
    } else {
      orig = local = compact_dotted(c.text());
    }
    if (orig.empty()) continue;
    fi.names.push_back(orig);
    std::string target = prefix + (fi.module.empty() ? orig : fi.module + "." + orig);
    bindings.push_back({local, target, prefix + fi.module, true, aliased, c.line()});
  }
  from_imports.push_back(std::move(fi));
}

// ---- the project's modules -------------------------------------------------------------------

ProjectIndex build_project_index(const Snapshot& snap, std::vector<std::string> pythonpath) {
  ProjectIndex idx;
  idx.pythonpath = std::move(pythonpath);
  const PathSkipper skipped(snap, SkipRule::python_tooling);
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    if (p.size() < 3 || p.compare(p.size() - 3, 3, ".py") != 0) continue;
    if (skipped(p)) continue;
    idx.py_files.insert(p);
    for (std::string d = dirname_of(p); !d.empty(); d = dirname_of(d))
      if (!idx.py_dirs.insert(d).second) break;
  }
  return idx;
}

std::string dotted_from_path(std::string p) {
  if (p.size() >= 12 && p.compare(p.size() - 12, 12, "/__init__.py") == 0) p.resize(p.size() - 12);
  else if (p == "__init__.py") p.clear();
  else if (p.size() >= 3 && p.compare(p.size() - 3, 3, ".py") == 0) p.resize(p.size() - 3);
  while (!p.empty() && p.back() == '/') p.pop_back();
  std::replace(p.begin(), p.end(), '/', '.');
  return p;
}

std::optional<std::string> module_file(const ProjectIndex& idx, const std::string& root,
                                       const std::string& rel, bool allow_namespace) {
  std::string base = join_path(root, rel);
  if (base.empty()) return std::nullopt;
  if (idx.py_files.count(base + ".py")) return base + ".py";
  if (idx.py_files.count(base + "/__init__.py")) return base + "/__init__.py";
  if (allow_namespace && idx.py_dirs.count(base)) return base + "/";
  return std::nullopt;
}

std::string package_basedir(const ProjectIndex& idx, const std::string& file) {
  std::string d = dirname_of(file);
  while (!d.empty() && idx.py_files.count(d + "/__init__.py")) d = dirname_of(d);
  if (d.empty() && idx.py_files.count("__init__.py")) return {};
  return d;
}

std::vector<std::string> import_roots(const ProjectIndex& idx, const std::string& file) {
  std::vector<std::string> roots;
  auto add_root = [&](const std::string& r) {
    if (std::find(roots.begin(), roots.end(), r) == roots.end()) roots.push_back(r);
  };
  add_root(package_basedir(idx, file));
  for (const auto& p : idx.pythonpath) {
    if (auto n = normalize_repo_path("", p)) add_root(*n);
    else if (p == "." || p == "./") add_root("");
  }
  add_root("");
  add_root("src");
  return roots;
}

namespace {
struct Resolved {
  std::string dotted;
  std::string path;
};
std::string to_rel(const std::string& dotted) {
  std::string r = dotted;
  std::replace(r.begin(), r.end(), '.', '/');
  return r;
}
}  // namespace

ResolvedImports resolve_project_imports(const PyImports& imports, const ProjectIndex& idx,
                                        const std::string& file) {
  ResolvedImports out;
  std::vector<std::string> roots = import_roots(idx, file);
  auto resolve_abs = [&](const std::string& dotted, bool ns) -> std::optional<Resolved> {
    if (dotted.empty()) return std::nullopt;
    for (const auto& root : roots)
      if (auto f = module_file(idx, root, to_rel(dotted), false)) return Resolved{dotted, *f};
    if (ns)
      for (const auto& root : roots)
        if (auto f = module_file(idx, root, to_rel(dotted), true)) return Resolved{dotted, *f};
    return std::nullopt;
  };
  auto record = [&](const Resolved& r) {
    out.modules.insert(r.dotted);
    out.paths.insert(r.path);
  };

  for (const auto& imp : imports.plain_imports)
    if (auto r = resolve_abs(imp, true)) record(*r);

  for (const auto& fi : imports.from_imports) {
    if (fi.level == 0) {
      auto base = resolve_abs(fi.module, true);
      if (!base) continue;
      bool any_sub = false;
      for (const auto& n : fi.names) {
        out.names.insert(n);
        if (n == "*") continue;
        if (auto sub = resolve_abs(fi.module + "." + n, false)) {
          record(*sub);
          any_sub = true;
        }
      }
      if (!any_sub || base->path.back() != '/') {
        bool all_subs = true;
        for (const auto& n : fi.names)
          if (n == "*" || !resolve_abs(fi.module + "." + n, false)) all_subs = false;
        if (!all_subs) record(*base);
      }
      continue;
    }
    // Relative: against the file's directory, up level-1 times.
    std::string dir = dirname_of(file);
    bool ok = true;
    for (int k = 1; k < fi.level; ++k) {
      if (dir.empty()) { ok = false; break; }
      dir = dirname_of(dir);
    }
    if (!ok) continue;
    std::string rel = to_rel(fi.module);
    std::string base_rel = join_path(dir, rel);
    std::optional<std::string> base_file;
    if (!fi.module.empty()) base_file = module_file(idx, dir, rel, true);
    else if (idx.py_files.count(join_path(dir, "__init__.py"))) base_file = join_path(dir, "__init__.py");
    bool any = false;
    for (const auto& n : fi.names) {
      if (n == "*") continue;
      if (auto sub = module_file(idx, base_rel, to_rel(n), false)) {
        record({dotted_from_path(*sub), *sub});
        out.names.insert(n);
        any = true;
        continue;
      }
      if (base_file) out.names.insert(n);
    }
    if (base_file && (!any || fi.names.empty() ||
                      std::any_of(fi.names.begin(), fi.names.end(), [&](const std::string& n) {
                        return n == "*" || !module_file(idx, base_rel, to_rel(n), false);
                      }))) {
      record({dotted_from_path(*base_file), *base_file});
      if (std::find(fi.names.begin(), fi.names.end(), "*") != fi.names.end()) out.names.insert("*");
    }
  }
  return out;
}

}  // namespace cc::py
