#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "reports/report.h"
#include "reports/template_catalog.h"
#include "tests/unit/reports/read_file.h"

namespace fs = std::filesystem;

namespace {

using cc::test::read_file;

const cc::TemplateVersion* find_version(const std::vector<cc::TemplateVersion>& vs, const std::string& id) {
  for (const auto& v : vs)
    if (v.id == id) return &v;
  return nullptr;
}

bool has_difference(const cc::TemplateMatch& m, const std::string& part) {
  for (const auto& d : m.differences)
    if (d.find(part) != std::string::npos) return true;
  return false;
}

// A small synthetic template: 4 checklist items, 14 questions.
std::string synthetic_template(bool with_checklist = true, int questions = 14) {
  std::string md = "# Exam template for a course\n\n";
  if (with_checklist)
    md +=
        "## Overall project checklist\n\n### Week 1\n\n"
        "* [ ] Create a git repository (M5)\n"
        "* [ ] Make sure that all team members have write access (M5)\n"
        "* [ ] Write unit tests related to the data part of your code (M16)\n"
        "* [ ] Get some continuous integration running on the GitHub repository (M17)\n\n";
  md += "## Group information\n\n";
  for (int q = 1; q <= questions; ++q)
    md += "### Question " + std::to_string(q) + "\n\n> **Prompt number " + std::to_string(q) +
          ": explain what you did?**\n>\n> Answer:\n\n--- question " + std::to_string(q) + " fill here ---\n\n";
  return md;
}

std::vector<cc::TemplateVersion> synthetic_catalog() {
  std::string yaml = "versions:\n" + cc::template_fingerprint_yaml(synthetic_template(), "2030-01-01_aaaa", "2030-01-01");
  yaml += "    limits:\n      - {q: 7, min_words: 50, max_words: 100}\n      - {q: 14, min_images: 1, max_images: 3}\n";
  yaml += cc::template_fingerprint_yaml(synthetic_template(false, 10), "2029-01-01_bbbb", "2029-01-01");
  std::vector<std::string> errors;
  auto vs = cc::load_template_versions(yaml, &errors);
  CHECK(errors.empty());
  return vs;
}

}  // namespace

TEST_CASE("template fingerprints: a synthetic template is recognised as itself, limits applied") {
  const auto vs = synthetic_catalog();
  REQUIRE(vs.size() == 2);
  CHECK(vs[0].checklist_items == 4);
  CHECK(vs[0].questions == 14);
  CHECK(vs[0].family == "2023");
  CHECK(vs[1].family == "2022");
  cc::Report r = cc::parse_report(synthetic_template(), "t.md");
  const cc::TemplateMatch m = cc::recognise_template(r, vs);
  CHECK(m.version == "2030-01-01_aaaa");
  CHECK(m.similarity == 1.0);
  CHECK(m.differences.empty());
  r.tmpl = m;
  cc::apply_template_limits(r, vs);
  REQUIRE(r.answer(7));
  CHECK(r.answer(7)->min_words == 50);
  CHECK(r.answer(7)->max_words == 100);
  CHECK_FALSE(r.answer(7)->min_images.has_value());
  CHECK(r.answer(14)->max_images == 3);
  CHECK_FALSE(r.answer(1)->max_words.has_value());
}

TEST_CASE("template differences: checklist removed, questions missing, extra questions, items differ, headings") {
  const auto vs = synthetic_catalog();
  SUBCASE("checklist removed, questions 12 and 13 missing") {
    std::string md = synthetic_template(false);
    for (int q : {13, 12}) {
      const std::string h = "### Question " + std::to_string(q) + "\n";
      const size_t b = md.find(h), e = md.find("### Question", b + h.size());
      md.erase(b, e - b);
    }
    const cc::TemplateMatch m = cc::recognise_template(cc::parse_report(md, "r.md"), vs);
    CHECK(m.version == "2030-01-01_aaaa");
    CHECK(has_difference(m, "checklist removed"));
    CHECK(has_difference(m, "questions 12 and 13 missing"));
    CHECK(m.similarity < 1.0);
  }
  SUBCASE("4 extra questions, 2 checklist items differ, headings changed") {
    std::string md = synthetic_template(true, 18);
    md.replace(md.find("Create a git repository"), 23, "We created a git repository on GitLab");
    md.replace(md.find("Write unit tests related"), 24, "Wrote some unit tests about");
    md.replace(md.find("## Group information"), 20, "## Who we are");
    const cc::TemplateMatch m = cc::recognise_template(cc::parse_report(md, "r.md"), vs);
    CHECK(m.version == "2030-01-01_aaaa");
    CHECK(has_difference(m, "4 extra questions"));
    CHECK(has_difference(m, "2 checklist items differ from the template: \"We created a git repository"));
    CHECK(has_difference(m, "headings changed"));
    CHECK(has_difference(m, "\"Who we are\""));
  }
  SUBCASE("nothing in common") {
    const cc::TemplateMatch m =
        cc::recognise_template(cc::parse_report("# Hello\n\nJust text.\n", "r.md"), vs);
    CHECK(m.version.empty());
    CHECK(m.similarity == 0.0);
  }
}

