#include "probes/python_usage.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "engine/embedded.h"
#include "engine/heap_pages.h"
#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "engine/yaml_pack.h"
#include "probes/pytest_config.h"
#include "probes/pytest_tests.h"
#include "probes/python_imports.h"
#include "probes/read/parse_cache.h"
#include "probes/read/python_syntax.h"
#include "probes/read/safe_yaml.h"
#include "probes/read/text.h"

namespace cc {

using py::PyNode;
using py::PySyntaxTree;

namespace {
constexpr const char* kProbe = "python-usage";
constexpr const char* kPatternFile = "probes/data/python_patterns.yaml";
constexpr std::size_t kMaxResolved = 512;     // bytes of a resolved name
constexpr int kMaxChain = 256;                // attribute/call links followed in one expression
constexpr int kMaxDeferDepth = 64;            // nested assignments handled in order
constexpr std::size_t kMaxValue = 200;        // bytes of a captured value
constexpr std::size_t kMaxExpression = 80;    // bytes of a non-literal expression

enum class Kind { call, decorator, base, import, keyword, method };
constexpr int kKinds = 6;

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::call: return "call";
    case Kind::decorator: return "decorator";
    case Kind::base: return "base";
    case Kind::import: return "import";
    case Kind::keyword: return "keyword";
    case Kind::method: return "method";
  }
  return "call";
}

bool parse_kind(const std::string& s, Kind& k) {
  static const std::pair<const char*, Kind> all[] = {
      {"call", Kind::call},       {"decorator", Kind::decorator}, {"base", Kind::base},
      {"import", Kind::import},   {"keyword", Kind::keyword},     {"method", Kind::method}};
  for (const auto& [n, v] : all)
    if (s == n) { k = v; return true; }
  return false;
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::string one_line(std::string_view s, std::size_t cap) {
  std::string out;
  for (char c : s) {
    if (out.size() >= cap) { out += "..."; break; }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

}  // namespace

// ---- patterns ----------------------------------------------------------------------------------

struct PythonPatterns::Impl {
  struct Source {
    int pos = -1;        // positional index, or
    std::string kw;      // keyword name
  };
  struct Capture {
    std::string attr;
    std::vector<Source> sources;
  };
  struct Pattern {
    std::string fact;
    Kind kind = Kind::call;
    std::string keyword;
    std::vector<std::pair<std::string, std::string>> require;
    std::vector<Capture> captures;
    std::string value_tpl;
    std::string receiver;  // method: glob on the lower-cased receiver text ("" = any)
    int line = 0;
  };
  struct Glob {
    std::string glob, prefix;
    int pattern;
  };
  struct Index {
    std::unordered_map<std::string, std::vector<int>> exact;
    std::vector<Glob> globs;
  };
  struct Category {
    std::string name;
    std::vector<std::string> modules, names, facts;
  };

  std::vector<Pattern> patterns;
  Index index[kKinds];
  std::vector<Category> categories;
  // commented_code: code switched off by a comment ("# with torch.profiler.profile(...)"), which
  // rules read as "there, but off"; (fact, RE2 searched in the comment's text).
  // Compiled when a comment may match (tests/unit/probes/probe_data_patterns_test.cpp compiles
  // the built-in ones).
  std::vector<std::pair<std::string, std::shared_ptr<const LazyRegex>>> commented;

  void add_name(int p, const std::string& name) {
    Index& ix = index[int(patterns[p].kind)];
    if (!has_glob(name) || patterns[p].kind == Kind::import || patterns[p].kind == Kind::method) {
      auto& v = ix.exact[name];
      if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
      return;
    }
    std::size_t cut = name.find_first_of("*?[");
    ix.globs.push_back({name, name.substr(0, cut), p});
  }

  // Patterns of kind `k` whose names match `name`, in pattern order, without repeats.
  void match(Kind k, const std::string& name, std::vector<int>& hits) const {
    hits.clear();
    const Index& ix = index[int(k)];
    if (k == Kind::import) {
      // A module matches a listed module or any of its parents.
      for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '.') {
          auto it = ix.exact.find(name.substr(0, i));
          if (it != ix.exact.end()) hits.insert(hits.end(), it->second.begin(), it->second.end());
        }
      }
    } else {
      auto it = ix.exact.find(name);
      if (it != ix.exact.end()) hits.insert(hits.end(), it->second.begin(), it->second.end());
      for (const Glob& g : ix.globs)
        if (name.compare(0, g.prefix.size(), g.prefix) == 0 && fnmatch(g.glob, name))
          hits.push_back(g.pattern);
    }
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  }
};

PythonPatterns::PythonPatterns() : impl_(std::make_unique<Impl>()) {}
PythonPatterns::~PythonPatterns() = default;
PythonPatterns::PythonPatterns(PythonPatterns&&) noexcept = default;
PythonPatterns& PythonPatterns::operator=(PythonPatterns&&) noexcept = default;
std::size_t PythonPatterns::pattern_count() const { return impl_->patterns.size(); }

std::vector<std::string> PythonPatterns::fact_names() const {
  std::set<std::string> s;
  for (const auto& p : impl_->patterns) s.insert(p.fact);
  return {s.begin(), s.end()};
}

bool PythonPatterns::load(std::string_view text, std::string* error) {
  return load(read_yaml(text), error);
}

