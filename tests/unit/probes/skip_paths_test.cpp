#include <doctest/doctest.h>

#include "engine/memory_snapshot.h"
#include "probes/skip_paths.h"

using namespace cc;

TEST_CASE("skip paths: the data file is read") { CHECK(skip_dirs_error() == ""); }

TEST_CASE("skip paths: vendored trees, for every probe") {
  CHECK(in_skipped_dir("web/node_modules/react/index.js"));
  CHECK(in_skipped_dir(".venv/lib/python3.11/site-packages/x/pyproject.toml"));
  CHECK(in_skipped_dir("myenv/lib/python3.11/site.py"));  // a virtualenv of any name, by its layout
  CHECK(in_skipped_dir("app/.pixi/envs/default/x.py"));
  CHECK(in_skipped_dir("nb/.ipynb_checkpoints/a-checkpoint.ipynb"));
  CHECK_FALSE(in_skipped_dir("src/lib/util.py"));
  CHECK_FALSE(in_skipped_dir("src/lib/python_utils.py"));  // the file name is not looked at
  CHECK_FALSE(in_skipped_dir("node_modules"));
  CHECK_FALSE(in_skipped_dir("src/env_utils/x.py"));
  // Hidden folders and build output are the group's own for most probes.
  CHECK_FALSE(in_skipped_dir(".github/workflows/tests.yaml"));
  CHECK_FALSE(in_skipped_dir("docs/build/index.html"));
}

TEST_CASE("skip paths: python tooling also skips pytest's norecursedirs") {
  CHECK(skipped_dir_name(".venv", SkipRule::python_tooling));
  CHECK(skipped_dir_name("venv", SkipRule::python_tooling));
  CHECK(skipped_dir_name("foo.egg", SkipRule::python_tooling));
  CHECK(skipped_dir_name(".github", SkipRule::python_tooling));
  CHECK(skipped_dir_name("build", SkipRule::python_tooling));
  CHECK_FALSE(skipped_dir_name("tests", SkipRule::python_tooling));
  CHECK_FALSE(skipped_dir_name("my.eggs", SkipRule::python_tooling));
  CHECK_FALSE(skipped_dir_name("build"));
  CHECK_FALSE(skipped_dir_name(".github"));
  // Components before `from` (a testpaths entry) are not looked at.
  CHECK(in_skipped_dir(".hidden/tests/test_a.py", SkipRule::python_tooling));
  CHECK_FALSE(in_skipped_dir(".hidden/tests/test_a.py", SkipRule::python_tooling, {}, 8));
}

TEST_CASE("skip paths: a folder holding a pyvenv.cfg is a virtualenv") {
  MemorySnapshot snap({{"tools/pyvenv.cfg", "home = /usr/bin\n"},
                       {"tools/Scripts/test_x.py", ""},
                       {"src/test_y.py", ""}});
  CHECK(venv_dirs(snap) == std::set<std::string>{"tools"});
  const PathSkipper skip(snap);
  CHECK(skip("tools/Scripts/test_x.py"));
  CHECK_FALSE(skip("src/test_y.py"));
  CHECK_FALSE(skip("tools/pyvenv.cfg", 6));  // the file itself, after the folder
}

TEST_CASE("skip paths: the course's own report checker is skipped by its whole path") {
  CHECK(course_file("reports/report.py"));
  CHECK_FALSE(course_file("src/reports/report.py"));
  CHECK_FALSE(course_file("reports/report_utils.py"));
  CHECK_FALSE(course_file("report.py"));
  CHECK_FALSE(course_file("reports/README.md"));
  CHECK(in_skipped_dir("reports/report.py"));
  CHECK(in_skipped_dir("reports/report.py", SkipRule::python_tooling));
  CHECK_FALSE(in_skipped_dir("reports/figures/plot.py"));
  CHECK_FALSE(in_skipped_dir("src/reports/report.py"));
  MemorySnapshot snap({{"reports/report.py", ""}, {"src/x.py", ""}});
  const PathSkipper skip(snap);
  CHECK(skip("reports/report.py"));
  CHECK_FALSE(skip("src/x.py"));
}