TEST_CASE("the embedded catalog holds the 17 template versions with limits") {
  const auto& vs = cc::template_versions();
  CHECK(vs.size() == 17);
  for (const auto& v : vs) {
    CAPTURE(v.id);
    CHECK(v.prompts.size() == static_cast<size_t>(v.questions));
    CHECK(v.checklist.size() == static_cast<size_t>(v.checklist_items));
    CHECK(v.limits.size() == static_cast<size_t>(v.questions));
    CHECK((v.family == "2022" || v.family == "2023" || v.family == "2025"));
  }
  const cc::TemplateVersion* v = find_version(vs, "2026-01-09_eb7305c5");
  REQUIRE(v);
  CHECK(v->family == "2025");
  CHECK(v->checklist_items == 53);
  CHECK(v->questions == 31);
}

TEST_CASE("every template in ../shared/templates is recognised as itself (or an identical version)") {
  const fs::path dir = fs::path(CC_SHARED_DIR) / "templates";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir.string() << " does not exist (reference material not available)");
    return;
  }
  const auto& vs = cc::template_versions();
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".md") continue;
    ++seen;
    const std::string id = entry.path().stem().string();
    CAPTURE(id);
    const std::string md = read_file(entry.path());
    // The catalog entry is what template_fingerprint_yaml makes of the file today.
    const auto fresh = cc::load_template_versions("versions:\n" + cc::template_fingerprint_yaml(md, id, id.substr(0, 10)));
    REQUIRE(fresh.size() == 1);
    const cc::TemplateVersion* stored = find_version(vs, id);
    REQUIRE(stored);
    CHECK(stored->checklist == fresh[0].checklist);
    CHECK(stored->prompts == fresh[0].prompts);
    CHECK(stored->headings == fresh[0].headings);
    CHECK(stored->family == fresh[0].family);

    const cc::Report r = cc::parse_report(md, entry.path().string());
    CHECK(r.tmpl.similarity == 1.0);
    const cc::TemplateVersion* got = find_version(vs, r.tmpl.version);
    REQUIRE(got);
    CHECK(got->checklist == stored->checklist);
    CHECK(got->prompts == stored->prompts);
    CHECK(r.tmpl.family == stored->family);
    CHECK(r.tmpl.differences.empty());
    // Limits come from the recognised version.
    const cc::Answer* q7 = r.answer(7);
    REQUIRE(q7);
    if (stored->family != "2022") {
      CHECK(q7->min_words.has_value());
      CHECK(q7->max_words.has_value());
    }
  }
  CHECK(seen == 17);
}

TEST_CASE("a report without checklist and with 31 questions is of the 2025 family") {
  const fs::path p = fs::path(CC_SHARED_DIR) / "templates" / "2026-01-09_eb7305c5.md";
  if (!fs::exists(p)) {
    MESSAGE("skipped: " << p.string() << " does not exist (reference material not available)");
    return;
  }
  std::string md = read_file(p);
  const size_t b = md.find("## Overall project checklist"), e = md.find("## Group information");
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  md.erase(b, e - b);
  const cc::Report r = cc::parse_report(md, "r.md");
  CHECK(r.checklist.empty());
  CHECK(r.tmpl.family == "2025");
  CHECK(r.tmpl.similarity == 1.0);
  CHECK(has_difference(r.tmpl, "checklist removed"));
}
