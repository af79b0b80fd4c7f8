#include <doctest/doctest.h>

#include <string>

#include "engine/memory_snapshot.h"
#include "probes/pytest_tests.h"

using namespace cc;

namespace {
MemorySnapshot mk(std::map<std::string, std::string> m) { return MemorySnapshot(std::move(m)); }


struct Run {
  FactStore facts;
  explicit Run(const MemorySnapshot& s) { PytestProbe().run(s, facts); }

  const Fact* summary() const {
    auto v = facts.of_kind("pytest.summary");
    return v.size() == 1 ? v[0] : nullptr;
  }
  const Fact* file(const std::string& path) const {
    for (auto* f : facts.of_kind("pytest.file"))
      if (f->attr("path") == path) return f;
    return nullptr;
  }
  const Fact* test(const std::string& name, const std::string& file = "") const {
    for (auto* f : facts.of_kind("pytest.test"))
      if (f->attr("name") == name && (file.empty() || f->attr("file") == file)) return f;
    return nullptr;
  }
  std::string tests() const {  // "name=items" in order
    std::string s;
    for (auto* f : facts.of_kind("pytest.test")) s += f->attr("name") + "=" + f->attr("items") + " ";
    return s;
  }
  int problems(const std::string& path = "") const {
    int n = 0;
    for (auto* f : facts.of_kind(kInputProblem))
      if (path.empty() || f->where.path == path) ++n;
    return n;
  }
  std::string problem_text(const std::string& path) const {
    std::string s;
    for (auto* f : facts.of_kind(kInputProblem))
      if (f->where.path == path) s += f->detail + "\n";
    return s;
  }
};

}  // namespace

TEST_CASE("pytest: fnmatch and name rules") {
  CHECK(fnmatch("test_*.py", "test_data.py"));
  CHECK_FALSE(fnmatch("test_*.py", "data_test.py"));
  CHECK(fnmatch("*_test.py", "data_test.py"));
  CHECK(fnmatch("t?st_[a-c]*.py", "test_b1.py"));
  CHECK_FALSE(fnmatch("t?st_[!a-c]*.py", "test_b1.py"));
  CHECK(fnmatch("*", ""));
  CHECK(fnmatch("[abc", "[abc"));
  CHECK(pytest_name_matches("test_x", {"test"}));
  CHECK(pytest_name_matches("check_x", {"test", "check_*"}));
  CHECK_FALSE(pytest_name_matches("helper", {"test"}));
}

TEST_CASE("pytest: no tests at all still gives a summary with zeros") {
  MemorySnapshot s = mk({{"README.md", "hi"}});
  Run r(s);
  REQUIRE(r.summary());
  CHECK(r.summary()->attr("files") == "0");
  CHECK(r.summary()->attr("functions") == "0");
  CHECK(r.summary()->attr("items") == "0");
  CHECK(r.summary()->attr("items_exact") == "yes");
  REQUIRE(r.facts.of_kind("pytest.config").size() == 1);
  CHECK(r.facts.of_kind("pytest.config")[0]->attr("file") == "");
  CHECK(r.facts.of_kind("pytest.config")[0]->attr("python_files") == "test_*.py,*_test.py");
}

TEST_CASE("pytest: plain functions, helpers and redefinitions") {
  MemorySnapshot s = mk({{"tests/test_a.py",
                     "import pytest\n\ndef helper():\n    pass\n\ndef test_one():\n    assert True\n\n"
                     "async def test_async():\n    pass\n\ndef test_one():\n    pass\n\n"
                     "def testfoo():\n    pass\n"}});
  Run r(s);
  auto* f = r.file("tests/test_a.py");
  REQUIRE(f);
  CHECK(r.tests() == "test_one=1 test_async=1 testfoo=1 ");
  CHECK(f->attr("functions") == "3");
  CHECK(f->attr("items") == "3");
  CHECK(f->attr("items_exact") == "yes");
  CHECK(f->attr("status") == "ok");
  auto* t = r.test("test_one");
  REQUIRE(t);
  CHECK(t->attr("kind") == "function");
  CHECK(t->attr("line") == "12");  // the later definition wins
  CHECK(t->where.line == 12);
  CHECK(t->attr("skip") == "no");
}