bool PythonPatterns::load(const YamlLoad& y, std::string* error) {
  std::string dummy;
  if (!error) error = &dummy;
  auto fresh = std::make_unique<Impl>();
  auto fail = [&](int line, const std::string& what) {
    *error = "line " + std::to_string(line) + ": " + what;
    return false;
  };
  if (!y.ok) return fail(y.error_line, y.error);
  const YNode& root = y.root;
  if (!root.is_map()) return fail(root.line, "the pattern file must be a mapping");
  for (const auto& [k, v] : root.entries)
    if (k.text != "schema" && k.text != "prefixes" && k.text != "patterns" &&
        k.text != "test_categories" && k.text != "commented_code")
      return fail(k.line, "unknown top-level key '" + k.text +
                              "' (expected schema, prefixes, patterns, test_categories, commented_code)");
  const YNode* schema = root.get("schema");
  if (!schema || schema->value() != "claimcheck/python-patterns/1")
    return fail(schema ? schema->line : root.line, "schema must be 'claimcheck/python-patterns/1'");

  auto scalar_list = [&](const YNode& n, const std::string& what,
                         std::vector<std::string>& out) -> bool {
    if (n.is_scalar()) { out.push_back(n.text); return true; }
    if (!n.is_seq()) return fail(n.line, what + " must be a list of strings");
    for (const auto& i : n.items) {
      if (!i.is_scalar() || i.text.empty()) return fail(i.line, what + " must hold non-empty strings");
      out.push_back(i.text);
    }
    return true;
  };

  std::map<std::string, std::vector<std::string>> prefixes;
  if (const YNode* pre = root.get("prefixes")) {
    if (!pre->is_map()) return fail(pre->line, "prefixes must map a key to a list of modules");
    for (const auto& [k, v] : pre->entries) {
      std::vector<std::string> alts;
      if (!scalar_list(v, "prefixes." + k.text, alts)) return false;
      if (alts.empty()) return fail(v.line, "prefixes." + k.text + " is empty");
      prefixes[k.text] = alts;
    }
  }

  const YNode* pats = root.get("patterns");
  if (!pats || !pats->is_seq() || pats->items.empty())
    return fail(pats ? pats->line : root.line, "patterns must be a non-empty list");
  for (const auto& r : pats->items) {
    if (!r.is_map()) return fail(r.line, "a pattern must be a mapping");
    Impl::Pattern p;
    p.line = r.line;
    std::vector<std::string> names;
    bool has_kind = false;
    for (const auto& [rk, rv] : r.entries) {
      const std::string& key = rk.text;
      if (key == "fact") {
        p.fact = rv.value();
      } else if (key == "kind") {
        if (!parse_kind(rv.value(), p.kind))
          return fail(rv.line, "unknown kind '" + rv.value() +
                                   "' (expected call, decorator, base, import, keyword, method)");
        has_kind = true;
      } else if (key == "names") {
        if (!scalar_list(rv, "names", names)) return false;
      } else if (key == "keyword") {
        p.keyword = rv.value();
      } else if (key == "receiver") {
        p.receiver = lower_ascii(rv.text);
      } else if (key == "value") {
        p.value_tpl = rv.text;
      } else if (key == "require") {
        if (!rv.is_map()) return fail(rv.line, "require must map keyword to literal value");
        for (const auto& [qk, qv] : rv.entries) {
          if (!qv.is_scalar()) return fail(qv.line, "require." + qk.text + " must be a string");
          p.require.emplace_back(qk.text, qv.text);
        }
      } else if (key == "capture") {
        if (!rv.is_map()) return fail(rv.line, "capture must map an attribute to a list of sources");
        for (const auto& [ck, cv] : rv.entries) {
          static const std::set<std::string> reserved = {
              "name", "callable", "module", "file", "value", "in_tests", "kind", "literal",
              "expression"};
          if (ck.text.empty() || reserved.count(ck.text))
            return fail(ck.line, "capture attribute '" + ck.text + "' is reserved or empty");
          Impl::Capture c;
          c.attr = ck.text;
          std::vector<std::string> srcs;
          if (!scalar_list(cv, "capture." + ck.text, srcs)) return false;
          for (const auto& s : srcs) {
            Impl::Source src;
            if (!s.empty() && s.size() < 4 &&
                std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
              src.pos = std::stoi(s);
            else
              src.kw = s;
            c.sources.push_back(src);
          }
          p.captures.push_back(std::move(c));
        }
      } else {
        return fail(rk.line, "unknown pattern key '" + key +
                                 "' (expected fact, kind, names, keyword, receiver, require, "
                                 "capture, value)");
      }
    }
    if (p.fact.empty()) return fail(r.line, "a pattern needs a fact name");
    if (!has_kind) return fail(r.line, "pattern '" + p.fact + "' needs a kind");
    if (names.empty()) return fail(r.line, "pattern '" + p.fact + "' needs names");
    if (p.kind == Kind::keyword && p.keyword.empty())
      return fail(r.line, "pattern '" + p.fact + "' of kind keyword needs a keyword");
    if (p.kind != Kind::keyword && !p.keyword.empty())
      return fail(r.line, "pattern '" + p.fact + "': keyword is only for kind keyword");
    if (!p.receiver.empty() && p.kind != Kind::method)
      return fail(r.line, "pattern '" + p.fact + "': receiver is only for kind method");
    int idx = int(fresh->patterns.size());
    fresh->patterns.push_back(std::move(p));
    for (const auto& n : names) {
      if (n[0] == '$') {
        auto dot = n.find('.');
        std::string key = n.substr(1, dot == std::string::npos ? std::string::npos : dot - 1);
        auto it = prefixes.find(key);
        if (it == prefixes.end())
          return fail(r.line, "name '" + n + "' uses unknown prefix '$" + key + "'");
        std::string rest = dot == std::string::npos ? std::string() : n.substr(dot);
        for (const auto& alt : it->second) fresh->add_name(idx, alt + rest);
      } else {
        fresh->add_name(idx, n);
      }
    }
  }

  if (const YNode* cats = root.get("test_categories")) {
    if (!cats->is_map()) return fail(cats->line, "test_categories must be a mapping");
    for (const auto& [ck, cv] : cats->entries) {
      if (!cv.is_map()) return fail(cv.line, "test category '" + ck.text + "' must be a mapping");
      Impl::Category c;
      c.name = ck.text;
      for (const auto& [k, v] : cv.entries) {
        std::vector<std::string>* dst = k.text == "modules" ? &c.modules
                                        : k.text == "names" ? &c.names
                                        : k.text == "facts" ? &c.facts
                                                            : nullptr;
        if (!dst)
          return fail(k.line, "unknown key '" + k.text + "' in test category '" + c.name +
                                  "' (expected modules, names, facts)");
        if (v.is_seq() && v.items.empty()) continue;
        if (!scalar_list(v, c.name + "." + k.text, *dst)) return false;
        if (dst != &c.facts)
          for (auto& s : *dst) s = lower_ascii(s);
      }
      fresh->categories.push_back(std::move(c));
    }
  }
  if (const YNode* cc = root.get("commented_code")) {
    if (!cc->is_seq()) return fail(cc->line, "commented_code must be a list of {fact, regex}");
    for (const auto& item : cc->items) {
      const YNode* f = item.get("fact");
      const YNode* rx = item.get("regex");
      if (!f || !rx) return fail(item.line, "a commented_code entry needs fact and regex");
      fresh->commented.emplace_back(f->value(), std::make_shared<const LazyRegex>(rx->value(), false));
    }
  }
  impl_ = std::move(fresh);
  return true;
}

const PythonPatterns* PythonPatterns::builtin(std::string* error) {
  static std::once_flag once;
  static PythonPatterns patterns;
  static bool ok = false;
  static std::string err;
  std::call_once(once, [] {
    const EmbeddedFile* f = find_embedded_file(embedded_probe_data(), "data/python_patterns.yaml");
    if (!f || f->data.empty()) {
      err = std::string(kPatternFile) + " is not embedded in this build";
      return;
    }
    ok = patterns.load(embedded_yaml(*f), &err);
    if (!ok) err = std::string(kPatternFile) + ": " + err;
  });
  if (!ok) {
    if (error) *error = err;
    return nullptr;
  }
  return &patterns;
}

// ---- paths -------------------------------------------------------------------------------------

std::string python_module_name(std::string_view path) {
  std::string p(path);
  if (p.compare(0, 4, "src/") == 0) p.erase(0, 4);
  return py::dotted_from_path(p);
}

bool is_python_test_file(std::string_view path) {
  std::string_view base = py::basename_of(path);
  if (base == "conftest.py") return true;
  if (base.size() > 8 && base.substr(0, 5) == "test_" && base.substr(base.size() - 3) == ".py")
    return true;
  if (base.size() > 8 && base.substr(base.size() - 8) == "_test.py") return true;
  std::size_t i = 0;
  for (;;) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) return false;
    auto seg = path.substr(i, j - i);
    if (seg == "tests" || seg == "test") return true;
    i = j + 1;
  }
}

