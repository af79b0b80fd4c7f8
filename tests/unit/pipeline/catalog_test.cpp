// The built-in catalog against the course's real templates (../shared/templates): every checklist
// item of every version is matched by exactly the rule meant for it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/embedded.h"
#include "engine/rules.h"
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