TEST_CASE("pytest: Test classes with and without __init__, nested classes, unittest") {
  MemorySnapshot s = mk({{"tests/test_cls.py",
                     "import unittest\nfrom unittest import TestCase as TC\n\n"
                     "class TestGood:\n    def test_a(self):\n        pass\n    def helper(self):\n        pass\n"
                     "    class TestInner:\n        def test_b(self):\n            pass\n"
                     "    class Helper:\n        def test_c(self):\n            pass\n\n"
                     "class TestWithInit:\n    def __init__(self):\n        pass\n    def test_x(self):\n        pass\n\n"
                     "class NotATest:\n    def test_y(self):\n        pass\n\n"
                     "class TestHidden:\n    __test__ = False\n    def test_z(self):\n        pass\n\n"
                     "class MyCase(unittest.TestCase):\n    def test_u1(self):\n        pass\n"
                     "    def testU2(self):\n        pass\n    def helper(self):\n        pass\n\n"
                     "class Other(TC):\n    def test_u3(self):\n        pass\n\n"
                     "class Derived(MyCase):\n    def test_u4(self):\n        pass\n"}});
  Run r(s);
  CHECK(r.tests() ==
        "TestGood::test_a=1 TestGood::TestInner::test_b=1 MyCase::test_u1=1 MyCase::testU2=1 "
        "Other::test_u3=1 Derived::test_u4=1 ");
  REQUIRE(r.test("TestGood::test_a"));
  CHECK(r.test("TestGood::test_a")->attr("kind") == "method");
  CHECK(r.test("MyCase::test_u1")->attr("kind") == "unittest");
  auto* f = r.file("tests/test_cls.py");
  REQUIRE(f);
  CHECK(f->attr("classes") == "5");  // TestGood, TestInner, MyCase, Other, Derived
  CHECK(f->attr("functions") == "6");
}

TEST_CASE("pytest: parametrize literal forms") {
  MemorySnapshot s = mk({{"tests/test_p.py",
                     "import pytest\n"
                     "CASES = [1, 2, 3, 4]\n"
                     "@pytest.mark.parametrize('x', [1, 2, 3])\ndef test_single(x): pass\n"
                     "@pytest.mark.parametrize('a,b', [(1, 2), (3, 4)])\ndef test_rows(a, b): pass\n"
                     "@pytest.mark.parametrize(('a', 'b'), [\n    pytest.param(1, 2, id='one'),\n"
                     "    pytest.param(3, 4, marks=pytest.mark.skip),  # comment\n    (5, 6),\n], ids=str)\n"
                     "def test_param(a, b): pass\n"
                     "@pytest.mark.parametrize(argnames='x', argvalues=(1, 2))\ndef test_kw(x): pass\n"
                     "@pytest.mark.parametrize('x', CASES)\ndef test_named(x): pass\n"
                     "@pytest.mark.parametrize('x', range(5))\ndef test_range(x): pass\n"
                     "@pytest.mark.parametrize('x', [])\ndef test_empty(x): pass\n"}});
  Run r(s);
  CHECK(r.tests() ==
        "test_single=3 test_rows=2 test_param=3 test_kw=2 test_named=4 test_range=5 test_empty=1 ");
  CHECK(r.test("test_empty")->attr("skip") == "yes");
  CHECK(r.test("test_single")->attr("items_exact") == "yes");
  auto* f = r.file("tests/test_p.py");
  CHECK(f->attr("items") == "20");
  CHECK(f->attr("functions") == "7");
  CHECK(f->attr("items_exact") == "yes");
}

TEST_CASE("pytest: stacked decorators multiply; class and module marks apply to every test") {
  MemorySnapshot s = mk({{"tests/test_stack.py",
                     "import pytest\n"
                     "pytestmark = [pytest.mark.parametrize('m', [0, 1])]\n"
                     "@pytest.mark.parametrize('x', [1, 2, 3])\n@pytest.mark.parametrize('y', ['a', 'b'])\n"
                     "@pytest.mark.slow\ndef test_grid(x, y, m): pass\n"
                     "@pytest.mark.parametrize('k', [1, 2])\nclass TestK:\n"
                     "    pytestmark = pytest.mark.parametrize('j', [1, 2, 3])\n"
                     "    def test_a(self, k, j, m): pass\n"
                     "    @pytest.mark.parametrize('z', [1, 2])\n    def test_b(self, k, j, z, m): pass\n"}});
  Run r(s);
  CHECK(r.tests() == "test_grid=12 TestK::test_a=12 TestK::test_b=24 ");
}

