// Rule cases as data (tests/catalog_cases/*.yaml), in the style of actionlint's testdata: each case
// is a handful of facts, as the probes emit them, and the status (and a piece of the reason) that
// one check of the built-in catalog must give for them. This runner evaluates every case, and
// enforces coverage: every check has a case for every status it can give, a case where an input
// problem of one of its probes turns "absent" into "unverifiable" (when it lists probes), and a
// stock-only case when the template ships a file that can support it.
//
// Case file schema:
//   cases:
//     - check: <check id>
//       name: <what the case shows>
//       facts:                       # may be empty
//         - {kind: <fact kind>, path: <repo path>, line: <n>, origin: group | scaffold-stock,
//            attrs: {<attr>: <value>, ...}, detail: <optional>}
//       expect: supported | partial | absent | unverifiable
//       reason_contains: <optional substring of the reason>
//       note_contains: <optional substring of one of the notes (observations that leave the status alone)>
//       scaffold_commit: <optional 40-hex sha, passed in the EvalContext>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/embedded.h"
#include "engine/rules.h"
#include "engine/yaml_tree.h"

namespace fs = std::filesystem;

namespace {

cc::Catalog builtin() {
  cc::Catalog c;
  for (const auto& f : cc::embedded_catalog()) c.load(std::string(f.name), f.data);
  c.validate();
  return c;
}

// Check ids of the built-in catalog, in file order, with the file that defines each (the
// Catalog has no listing of its checks, so read the same embedded files).
std::vector<std::pair<std::string, std::string>> builtin_check_ids() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : cc::embedded_catalog()) {
    const cc::YamlLoad y = cc::read_yaml(f.data);
    const cc::YNode* checks = y.root.get("checks");
    if (!checks) continue;
    for (const auto& kv : checks->entries) out.emplace_back(kv.first.text, std::string(f.name));
  }
  return out;
}

// Checks whose supported evidence can be a file the course template ships (stock tests.yaml
// workflow, tests/test_data.py, data/model/train/api modules, dockerfiles/, .pre-commit-config.yaml,
// docs/mkdocs.yaml, pyproject.toml with [tool.ruff] and dependencies, tasks.py): each needs a case
// whose evidence is the template's untouched file and whose status is therefore at most partial.
const std::set<std::string> kStockShipped = {
    "ci-github",        "ci-cache-matrix",   "ci-lint",           "coverage",
    "tests-data",       "tests-model",       "data-module",       "model-and-training",
    "fastapi-app",      "cli-and-commands",  "code-on-github",    "docker-files",
    "pre-commit",       "pep8",              "documentation",     "dedicated-environment",
    "dependencies-up-to-date",
};

const std::set<std::string> kStatuses = {"supported", "partial", "absent", "unverifiable"};

struct Case {
  std::string file;
  int line = 0;
  std::string check;
  std::string name;
  std::string expect;
  std::string reason_contains;
  std::string note_contains;
  std::string scaffold_commit;
  cc::FactStore facts;
  bool has_stock = false;                 // some fact is scaffold-stock
  std::set<std::string> problem_probes;   // probes of its input.problem facts
  std::set<std::string> kinds;
};

std::string where(const std::string& file, const cc::YNode& n) { return file + ":" + std::to_string(n.line); }

void only_keys(const std::string& file, const cc::YNode& n, const std::set<std::string>& keys,
               std::vector<std::string>& errors) {
  for (const auto& kv : n.entries) {
    const std::string& k = kv.first.text;
    if (!keys.count(k)) errors.push_back(where(file, kv.first) + ": unknown key '" + k + "'");
  }
}

std::string str(const cc::YNode* n) { return n && n->is_scalar() ? n->text : std::string(); }

