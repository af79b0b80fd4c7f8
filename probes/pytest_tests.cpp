#include "probes/pytest_tests.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "probes/python_imports.h"
#include "probes/read/glob.h"
#include "probes/read/parse_cache.h"
#include "probes/read/python_syntax.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

using py::basename_of;
using py::dirname_of;
using py::join_path;
using py::ProjectIndex;
using py::PyNode;
using py::PySyntaxTree;

namespace {
constexpr const char* kProbe = "pytest";
constexpr int kMaxClassNesting = 64;   // Python itself stops at 100 indentation levels
constexpr int kMaxFixtureDepth = 64;
// Marker in a conftest's fixture map: that conftest defines pytest_generate_tests.
constexpr const char* kGenerateTestsKey = "<pytest_generate_tests>";
constexpr std::uint64_t kMaxItems = 1'000'000'000'000ull;  // saturate products of hostile counts

std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kMaxItems / b) return kMaxItems;
  return a * b;
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::string strip_ws(std::string_view s) { return py::compact_dotted(s); }

// Glob of pytest's testpaths (glob.iglob(recursive=True)): '*' and '?' stay inside one path
// segment, "**" spans segments.
bool glob_path_match(std::string_view pat, std::string_view s) { return glob_match(pat, s, kPathGlob); }

}  // namespace

// ---- names and files ---------------------------------------------------------------------------

bool fnmatch(std::string_view pat, std::string_view s) { return glob_match(pat, s, kFnmatch); }

bool pytest_name_matches(std::string_view name, const std::vector<std::string>& options) {
  for (const auto& o : options) {
    if (name.substr(0, o.size()) == o) return true;
    if (has_glob(o) && fnmatch(o, name)) return true;
  }
  return false;
}

