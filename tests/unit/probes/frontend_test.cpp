#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/frontend.h"

using namespace cc;

namespace {

FactStore run_fe(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  FrontendProbe().run(snap, fs);
  fs.sort();
  return fs;
}

std::vector<const Fact*> find(const FactStore& fs, const std::string& kind,
                              const std::map<std::string, std::string>& attrs = {}) {
  std::vector<const Fact*> out;
  for (const Fact* f : fs.of_kind(kind)) {
    bool ok = true;
    for (const auto& [k, v] : attrs)
      if (f->attr(k) != v) ok = false;
    if (ok) out.push_back(f);
  }
  return out;
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
  auto apps = find(fs, "frontend.app");
  REQUIRE(apps.size() == 3);
  auto r = find(fs, "frontend.app", {{"path", "frontend"}});
  REQUIRE(r.size() == 1);
  CHECK(r[0]->attr("kind") == "react");
  CHECK(r[0]->attr("calls_api") == "yes");
  CHECK(r[0]->attr("endpoint") == "http://localhost:8000/predict");
  CHECK(r[0]->where.path == "frontend/src/App.jsx");
  CHECK(r[0]->where.line == 3);
  CHECK(r[0]->attr("files") == "1");
  auto s = find(fs, "frontend.app", {{"path", "src/app/static"}});
  REQUIRE(s.size() == 1);
  CHECK(s[0]->attr("kind") == "html");
  CHECK(s[0]->attr("calls_api") == "yes");
  auto w = find(fs, "frontend.app", {{"path", "web"}});
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
  CHECK(find(fs, "frontend.app", {{"path", "ui"}}).empty());
  auto u = find(fs, "frontend.app", {{"path", "ui2"}});
  REQUIRE(u.size() == 1);
  CHECK(u[0]->attr("kind") == "js");
  CHECK(find(fs, kInputProblem).size() == 1);
  auto t = find(fs, "frontend.app", {{"path", "templates"}});
  REQUIRE(t.size() == 1);
  CHECK(t[0]->attr("calls_api") == "yes");
  CHECK(t[0]->attr("endpoint") == "/predict");
  std::string ep;
  CHECK(first_api_call("x\ny\nfetch(url, {method: 'POST'})", &ep) == 3);
  CHECK(ep == "");
  CHECK(first_api_call("const x = 1;", nullptr) == 0);
}