// ---- one file ----------------------------------------------------------------------------------

namespace {

using Impl = PythonPatterns::Impl;

struct FileResult {
  std::vector<Fact> facts;                           // py.use, py.module, py.test_category
  std::vector<std::pair<int, std::string>> problems;  // (line, what)
  bool parsed = false;
  bool is_test = false;
  int functions = 0, annotated = 0, documented = 0;
};

std::string yn(bool b) { return b ? "yes" : "no"; }

// The literal text of a simple literal node: numbers, strings, True/False/None, -number.
bool literal_text(const PyNode& n, std::string& out) {
  out.clear();
  if (n.is("integer") || n.is("float") || n.is("true") || n.is("false") || n.is("none")) {
    out = std::string(n.text());
    return true;
  }
  if (n.is("string")) {
    if (!py::string_literal_value(n, out)) return false;
    out = one_line(out, kMaxValue);
    return true;
  }
  if (n.is("unary_operator")) {
    PyNode arg = n.field("argument");
    if ((arg.is("integer") || arg.is("float")) && n.text().substr(0, 1) == "-") {
      out = "-" + std::string(arg.text());
      return true;
    }
  }
  if (n.is("parenthesized_expression") && n.named_child_count() == 1)
    return literal_text(n.named_children()[0], out);
  return false;
}

struct Args {
  std::vector<PyNode> positional;
  std::vector<std::pair<std::string, PyNode>> keywords;
  PyNode keyword(const std::string& k) const {
    for (const auto& [n, v] : keywords)
      if (n == k) return v;
    return {};
  }
};

Args read_args(const PyNode& arglist) {
  Args a;
  if (!arglist.is("argument_list")) return a;
  for (const PyNode& c : arglist.named_children()) {
    if (c.is("keyword_argument")) {
      a.keywords.emplace_back(std::string(c.field("name").text()), c.field("value"));
    } else if (c.is("comment")) {
      continue;
    } else {
      a.positional.push_back(c);
    }
  }
  return a;
}

class Analyzer {
 public:
  Analyzer(const PySyntaxTree& tree, const Impl& pats, const std::string& path,
           const std::string& module, bool in_tests)
      : tree_(tree), pats_(pats), path_(path), module_(module), in_tests_(in_tests) {}

