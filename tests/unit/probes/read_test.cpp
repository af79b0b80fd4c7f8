// The shared readers of probes/read/: text helpers, read-or-problem, the per-audit parse cache.
#include <doctest/doctest.h>

#include <malloc.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/memory_snapshot.h"
#include "probes/pytest_tests.h"
#include "probes/python_usage.h"
#include "probes/read/file.h"
#include "probes/read/parse_cache.h"
#include "probes/read/text.h"
#include "probes/read/toml.h"

using namespace cc;

TEST_CASE("cut: short text unchanged, long text cut on a UTF-8 boundary with ...") {
  CHECK(cut("abc", 3) == "abc");
  CHECK(cut("abcd", 3) == "abc...");
  CHECK(cut("", 0) == "");
  // "é" is two bytes (C3 A9): a cut inside it moves back before it.
  CHECK(cut("aé", 2) == "a...");
  CHECK(cut("aéb", 3) == "aé...");
  // "€" is three bytes: any cut inside it keeps none of it.
  CHECK(cut("€€", 4) == "€...");
  CHECK(cut("€€", 5) == "€...");
  CHECK(cut("€€", 3) == "€...");
  CHECK(cut("€", 1) == "...");
  std::string r = cut("a\xF0\x9F\x98\x80z", 3);  // an emoji (4 bytes) cut in its middle
  CHECK(r == "a...");
}

TEST_CASE("join keeps empty items, join_nonempty drops them; any container of strings") {
  std::vector<std::string> v{"a", "", "b"};
  CHECK(join(v) == "a,,b");
  CHECK(join(v, " ; ") == "a ;  ; b");
  CHECK(join_nonempty(v) == "a,b");
  CHECK(join(std::set<std::string>{"y", "x"}) == "x,y");
  CHECK(join(std::vector<std::string>{}) == "");
  CHECK(join_nonempty(std::vector<std::string>{"", ""}) == "");
}

