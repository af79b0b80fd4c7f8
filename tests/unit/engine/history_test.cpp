// History (engine/history.h) on real repositories built with the git CLI in temp dirs.
#include "engine/history.h"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

#include "engine/git_snapshot.h"
#include "engine/worktree_snapshot.h"
#include "git_fixture.h"

using namespace cc;
using cc_test::GitTmp;

namespace {

std::unique_ptr<GitSnapshot> open_git(const std::string& repo, const std::string& rev = "") {
  auto s = open_snapshot({repo, rev, "", false});
  auto* g = dynamic_cast<GitSnapshot*>(s.get());
  REQUIRE(g != nullptr);
  s.release();
  return std::unique_ptr<GitSnapshot>(g);
}

// Commits of a History by their summary line.
std::map<std::string, const CommitInfo*> by_summary(const History& h) {
  std::map<std::string, const CommitInfo*> m;
  for (const auto& c : h.commits()) m[c.summary] = &c;
  return m;
}

std::string summary_of(const CommitInfo* c) { return c ? c->summary : "(none)"; }

// A group's repository: a README first, then the cookiecutter scaffold, then the group's work,
// with a side branch merged back.
void make_group_repo(const GitTmp& t, const std::string& d) {
  t.init(d);
  t.write(d + "/README.md", "# Group 3\n");
  t.commit(d, "readme", "2026-01-05T09:00:00+01:00");

  t.write(d + "/README.md", "# mlops_project\n\nA short description.\n");
  t.write(d + "/pyproject.toml", "[project]\nname = \"mlops_project\"\n");
  t.write(d + "/.github/workflows/tests.yaml", "on: push\njobs: {test: {runs-on: ubuntu-latest}}\n");
  t.write(d + "/src/pkg/__init__.py", "");
  t.write(d + "/src/pkg/model.py", "class Model:\n    pass\n");
  t.write(d + "/src/pkg/data.py", "def load():\n    pass\n");
  t.write(d + "/tests/test_data.py", "def test_data():\n    assert True\n");
  t.write(d + "/configs/.gitkeep", "");
  t.write(d + "/old/notes.txt", "scratch\n");
  t.commit(d, "cookiecutter", "2026-01-06T09:00:00+01:00");

  t.write(d + "/src/pkg/model.py", "class Model:\n    def forward(self):\n        return 1\n");
  t.sh(d, "git rm -q tests/test_data.py configs/.gitkeep old/notes.txt");
  t.commit(d, "model; drop stub test", "2026-01-07T09:00:00+01:00", "", "Bob");

  t.write(d + "/tests/test_data.py", "def test_len():\n    assert len([1]) == 1\n");
  t.write(d + "/configs/.gitkeep", "");  // back, with the template's (empty) content
  t.commit(d, "real data test", "2026-01-08T09:00:00+01:00", "", "Bob");

  t.sh(d, "git checkout -q -b side");
  t.write(d + "/.github/workflows/tests.yaml",
          "on: push\njobs: {test: {runs-on: '${{ matrix.os }}'}}\n");
  t.commit(d, "multi-os ci", "2026-01-09T09:00:00+01:00", "", "Cleo");

  t.sh(d, "git checkout -q main");
  t.write(d + "/src/pkg/model.py", "class Model:\n    def forward(self):\n        return 2\n");
  t.commit(d, "model v2", "2026-01-10T09:00:00+01:00");

  t.sh(d, "GIT_AUTHOR_DATE=2026-01-11T09:00:00+01:00 GIT_COMMITTER_DATE=2026-01-11T09:00:00+01:00 "
          "git merge -q --no-ff -m 'merge side' side");
  t.write(d + "/reports/README.md", "# Exam report\n");
  t.commit(d, "report", "2026-01-12T09:00:00+01:00");
}

// A fast-import stream: one commit adding `files` files, then commits each changing one file.
std::string fast_import_stream(int commits, int files) {
  std::string s;
  auto data = [&](const std::string& x) { s += "data " + std::to_string(x.size()) + "\n" + x + "\n"; };
  for (int c = 1; c <= commits; ++c) {
    s += "commit refs/heads/main\nmark :" + std::to_string(c) + "\n";
    std::string when = std::to_string(1767600000 + c * 60) + " +0100\n";
    s += "author Ada <ada@example.org> " + when + "committer Ada <ada@example.org> " + when;
    data("commit " + std::to_string(c));
    if (c > 1) s += "from :" + std::to_string(c - 1) + "\n";
    if (c == 1) {
      for (int f = 0; f < files; ++f) {
        s += "M 100644 inline src/dir" + std::to_string(f % 7) + "/f" + std::to_string(f) + ".py\n";
        data("x = 0\n");
      }
    } else {
      int f = c % files;
      s += "M 100644 inline src/dir" + std::to_string(f % 7) + "/f" + std::to_string(f) + ".py\n";
      data("x = " + std::to_string(c) + "\n");
    }
  }
  return s;
}

}  // namespace

