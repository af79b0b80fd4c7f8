#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include <re2/re2.h>

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

TEST_CASE("frontend: the endpoint shown is bounded as before: its first 200 characters, a form action of at most 200") {
  std::string ep;
  const std::string long_path = "/" + std::string(299, 'p');
  CHECK(first_api_call("fetch('" + long_path + "')", &ep) == 1);
  CHECK(ep == long_path.substr(0, 200));
  // A form action over 200 characters is passed over; the next one on the line is the endpoint.
  const std::string long_action = "/" + std::string(250, 'a');
  CHECK(first_api_call("<form action=\"" + long_action + "\"></form><form action=\"/ok\"></form>", &ep) == 1);
  CHECK(ep == "/ok");
  CHECK(first_api_call("<form action=\"/" + std::string(199, 'b') + "\"></form>", &ep) == 1);
  CHECK(ep == "/" + std::string(199, 'b'));
  CHECK(first_api_call("<button hx-post=\"/" + std::string(200, 'c') + "\">", &ep) == 1);
  CHECK(ep == "/" + std::string(199, 'c'));  // an attribute's value needs no closing quote
}

// Against the bounded pattern it replaces ({1,200} repetitions), on lines made of the pieces
// that matter: call words, quotes, values around 200 characters, spaces and tags.
TEST_CASE("frontend: the endpoint is what the bounded pattern found, on generated lines") {
  const RE2 bounded(R"((?:fetch|axios(?:\.\w+)?|\$\.\w+)\s*\(\s*[`'"]([^`'"\s]{1,200})|\baction\s*=\s*["']([^"']{1,200})["']|hx-(?:post|get)\s*=\s*["']([^"']{1,200}))");
  REQUIRE(bounded.ok());
  const std::vector<std::string> pieces = {"fetch(", "axios.post(", "$.ajax(", "<form action=", " action = ", "hx-get=", "hx-post=",
                                           "'", "\"", "`", "/", " ", ">", "x.", "http://h/"};
  std::mt19937 rng(11);
  int compared = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string line;
    const int parts = 2 + static_cast<int>(rng() % 8);
    for (int k = 0; k < parts; ++k) {
      if (rng() % 3 == 0) line += std::string(std::vector<int>{1, 150, 199, 200, 201, 260}[rng() % 6], 'v');
      else line += pieces[rng() % pieces.size()];
    }
    std::string ep;
    if (first_api_call(line, &ep) != 1) continue;
    std::string a, b, c;
    const std::string want = RE2::PartialMatch(line, bounded, &a, &b, &c) ? (!a.empty() ? a : !b.empty() ? b : c) : "";
    INFO("line: " << line);
    CHECK(ep == want);
    ++compared;
  }
  CHECK(compared > 500);
}