TEST_CASE("for_each_line: 1-based numbers, CRLF stripped, no empty last line, stops on false") {
  std::vector<std::pair<int, std::string>> got;
  for_each_line("a\r\nb\n\nc\n", [&](int n, std::string_view l) { got.emplace_back(n, std::string(l)); });
  REQUIRE(got.size() == 4);
  CHECK(got[0] == std::make_pair(1, std::string("a")));
  CHECK(got[2] == std::make_pair(3, std::string("")));
  CHECK(got[3] == std::make_pair(4, std::string("c")));
  int seen = 0;
  for_each_line("1\n2\n3", [&](int n, std::string_view) { seen = n; return n < 2; });
  CHECK(seen == 2);
  CHECK(split_on("a..b", '.') == std::vector<std::string>{"a", "", "b"});
  CHECK(json_nesting_depth(R"({"a": [1, {"b": "[[["}]})") == 3);
}

TEST_CASE("read_or_problem: binary, too large and missing files are one input problem each") {
  MemorySnapshot snap({{"ok.txt", "hello"}, {"bin.dat", std::string("a\0b", 3)}, {"big.txt", std::string(100, 'x')}});
  snap.add_missing("gone.txt", 10);
  FactStore out;
  Blob b;
  CHECK(read_or_problem(snap, "ok.txt", out, "p", b));
  CHECK(b.data == "hello");
  CHECK(!read_or_problem(snap, "bin.dat", out, "p", b));
  CHECK(!read_or_problem(snap, "big.txt", out, "p", b, {"big file", 50}));
  CHECK(!read_or_problem(snap, "gone.txt", out, "p", b));
  CHECK(!read_or_problem(snap, "nowhere.txt", out, "p", b));
  auto problems = out.of_kind(kInputProblem);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0]->where.path == "bin.dat");
  CHECK(problems[0]->detail == "bin.dat not read (binary): binary file (NUL bytes)");
  CHECK(problems[1]->detail.rfind("big file not read (too-large): ", 0) == 0);
  CHECK(problems[2]->detail.rfind("gone.txt not read (missing-object): ", 0) == 0);
  CHECK(problems[3]->detail.rfind("nowhere.txt not read (not-found): ", 0) == 0);
  CHECK(problems[0]->attr("probe") == "p");
}

TEST_CASE("parse cache: two callers get the same tree, parsed once; a smaller cap still refuses") {
  MemorySnapshot snap({{"a.py", "import os\n\ndef f():\n    return 1\n"}, {"b.yaml", "x: 1\n"}});
  auto t1 = python_tree(snap, "a.py");
  auto t2 = python_tree(snap, "a.py");
  REQUIRE(t1->read_ok());
  CHECK(t1.get() == t2.get());
  CHECK(&*t1->tree == &*t2->tree);
  CHECK(t1->tree->ok());
  CHECK(snap.artifacts().made(kPythonTreeKind) == 1);
  // A caller whose cap the file exceeds sees too_large, as a direct read would say, and the
  // shared tree is neither used nor parsed again.
  auto small = python_tree(snap, "a.py", 5);
  CHECK(small->read.state == ReadState::too_large);
  CHECK(!small->tree);
  CHECK(snap.artifacts().made(kPythonTreeKind) == 1);
  // A missing path: not_found, like Snapshot::read_text.
  CHECK(python_tree(snap, "none.py")->read.state == ReadState::not_found);

  auto y1 = yaml_doc(snap, "b.yaml");
  auto y2 = yaml_doc(snap, "b.yaml");
  CHECK(y1.get() == y2.get());
  REQUIRE(y1->load.ok);
  CHECK(y1->load.root.get("x")->value() == "1");
  CHECK(y1->read.data == "x: 1\n");
  CHECK(snap.artifacts().made(kYamlTreeKind) == 1);

  // Changing the files of an in-memory snapshot drops what was parsed.
  snap.add("a.py", "x = 2\n");
  auto t3 = python_tree(snap, "a.py");
  CHECK(t3->tree->source() == "x = 2\n");
  CHECK(snap.artifacts().made(kPythonTreeKind) == 1);
}

TEST_CASE("parse cache: concurrent callers share one parse; over the budget nothing is kept") {
  MemorySnapshot snap(std::map<std::string, std::string>{{"a.py", "def f(x):\n    return x\n"}});
  std::vector<std::shared_ptr<const PythonFile>> got(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) ts.emplace_back([&, i] { got[i] = python_tree(snap, "a.py"); });
  for (auto& t : ts) t.join();
  for (auto& g : got) CHECK(g.get() == got[0].get());
  CHECK(snap.artifacts().made(kPythonTreeKind) == 1);

  MemorySnapshot tight(std::map<std::string, std::string>{{"a.py", "x = 1\n"}});
  tight.artifacts().set_budget(0);
  auto a = python_tree(tight, "a.py");
  auto b = python_tree(tight, "a.py");
  CHECK(a->tree->ok());
  CHECK(a.get() != b.get());
  CHECK(tight.artifacts().made(kPythonTreeKind) == 2);
  CHECK(tight.artifacts().bytes() == 0);
}

TEST_CASE("parse cache: the pytest and python-usage probes of one audit parse each file once") {
  MemorySnapshot snap({{"tests/test_a.py", "def test_one():\n    assert True\n"},
                       {"src/pkg/__init__.py", ""},
                       {"src/pkg/m.py", "import os\n"}});
  FactStore out;
  PytestProbe().run(snap, out);
  std::size_t after_pytest = snap.artifacts().made(kPythonTreeKind);
  PythonUsageProbe().run(snap, out);
  CHECK(snap.artifacts().made(kPythonTreeKind) <= 3);
  CHECK(after_pytest >= 1);
}

// A test file of `n` parametrized tests, and a module read by python-usage only.
std::string dense_tests(int n) {
  std::string s = "import pytest\n\n";
  for (int i = 0; i < n; ++i)
    s += "@pytest.mark.parametrize(\"x\", [1, 2, 3])\ndef test_" + std::to_string(i) +
         "(x):\n    assert f(x) == 2 * x\n\n\n";
  return s;
}

TEST_CASE("parse cache: with their reads declared, a tree two probes read stays while one-reader trees pass through") {
  // Sorted, python-usage reads the scripts first (read by no other probe), then the test files
  // pytest reads after it. The budget holds three trees: without declared reads the first three
  // scripts fill it for good and pytest parses both test files again.
  std::map<std::string, std::string> files;
  for (int i = 0; i < 8; ++i) files["scripts/s" + std::to_string(i) + ".py"] = dense_tests(5);
  files["tests/test_a.py"] = dense_tests(5);
  files["tests/test_b.py"] = dense_tests(5);
  MemorySnapshot one(std::map<std::string, std::string>{{"a.py", dense_tests(5)}});
  (void)python_tree(one, "a.py");
  const std::size_t tree = one.artifacts().bytes();
  REQUIRE(tree > 0);

  PythonUsageOptions single;
  single.threads = 1;
  const PythonUsageProbe usage(nullptr, single);
  const PytestProbe pytest;
  for (bool declared : {false, true}) {
    CAPTURE(declared);
    MemorySnapshot snap(files);
    snap.artifacts().set_budget(3 * tree + tree / 2);
    if (declared) {
      usage.declare_reads(snap);
      pytest.declare_reads(snap);
    }
    FactStore out;
    usage.run(snap, out);
    pytest.run(snap, out);
    CHECK(snap.artifacts().made(kPythonTreeKind) == (declared ? 10u : 12u));
    CHECK(snap.artifacts().bytes() <= 3 * tree + tree / 2);
    CHECK(out.of_kind("pytest.test").size() == 10u);
  }
}

TEST_CASE("parse cache: the tree size estimate follows the real size within a factor") {
  // mallinfo2 counts glibc's heap; under a sanitizer's allocator it sees nothing, and then the
  // check has nothing to compare with.
  (void)py::PySyntaxTree::parse("x = 1\n");  // this thread's parser, made once
  std::string one_letter;
  for (int i = 0; i < 3000; ++i) one_letter += "a\n";
  const std::string prose =
      "\"\"\"A module with long docstrings and comments, as group code has.\"\"\"\n"
      "import os\n\n\n"
      "def load_data(path: str) -> list:\n"
      "    \"\"\"Load the processed data set from the given path and return its rows.\"\"\"\n"
      "    # the raw data is downloaded by the data pipeline (see the project README)\n"
      "    with open(os.path.join(path, \"train.csv\")) as handle:\n"
      "        return [line.strip().split(\",\") for line in handle]\n";
  std::string module;
  for (int i = 0; i < 40; ++i) module += prose;
  for (const std::string& src : {dense_tests(40), module, one_letter}) {
    const std::size_t before = mallinfo2().uordblks;
    py::PySyntaxTree t = py::PySyntaxTree::parse(src);
    const std::size_t after = mallinfo2().uordblks;
    REQUIRE(t.ok());
    if (after <= before) {
      MESSAGE("mallinfo2 sees no allocation (a sanitizer's allocator): estimate not compared");
      continue;
    }
    const double ratio = double(python_tree_bytes(src)) / double(after - before);
    CAPTURE(src.substr(0, 40));
    CHECK(ratio > 0.4);
    CHECK(ratio < 2.5);
  }
}

TEST_CASE("parse cache: pyproject.toml is parsed once for every probe that reads it") {
  MemorySnapshot snap(std::map<std::string, std::string>{{"pyproject.toml", "[project]\nname = \"x\"\n"}});
  TomlFile a = read_pyproject(snap);
  TomlFile b = read_pyproject(snap);
  CHECK(a.ok);
  CHECK(b.root.get("project")->get("name")->value() == "x");
  CHECK(snap.artifacts().made(kTomlTreeKind) == 1);
  TomlFile small = read_toml(snap, "pyproject.toml", 4);  // over this caller's cap: too-large
  CHECK(!small.ok);
  CHECK(small.error.rfind("not read (too-large)", 0) == 0);
  CHECK(snap.artifacts().made(kTomlTreeKind) == 1);
}