TEST_CASE("history: scaffold after a README commit, stock and group files, merges") {
  GitTmp t;
  make_group_repo(t, "g");
  auto snap = open_git(t.path("g"));
  History h = History::of(*snap);
  auto c = by_summary(h);

  REQUIRE(h.commits().size() == 8);
  CHECK_FALSE(h.cut());
  CHECK(h.notes().empty());
  REQUIRE(h.start() != nullptr);
  CHECK(h.start()->id == snap->commit_id());
  CHECK(h.commits().front().summary == "readme");
  // Parents always come before their children.
  for (std::size_t i = 0; i < h.commits().size(); ++i)
    CHECK(h.commits()[i].first_parent < static_cast<int>(i));
  CHECK(c["merge side"]->parents == 2);
  CHECK(c["multi-os ci"]->author == "Cleo");
  CHECK(c["multi-os ci"]->author_time == 1767945600);  // 2026-01-09T08:00:00Z
  CHECK(c["multi-os ci"]->commit_time == 1767945600);
  CHECK(c["multi-os ci"]->author_offset == 60);

  // The scaffold is the cookiecutter commit, not the root README commit.
  REQUIRE(h.scaffold() != nullptr);
  CHECK(h.scaffold()->summary == "cookiecutter");
  CHECK(h.scaffold()->paths_added == 8);

  // Untouched since the scaffold: stock.
  auto py = h.path("pyproject.toml");
  REQUIRE(py);
  CHECK(py->present);
  CHECK(py->stock);
  CHECK(summary_of(py->added) == "cookiecutter");
  CHECK(summary_of(py->last_changed) == "cookiecutter");
  CHECK(py->authors == std::vector<std::string>{"Ada Student"});
  CHECK(h.origin_of("pyproject.toml") == "scaffold-stock");
  CHECK(h.origin_of("src/pkg/data.py") == "scaffold-stock");

  // The group's README came first; the scaffold overwrote it with the template's: stock.
  auto readme = h.path("README.md");
  REQUIRE(readme);
  CHECK(readme->stock);
  CHECK(summary_of(readme->added) == "readme");
  CHECK(summary_of(readme->last_changed) == "cookiecutter");
  CHECK(readme->changes == 2);

  // Added by the scaffold, changed later: the group's.
  auto model = h.path("src/pkg/model.py");
  REQUIRE(model);
  CHECK_FALSE(model->stock);
  CHECK(model->origin() == "group");
  CHECK(summary_of(model->added) == "cookiecutter");
  CHECK(summary_of(model->last_changed) == "model v2");
  CHECK(model->authors == std::vector<std::string>{"Ada Student", "Bob"});
  CHECK(model->changes == 3);

  // Deleted then re-added with new content: the re-add starts its life, the group's.
  auto test = h.path("tests/test_data.py");
  REQUIRE(test);
  CHECK_FALSE(test->stock);
  CHECK(summary_of(test->added) == "real data test");
  CHECK(summary_of(test->first_seen) == "cookiecutter");
  CHECK(test->authors == std::vector<std::string>{"Bob"});

  // Deleted then re-added with the template's very content: stock by content.
  auto keep = h.path("configs/.gitkeep");
  REQUIRE(keep);
  CHECK(keep->stock);
  CHECK(summary_of(keep->added) == "real data test");

  // A stock file changed on a merged side branch: the side commit changed it, not the merge.
  auto ci = h.path(".github/workflows/tests.yaml");
  REQUIRE(ci);
  CHECK_FALSE(ci->stock);
  CHECK(summary_of(ci->last_changed) == "multi-os ci");
  CHECK(ci->authors == std::vector<std::string>{"Ada Student", "Cleo"});
  CHECK(c["merge side"]->paths_changed == 0);  // it only carries the side branch's change

  auto report = h.path("reports/README.md");
  REQUIRE(report);
  CHECK(summary_of(report->added) == "report");
  CHECK(summary_of(report->last_seen) == "report");

  // A path only an old commit had.
  auto old = h.path("old/notes.txt");
  REQUIRE(old);
  CHECK_FALSE(old->present);
  CHECK(summary_of(old->first_seen) == "cookiecutter");
  CHECK(summary_of(old->last_seen) == "cookiecutter");
  CHECK(old->origin() == "group");
  CHECK(h.former_paths() == std::vector<std::string>{"old/notes.txt"});

  CHECK_FALSE(h.path("no/such/file"));
  CHECK(h.origin_of("no/such/file") == "group");
  CHECK(h.origin_of("") == "group");
}