  void run() {
    visitor_ = [this](const PyNode& n) { return visit(n); };
    tree_.walk(tree_.root(), visitor_);
  }

  // Results.
  py::PyImports imports;
  std::vector<Fact> uses;
  std::set<std::string> use_names;  // fact names seen (for test categories)
  int functions = 0, annotated = 0, documented = 0, classes = 0, dropped = 0;
  std::set<std::string> top_imports;
  // Comments that match a commented_code pattern (code switched off), found in the same walk:
  // the first `keep` in source order, sorted by position so that the order in which the walk
  // reaches them (an assignment's parts, the parts it skips) does not matter.
  struct CommentHit {
    std::uint32_t at;           // start byte: source order
    const std::string* fact;    // the first pattern's fact that matches
    PyNode node;
  };
  static constexpr std::size_t kMaxCommentHits = 50;  // commented-out uses reported per file
  std::vector<CommentHit> comments_in_order(std::size_t keep) {
    keep_first_comments(keep);
    return std::move(comment_hits_);
  }

 private:
  bool visit(const PyNode& n) {
    auto t = n.type();
    if (t == "comment") {
      on_comment(n);
      return false;
    }
    if (t == "import_statement" || t == "import_from_statement") {
      on_import(n, t == "import_from_statement");
      comments_below(n);  // "from x import (a,  # b" : the walk does not go below an import
      return false;
    }
    if (t == "call") {
      on_call(n);
      return true;
    }
    if (t == "assignment") return on_assignment(n);
    if (t == "decorator") {
      on_decorator(n);
      return true;
    }
    if (t == "function_definition") {
      on_function(n);
      return true;
    }
    if (t == "class_definition") {
      on_class(n);
      return true;
    }
    return true;
  }

  // ---- names ----
  std::string resolve(const PyNode& expr) const {
    std::vector<std::string> suffix;
    PyNode cur = expr;
    std::string base;
    for (int guard = 0;; ++guard) {
      if (guard >= kMaxChain || cur.is_null()) return {};
      if (cur.is("attribute")) {
        PyNode obj = cur.field("object");
        if (obj.is("identifier") && (obj.text() == "self" || obj.text() == "cls")) {
          std::string key = "self." + std::string(cur.field("attribute").text());
          auto it = names_.find(key);
          if (it != names_.end()) {
            if (it->second.empty()) return {};
            base = it->second;
            break;
          }
        }
        suffix.push_back("." + std::string(cur.field("attribute").text()));
        cur = obj;
      } else if (cur.is("call")) {
        suffix.push_back("()");
        cur = cur.field("function");
      } else if (cur.is("parenthesized_expression") && cur.named_child_count() == 1) {
        cur = cur.named_children()[0];
      } else if (cur.is("await")) {
        auto kids = cur.named_children();
        if (kids.size() != 1) return {};
        cur = kids[0];
      } else if (cur.is("identifier")) {
        std::string id(cur.text());
        auto it = names_.find(id);
        if (it != names_.end() && it->second.empty()) return {};
        base = it == names_.end() ? id : it->second;
        break;
      } else {
        return {};
      }
    }
    if (base.empty()) return {};
    for (auto it = suffix.rbegin(); it != suffix.rend(); ++it) {
      base += *it;
      if (base.size() > kMaxResolved) return {};
    }
    return base;
  }

  // ---- statements ----
  void on_import(const PyNode& n, bool from) {
    std::vector<py::ImportBinding> b;
    std::size_t plain_before = imports.plain_imports.size();
    if (from) imports.note_from_import(n, b);
    else imports.note_import(n, b);
    for (const auto& x : b) names_[x.local] = x.target;
    // Modules this statement imports, for import patterns and the module's import list.
    std::vector<std::string> mods;
    if (!from) {
      for (std::size_t i = plain_before; i < imports.plain_imports.size(); ++i)
        mods.push_back(imports.plain_imports[i]);
    } else if (!imports.from_imports.empty() && imports.from_imports.back().level == 0) {
      const auto& fi = imports.from_imports.back();
      if (!fi.module.empty()) {
        mods.push_back(fi.module);
        for (const auto& nm : fi.names)
          if (nm != "*") mods.push_back(fi.module + "." + nm);
      }
    }
    std::set<int> seen;
    for (const auto& m : mods) {
      top_imports.insert(m.substr(0, m.find('.')));
      pats_.match(Kind::import, m, hits_);
      for (int p : hits_)
        if (seen.insert(p).second) emit(p, n, m, nullptr, {});
    }
  }