TEST_CASE("pytest: non-literal values count 1 and are not exact") {
  MemorySnapshot s = mk({{"tests/test_nl.py",
                     "import pytest\nfrom data import load_cases\n"
                     "@pytest.mark.parametrize('x', load_cases())\ndef test_call(x): pass\n"
                     "@pytest.mark.parametrize('x', [i for i in range(3)])\ndef test_comp(x): pass\n"
                     "@pytest.mark.parametrize('x', [1, *MORE])\ndef test_splat(x): pass\n"
                     "def test_plain(): pass\n"}});
  Run r(s);
  CHECK(r.tests() == "test_call=1 test_comp=1 test_splat=1 test_plain=1 ");
  CHECK(r.test("test_call")->attr("items_exact") == "no");
  CHECK(r.test("test_comp")->attr("items_exact") == "no");
  CHECK(r.test("test_splat")->attr("items_exact") == "no");
  CHECK(r.test("test_plain")->attr("items_exact") == "yes");
  CHECK(r.file("tests/test_nl.py")->attr("items_exact") == "no");
  CHECK(r.summary()->attr("items_exact") == "no");
}

TEST_CASE("pytest: aliases of pytest and unittest, skip marks") {
  MemorySnapshot s = mk({{"tests/test_alias.py",
                     "import pytest as pt\nfrom pytest import mark, param\nfrom pytest import mark as m\n"
                     "import unittest as ut\nimport sys\n"
                     "@pt.mark.parametrize('x', [1, 2])\ndef test_pt(x): pass\n"
                     "@mark.parametrize('x', [param(1), param(2), param(3)])\ndef test_mark(x): pass\n"
                     "@m.parametrize('x', (1,))\n@m.skip(reason='no data')\ndef test_m(x): pass\n"
                     "@pt.mark.skipif(sys.platform == 'win32', reason='posix')\ndef test_cond(): pass\n"
                     "@ut.skip('later')\nclass TestSkipped:\n    def test_s(self): pass\n"
                     "def test_free(): pass\n"}});
  Run r(s);
  CHECK(r.tests() == "test_pt=2 test_mark=3 test_m=1 test_cond=1 TestSkipped::test_s=1 test_free=1 ");
  CHECK(r.test("test_m")->attr("skip") == "yes");
  CHECK(r.test("test_m")->attr("skip_kind") == "always");
  CHECK(r.test("test_cond")->attr("skip") == "yes");
  CHECK(r.test("test_cond")->attr("skip_kind") == "conditional");
  CHECK(r.test("TestSkipped::test_s")->attr("skip") == "yes");
  CHECK(r.test("test_free")->attr("skip") == "no");
  CHECK(r.test("test_free")->attr("skip_kind") == "");
  CHECK(r.file("tests/test_alias.py")->attr("skipped") == "3");
}

TEST_CASE("pytest: fixtures with literal params multiply, through conftest and fixture chains") {
  MemorySnapshot s = mk({{"tests/conftest.py",
                     "import pytest\n@pytest.fixture(params=['cpu', 'cuda'])\ndef device(request):\n"
                     "    return request.param\n@pytest.fixture\ndef model(device):\n    return 1\n"},
                    {"tests/test_fx.py",
                     "import pytest\n@pytest.fixture(params=[1, 2, 3])\ndef size(request): return request.param\n"
                     "def test_model(model): pass\ndef test_size(size, device): pass\n"
                     "@pytest.mark.parametrize('device', ['tpu'])\ndef test_override(device): pass\n"
                     "def test_none(tmp_path): pass\n"}});
  Run r(s);
  CHECK(r.tests() == "test_model=2 test_size=6 test_override=1 test_none=1 ");
  CHECK(r.file("tests/conftest.py") == nullptr);  // conftest is not a test file
}