TEST_CASE("history: at an older commit, from the audited commit only") {
  GitTmp t;
  make_group_repo(t, "g");
  auto snap = open_git(t.path("g"), "HEAD~2");  // "model v2": before the merge
  History h = History::of(*snap);
  CHECK(h.start()->summary == "model v2");
  CHECK(h.commits().size() == 5);  // the side branch is not reachable from there
  CHECK(h.origin_of(".github/workflows/tests.yaml") == "scaffold-stock");
  CHECK_FALSE(h.path("reports/README.md"));
}

TEST_CASE("history: no scaffold when nothing qualifies") {
  GitTmp t;
  // A single commit: nothing tells the template's files from the group's.
  t.init("one");
  for (int i = 0; i < 8; ++i) t.write("one/f" + std::to_string(i) + ".py", "x\n");
  t.commit("one", "everything", "2026-01-05T09:00:00+01:00");
  History h1 = History::of(*open_git(t.path("one")));
  CHECK(h1.commits().size() == 1);
  CHECK(h1.scaffold() == nullptr);
  CHECK(h1.origin_of("f0.py") == "group");
  CHECK(summary_of(h1.path("f0.py")->added) == "everything");

  // Files arriving one by one: no commit adds the bulk of the tree.
  t.init("drip");
  for (int i = 0; i < 8; ++i) {
    t.write("drip/f" + std::to_string(i) + ".py", "x\n");
    t.commit("drip", "f" + std::to_string(i), "2026-01-0" + std::to_string(1 + i) + "T09:00:00Z");
  }
  History h2 = History::of(*open_git(t.path("drip")));
  CHECK(h2.commits().size() == 8);
  CHECK(h2.scaffold() == nullptr);
  CHECK(h2.origin_of("f0.py") == "group");

  // A small repository: 30% of its tree is enough (here 2 of 5 paths).
  t.init("small");
  t.write("small/a.py", "a\n");
  t.write("small/b.py", "b\n");
  t.commit("small", "template", "2026-01-01T09:00:00Z");
  t.write("small/c.py", "c\n");
  t.write("small/d.py", "d\n");
  t.commit("small", "more", "2026-01-02T09:00:00Z");
  t.write("small/e.py", "e\n");
  t.commit("small", "last", "2026-01-03T09:00:00Z");
  History h3 = History::of(*open_git(t.path("small")));
  REQUIRE(h3.scaffold() != nullptr);
  CHECK(h3.scaffold()->summary == "template");  // ties go to the earlier commit
  CHECK(h3.origin_of("a.py") == "scaffold-stock");
  CHECK(h3.origin_of("c.py") == "group");
}

TEST_CASE("history: a worktree uses HEAD's history, files changed on disk are the group's") {
  GitTmp t;
  make_group_repo(t, "g");
  t.sh("", "git clone -q g wt");
  t.write("wt/pyproject.toml", "[project]\nname = \"ours\"\n");  // stock file edited on disk
  t.write("wt/notes/new.md", "untracked\n");
  t.sh("wt", "rm src/pkg/data.py");
  auto wt = WorktreeSnapshot::open(t.path("wt"));
  History h = History::of(*wt, t.path("wt"));
  REQUIRE(h.scaffold() != nullptr);
  CHECK(h.scaffold()->summary == "cookiecutter");
  CHECK(h.origin_of("README.md") == "scaffold-stock");  // unchanged on disk
  auto py = h.path("pyproject.toml");
  REQUIRE(py);
  CHECK(py->worktree_changed);
  CHECK(py->origin() == "group");
  CHECK(summary_of(py->added) == "cookiecutter");
  auto nu = h.path("notes/new.md");
  REQUIRE(nu);
  CHECK(nu->present);
  CHECK(nu->worktree_changed);
  CHECK(nu->added == nullptr);
  CHECK(nu->origin() == "group");
  auto gone = h.path("src/pkg/data.py");
  REQUIRE(gone);
  CHECK_FALSE(gone->present);
  CHECK(summary_of(gone->last_seen) == "report");  // HEAD still has it

  // A plain directory: no history, every file the group's.
  t.write("plain/a.py", "x\n");
  auto pw = WorktreeSnapshot::open(t.path("plain"));
  History hp = History::of(*pw, t.path("plain"));
  CHECK(hp.commits().empty());
  CHECK(hp.scaffold() == nullptr);
  CHECK(hp.origin_of("a.py") == "group");
  REQUIRE(hp.path("a.py"));
  CHECK(hp.path("a.py")->present);
}