namespace {

std::string norm_entry(std::string e) {
  while (e.size() >= 2 && e.compare(0, 2, "./") == 0) e.erase(0, 2);
  while (!e.empty() && e.back() == '/') e.pop_back();
  if (e == ".") e.clear();
  return e;
}

bool matches_python_files(const std::string& path, const std::vector<std::string>& pats) {
  std::string_view base = basename_of(path);
  for (const auto& p : pats) {
    if (p.find('/') != std::string::npos) {
      if (fnmatch(p, path) || fnmatch("*/" + p, path)) return true;
    } else if (fnmatch(p, base)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> pytest_test_files(const Snapshot& snap, const PytestConfig& cfg) {
  const PathSkipper skipped(snap, SkipRule::python_tooling);  // relative to an entry: from its end
  struct Root {
    std::string entry;  // normalised; "" = repository root
    bool glob;
  };
  std::vector<Root> roots;
  for (const auto& t : cfg.testpaths) roots.push_back({norm_entry(t), has_glob(t)});

  // Which entries exist (pytest globs them; an entry that matches nothing is dropped).
  auto entry_hits = [&](const Root& r, const std::string& path, std::size_t& rel_from) -> bool {
    if (r.entry.empty()) { rel_from = 0; return true; }
    if (!r.glob) {
      if (path == r.entry) { rel_from = path.size(); return true; }
      if (path.size() > r.entry.size() && path.compare(0, r.entry.size(), r.entry) == 0 &&
          path[r.entry.size()] == '/') {
        rel_from = r.entry.size() + 1;
        return true;
      }
      return false;
    }
    // A glob matches the file itself or one of its ancestor directories.
    if (glob_path_match(r.entry, path)) { rel_from = path.size(); return true; }
    for (std::size_t j = path.find('/'); j != std::string::npos; j = path.find('/', j + 1)) {
      if (glob_path_match(r.entry, std::string_view(path).substr(0, j))) {
        rel_from = j + 1;
        return true;
      }
    }
    return false;
  };
  bool any_root_exists = roots.empty();
  if (!roots.empty()) {
    for (const auto& f : snap.files()) {
      std::size_t rf = 0;
      for (const auto& r : roots)
        if (entry_hits(r, f.path, rf)) { any_root_exists = true; break; }
      if (any_root_exists) break;
    }
  }
  bool whole_repo = roots.empty() || !any_root_exists;

  std::vector<std::string> out;
  for (const auto& f : snap.files()) {
    const std::string& path = f.path;
    if (path.size() < 3 || path.compare(path.size() - 3, 3, ".py") != 0) continue;
    if (basename_of(path) == "conftest.py") continue;
    if (whole_repo) {
      if (skipped(path)) continue;
      if (matches_python_files(path, cfg.python_files)) out.push_back(path);
      continue;
    }
    for (const auto& r : roots) {
      std::size_t rel_from = 0;
      if (!entry_hits(r, path, rel_from)) continue;
      if (rel_from >= path.size()) {  // the entry names this very file: collected whatever its name
        out.push_back(path);
        break;
      }
      if (skipped(path, rel_from)) continue;
      if (matches_python_files(path, cfg.python_files)) {
        out.push_back(path);
        break;
      }
    }
  }
  return out;  // snap.files() is sorted, so is out
}

// ---- reading one Python file ---------------------------------------------------------------

namespace {

struct Count {
  std::uint64_t n = 1;
  bool exact = true;
  bool empty = false;  // an empty parameter set: one skipped item
};

struct FixtureInfo {
  Count params;                    // n = 1 when not parametrized
  std::vector<std::string> deps;   // fixtures it requests
};

struct Marks {
  Count factor;
  bool skip = false;
  bool skip_conditional_only = true;  // all skips seen are conditional
  void add_skip(bool conditional) {
    skip = true;
    if (!conditional) skip_conditional_only = false;
  }
  void merge(const Marks& o) {
    factor.n = mul_sat(factor.n, o.factor.n);
    factor.exact = factor.exact && o.factor.exact;
    factor.empty = factor.empty || o.factor.empty;
    if (o.skip) {
      skip = true;
      if (!o.skip_conditional_only) skip_conditional_only = false;
    }
  }
};

struct TestItem {
  std::string name;
  std::string kind;  // function | method | unittest
  int line = 0;
  std::uint64_t items = 1;
  bool exact = true;
  bool skip = false;
  bool skip_conditional = false;
};

class FileAnalyzer {
 public:
  FileAnalyzer(const PySyntaxTree& tree, const PytestConfig& cfg, const std::string& path)
      : tree_(tree), cfg_(cfg), path_(path) {}

  // Aliases and module-level literal names; call first.
  void scan_module() {
    PyNode root = tree_.root();
    tree_.walk(root, [&](const PyNode& n) {
      auto t = n.type();
      if (t == "import_statement") { note_import(n); return false; }
      if (t == "import_from_statement") { note_from_import(n); return false; }
      return py::may_hold_statements(n);  // imports are statements: expressions are passed over
    });
    for (const PyNode& st : statements(root)) note_literal(st, module_literals_);
  }

  // Fixtures defined at module level (for conftest files and the test file itself).
  // A pytest_generate_tests hook parametrizes tests in ways a static reader cannot count.
  bool defines_generate_tests() const {
    for (const PyNode& st : statements(tree_.root())) {
      std::vector<PyNode> decs;
      PyNode d = unwrap(st, decs);
      if (d.is("function_definition") && d.field("name").text() == "pytest_generate_tests")
        return true;
    }
    return false;
  }

  std::map<std::string, FixtureInfo> fixtures() {
    std::map<std::string, FixtureInfo> out;
    for (const PyNode& st : statements(tree_.root())) note_fixture(st, out, nullptr);
    return out;
  }

  void collect(const std::map<std::string, FixtureInfo>& fixtures) {
    fixtures_ = &fixtures;
    PyNode root = tree_.root();
    Marks module_marks;
    for (const PyNode& st : statements(root)) {
      if (auto m = pytestmark_value(st)) marks_from_expr_list(*m, module_marks, nullptr);
    }
    // Module namespace: a later def (function or class) of the same name replaces the earlier.
    Namespace ns;
    for (const PyNode& st : statements(root)) {
      std::vector<PyNode> decorators;
      PyNode def = unwrap(st, decorators);
      if (def.is("function_definition")) {
        std::string name(def.field("name").text());
        auto& g = ns.slot(name);
        if (!pytest_name_matches(name, cfg_.python_functions) || fixture_decorated(decorators)) continue;
        g.push_back(make_test(def, decorators, module_marks, name, "function", nullptr));
      } else if (def.is("class_definition")) {
        std::string name(def.field("name").text());
        auto& g = ns.slot(name);
        collect_class(def, decorators, module_marks, name, 0, g, nullptr);
      }
    }
    ns.drain(tests);
  }

  // Results.
  std::vector<TestItem> tests;
  int classes = 0;
  py::PyImports imports;

 private:
  // ---- structure helpers ----
  // Statements of a module/block, with ERROR nodes flattened so what parses still counts.
  std::vector<PyNode> statements(const PyNode& block) const {
    std::vector<PyNode> out;
    flatten(block, out, 0);
    return out;
  }
  void flatten(const PyNode& b, std::vector<PyNode>& out, int depth) const {
    for (const PyNode& c : b.named_children()) {
      if (c.is_error()) {
        if (depth < 8) flatten(c, out, depth + 1);
      } else if (!c.is("comment")) {
        out.push_back(c);
      }
    }
  }

  static PyNode unwrap(const PyNode& st, std::vector<PyNode>& decorators) {
    decorators.clear();
    if (st.is("decorated_definition")) {
      for (const PyNode& c : st.named_children())
        if (c.is("decorator")) decorators.push_back(c);
      return st.field("definition");
    }
    return st;
  }

  // ---- aliases ----
  std::string canon(const PyNode& expr) const {
    if (!(expr.is("identifier") || expr.is("attribute"))) return {};
    std::string s = strip_ws(expr.text());
    auto dot = s.find('.');
    std::string head = s.substr(0, dot);
    auto it = alias_.find(head);
    if (it == alias_.end()) return s;
    return it->second + (dot == std::string::npos ? std::string() : s.substr(dot));
  }

  // Aliases kept: `import X as Y` (any module), `import pytest` / `import unittest`, and
  // names imported from pytest / unittest (and their submodules).
  void note_import(const PyNode& n) {
    std::vector<py::ImportBinding> b;
    imports.note_import(n, b);
    for (const auto& x : b)
      if (x.aliased || x.local == "pytest" || x.local == "unittest") alias_[x.local] = x.target;
  }

  void note_from_import(const PyNode& n) {
    std::vector<py::ImportBinding> b;
    imports.note_from_import(n, b);
    for (const auto& x : b) {
      const std::string& m = x.module;
      if (m == "pytest" || m.rfind("pytest.", 0) == 0 || m == "unittest" ||
          m.rfind("unittest.", 0) == 0)
        alias_[x.local] = x.target;
    }
  }

  // NAME = <list/tuple/...> at module or class level: remember for parametrize lookups.
  static void note_literal(const PyNode& st, std::map<std::string, std::optional<PyNode>>& lits) {
    if (!st.is("expression_statement")) return;
    for (const PyNode& a : st.named_children()) {
      if (!a.is("assignment")) continue;
      PyNode left = a.field("left"), right = a.field("right");
      if (!left.is("identifier") || right.is_null()) continue;
      std::string name(left.text());
      if (lits.count(name)) lits[name] = std::nullopt;  // assigned twice: unknown
      else lits[name] = right;
    }
  }

  std::optional<PyNode> pytestmark_value(const PyNode& st) const {
    if (!st.is("expression_statement")) return std::nullopt;
    for (const PyNode& a : st.named_children()) {
      if (!a.is("assignment")) continue;
      PyNode left = a.field("left");
      if (left.is("identifier") && left.text() == "pytestmark" && a.field("right"))
        return a.field("right");
    }
    return std::nullopt;
  }

  // ---- counting argvalues ----
  static std::vector<PyNode> positional_args(const PyNode& args) {
    std::vector<PyNode> out;
    for (const PyNode& c : args.named_children())
      if (!c.is("keyword_argument") && !c.is("comment")) out.push_back(c);
    return out;
  }
  static PyNode keyword_arg(const PyNode& args, std::string_view key) {
    for (const PyNode& c : args.named_children())
      if (c.is("keyword_argument") && c.field("name").text() == key) return c.field("value");
    return {};
  }
  static std::optional<long long> int_literal(const PyNode& n) {
    PyNode x = n;
    bool neg = false;
    if (x.is("unary_operator")) {
      auto op = x.field("operator");
      if (op.text() != "-") return std::nullopt;
      neg = true;
      x = x.field("argument");
    }
    if (!x.is("integer")) return std::nullopt;
    std::string t;
    for (char c : x.text())
      if (c != '_') t += c;
    if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    long long v = std::stoll(t);
    return neg ? -v : v;
  }

  Count count_values(PyNode v, const std::map<std::string, std::optional<PyNode>>* class_lits,
                     int depth = 0) const {
    Count c;
    while (v.is("parenthesized_expression") && v.named_child_count() == 1)
      v = v.named_children().front();
    if (depth > 4) return {1, false, false};
    if (v.is("list") || v.is("tuple")) {
      std::uint64_t n = 0;
      bool exact = true;
      for (const PyNode& e : v.named_children()) {
        if (e.is("comment")) continue;
        if (e.is("list_splat") || e.is("parenthesized_list_splat")) { exact = false; continue; }
        ++n;
      }
      if (n == 0 && exact) return {1, true, true};
      return {std::max<std::uint64_t>(n, 1), exact, false};
    }
    if (v.is("identifier")) {
      std::string name(v.text());
      const std::map<std::string, std::optional<PyNode>>* scopes[] = {class_lits, &module_literals_};
      for (auto* sc : scopes) {
        if (!sc) continue;
        auto it = sc->find(name);
        if (it == sc->end()) continue;
        if (!it->second) return {1, false, false};
        return count_values(*it->second, nullptr, depth + 1);
      }
      return {1, false, false};
    }
    if (v.is("call")) {
      std::string fn = canon(v.field("function"));
      PyNode args = v.field("arguments");
      if (!args.is("argument_list")) return {1, false, false};
      auto pos = positional_args(args);
      if ((fn == "list" || fn == "tuple") && pos.size() == 1)
        return count_values(pos[0], class_lits, depth + 1);
      if (fn == "range" && !pos.empty() && pos.size() <= 3) {
        std::vector<long long> a;
        for (auto& p : pos) {
          auto x = int_literal(p);
          if (!x) return {1, false, false};
          a.push_back(*x);
        }
        long long start = 0, stop, step = 1;
        if (a.size() == 1) stop = a[0];
        else { start = a[0]; stop = a[1]; if (a.size() == 3) step = a[2]; }
        if (step == 0) return {1, false, false};
        long long n = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                               : (start > stop ? (start - stop - step - 1) / -step : 0);
        if (n <= 0) return {1, true, true};
        return {std::uint64_t(n), true, false};
      }
    }
    return {1, false, false};
  }

  std::vector<std::string> argnames(const PyNode& n) const {
    std::vector<std::string> out;
    std::string s;
    if (py::string_literal_value(n, s)) {
      std::string cur;
      for (char ch : s + ",") {
        if (ch == ',') {
          std::string t = strip_ws(cur);
          if (!t.empty()) out.push_back(t);
          cur.clear();
        } else {
          cur += ch;
        }
      }
    } else if (n.is("list") || n.is("tuple")) {
      for (const PyNode& e : n.named_children())
        if (py::string_literal_value(e, s)) out.push_back(s);
    }
    return out;
  }

  // One mark expression (decorator body or pytestmark element) -> marks.
  void mark_from_expr(const PyNode& e, Marks& m, std::vector<std::string>* param_names,
                      const std::map<std::string, std::optional<PyNode>>* class_lits) const {
    PyNode callee = e.is("call") ? e.field("function") : e;
    std::string fn = canon(callee);
    if (fn == "pytest.mark.parametrize" && e.is("call")) {
      PyNode args = e.field("arguments");
      if (!args.is("argument_list")) return;
      auto pos = positional_args(args);
      PyNode names = pos.size() >= 1 ? pos[0] : keyword_arg(args, "argnames");
      PyNode values = pos.size() >= 2 ? pos[1] : keyword_arg(args, "argvalues");
      if (param_names && names) {
        for (auto& a : argnames(names)) param_names->push_back(a);
      }
      Count c = values ? count_values(values, class_lits) : Count{1, false, false};
      Marks one;
      one.factor = c;
      m.merge(one);
      return;
    }
    if (fn == "pytest.mark.skip" || fn == "unittest.skip") m.add_skip(false);
    else if (fn == "pytest.mark.skipif" || fn == "unittest.skipIf" || fn == "unittest.skipUnless")
      m.add_skip(true);
  }

  void marks_from_expr_list(const PyNode& v, Marks& m,
                            const std::map<std::string, std::optional<PyNode>>* class_lits) const {
    if (v.is("list") || v.is("tuple")) {
      for (const PyNode& e : v.named_children()) mark_from_expr(e, m, nullptr, class_lits);
    } else {
      mark_from_expr(v, m, nullptr, class_lits);
    }
  }

  Marks marks_from_decorators(const std::vector<PyNode>& decorators,
                              std::vector<std::string>* param_names,
                              const std::map<std::string, std::optional<PyNode>>* class_lits) const {
    Marks m;
    for (const PyNode& d : decorators) {
      for (const PyNode& e : d.named_children()) {
        if (e.is("comment")) continue;
        mark_from_expr(e, m, param_names, class_lits);
      }
    }
    return m;
  }

  // ---- fixtures ----
  static std::vector<std::string> param_names_of(const PyNode& def) {
    std::vector<std::string> out;
    for (const PyNode& p : def.field("parameters").named_children()) {
      if (p.is("identifier")) out.emplace_back(p.text());
      else if (p.is("typed_parameter")) {
        for (const PyNode& c : p.named_children())
          if (c.is("identifier")) { out.emplace_back(c.text()); break; }
      }
      // default parameters are not fixtures; *args/**kwargs neither
    }
    return out;
  }

  // `@pytest.fixture` (or `@pytest.fixture(...)`) among the decorators, in any order: pytest does
  // not collect such a function as a test, whatever its name.
  bool fixture_decorated(const std::vector<PyNode>& decs) const {
    for (const PyNode& d : decs)
      for (const PyNode& e : d.named_children()) {
        PyNode callee = e.is("call") ? e.field("function") : e;
        if (canon(callee) == "pytest.fixture") return true;
      }
    return false;
  }

  void note_fixture(const PyNode& st, std::map<std::string, FixtureInfo>& out,
                    const std::map<std::string, std::optional<PyNode>>* class_lits) const {
    std::vector<PyNode> decs;
    PyNode def = unwrap(st, decs);
    if (!def.is("function_definition")) return;
    for (const PyNode& d : decs) {
      for (const PyNode& e : d.named_children()) {
        PyNode callee = e.is("call") ? e.field("function") : e;
        if (canon(callee) != "pytest.fixture") continue;
        FixtureInfo fi;
        std::string name(def.field("name").text());
        if (e.is("call")) {
          PyNode args = e.field("arguments");
          if (PyNode p = keyword_arg(args, "params")) fi.params = count_values(p, class_lits);
          std::string s;
          if (PyNode nm = keyword_arg(args, "name"); nm && py::string_literal_value(nm, s))
            name = s;
        }
        fi.deps = param_names_of(def);
        out[name] = std::move(fi);
        return;
      }
    }
  }

  Count fixture_factor(const std::vector<std::string>& requested,
                       const std::vector<std::string>& overridden,
                       const std::map<std::string, FixtureInfo>& local) const {
    Count c;
    std::set<std::string> seen(overridden.begin(), overridden.end());
    std::vector<std::pair<std::string, int>> stack;
    for (auto& r : requested) stack.push_back({r, 0});
    while (!stack.empty()) {
      auto [name, depth] = stack.back();
      stack.pop_back();
      if (name == "self" || name == "cls" || !seen.insert(name).second) continue;
      const FixtureInfo* fi = nullptr;
      if (auto it = local.find(name); it != local.end()) fi = &it->second;
      else if (fixtures_) {
        if (auto it2 = fixtures_->find(name); it2 != fixtures_->end()) fi = &it2->second;
      }
      if (!fi) continue;
      c.n = mul_sat(c.n, fi->params.n);
      c.exact = c.exact && fi->params.exact;
      c.empty = c.empty || fi->params.empty;
      if (depth < kMaxFixtureDepth)
        for (auto& d : fi->deps) stack.push_back({d, depth + 1});
    }
    return c;
  }

  TestItem make_test(const PyNode& def, const std::vector<PyNode>& decorators, const Marks& outer,
                     const std::string& qualname, const char* kind,
                     const std::map<std::string, std::optional<PyNode>>* class_lits,
                     const std::map<std::string, FixtureInfo>* class_fixtures = nullptr) const {
    TestItem t;
    t.name = qualname;
    t.kind = kind;
    t.line = def.line();
    std::vector<std::string> pnames;
    Marks m = marks_from_decorators(decorators, &pnames, class_lits);
    bool unittest = std::string_view(kind) == "unittest";
    Marks total;
    if (!unittest) {
      total = outer;
      total.merge(m);
      static const std::map<std::string, FixtureInfo> none;
      Count fx = fixture_factor(param_names_of(def), pnames, class_fixtures ? *class_fixtures : none);
      Marks fm;
      fm.factor = fx;
      total.merge(fm);
    } else {
      // unittest methods are never parametrized; only skips apply.
      total.skip = outer.skip || m.skip;
      total.skip_conditional_only = (!outer.skip || outer.skip_conditional_only) &&
                                    (!m.skip || m.skip_conditional_only);
    }
    t.items = total.factor.n;
    t.exact = total.factor.exact;
    t.skip = total.skip || total.factor.empty;
    t.skip_conditional = total.skip && total.skip_conditional_only && !total.factor.empty;
    return t;
  }

  // A Python namespace: names bound in order; rebinding a name drops what the earlier binding
  // contributed, but keeps its position (dict order), as pytest's collection sees it.
  struct Namespace {
    std::vector<std::vector<TestItem>> groups;
    std::map<std::string, std::size_t> index;
    std::vector<TestItem>& slot(const std::string& name) {
      auto it = index.find(name);
      if (it != index.end()) {
        groups[it->second].clear();
        return groups[it->second];
      }
      index[name] = groups.size();
      groups.emplace_back();
      return groups.back();
    }
    void drain(std::vector<TestItem>& out) {
      for (auto& g : groups)
        for (auto& t : g) out.push_back(std::move(t));
      groups.clear();
      index.clear();
    }
  };

  bool is_unittest_base(const PyNode& base) const {
    std::string c = canon(base);
    if (c.empty()) return false;
    std::string_view last = c;
    if (auto d = last.rfind('.'); d != std::string_view::npos) last = last.substr(d + 1);
    if (last.size() >= 8 && last.substr(last.size() - 8) == "TestCase") return true;
    return unittest_classes_.count(c) > 0;
  }

  void collect_class(const PyNode& def, const std::vector<PyNode>& decorators, const Marks& outer,
                     const std::string& qual, int depth, std::vector<TestItem>& out,
                     const std::map<std::string, std::optional<PyNode>>* outer_lits) {
    if (depth > kMaxClassNesting) return;
    std::string name(def.field("name").text());
    bool unittest = false;
    if (PyNode sup = def.field("superclasses")) {
      for (const PyNode& b : sup.named_children())
        if (!b.is("keyword_argument") && is_unittest_base(b)) unittest = true;
    }
    if (unittest && depth == 0) unittest_classes_.insert(name);
    if (unittest && depth > 0) return;  // pytest does not collect unittest classes nested in classes
    if (!unittest && !pytest_name_matches(name, cfg_.python_classes)) return;

    PyNode body = def.field("body");
    auto stmts = statements(body);
    std::map<std::string, std::optional<PyNode>> lits;
    for (const PyNode& st : stmts) note_literal(st, lits);
    // __init__/__new__ make pytest refuse the class; __test__ = False hides it.
    for (const PyNode& st : stmts) {
      std::vector<PyNode> decs;
      PyNode d = unwrap(st, decs);
      if (d.is("function_definition")) {
        auto n = d.field("name").text();
        if (!unittest && (n == "__init__" || n == "__new__")) return;
      }
      if (st.is("expression_statement")) {
        for (const PyNode& a : st.named_children())
          if (a.is("assignment") && a.field("left").text() == "__test__" &&
              a.field("right").text() == "False")
            return;
      }
    }
    ++classes;
    Marks marks = outer;
    Marks own = marks_from_decorators(decorators, nullptr, outer_lits);
    for (const PyNode& st : stmts)
      if (auto m = pytestmark_value(st)) marks_from_expr_list(*m, own, &lits);
    if (unittest) own.factor = Count{};  // unittest classes are not parametrized
    marks.merge(own);

    std::map<std::string, FixtureInfo> class_fixtures;
    if (!unittest)
      for (const PyNode& st : stmts) note_fixture(st, class_fixtures, &lits);

    Namespace ns;
    for (const PyNode& st : stmts) {
      std::vector<PyNode> decs;
      PyNode d = unwrap(st, decs);
      if (d.is("function_definition")) {
        std::string m(d.field("name").text());
        auto& g = ns.slot(m);
        bool match = unittest ? m.rfind("test", 0) == 0
                              : pytest_name_matches(m, cfg_.python_functions);
        if (!match || (!unittest && fixture_decorated(decs))) continue;
        g.push_back(make_test(d, decs, marks, qual + "::" + m, unittest ? "unittest" : "method",
                              &lits, &class_fixtures));
      } else if (d.is("class_definition")) {
        std::string inner(d.field("name").text());
        auto& g = ns.slot(inner);
        if (!unittest) collect_class(d, decs, marks, qual + "::" + inner, depth + 1, g, &lits);
      }
    }
    ns.drain(out);
  }

  const PySyntaxTree& tree_;
  const PytestConfig& cfg_;
  std::string path_;
  std::map<std::string, std::string> alias_;
  std::map<std::string, std::optional<PyNode>> module_literals_;
  std::set<std::string> unittest_classes_;
  const std::map<std::string, FixtureInfo>* fixtures_ = nullptr;
};

std::string yn(bool b) { return b ? "yes" : "no"; }

struct ConftestCache {
  std::map<std::string, std::unique_ptr<std::map<std::string, FixtureInfo>>> by_path;
};

const std::map<std::string, FixtureInfo>& conftest_fixtures(const Snapshot& snap,
                                                            const PytestConfig& cfg,
                                                            const std::string& path,
                                                            ConftestCache& cache) {
  auto it = cache.by_path.find(path);
  if (it != cache.by_path.end()) return *it->second;
  auto m = std::make_unique<std::map<std::string, FixtureInfo>>();
  auto pf = python_tree(snap, path);
  if (pf->read_ok()) {
    const PySyntaxTree& t = *pf->tree;
    if (t.ok()) {
      FileAnalyzer fa(t, cfg, path);
      fa.scan_module();
      *m = fa.fixtures();
      if (fa.defines_generate_tests()) (*m)[kGenerateTestsKey] = FixtureInfo{};
    }
  }
  auto& ref = *m;
  cache.by_path[path] = std::move(m);
  return ref;
}

}  // namespace

// ---- the probe -------------------------------------------------------------------------------

void PytestProbe::declare_reads(const Snapshot& snap) const {
  for (const auto& path : pytest_test_files(snap, find_pytest_config(snap))) expect_python_tree(snap, path);
}

void PytestProbe::run(const Snapshot& snap, FactStore& out) const {
  PytestConfig cfg = find_pytest_config(snap);
  for (const auto& p : cfg.problems) out.problem(p.path, p.line, p.what, kProbe);
  {
    Fact f;
    f.kind = "pytest.config";
    f.attrs["file"] = cfg.file;
    f.attrs["section"] = cfg.section;
    f.attrs["testpaths"] = join(cfg.testpaths);
    f.attrs["python_files"] = join(cfg.python_files);
    f.attrs["python_classes"] = join(cfg.python_classes);
    f.attrs["python_functions"] = join(cfg.python_functions);
    f.attrs["pythonpath"] = join(cfg.pythonpath);
    f.attrs["addopts"] = join(cfg.addopts, " ");
    f.where = {cfg.file, cfg.line};
    f.detail = cfg.file.empty()
                   ? "no pytest configuration file at the repository root: pytest's defaults"
                   : "pytest configuration in " + cfg.file +
                         (cfg.section.empty() ? std::string() : " [" + cfg.section + "]") +
                         (cfg.keys_set.empty() ? std::string(" (no keys set)")
                                               : ": sets " + join(cfg.keys_set, ", "));
    out.add(std::move(f));
  }

  // The project's Python files, for import resolution.
  ProjectIndex idx = py::build_project_index(snap, cfg.pythonpath);

  auto files = pytest_test_files(snap, cfg);
  ConftestCache conftests;
  std::uint64_t total_items = 0, total_functions = 0, total_classes = 0, total_skipped = 0;
  bool all_exact = true;

  for (const auto& path : files) {
    Fact ff;
    ff.kind = "pytest.file";
    ff.where = {path, 0};
    ff.attrs["path"] = path;
    auto finish_unread = [&](const std::string& status, const std::string& why) {
      out.problem(path, 0, why, kProbe);
      ff.attrs["status"] = status;
      for (const char* k : {"functions", "items", "classes", "skipped"}) ff.attrs[k] = "0";
      ff.attrs["items_exact"] = "no";
      for (const char* k : {"project_imports", "project_import_paths", "imported_names"})
        ff.attrs[k] = "";
      ff.detail = "test file " + path + ": " + why;
      all_exact = false;
      out.add(std::move(ff));
    };

    auto pf = python_tree(snap, path, kDefaultReadCap, ArtifactCache::Use::declared);
    if (!pf->read_ok()) {
      finish_unread(to_string(pf->read.state), "test file not read: " + pf->read.note);
      continue;
    }
    const PySyntaxTree& tree = *pf->tree;
    if (!tree.ok()) {
      finish_unread(py::to_string(tree.status()), "test file not parsed: " + tree.note());
      continue;
    }
    bool file_exact = true;
    std::string status = "ok";
    if (tree.error_count() > 0 || tree.missing_count() > 0) {
      status = "syntax-errors";
      file_exact = false;
      out.problem(path, tree.first_error_line(),
                  "Python syntax errors: " + std::to_string(tree.error_count()) + " ERROR node(s), " +
                      std::to_string(tree.missing_count()) +
                      " missing token(s); first at line " + std::to_string(tree.first_error_line()) +
                      "; tests were counted where the code parses",
                  kProbe);
    }

    FileAnalyzer fa(tree, cfg, path);
    fa.scan_module();
    // Fixtures: nearest definition wins; the file's own, then conftest.py upwards.
    std::map<std::string, FixtureInfo> fixtures = fa.fixtures();
    for (std::string d = dirname_of(path);; d = dirname_of(d)) {
      std::string c = join_path(d, "conftest.py");
      if (snap.exists(c))
        for (auto& [k, v] : conftest_fixtures(snap, cfg, c, conftests)) fixtures.emplace(k, v);
      if (d.empty()) break;
    }
    fa.collect(fixtures);
    if (fa.defines_generate_tests() || fixtures.count(kGenerateTestsKey))
      for (auto& t : fa.tests) t.exact = false;  // a hook may parametrize any of them

    std::uint64_t items = 0, skipped = 0;
    for (const auto& t : fa.tests) {
      Fact ft;
      ft.kind = "pytest.test";
      ft.where = {path, t.line};
      ft.attrs["file"] = path;
      ft.attrs["name"] = t.name;
      ft.attrs["kind"] = t.kind;
      ft.attrs["items"] = std::to_string(t.items);
      ft.attrs["items_exact"] = yn(t.exact);
      ft.attrs["skip"] = yn(t.skip);
      ft.attrs["skip_kind"] = !t.skip ? "" : t.skip_conditional ? "conditional" : "always";
      ft.attrs["line"] = std::to_string(t.line);
      ft.detail = t.kind + " " + t.name + ": " + std::to_string(t.items) +
                  (t.items == 1 ? " item" : " items") + (t.exact ? "" : " (at least; not literal)") +
                  (t.skip ? (t.skip_conditional ? ", skipped conditionally" : ", skipped") : "");
      items += t.items;
      if (!t.exact) file_exact = false;
      if (t.skip) ++skipped;
      out.add(std::move(ft));
    }

    py::ResolvedImports ri = py::resolve_project_imports(fa.imports, idx, path);
    const std::set<std::string>& mods = ri.modules;
    const std::set<std::string>& mod_paths = ri.paths;
    const std::set<std::string>& names = ri.names;
    auto join_set = [](const std::set<std::string>& s) {
      return join(std::vector<std::string>(s.begin(), s.end()));
    };
    ff.attrs["status"] = status;
    ff.attrs["functions"] = std::to_string(fa.tests.size());
    ff.attrs["items"] = std::to_string(items);
    ff.attrs["items_exact"] = yn(file_exact);
    ff.attrs["classes"] = std::to_string(fa.classes);
    ff.attrs["skipped"] = std::to_string(skipped);
    ff.attrs["project_imports"] = join_set(mods);
    ff.attrs["project_import_paths"] = join_set(mod_paths);
    ff.attrs["imported_names"] = join_set(names);
    ff.detail = "test file " + path + ": " + std::to_string(fa.tests.size()) +
                " test function(s), " + std::to_string(items) + " collected item(s)" +
                (file_exact ? "" : " (at least)") +
                (mods.empty() ? std::string() : "; imports " + join_set(mods));
    out.add(std::move(ff));

    total_items = std::min(total_items + items, kMaxItems);
    total_functions += fa.tests.size();
    total_classes += fa.classes;
    total_skipped += skipped;
    if (!file_exact) all_exact = false;
  }

  Fact s;
  s.kind = "pytest.summary";
  s.where = {"", 0};
  s.attrs["files"] = std::to_string(files.size());
  s.attrs["functions"] = std::to_string(total_functions);
  s.attrs["items"] = std::to_string(total_items);
  s.attrs["items_exact"] = yn(all_exact);
  s.attrs["classes"] = std::to_string(total_classes);
  s.attrs["skipped"] = std::to_string(total_skipped);
  s.attrs["testpaths"] = join(cfg.testpaths);
  s.detail = std::to_string(files.size()) + " test file(s), " + std::to_string(total_functions) +
             " test function(s), " + std::to_string(total_items) + " collected item(s)" +
             (all_exact ? "" : " (at least: some values are not literal or files unreadable)");
  out.add(std::move(s));
}

}  // namespace cc