std::vector<Case> load_cases(std::vector<std::string>& errors, std::vector<std::string>& files) {
  std::vector<Case> out;
  fs::path dir = fs::path(CC_SOURCE_DIR) / "tests" / "catalog_cases";
  std::vector<fs::path> paths;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".yaml") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::string file = "tests/catalog_cases/" + p.filename().string();
    files.push_back(file);
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const cc::YamlLoad y = cc::read_yaml(text.str());
    if (!y.ok) {
      errors.push_back(file + ":" + std::to_string(y.error_line) + ": " + y.error);
      continue;
    }
    const cc::YNode& root = y.root;
    const cc::YNode* cases = root.get("cases");
    if (!cases || !cases->is_seq()) {
      errors.push_back(file + ": a case file is a map with a list 'cases'");
      continue;
    }
    only_keys(file, root, {"cases"}, errors);
    for (const auto& n : cases->items) {
      Case c;
      c.file = file;
      c.line = n.line;
      if (!n.is_map()) {
        errors.push_back(where(file, n) + ": a case is a map");
        continue;
      }
      only_keys(file, n, {"check", "name", "facts", "expect", "reason_contains", "note_contains", "scaffold_commit"},
                errors);
      c.check = str(n.get("check"));
      c.name = str(n.get("name"));
      c.expect = str(n.get("expect"));
      c.reason_contains = str(n.get("reason_contains"));
      c.note_contains = str(n.get("note_contains"));
      c.scaffold_commit = str(n.get("scaffold_commit"));
      if (c.check.empty() || c.name.empty() || c.expect.empty())
        errors.push_back(where(file, n) + ": a case needs check, name and expect");
      if (!c.expect.empty() && !kStatuses.count(c.expect))
        errors.push_back(where(file, n) + ": unknown status '" + c.expect + "'");
      if (const cc::YNode* fs_ = n.get("facts")) {
        if (!fs_->is_seq()) {
          errors.push_back(where(file, *fs_) + ": 'facts' is a list");
          continue;
        }
        for (const auto& fn : fs_->items) {
          only_keys(file, fn, {"kind", "attrs", "path", "line", "origin", "detail"}, errors);
          cc::Fact f;
          f.kind = str(fn.get("kind"));
          if (f.kind.empty()) errors.push_back(where(file, fn) + ": a fact needs a kind");
          f.where.path = str(fn.get("path"));
          f.where.line = fn.get("line") ? std::atoi(str(fn.get("line")).c_str()) : 0;
          f.origin = fn.get("origin") ? str(fn.get("origin")) : "group";
          if (f.origin != "group" && f.origin != "scaffold-stock")
            errors.push_back(where(file, fn) + ": origin is group or scaffold-stock, not '" + f.origin + "'");
          f.detail = fn.get("detail") ? str(fn.get("detail")) : f.kind + " at " + f.where.path;
          if (const cc::YNode* a = fn.get("attrs")) {
            if (!a->is_map()) errors.push_back(where(file, *a) + ": 'attrs' maps names to values");
            else
              for (const auto& kv : a->entries) {
                if (!kv.second.is_scalar() && !kv.second.is_null())
                  errors.push_back(where(file, kv.second) + ": attribute values are scalars");
                f.attrs[kv.first.text] = kv.second.text;
              }
          }
          if (f.origin == "scaffold-stock") c.has_stock = true;
          if (f.kind == cc::kInputProblem) c.problem_probes.insert(f.attr("probe"));
          c.kinds.insert(f.kind);
          c.facts.add(std::move(f));
        }
      }
      c.facts.sort();
      out.push_back(std::move(c));
    }
  }
  return out;
}

// Leaves of a condition tree.
void leaves(const cc::Condition& c, std::vector<const cc::Condition*>& out) {
  if (c.kind == cc::Condition::Kind::leaf) out.push_back(&c);
  for (const auto& ch : c.children) leaves(ch, out);
}

}  // namespace

TEST_CASE("catalog cases: every case gets the status it expects") {
  cc::Catalog catalog = builtin();
  std::vector<std::string> errors, files;
  std::vector<Case> cases = load_cases(errors, files);
  for (const auto& e : errors) FAIL_CHECK(e);
  REQUIRE_MESSAGE(!cases.empty(), "no case found under tests/catalog_cases/");
  for (const auto& c : cases) {
    INFO(c.file << ":" << c.line << ": check " << c.check << ", case '" << c.name << "'");
    const cc::Check* check = catalog.check(c.check);
    if (!check) {
      FAIL_CHECK("unknown check '" << c.check << "'");
      continue;
    }
    cc::EvalContext ctx;
    ctx.scaffold_commit = c.scaffold_commit;
    cc::CheckResult r = catalog.evaluate(*check, c.facts, ctx);
    std::ostringstream ev;
    for (const auto& e : r.evidence) ev << "\n    " << e.path << ":" << e.line << " [" << e.origin << "] " << e.detail;
    for (const auto& n : r.notes) ev << "\n    note: " << n.path << ":" << n.line << " " << n.detail;
    INFO("got " << r.status << ": " << r.reason << ev.str());
    CHECK(r.status == c.expect);
    if (!c.reason_contains.empty()) CHECK(r.reason.find(c.reason_contains) != std::string::npos);
    if (!c.note_contains.empty())
      CHECK(std::any_of(r.notes.begin(), r.notes.end(),
                        [&](const cc::ItemNote& n) { return n.detail.find(c.note_contains) != std::string::npos; }));
  }
  MESSAGE(cases.size() << " catalog cases in " << files.size() << " files");
}

