// WorktreeSnapshot (--worktree) on real working trees built with the git CLI in temp dirs.
#include "engine/worktree_snapshot.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace cc;

namespace {

struct WtTmp {
  fs::path root;
  WtTmp() {
    char tmpl[] = "/tmp/cc-worktree-test-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  ~WtTmp() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  static std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  void sh(const std::string& dir, const std::string& cmd) const {
    std::string full = "cd " + q((root / dir).string()) + " && export HOME=" +
                       q(root.string()) +
                       " GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.org"
                       " GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.org"
                       " GIT_AUTHOR_DATE=2026-01-20T10:00:00Z GIT_COMMITTER_DATE=2026-01-20T10:00:00Z;"
                       " { " + cmd + "; } >/dev/null 2>&1";
    INFO(cmd);
    REQUIRE(std::system(full.c_str()) == 0);
  }
  void write(const std::string& rel, const std::string& data) const {
    fs::path p = root / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
  }
  std::string path(const std::string& rel) const { return (root / rel).string(); }
};

std::vector<std::string> paths_of(const Snapshot& s) {
  std::vector<std::string> out;
  for (auto& e : s.files()) out.push_back(e.path);
  return out;
}

}  // namespace

TEST_CASE("worktree snapshot: uncommitted changes of a git working tree") {
  WtTmp t;
  fs::create_directories(t.root / "r");
  t.sh("r", "git init -q -b main .");
  t.write("r/.gitignore", "*.log\ndata/\n");
  t.write("r/src/model.py", "committed\n");
  t.write("r/src/old.py", "to be deleted\n");
  t.write("r/README.md", "# readme\n");
  t.sh("r", "git add -A && git commit -q -m init");

  t.write("r/src/model.py", "modified on disk\n");          // modified tracked file
  t.write("r/tests/test_new.py", "def test_a(): pass\n");  // untracked, in a new directory
  t.write("r/train.log", "ignored\n");                      // ignored file
  t.write("r/data/raw.csv", "ignored dir\n");               // ignored directory
  fs::remove(t.root / "r/src/old.py");                      // deleted tracked file
  t.write("r/staged.txt", "staged\n");
  t.sh("r", "git add staged.txt && mkfifo pipe && ln -s /etc/passwd passwd-link");

  auto s = WorktreeSnapshot::open(t.path("r"));
  CHECK(s->is_git());
  CHECK(paths_of(*s) == std::vector<std::string>{".gitignore", "README.md", "passwd-link",
                                                 "src/model.py", "staged.txt",
                                                 "tests/test_new.py"});
  CHECK(s->read("src/model.py").data == "modified on disk\n");
  CHECK(s->find("src/model.py")->size == 17);
  CHECK(s->read("tests/test_new.py").ok());
  CHECK(s->read("train.log").state == ReadState::not_found);
  CHECK(s->read("src/old.py").state == ReadState::not_found);
  CHECK_FALSE(s->exists("pipe"));  // special files are skipped

  // The symlink is listed as such and never followed.
  REQUIRE(s->find("passwd-link"));
  CHECK(s->find("passwd-link")->symlink);
  Blob b = s->read("passwd-link");
  CHECK(b.ok());
  CHECK(b.data == "/etc/passwd");

  CHECK(s->commit_id() == "worktree");
  CHECK(s->describe() == "working tree of " + t.path("r") + " (uncommitted changes included)");

  // Through open_snapshot.
  auto o = open_snapshot({t.path("r"), "", "", true});
  CHECK(o->commit_id() == "worktree");
  CHECK(o->files().size() == s->files().size());
}

TEST_CASE("worktree snapshot: caps, binary data and files changed after listing") {
  WtTmp t;
  fs::create_directories(t.root / "r");
  t.sh("r", "git init -q -b main .");
  t.write("r/big.bin", std::string(70000, '\0'));
  t.write("r/text.txt", "caf\xe9\n");
  t.write("r/dir/f.txt", "inside\n");
  t.write("r/swap.txt", "regular\n");
  auto s = WorktreeSnapshot::open(t.path("r"));
  CHECK(s->read("big.bin", 1000).state == ReadState::too_large);
  CHECK(s->read("big.bin", 1000).size == 70000);
  CHECK(s->read("big.bin").ok());
  CHECK(s->read_text("big.bin").state == ReadState::binary);
  CHECK(s->read_text("text.txt").state == ReadState::invalid_utf8);

  // After listing, a directory is swapped for a symlink to outside and a file for a symlink:
  // reads must refuse rather than follow them.
  fs::remove_all(t.root / "r/dir");
  fs::create_directory_symlink("/etc", t.root / "r/dir");
  CHECK_FALSE(s->read("dir/f.txt").ok());
  fs::remove(t.root / "r/swap.txt");
  fs::create_symlink("/etc/passwd", t.root / "r/swap.txt");
  Blob swapped = s->read("swap.txt");
  CHECK_FALSE(swapped.ok());
  CHECK(swapped.data.empty());
}

TEST_CASE("worktree snapshot: a plain directory is walked, .git and symlinked dirs skipped") {
  WtTmp t;
  t.write("plain/a.py", "print(1)\n");
  t.write("plain/sub/b.py", "print(2)\n");
  t.write("plain/.git/config", "not a real repo, but skipped\n");
  fs::create_directory_symlink("/etc", t.root / "plain/etc-link");
  auto s = WorktreeSnapshot::open(t.path("plain"));
  CHECK_FALSE(s->is_git());
  CHECK(paths_of(*s) == std::vector<std::string>{"a.py", "etc-link", "sub/b.py"});
  CHECK(s->find("etc-link")->symlink);
  CHECK(s->read("etc-link").data == "/etc");
  CHECK(s->read("sub/b.py").data == "print(2)\n");
}

TEST_CASE("worktree snapshot: errors") {
  WtTmp t;
  CHECK_THROWS_AS(WorktreeSnapshot::open(t.path("missing")), SnapshotError);
  fs::create_directories(t.root / "r");
  t.sh("r", "git init -q -b main . && touch f && git add f && git commit -q -m x");
  t.sh("", "git clone -q --bare r bare.git");
  try {
    WorktreeSnapshot::open(t.path("bare.git"));
    FAIL("a bare repository has no working tree");
  } catch (const SnapshotError& e) {
    CHECK(std::string(e.what()).find("drop --worktree") != std::string::npos);
  }
}