TEST_CASE("pytest: testpaths and python_files from the configuration are respected") {
  MemorySnapshot s = mk({{"pyproject.toml",
                     "[tool.pytest.ini_options]\ntestpaths = [\"tests/unit\"]\n"
                     "python_files = [\"check_*.py\", \"test_*.py\"]\n"},
                    {"tests/unit/check_data.py", "def test_a(): pass\n"},
                    {"tests/unit/test_model.py", "def test_b(): pass\n"},
                    {"tests/unit/data_test.py", "def test_c(): pass\n"},
                    {"tests/integration/test_api.py", "def test_d(): pass\n"},
                    {"test_root.py", "def test_e(): pass\n"}});
  Run r(s);
  CHECK(r.file("tests/unit/check_data.py"));
  CHECK(r.file("tests/unit/test_model.py"));
  CHECK_FALSE(r.file("tests/unit/data_test.py"));
  CHECK_FALSE(r.file("tests/integration/test_api.py"));
  CHECK_FALSE(r.file("test_root.py"));
  CHECK(r.summary()->attr("files") == "2");
  CHECK(r.summary()->attr("testpaths") == "tests/unit");
  auto cfg = r.facts.of_kind("pytest.config");
  REQUIRE(cfg.size() == 1);
  CHECK(cfg[0]->attr("file") == "pyproject.toml");
  CHECK(cfg[0]->where.line == 1);
  CHECK(cfg[0]->attr("python_files") == "check_*.py,test_*.py");
}

TEST_CASE("pytest: testpaths that match nothing fall back to the whole repository; globs work") {
  MemorySnapshot s = mk({{"pytest.ini", "[pytest]\ntestpaths = missing\n"},
                    {"tests/test_a.py", "def test_a(): pass\n"}});
  Run r(s);
  CHECK(r.summary()->attr("files") == "1");

  MemorySnapshot g = mk({{"pytest.ini", "[pytest]\ntestpaths = pkg*/tests tests/test_one.py\n"},
                    {"pkga/tests/test_a.py", "def test_a(): pass\n"},
                    {"pkgb/tests/sub/test_b.py", "def test_b(): pass\n"},
                    {"tests/test_one.py", "def test_c(): pass\n"},
                    {"tests/test_two.py", "def test_d(): pass\n"}});
  Run rg(g);
  CHECK(rg.file("pkga/tests/test_a.py"));
  CHECK(rg.file("pkgb/tests/sub/test_b.py"));
  CHECK(rg.file("tests/test_one.py"));
  CHECK_FALSE(rg.file("tests/test_two.py"));
}

TEST_CASE("pytest: conftest, virtualenvs and hidden or build directories are excluded") {
  MemorySnapshot s = mk({{"tests/conftest.py", "def test_not(): pass\n"},
                    {".venv/lib/python3.11/site-packages/x/test_x.py", "def test_v(): pass\n"},
                    {"venv/test_v.py", "def test_v(): pass\n"},
                    {"myenv/pyvenv.cfg", "home = /usr\n"},
                    {"myenv/lib/test_w.py", "def test_w(): pass\n"},
                    {"node_modules/p/test_n.py", "def test_n(): pass\n"},
                    {"build/lib/test_b.py", "def test_b(): pass\n"},
                    {".github/test_g.py", "def test_g(): pass\n"},
                    {"tests/test_real.py", "def test_r(): pass\n"},
                    {"tests/test_notes.txt", "def test_t(): pass\n"}});
  Run r(s);
  CHECK(r.summary()->attr("files") == "1");
  CHECK(r.file("tests/test_real.py"));
}

TEST_CASE("pytest: project imports, src layout") {
  MemorySnapshot s = mk({{"src/mlops_proj/__init__.py", ""},
                    {"src/mlops_proj/data.py", "def load(): pass\n"},
                    {"src/mlops_proj/model.py", "class Net: pass\n"},
                    {"src/mlops_proj/models/__init__.py", ""},
                    {"tests/test_data.py",
                     "import torch\nimport numpy as np\nfrom mlops_proj.data import load, MyDataset\n"
                     "from src.mlops_proj.model import Net\nimport mlops_proj.models\n"
                     "def test_a():\n    from mlops_proj import model\n"}});
  Run r(s);
  auto* f = r.file("tests/test_data.py");
  REQUIRE(f);
  CHECK(f->attr("project_imports") == "mlops_proj.data,mlops_proj.model,mlops_proj.models,src.mlops_proj.model");
  CHECK(f->attr("project_import_paths") ==
        "src/mlops_proj/data.py,src/mlops_proj/model.py,src/mlops_proj/models/__init__.py");
  CHECK(f->attr("imported_names") == "MyDataset,Net,load,model");
}