TEST_CASE("catalog cases: every check has a case for every status it can give") {
  cc::Catalog catalog = builtin();
  std::vector<std::string> errors, files;
  std::vector<Case> cases = load_cases(errors, files);
  std::map<std::string, std::vector<const Case*>> by_check;
  for (const auto& c : cases) by_check[c.check].push_back(&c);

  auto ids = builtin_check_ids();
  REQUIRE(!ids.empty());
  std::set<std::string> known;
  for (const auto& [id, file] : ids) {
    known.insert(id);
    const cc::Check* check = catalog.check(id);
    REQUIRE(check != nullptr);
    const auto& mine = by_check[id];
    std::set<std::string> can;
    for (const auto& o : check->outcomes) can.insert(o.status);
    can.insert(check->otherwise.status);
    for (const auto& s : can) {
      bool found = std::any_of(mine.begin(), mine.end(), [&](const Case* c) { return c->expect == s; });
      if (!found)
        FAIL_CHECK("check '" << id << "' (reports/" << file << ") has no case with status '" << s
                             << "' (add one to tests/catalog_cases/)");
    }
    if (!check->probes.empty()) {
      bool found = std::any_of(mine.begin(), mine.end(), [&](const Case* c) {
        if (c->expect != "unverifiable") return false;
        return std::any_of(c->problem_probes.begin(), c->problem_probes.end(), [&](const std::string& p) {
          return std::find(check->probes.begin(), check->probes.end(), p) != check->probes.end();
        });
      });
      if (!found)
        FAIL_CHECK("check '" << id << "' (reports/" << file << ") lists probes but has no case with status "
                             << "'unverifiable' from an input.problem of one of them");
    }
    if (!check->notes.empty()) {  // a note rule that no case shows could be silently broken
      bool found = std::any_of(mine.begin(), mine.end(), [](const Case* c) { return !c->note_contains.empty(); });
      if (!found)
        FAIL_CHECK("check '" << id << "' (reports/" << file << ") has notes but no case with note_contains");
    }
    if (kStockShipped.count(id)) {
      bool found = std::any_of(mine.begin(), mine.end(),
                               [](const Case* c) { return c->has_stock && c->expect == "partial"; });
      if (!found)
        FAIL_CHECK("check '" << id << "' (reports/" << file << ") has no stock-only case (status 'partial' "
                             << "with facts of origin scaffold-stock)");
    }
  }
  for (const auto& s : kStockShipped)
    if (!known.count(s)) FAIL_CHECK("kStockShipped names unknown check '" << s << "'");
  for (const auto& [id, list] : by_check)
    if (!known.count(id)) FAIL_CHECK("cases name unknown check '" << id << "'");
}

TEST_CASE("catalog cases: every fact kind and attribute a rule selects appears in the cases") {
  // Cases are written from what the probes emit, so a rule selecting a kind or attribute that
  // no case has is likely selecting something no probe emits (or has no case at all).
  cc::Catalog catalog = builtin();
  std::vector<std::string> errors, files;
  std::vector<Case> cases = load_cases(errors, files);
  std::map<std::string, std::set<std::string>> attrs_of;  // kind -> attrs seen in cases
  for (const auto& c : cases)
    for (const auto& f : c.facts.all())
      for (const auto& [k, v] : f.attrs) attrs_of[f.kind].insert(k);
  for (const auto& c : cases)
    for (const auto& k : c.kinds) attrs_of[k];
  for (const auto& [id, file] : builtin_check_ids()) {
    const cc::Check* check = catalog.check(id);
    REQUIRE(check != nullptr);
    std::vector<const cc::Condition*> ls;
    for (const auto& o : check->outcomes)
      if (o.when) leaves(*o.when, ls);
    for (const cc::Condition* l : ls) {
      auto it = attrs_of.find(l->fact);
      if (it == attrs_of.end()) {
        FAIL_CHECK("check '" << id << "' (reports/" << file << ") selects fact kind '" << l->fact
                             << "', which no case has");
        continue;
      }
      std::vector<std::string> used;
      for (const auto& w : l->where) used.push_back(w.attr);
      for (const auto& n : l->num) used.push_back(n.attr);
      if (!l->distinct.empty()) used.push_back(l->distinct);
      for (const auto& a : used)
        if (!it->second.count(a))
          FAIL_CHECK("check '" << id << "' (reports/" << file << ") selects attribute '" << a << "' of '"
                               << l->fact << "', which no case's fact has");
    }
  }
}
