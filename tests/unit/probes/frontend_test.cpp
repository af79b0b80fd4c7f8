#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/frontend.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore run_fe(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  FrontendProbe().run(snap, fs);
  fs.sort();
  return fs;
}

}  // namespace

TEST_CASE("frontend: React app and a static page calling the API") {
  auto fs = run_fe({
      {"frontend/package.json", R"({"dependencies": {"react": "^18", "axios": "1"}})"},
      {"frontend/src/App.jsx", "import axios from 'axios';\nexport default function App() {\n"
                               "  axios.post('http://localhost:8000/predict', data);\n}\n"},
      {"frontend/node_modules/react/index.js", "fetch('/x')"},
      {"frontend/dist/assets/index.js", "fetch('/y')"},
      {"src/app/static/index.html", "<html><script>\nconst r = await fetch(`${API}/predict`, {method: 'POST'});\n</script></html>"},
      {"web/page.html", "<html><body>Hello</body></html>"},
      {"htmlcov/index.html", "<span class=\"pc_cov\">40%</span> fetch('/x')"},
      {"docs/overrides/main.html", "fetch('/z')"},
      {"static/lib.min.js", "fetch('/q')"},
  });
  auto apps = find_facts(fs, "frontend.app");
  REQUIRE(apps.size() == 3);
  auto r = find_facts(fs, "frontend.app", {{"path", "frontend"}});
  REQUIRE(r.size() == 1);
  CHECK(r[0]->attr("kind") == "react");
  CHECK(r[0]->attr("calls_api") == "yes");
  CHECK(r[0]->attr("endpoint") == "http://localhost:8000/predict");
  CHECK(r[0]->where.path == "frontend/src/App.jsx");
  CHECK(r[0]->where.line == 3);
  CHECK(r[0]->attr("files") == "1");
  auto s = find_facts(fs, "frontend.app", {{"path", "src/app/static"}});
  REQUIRE(s.size() == 1);
  CHECK(s[0]->attr("kind") == "html");
  CHECK(s[0]->attr("calls_api") == "yes");
  auto w = find_facts(fs, "frontend.app", {{"path", "web"}});
  REQUIRE(w.size() == 1);
  CHECK(w[0]->attr("calls_api") == "no");
}

TEST_CASE("frontend: bundles over the cap, broken package.json, forms") {
  std::string bundle = "fetch('/predict');" + std::string(300 * 1024, 'a');
  auto fs = run_fe({
      {"ui/app.js", bundle},
      {"ui2/package.json", "{not json"},
      {"ui2/main.js", "console.log(1)\n"},
      {"templates/index.html", "<form method=\"post\" action=\"/predict\"><input type=file></form>"},
  });
  CHECK(find_facts(fs, "frontend.app", {{"path", "ui"}}).empty());
  auto u = find_facts(fs, "frontend.app", {{"path", "ui2"}});
  REQUIRE(u.size() == 1);
  CHECK(u[0]->attr("kind") == "js");
  CHECK(find_facts(fs, kInputProblem).size() == 1);
  auto t = find_facts(fs, "frontend.app", {{"path", "templates"}});
  REQUIRE(t.size() == 1);
  CHECK(t[0]->attr("calls_api") == "yes");
  CHECK(t[0]->attr("endpoint") == "/predict");
  std::string ep;
  CHECK(first_api_call("x\ny\nfetch(url, {method: 'POST'})", &ep) == 3);
  CHECK(ep == "");
  CHECK(first_api_call("const x = 1;", nullptr) == 0);
}