TEST_CASE("pytest: project imports, flat layout, tests package, relative and pythonpath") {
  MemorySnapshot s = mk({{"pytest.ini", "[pytest]\npythonpath = lib\n"},
                    {"proj/__init__.py", ""},
                    {"proj/train.py", ""},
                    {"lib/helpers_lib.py", ""},
                    {"tests/__init__.py", ""},
                    {"tests/utils.py", ""},
                    {"tests/unit/__init__.py", ""},
                    {"tests/unit/test_train.py",
                     "from proj.train import train\nfrom ..utils import make_data\nfrom . import fixtures_mod\n"
                     "from .. import utils\nimport helpers_lib\nfrom ... import outside\n"
                     "def test_t(): pass\n"},
                    {"tests/unit/fixtures_mod.py", ""}});
  Run r(s);
  auto* f = r.file("tests/unit/test_train.py");
  REQUIRE(f);
  CHECK(f->attr("project_imports") == "helpers_lib,proj.train,tests.unit.fixtures_mod,tests.utils");
  CHECK(f->attr("project_import_paths") ==
        "lib/helpers_lib.py,proj/train.py,tests/unit/fixtures_mod.py,tests/utils.py");
  CHECK(f->attr("imported_names") == "fixtures_mod,make_data,train,utils");
}

TEST_CASE("pytest: a module next to a non-package test dir resolves through pytest's basedir") {
  MemorySnapshot s = mk({{"tests/helpers.py", ""},
                    {"tests/test_h.py", "import helpers\nfrom helpers import x\ndef test_h(): pass\n"}});
  Run r(s);
  CHECK(r.file("tests/test_h.py")->attr("project_imports") == "helpers");
  CHECK(r.file("tests/test_h.py")->attr("project_import_paths") == "tests/helpers.py");
}

TEST_CASE("pytest: a file with a syntax error still counts what parses") {
  MemorySnapshot s = mk({{"tests/test_broken.py",
                     "def test_ok():\n    pass\n\ndef test_bad(:\n    pass\n\ndef test_after():\n    pass\n"}});
  Run r(s);
  auto* f = r.file("tests/test_broken.py");
  REQUIRE(f);
  CHECK(f->attr("status") == "syntax-errors");
  CHECK(f->attr("items_exact") == "no");
  CHECK(r.test("test_ok"));
  CHECK(r.test("test_after"));
  CHECK(r.problems("tests/test_broken.py") == 1);
  CHECK(r.problem_text("tests/test_broken.py").find("ERROR node") != std::string::npos);
  CHECK(r.summary()->attr("items_exact") == "no");
}

TEST_CASE("pytest: binary, non-UTF-8, over the cap, missing blob and too deep files") {
  MemorySnapshot s;
  s.add("tests/test_bin.py", std::string("\x7f" "ELF\0\0\0def test_x(): pass\n", 26));
  s.add("tests/test_latin1.py", "# caf\xe9\ndef test_l(): pass\n");
  std::string big = "import pytest\n";
  while (big.size() < 5u * 1024 * 1024) big += "def test_generated_" + std::to_string(big.size()) + "(): pass\n";
  s.add("tests/test_big.py", big);
  s.add_missing("tests/test_missing.py", 100);
  s.add("tests/test_deep.py", "x = " + std::string(10000, '(') + "1" + std::string(10000, ')') +
                                  "\ndef test_d(): pass\n");
  s.add("tests/test_fine.py", "def test_f(): pass\n");
  Run r(s);
  CHECK(r.summary()->attr("files") == "6");
  CHECK(r.summary()->attr("functions") == "1");
  CHECK(r.summary()->attr("items_exact") == "no");
  CHECK(r.file("tests/test_bin.py")->attr("status") == "binary");
  CHECK(r.file("tests/test_latin1.py")->attr("status") == "invalid-utf8");
  CHECK(r.file("tests/test_big.py")->attr("status") == "too-large");
  CHECK(r.file("tests/test_missing.py")->attr("status") == "missing-object");
  CHECK(r.file("tests/test_deep.py")->attr("status") == "too-deep");
  CHECK(r.file("tests/test_fine.py")->attr("status") == "ok");
  for (const char* p : {"tests/test_bin.py", "tests/test_latin1.py", "tests/test_big.py",
                        "tests/test_missing.py", "tests/test_deep.py"}) {
    CAPTURE(p);
    CHECK(r.problems(p) == 1);
    CHECK(r.file(p)->attr("items") == "0");
    CHECK(r.file(p)->attr("items_exact") == "no");
  }
}

