// Judging coverage, paths, figures and CI prose against a snapshot and facts.
#include <doctest/doctest.h>

#include "engine/claims_judge.h"
#include "engine/memory_snapshot.h"

using namespace cc;

namespace {
Fact fact(const std::string& kind, std::map<std::string, std::string> attrs, const std::string& path = "x",
          int line = 1) {
  Fact f;
  f.kind = kind;
  f.attrs = std::move(attrs);
  f.where = {path, line};
  f.detail = kind;
  return f;
}
}  // namespace

TEST_CASE("coverage: against artefacts, tolerance by qualifier, unverifiable without") {
  FactStore facts;
  facts.add(fact("coverage.artifact", {{"path", "coverage.xml"}, {"kind", "cobertura"}, {"percent", "62"}}, "coverage.xml"));
  CoverageCheck c;
  c.claimed = 65;
  c.qualifier = "approximately";
  judge_coverage(c, facts);
  CHECK(c.verdict == "ok");
  CHECK(c.measured == doctest::Approx(62));
  c = CoverageCheck{};
  c.claimed = 82;
  judge_coverage(c, facts);
  CHECK(c.verdict == "overclaimed");
  CHECK(c.tolerance == "80% to 84% (2 points either side)");
  c = CoverageCheck{};
  c.claimed = 40;
  c.qualifier = "over";
  judge_coverage(c, facts);
  CHECK(c.verdict == "ok");

  FactStore none;
  none.add(fact("workflow.step", {{"class", "coverage"}, {"commented", "no"}}, ".github/workflows/t.yaml", 9));
  c = CoverageCheck{};
  c.claimed = 65;
  judge_coverage(c, none);
  CHECK(c.verdict == "unverifiable");
  CHECK(c.reason.find("measured in CI") != std::string::npos);
  REQUIRE(c.evidence.size() == 1);
  CHECK(c.evidence[0].line == 9);
}

namespace {
struct FakeHistory : PathSeenLookup {
  std::optional<SeenAt> seen_at(std::string_view p) const override {
    if (p == "tests/old/test_a.py") return SeenAt{std::string(40, 'a'), "2026-01-10T10:00:00+01:00", "existed"};
    return std::nullopt;
  }
};
}  // namespace

TEST_CASE("paths: exists, nearest, seen_at, outside, directory-like") {
  MemorySnapshot snap({{"src/pkg/train.py", "x"}, {"tests/new/test_a.py", "x"}, {"reports/README.md", "x"},
                       {"configs/a.yaml", "x"}});
  auto pc = [](std::string mention, std::string source, std::string note = "") {
    PathCheck p;
    p.mention = std::move(mention);
    p.source = std::move(source);
    p.base_dir = "reports";
    p.note = std::move(note);
    return p;
  };
  std::vector<PathCheck> ps = {pc("src/pkg/train.py", "code"),
                               pc("tests/old/test_a.py", "code"),
                               pc("../configs/a.yaml", "link"),
                               pc("../../../etc/passwd", "link"),
                               pc("train.py", "code"),
                               pc("pkg/train.py", "code"),
                               pc("train/loss", "code", "directory-like"),
                               pc("src/pkg", "code", "directory-like"),
                               pc("https://github.com/x/y/blob/main/src/pkg/train.py", "github"),
                               pc("src/pkg/trian.py", "code")};
  FakeHistory h;
  judge_paths(ps, snap, &h);
  REQUIRE(ps.size() == 9);  // train/loss dropped
  CHECK(ps[0].exists);
  CHECK(!ps[1].exists);
  CHECK(ps[1].nearest == "tests/new/test_a.py");
  REQUIRE(ps[1].seen_at);
  CHECK(ps[2].exists);
  CHECK(ps[2].path == "configs/a.yaml");
  CHECK(ps[3].outside);
  CHECK(!ps[3].exists);
  CHECK(ps[4].exists);
  CHECK(ps[4].path == "src/pkg/train.py");
  CHECK(ps[5].exists);
  CHECK(ps[6].mention == "src/pkg");
  CHECK(ps[6].exists);
  CHECK(ps[6].directory);
  CHECK(ps[7].exists);
  CHECK(ps[7].path == "src/pkg/train.py");
  CHECK(!ps[8].exists);
  CHECK(ps[8].nearest == "src/pkg/train.py");
}

