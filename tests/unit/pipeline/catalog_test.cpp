// The built-in catalog against the course's real templates (../shared/templates): every checklist
// item of every version is matched by exactly the rule meant for it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include "engine/embedded.h"
#include "engine/rules.h"
#include "pipeline/audit.h"
#include "reports/report.h"

namespace fs = std::filesystem;

namespace {

cc::Catalog builtin() {
  cc::Catalog c;
  for (const auto& f : cc::embedded_catalog()) c.load(std::string(f.name), f.data);
  c.validate();
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("the built-in catalog loads and every item names a known check") {
  cc::Catalog c = builtin();
  auto fams = c.families();
  CHECK(std::find(fams.begin(), fams.end(), "2025") != fams.end());
  CHECK(std::find(fams.begin(), fams.end(), "2023") != fams.end());
}

TEST_CASE("every checklist item of every real template maps to its own rule") {
  fs::path dir = fs::path(CC_SHARED_DIR) / "templates";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir.string() << " is absent (the course templates live in ../shared)");
    return;
  }
  cc::Catalog c = builtin();
  int templates = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".md") continue;
    cc::Report r = cc::parse_report(slurp(e.path()), e.path().filename().string());
    INFO("template " << e.path().filename().string() << " family " << r.tmpl.family);
    if (r.checklist.empty()) continue;
    ++templates;
    std::map<std::string, std::string> seen;  // rule id -> item text
    for (const auto& item : r.checklist) {
      const cc::ItemRule* rule = c.match_item(r.tmpl.family, item.text);
      INFO("item: " << item.text);
      REQUIRE(rule != nullptr);
      auto [it, fresh] = seen.emplace(rule->id, item.text);
      INFO("rule " << rule->id << " already matched: " << it->second);
      CHECK(fresh);
    }
  }
  CHECK(templates >= 14);
}

TEST_CASE("the built-in catalog is parsed once per process; a --catalog folder at every call") {
  cc::AuditOptions builtin;
  auto a = cc::load_catalog(builtin);
  auto b = cc::load_catalog(builtin);
  CHECK(a.get() == b.get());
  CHECK_FALSE(a->checks().empty());
  cc::preload_builtin_data(builtin);  // what the batch runs before forking: no error, same catalog
  CHECK(cc::load_catalog(builtin).get() == a.get());

  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cc-catalog-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& f : cc::embedded_catalog())
    if (std::string(f.name).rfind("catalog/", 0) == 0) {
      std::ofstream out(dir / fs::path(std::string(f.name)).filename(), std::ios::binary);
      out << f.data;
    }
  cc::AuditOptions own;
  own.catalog_dir = dir.string();
  auto c = cc::load_catalog(own);
  auto d = cc::load_catalog(own);
  CHECK(c.get() != d.get());  // edits to the folder between calls would be seen
  CHECK(c->checks().size() == a->checks().size());
  fs::remove_all(dir);
}
