#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/docs.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore run_docs(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  DocsProbe().run(snap, fs);
  fs.sort();
  return fs;
}

}  // namespace

TEST_CASE("docs: mkdocs config, docs folder, README, pages deployment") {
  auto fs = run_docs({
      {"docs/mkdocs.yaml", "site_name: Group 7\ndocs_dir: source\ntheme:\n  name: material\n"
                           "plugins:\n  - search\n  - mkdocstrings:\n      default_handler: python\n"
                           "nav:\n  - Home: index.md\n  - API:\n    - Model: model.md\n    - Data: data.md\n"
                           "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"},
      {"docs/source/index.md", "# Hello\n\nSome text.\n"},
      {"docs/source/model.md", "::: proj.model\n"},
      {"README.md", "# Project\n\n## Setup\n```bash\n# not a heading\n```\n### Usage\nWords here.\n"},
      {".github/workflows/docs.yml", "jobs:\n  d:\n    steps:\n      - run: mkdocs gh-deploy --force -f docs/mkdocs.yaml\n"
                                     "      # - uses: peaceiris/actions-gh-pages@v3\n"},
      {"tasks.py", "def docs(c):\n    c.run('mkdocs gh-deploy')\n"},
  });
  auto m = find_facts(fs, "docs.mkdocs");
  REQUIRE(m.size() == 1);
  CHECK(m[0]->attr("site_name") == "Group 7");
  CHECK(m[0]->attr("nav") == "3");
  CHECK(m[0]->attr("plugins") == "search,mkdocstrings");
  CHECK(m[0]->attr("theme") == "material");
  CHECK(m[0]->attr("docs_dir") == "docs/source");
  auto dirs = find_facts(fs, "docs.dir");
  REQUIRE(dirs.size() == 2);  // docs/ and docs/source
  auto src = find_facts(fs, "docs.dir", {{"path", "docs/source"}});
  REQUIRE(src.size() == 1);
  CHECK(src[0]->attr("markdown_files") == "2");
  CHECK(src[0]->attr("markdown_bytes") == "35");
  auto r = find_facts(fs, "docs.readme");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->attr("headings") == "3");
  auto dep = find_facts(fs, "docs.pages_deploy", {{"commented", "no"}});
  CHECK(dep.size() == 2);
  auto wf = find_facts(fs, "docs.pages_deploy", {{"file", ".github/workflows/docs.yml"}, {"commented", "no"}});
  REQUIRE(wf.size() == 1);
  CHECK(wf[0]->attr("how") == "mkdocs gh-deploy");
  CHECK(wf[0]->where.line == 4);
  CHECK(find_facts(fs, "docs.pages_deploy", {{"how", "peaceiris/actions-gh-pages"}, {"commented", "yes"}}).size() == 1);
  CHECK(find_facts(fs, kInputProblem).empty());
}

TEST_CASE("docs: hostile mkdocs configs and an escaping docs_dir") {
  auto fs = run_docs({
      {"mkdocs.yml", "site_name: x\ndocs_dir: ../../outside\nnav: &a [*a]\n"},
      {"sub/mkdocs.yaml", "nav: " + std::string(10000, '[')},
      {"a/mkdocs.yml", std::string("\0\1", 2)},
  });
  CHECK(find_facts(fs, kInputProblem).size() == 3);
  CHECK(find_facts(fs, "docs.mkdocs").empty());
  auto fs2 = run_docs({{"mkdocs.yml", "site_name: x\ndocs_dir: ../../outside\n"}});
  auto m = find_facts(fs2, "docs.mkdocs");
  REQUIRE(m.size() == 1);
  CHECK(m[0]->attr("docs_dir") == "");
  CHECK(find_facts(fs2, "docs.dir").empty());
}