  bool on_assignment(const PyNode& n) {
    PyNode left = n.field("left"), right = n.field("right");
    std::string key;
    if (left.is("identifier")) {
      key = std::string(left.text());
    } else if (left.is("attribute") && left.field("object").is("identifier") &&
               (left.field("object").text() == "self" || left.field("object").text() == "cls")) {
      key = "self." + std::string(left.field("attribute").text());
    }
    if (key.empty() || right.is_null() || defer_depth_ >= kMaxDeferDepth) return true;
    std::string val;
    if (right.is("call") || right.is("identifier") || right.is("attribute") || right.is("await"))
      val = resolve(right);
    comments_below(left);  // the walk below does not go there
    // The right side is read with the names as they were before this statement.
    ++defer_depth_;
    for (const PyNode& c : n.named_children())
      if (c.raw().id != left.raw().id) tree_.walk(c, visitor_);
    --defer_depth_;
    if (val == key) names_.erase(key);
    else names_[key] = val;  // "" = a local value: the name no longer names an import
    return false;
  }

  void on_function(const PyNode& def) {
    ++functions;
    bool ann = !def.field("return_type").is_null();
    if (!ann) {
      for (const PyNode& p : def.field("parameters").named_children())
        if (p.is("typed_parameter") || p.is("typed_default_parameter")) { ann = true; break; }
    }
    if (ann) ++annotated;
    PyNode body = def.field("body");
    for (const PyNode& st : body.named_children()) {
      if (st.is("comment")) continue;
      if (st.is("expression_statement")) {
        auto kids = st.named_children();
        if (kids.size() == 1 && kids[0].is("string")) ++documented;
      }
      break;
    }
  }

  void on_class(const PyNode& def) {
    ++classes;
    PyNode sup = def.field("superclasses");
    if (sup.is_null()) return;
    for (const PyNode& b : sup.named_children()) {
      if (b.is("keyword_argument") || b.is("comment")) continue;
      std::string r = resolve(b);
      if (r.empty()) continue;
      pats_.match(Kind::base, r, hits_);
      for (int p : hits_) emit(p, def, r, nullptr, {});
    }
  }

  void on_decorator(const PyNode& dec) {
    auto kids = dec.named_children();
    PyNode expr;
    for (const PyNode& k : kids)
      if (!k.is("comment")) { expr = k; break; }
    if (expr.is_null()) return;
    PyNode callee = expr.is("call") ? expr.field("function") : expr;
    std::string r = resolve(callee);
    if (r.empty()) return;
    Args args;
    if (expr.is("call")) args = read_args(expr.field("arguments"));
    pats_.match(Kind::decorator, r, hits_);
    for (int p : hits_) emit(p, dec, r, &args, {});
    if (!expr.is("call")) {  // a bare decorator is a call of it; @x(...) is seen as a call node
      pats_.match(Kind::call, r, hits_);
      for (int p : hits_) emit(p, dec, r, &args, {});
    }
  }

  void on_call(const PyNode& call) {
    PyNode fn = call.field("function");
    std::string r = resolve(fn);
    Args args;
    bool args_read = false;
    auto get_args = [&]() -> Args& {
      if (!args_read) { args = read_args(call.field("arguments")); args_read = true; }
      return args;
    };
    if (!r.empty()) {
      pats_.match(Kind::call, r, hits_);
      for (int p : std::vector<int>(hits_)) emit(p, call, r, &get_args(), {});
      pats_.match(Kind::keyword, r, hits_);
      for (int p : std::vector<int>(hits_)) {
        PyNode v = get_args().keyword(pats_.patterns[p].keyword);
        if (!v.is_null()) emit(p, call, r, &get_args(), v);
      }
    }
    if (fn.is("attribute")) {
      std::string m(fn.field("attribute").text());
      pats_.match(Kind::method, m, hits_);
      if (!hits_.empty()) {
        std::string recv = py::compact_dotted(fn.field("object").text());
        std::string lrecv = lower_ascii(recv);
        for (int p : std::vector<int>(hits_)) {
          const auto& pat = pats_.patterns[p];
          if (!pat.receiver.empty() && !fnmatch(pat.receiver, lrecv)) continue;
          emit(p, call, one_line(recv, kMaxExpression) + "." + m, &get_args(), {});
        }
      }
    }
  }

  // ---- facts ----
  std::string capture(const Impl::Capture& c, const Args* args) const {
    if (!args) return {};
    std::string v;
    for (const auto& s : c.sources) {
      PyNode n = s.pos >= 0 ? (std::size_t(s.pos) < args->positional.size()
                                   ? args->positional[std::size_t(s.pos)]
                                   : PyNode())
                            : args->keyword(s.kw);
      if (!n.is_null() && literal_text(n, v)) return v;
    }
    return {};
  }