TEST_CASE("history: 3,000 commits in one walk; a cut walk says so") {
  GitTmp t;
  t.init("big");
  t.write("big.stream", fast_import_stream(3000, 40));
  t.sh("big", "git fast-import --quiet < ../big.stream");
  auto snap = open_git(t.path("big"));

  auto t0 = std::chrono::steady_clock::now();
  History h = History::of(*snap);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0).count();
  MESSAGE("history of 3000 commits, 40 files: " << ms << " ms");
  CHECK(h.commits().size() == 3000);
  CHECK_FALSE(h.cut());
  REQUIRE(h.scaffold() != nullptr);
  CHECK(h.scaffold()->summary == "commit 1");
  CHECK(h.commits().back().summary == "commit 3000");
  auto f = h.path("src/dir0/f0.py");  // changed by commits 40, 80, ..., 3000
  REQUIRE(f);
  CHECK(f->changes == 76);
  CHECK(summary_of(f->last_changed) == "commit 3000");
  CHECK(h.origin_of("src/dir0/f0.py") == "group");

  HistoryOptions small;
  small.max_commits = 1000;
  History cut = History::of(*snap, small);
  CHECK(cut.commits().size() == 1000);
  CHECK(cut.cut());
  CHECK(cut.scaffold() == nullptr);
  REQUIRE_FALSE(cut.notes().empty());
  CHECK(cut.notes()[0].find("cut at 1000 commits") != std::string::npos);
  auto g = cut.path("src/dir1/f1.py");  // changed in the window only: added before it
  REQUIRE(g);
  CHECK(g->added == nullptr);
  CHECK(g->last_changed != nullptr);
  CHECK(cut.origin_of("src/dir1/f1.py") == "group");
}

TEST_CASE("history: two walks sharing their commits' diffs give what two separate walks give") {
  // --at walks the deadline commit's history and HEAD's; the second reuses the first's diffs.
  GitTmp t;
  make_group_repo(t, "g");
  auto describe = [](const History& h) {
    std::string out;
    for (const auto& c : h.commits()) out += c.id + " " + std::to_string(c.paths_changed) + "\n";
    for (const auto& v : h.versions()) out += v.path + " " + v.blob + " " + v.commit->id + (v.audited ? " a\n" : "\n");
    for (const auto& p : h.former_paths()) out += "former " + p + "\n";
    for (const auto& v : h.versions())
      if (auto ph = h.path(v.path)) {
        out += "path " + ph->path + (ph->present ? " present" : "") + (ph->stock ? " stock" : "") + " added " +
               (ph->added ? ph->added->id : "-") + " last " + (ph->last_changed ? ph->last_changed->id : "-") +
               " changes " + std::to_string(ph->changes) + " authors";
        for (const auto& a : ph->authors) out += " " + a;
        out += "\n";
      }
    for (const auto& n : h.notes()) out += "note " + n + "\n";
    out += std::string("scaffold ") + (h.scaffold() ? h.scaffold()->id : "-") + "\n";
    return out;
  };
  auto older = open_git(t.path("g"), "HEAD~2");
  auto head = open_git(t.path("g"));
  const std::string alone_old = describe(History::of(*older));
  const std::string alone_head = describe(History::of(*head));
  HistoryOptions shared;
  shared.diffs = make_history_diffs();
  CHECK(describe(History::of(*older, shared)) == alone_old);
  CHECK(describe(History::of(*head, shared)) == alone_head);  // most diffs reused
  // And in the other order.
  HistoryOptions again;
  again.diffs = make_history_diffs();
  CHECK(describe(History::of(*head, again)) == alone_head);
  CHECK(describe(History::of(*older, again)) == alone_old);
}