TEST_CASE("figures: LFS pointer, not an image, outside, external, missing") {
  MemorySnapshot snap({{"reports/figures/a.png", std::string("\x89PNG\r\n\x1a\n", 8)},
                       {"reports/figures/lfs.png", "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n"},
                       {"reports/figures/text.png", "hello"}});
  auto fig = [](std::string link) {
    FigureCheck f;
    f.link = std::move(link);
    return f;
  };
  std::vector<FigureCheck> fs = {fig("figures/a.png"), fig("figures/lfs.png"), fig("figures/text.png"),
                                 fig("../../../../etc/passwd"), fig("/etc/passwd"), fig("https://x.org/a.png"),
                                 fig("figures/A.png")};
  judge_figures(fs, snap, "reports");
  CHECK(fs[0].exists == true);
  CHECK(fs[0].note.empty());
  CHECK(fs[1].exists == true);
  CHECK(fs[1].note.find("Git LFS pointer") != std::string::npos);
  CHECK(fs[2].note.find("not an image") != std::string::npos);
  CHECK(fs[3].exists == false);
  CHECK(fs[3].note.find("outside") != std::string::npos);
  CHECK(fs[4].exists == false);
  CHECK(!fs[5].exists.has_value());
  CHECK(fs[6].exists == false);
  CHECK(fs[6].note.find("reports/figures/a.png") != std::string::npos);
}

TEST_CASE("CI prose: against combos and steps") {
  FactStore facts;
  facts.add(fact("workflow.combo", {{"os", "ubuntu"}, {"python", "3.11"}}));
  facts.add(fact("workflow.combo", {{"os", "windows"}, {"python", "3.12"}}));
  facts.add(fact("workflow.step", {{"class", "lint"}, {"tool", "ruff"}, {"commented", "no"}}));
  facts.add(fact("workflow.step", {{"class", "cache"}, {"tool", "setup-python"}, {"commented", "yes"}}));
  auto claim = [](std::string subject, std::string value, bool neg = false) {
    CiProseCheck c;
    c.subject = std::move(subject);
    c.value = std::move(value);
    c.negated = neg;
    return c;
  };
  std::vector<CiProseCheck> cs = {claim("os", "windows"), claim("os", "macos"), claim("os", "macos", true),
                                  claim("python", "3.11"), claim("python", "3.10"), claim("cache", ""),
                                  claim("lint", "ruff"), claim("lint", "flake8"), claim("os", "several")};
  judge_ci_prose(cs, facts);
  CHECK(cs[0].holds == "true");
  CHECK(cs[1].holds == "false");
  CHECK(cs[2].holds == "true");
  CHECK(cs[3].holds == "true");
  CHECK(cs[4].holds == "false");
  CHECK(cs[5].holds == "false");  // only commented out
  CHECK(cs[5].reason.find("commented-out") != std::string::npos);
  CHECK(cs[6].holds == "true");
  CHECK(cs[7].holds == "false");
  CHECK(cs[8].holds == "true");

  FactStore unset;
  unset.add(fact("workflow.combo", {{"os", "ubuntu"}}));
  std::vector<CiProseCheck> py = {claim("python", "3.11")};
  judge_ci_prose(py, unset);
  CHECK(py[0].holds == "unverifiable");
}

TEST_CASE("helpers: github links, edit distance, LFS") {
  CHECK(github_link_path("https://github.com/o/r/tree/main/src/pkg") == "src/pkg");
  CHECK(github_link_path("https://raw.githubusercontent.com/o/r/main/a%20b.png") == "a b.png");
  CHECK(github_link_path("https://github.com/o/r") == "");
  CHECK(github_link_path("https://gitlab.com/o/r/blob/main/x.py") == "");
  CHECK(bounded_edit_distance("kitten", "sitting", 10) == 3);
  CHECK(bounded_edit_distance("a", std::string(300, 'b'), 5) == 6);
  CHECK(is_lfs_pointer("version https://git-lfs.github.com/spec/v1\n"));
}