  void emit(int pi, const PyNode& at, const std::string& callable, const Args* args,
            const PyNode& kwvalue) {
    const Impl::Pattern& p = pats_.patterns[std::size_t(pi)];
    for (const auto& [k, want] : p.require) {
      if (!args) return;
      PyNode v = args->keyword(k);
      std::string lit;
      if (v.is_null() || !literal_text(v, lit) || lit != want) return;
    }
    Fact f;
    f.kind = "py.use";
    f.where = {path_, at.line()};
    f.attrs["name"] = p.fact;
    f.attrs["callable"] = callable;
    f.attrs["module"] = module_;
    f.attrs["file"] = path_;
    f.attrs["in_tests"] = yn(in_tests_);
    f.attrs["kind"] = kind_name(p.kind);
    std::string value;
    std::map<std::string, std::string> caps;
    for (const auto& c : p.captures) {
      std::string v = capture(c, args);
      f.attrs[c.attr] = v;
      caps[c.attr] = v;
    }
    if (p.kind == Kind::keyword) {
      std::string lit;
      bool is_lit = literal_text(kwvalue, lit);
      value = is_lit ? lit : std::string();
      f.attrs["literal"] = yn(is_lit);
      f.attrs["expression"] = one_line(kwvalue.text(), kMaxExpression);
    } else if (!p.value_tpl.empty()) {
      value = render(p.value_tpl, caps, callable);
    } else {
      std::vector<std::string> found;
      for (const auto& c : p.captures)
        if (!caps[c.attr].empty()) found.push_back(c.attr);
      if (p.captures.size() == 1) value = caps[p.captures[0].attr];
      else
        for (const auto& a : found) value += (value.empty() ? "" : " ") + a + "=" + caps[a];
    }
    f.attrs["value"] = value;
    std::string key = std::to_string(at.line()) + "\x1f" + p.fact + "\x1f" + callable + "\x1f" + value;
    if (!seen_.insert(key).second) return;
    if (++per_name_[p.fact] > kMaxUsesPerName) {
      ++dropped;
      return;
    }
    f.detail = p.fact + ": " + callable + (value.empty() ? std::string() : " (" + value + ")") +
               " at " + path_ + ":" + std::to_string(at.line());
    use_names.insert(p.fact);
    uses.push_back(std::move(f));
  }

  static std::string render(const std::string& tpl, const std::map<std::string, std::string>& caps,
                            const std::string& callable) {
    std::string out;
    bool any_capture = false, all_empty = true;
    std::string method = callable.substr(callable.rfind('.') + 1);
    while (!method.empty() && (method.back() == ')' || method.back() == '(')) method.pop_back();
    for (std::size_t i = 0; i < tpl.size(); ++i) {
      if (tpl[i] == '{') {
        auto j = tpl.find('}', i);
        if (j != std::string::npos) {
          std::string k = tpl.substr(i + 1, j - i - 1);
          if (k == "method") out += method;
          else if (k == "METHOD") {
            for (char c : method) out += char(std::toupper(static_cast<unsigned char>(c)));
          } else {
            any_capture = true;
            auto it = caps.find(k);
            if (it != caps.end() && !it->second.empty()) {
              all_empty = false;
              out += it->second;
            }
          }
          i = j;
          continue;
        }
      }
      out += tpl[i];
    }
    if (any_capture && all_empty) return {};
    return trim(out);
  }

  void on_comment(const PyNode& n) {
    if (pats_.commented.empty()) return;
    const std::string_view text = n.text();
    for (const auto& [fact, re] : pats_.commented)
      if (re->partial_match(text)) {
        comment_hits_.push_back({n.start_byte(), &fact, n});
        // Only the first kMaxCommentHits in source order are kept: bounded on a hostile file.
        if (comment_hits_.size() >= 4 * kMaxCommentHits) keep_first_comments(kMaxCommentHits);
        return;
      }
  }

  void keep_first_comments(std::size_t keep) {
    auto first = [](const CommentHit& a, const CommentHit& b) { return a.at < b.at; };
    std::sort(comment_hits_.begin(), comment_hits_.end(), first);
    if (comment_hits_.size() > keep) comment_hits_.resize(keep);
  }

  // The comments of a subtree the walk skips.
  void comments_below(const PyNode& n) {
    if (pats_.commented.empty()) return;
    tree_.walk(n, [this](const PyNode& c) {
      if (c.is("comment")) on_comment(c);
      return true;
    });
  }