TEST_CASE("pytest: output is deterministic") {
  MemorySnapshot s = mk({{"tests/test_a.py", "import pytest\n@pytest.mark.parametrize('x',[1,2])\ndef test_a(x): pass\n"},
                    {"tests/test_b.py", "class TestB:\n    def test_b(self): pass\n"}});
  Run a(s), b(s);
  REQUIRE(a.facts.all().size() == b.facts.all().size());
  for (size_t i = 0; i < a.facts.all().size(); ++i) {
    CHECK(a.facts.all()[i].kind == b.facts.all()[i].kind);
    CHECK(a.facts.all()[i].attrs == b.facts.all()[i].attrs);
  }
  CHECK(a.summary()->attr("items") == "3");
  CHECK(a.summary()->attr("functions") == "2");
  CHECK(a.summary()->attr("classes") == "1");
}

TEST_CASE("pytest: deep indentation and a wildcard import do not trip the probe") {
  std::string deep;
  std::string indent;
  for (int i = 0; i < 3000; ++i) {
    deep += indent + "class TestL" + std::to_string(i) + ":\n";
    indent += " ";
  }
  deep += indent + "def test_deep(self): pass\n";
  MemorySnapshot s = mk({{"tests/test_deep_classes.py", deep},
                         {"pkg/__init__.py", ""},
                         {"tests/test_star.py", "from pkg import *\ndef test_s(): pass\n"}});
  Run r(s);
  REQUIRE(r.file("tests/test_deep_classes.py"));
  CHECK(r.file("tests/test_star.py")->attr("project_imports") == "pkg");
  CHECK(r.file("tests/test_star.py")->attr("imported_names") == "*");
  REQUIRE(r.summary());
}

TEST_CASE("pytest: the cookiecutter's stock test file") {
  MemorySnapshot s = mk({{"src/mlops_project/__init__.py", ""},
                         {"src/mlops_project/data.py", "class MyDataset: pass\n"},
                         {"tests/__init__.py", ""},
                         {"tests/test_api.py", ""},
                         {"tests/test_data.py",
                          "from torch.utils.data import Dataset\n\nfrom mlops_project.data import MyDataset\n\n\n"
                          "def test_my_dataset():\n    \"\"\"Test the MyDataset class.\"\"\"\n"
                          "    dataset = MyDataset(\"data/raw\")\n    assert isinstance(dataset, Dataset)\n"}});
  Run r(s);
  CHECK(r.summary()->attr("files") == "2");
  CHECK(r.summary()->attr("functions") == "1");
  CHECK(r.summary()->attr("items") == "1");
  CHECK(r.file("tests/test_data.py")->attr("project_imports") == "mlops_project.data");
  CHECK(r.file("tests/test_data.py")->attr("project_import_paths") == "src/mlops_project/data.py");
  CHECK(r.file("tests/test_api.py")->attr("functions") == "0");
  CHECK(r.test("test_my_dataset")->attr("line") == "6");
}

TEST_CASE("pytest: a pytest_generate_tests hook makes counts inexact") {
  MemorySnapshot s = mk({{"tests/conftest.py", "def pytest_generate_tests(metafunc):\n    pass\n"},
                         {"tests/test_g.py", "def test_g(x): pass\n"},
                         {"other/test_o.py", "def test_o(): pass\n"}});
  Run r(s);
  CHECK(r.test("test_g")->attr("items_exact") == "no");
  CHECK(r.test("test_o")->attr("items_exact") == "yes");
}

TEST_CASE("pytest: a test_* function decorated as a fixture, in any decorator order, is not a test") {
  MemorySnapshot s = mk({{"tests/test_f.py",
                     "import pytest\nfrom pytest import fixture\n\n"
                     "@pytest.fixture\ndef test_data():\n    return [1, 2]\n\n"
                     "@pytest.mark.slow\n@pytest.fixture(scope='module')\ndef test_model():\n    return 3\n\n"
                     "@fixture\ndef test_client():\n    return 4\n\n"
                     "def test_real(test_data):\n    assert test_data\n\n"
                     "class TestThings:\n"
                     "    @pytest.fixture(autouse=True)\n    def test_setup(self):\n        pass\n\n"
                     "    def test_method(self):\n        pass\n"}});
  Run r(s);
  CHECK(r.tests() == "test_real=1 TestThings::test_method=1 ");
  REQUIRE(r.file("tests/test_f.py"));
  CHECK(r.file("tests/test_f.py")->attr("functions") == "2");
}