  const PySyntaxTree& tree_;
  const Impl& pats_;
  const std::string& path_;
  const std::string& module_;
  bool in_tests_;
  std::vector<CommentHit> comment_hits_;
  std::function<bool(const PyNode&)> visitor_;
  std::unordered_map<std::string, std::string> names_;
  std::vector<int> hits_;
  std::unordered_set<std::string> seen_;
  std::map<std::string, int> per_name_;
  int defer_depth_ = 0;
};

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (;;) {
    auto j = s.find('.', i);
    out.push_back(lower_ascii(s.substr(i, j == std::string::npos ? std::string::npos : j - i)));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

bool any_glob(const std::vector<std::string>& globs, const std::string& s) {
  for (const auto& g : globs)
    if (fnmatch(g, s)) return true;
  return false;
}

// A test file proper (not conftest.py nor a package's __init__.py).
bool categorised_test_file(const std::string& path) {
  auto base = py::basename_of(path);
  return is_python_test_file(path) && base != "conftest.py" && base != "__init__.py";
}

Fact test_category(const Impl& pats, const std::string& path, const py::ResolvedImports& ri,
                   const std::set<std::string>& use_names) {
  Fact f;
  f.kind = "py.test_category";
  f.where = {path, 0};
  f.attrs["file"] = path;
  std::vector<std::string> cats, reasons;
  for (const auto& c : pats.categories) {
    std::string why;
    for (const auto& m : ri.modules) {
      for (const auto& seg : split_dots(m))
        if (any_glob(c.modules, seg)) { why = "imports project module " + m; break; }
      if (!why.empty()) break;
    }
    if (why.empty())
      for (const auto& n : ri.names)
        if (n != "*" && any_glob(c.names, lower_ascii(n))) { why = "imports " + n + " from the project"; break; }
    if (why.empty())
      for (const auto& u : c.facts)
        if (use_names.count(u)) { why = "uses " + u; break; }
    if (!why.empty()) {
      cats.push_back(c.name);
      reasons.push_back(c.name + ": " + why);
    }
  }
  std::vector<std::string> sorted = cats;
  std::sort(sorted.begin(), sorted.end());
  f.attrs["categories"] = join(sorted);
  std::string reason;
  for (const auto& r : reasons) reason += (reason.empty() ? "" : "; ") + r;
  f.attrs["reason"] = reason;
  f.detail = "test file " + path + ": " +
             (cats.empty() ? std::string("no category (imports nothing recognisable of the project)")
                           : join(cats, ", ") + " (" + reason + ")");
  return f;
}

int count_lines(const std::string& s) {
  return int(std::count(s.begin(), s.end(), '\n')) + (s.empty() || s.back() == '\n' ? 0 : 1);
}

FileResult analyse_file(const Snapshot& snap, const Impl& pats, const py::ProjectIndex& idx,
                        const std::string& path, const PythonUsageOptions& opts) {
  FileResult r;
  r.is_test = is_python_test_file(path);
  auto pf = python_tree(snap, path, opts.read_cap, ArtifactCache::Use::declared);
  if (!pf->read_ok()) {
    r.problems.emplace_back(0, "Python file not read (" + std::string(to_string(pf->read.state)) +
                                   "): " + pf->read.note + "; its library use is not counted");
    return r;
  }
  const PySyntaxTree& tree = *pf->tree;
  int lines = count_lines(tree.source());
  if (!tree.ok()) {
    r.problems.emplace_back(0, "Python file not parsed (" + std::string(py::to_string(tree.status())) +
                                   "): " + tree.note() + "; its library use is not counted");
    return r;
  }
  r.parsed = true;
  int errs = tree.error_count() + tree.missing_count();
  bool bad = errs > 0 && (errs > opts.max_errors ||
                          std::int64_t(errs) * opts.error_lines_per > std::int64_t(lines));
  if (bad)
    r.problems.emplace_back(
        tree.first_error_line(),
        "Python syntax errors: " + std::to_string(tree.error_count()) + " ERROR node(s), " +
            std::to_string(tree.missing_count()) + " missing token(s) in " +
            std::to_string(lines) + " line(s), first at line " +
            std::to_string(tree.first_error_line()) + "; library use counted where the code parses");

  std::string module = python_module_name(path);
  Analyzer a(tree, pats, path, module, r.is_test);
  a.run();
  r.functions = a.functions;
  r.annotated = a.annotated;
  r.documented = a.documented;

  py::ResolvedImports ri = py::resolve_project_imports(a.imports, idx, path);
  std::set<std::string> project_heads;
  for (const auto& m : ri.modules) project_heads.insert(m.substr(0, m.find('.')));

  for (auto& u : a.uses) r.facts.push_back(std::move(u));
  for (const auto& hit : a.comments_in_order(Analyzer::kMaxCommentHits)) {
    const std::string_view text = hit.node.text();
    const std::string& fact = *hit.fact;
    Fact f;
    f.kind = "py.use";
    f.where = {path, hit.node.line()};
    f.attrs = {{"name", fact}, {"kind", "comment"}, {"file", path}, {"module", module},
               {"in_tests", yn(r.is_test)}, {"value", std::string(text.substr(0, 200))}};
    f.detail = fact + " only in a comment (switched off): " + std::string(text.substr(0, 120));
    r.facts.push_back(std::move(f));
  }
  Fact m;
  m.kind = "py.module";
  m.where = {path, 0};
  m.attrs["path"] = path;
  m.attrs["module"] = module;
  m.attrs["functions"] = std::to_string(a.functions);
  m.attrs["annotated"] = std::to_string(a.annotated);
  m.attrs["documented"] = std::to_string(a.documented);
  m.attrs["classes"] = std::to_string(a.classes);
  m.attrs["imports"] = join(a.top_imports);
  m.attrs["project_imports"] = join(ri.modules);
  m.attrs["is_test"] = yn(r.is_test);
  m.attrs["status"] = errs > 0 ? "syntax-errors" : "ok";
  m.attrs["uses_dropped"] = std::to_string(a.dropped);
  m.detail = "Python module " + module + " (" + path + "): " + std::to_string(a.functions) +
             " function(s), " + std::to_string(a.annotated) + " annotated, " +
             std::to_string(a.documented) + " documented, " + std::to_string(a.classes) +
             " class(es)" + (a.use_names.empty() ? std::string() : "; uses " + join(a.use_names));
  r.facts.push_back(std::move(m));
  if (categorised_test_file(path)) r.facts.push_back(test_category(pats, path, ri, a.use_names));
  return r;
}

std::string share(int part, int whole) {
  return whole <= 0 ? "0" : std::to_string(int(std::int64_t(part) * 100 / whole));
}

}  // namespace

// ---- the probe -------------------------------------------------------------------------------

void PythonUsageProbe::declare_reads(const Snapshot& snap) const {
  for (const auto& path : py::build_project_index(snap).py_files) expect_python_tree(snap, path);
}

void PythonUsageProbe::run(const Snapshot& snap, FactStore& out) const {
  const PythonPatterns* pats = patterns_;
  static const PythonPatterns empty;
  if (!pats) {
    std::string err;
    pats = PythonPatterns::builtin(&err);
    if (!pats) {
      out.problem(kPatternFile, 0, "Python patterns unavailable, library use not detected: " + err,
                  kProbe);
      pats = &empty;
    }
  }
  const Impl& impl = pats->impl();

  py::ProjectIndex idx = py::build_project_index(snap);
  std::vector<std::string> files(idx.py_files.begin(), idx.py_files.end());  // sorted
  std::vector<FileResult> results(files.size());

  unsigned n_threads = opts_.threads ? opts_.threads : std::thread::hardware_concurrency();
  if (n_threads == 0) n_threads = 2;
  n_threads = unsigned(std::min<std::size_t>(n_threads, std::max<std::size_t>(files.size(), 1)));
  // Which file next: one another probe has parsed and kept for its own later readers first (its
  // tree then leaves the cache soon: pytest parsing the test files beside this probe would
  // otherwise keep hundreds of trees waiting for this probe to reach tests/), else the next in
  // order. Each file is taken once.
  std::vector<std::atomic<bool>> taken(files.size());
  std::atomic<std::size_t> next{0};
  std::mutex ready_mu;
  std::size_t seen_made = 0;         // under ready_mu: entries of the cache's waiting list read
  std::deque<std::size_t> ready;     // under ready_mu: files parsed by another probe, not taken
  auto take = [&](std::size_t i) { return !taken[i].exchange(true); };
  auto pick = [&]() -> std::size_t {
    {
      std::lock_guard<std::mutex> lock(ready_mu);
      for (const auto& p : snap.artifacts().waiting_since(kPythonTreeKind, seen_made)) {
        ++seen_made;
        auto it = std::lower_bound(files.begin(), files.end(), p);
        if (it != files.end() && *it == p) ready.push_back(std::size_t(it - files.begin()));
      }
      while (!ready.empty()) {
        std::size_t i = ready.front();
        ready.pop_front();
        if (take(i)) return i;
      }
    }
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();)
      if (take(i)) return i;
    return files.size();
  };
  auto work = [&]() {
    advise_thread_heap();
    for (;;) {
      std::size_t i = pick();
      if (i >= files.size()) return;
      try {
        results[i] = analyse_file(snap, impl, idx, files[i], opts_);
      } catch (const std::exception& e) {
        results[i] = FileResult{};
        results[i].problems.emplace_back(0, std::string("Python file not analysed: ") + e.what());
      } catch (...) {
        results[i] = FileResult{};
        results[i].problems.emplace_back(0, "Python file not analysed: unknown error");
      }
    }
  };
  // The calling thread is one of the workers: it would only wait for them otherwise.
  std::vector<std::thread> pool;
  pool.reserve(n_threads);
  for (unsigned t = 1; t < n_threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {  // no thread to be had: fewer workers, the same files
      break;
    }
  }
  work();
  for (auto& t : pool) t.join();

  // Summary scope: src/, else packages, else everything (never tests, never docs/).
  auto in_docs = [](const std::string& p) { return p.compare(0, 5, "docs/") == 0; };
  auto in_package = [&](const std::string& p) {
    return idx.py_files.count(py::join_path(py::dirname_of(p), "__init__.py")) > 0;
  };
  bool any_src = false, any_pkg = false;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!results[i].parsed || results[i].is_test || in_docs(files[i])) continue;
    if (files[i].compare(0, 4, "src/") == 0) any_src = true;
    if (in_package(files[i])) any_pkg = true;
  }
  std::string scope = any_src ? "src" : any_pkg ? "packages" : "all";
  int n_files = 0, fn = 0, ann = 0, doc = 0;

  for (std::size_t i = 0; i < files.size(); ++i) {
    FileResult& r = results[i];
    for (auto& [line, what] : r.problems) out.problem(files[i], line, what, kProbe);
    for (auto& f : r.facts) out.add(std::move(f));
    if (!r.parsed || r.is_test || in_docs(files[i])) continue;
    if (scope == "src" && files[i].compare(0, 4, "src/") != 0) continue;
    if (scope == "packages" && !in_package(files[i])) continue;
    ++n_files;
    fn += r.functions;
    ann += r.annotated;
    doc += r.documented;
  }

  Fact s;
  s.kind = "py.summary";
  s.where = {"", 0};
  s.attrs["files"] = std::to_string(n_files);
  s.attrs["functions"] = std::to_string(fn);
  s.attrs["annotated"] = std::to_string(ann);
  s.attrs["documented"] = std::to_string(doc);
  s.attrs["annotated_share"] = share(ann, fn);
  s.attrs["documented_share"] = share(doc, fn);
  s.attrs["scope"] = scope;
  s.detail = std::to_string(n_files) + " source file(s) (" + scope + "), " + std::to_string(fn) +
             " function(s): " + share(ann, fn) + "% with type annotations, " + share(doc, fn) +
             "% with docstrings";
  out.add(std::move(s));
}

}  // namespace cc
