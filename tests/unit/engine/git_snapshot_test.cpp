// GitSnapshot and open_snapshot on real repositories built with the git CLI in temp dirs.
#include "engine/git_snapshot.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "git_fixture.h"

namespace fs = std::filesystem;
using namespace cc;
using cc_test::GitTmp;

namespace {

std::unique_ptr<GitSnapshot> open_git(const SnapshotRequest& req) {
  auto s = open_snapshot(req);
  auto* g = dynamic_cast<GitSnapshot*>(s.get());
  REQUIRE(g != nullptr);
  s.release();
  return std::unique_ptr<GitSnapshot>(g);
}

std::string error_of(const SnapshotRequest& req) {
  try {
    open_snapshot(req);
  } catch (const SnapshotError& e) {
    return e.what();
  }
  return "";
}

// One repository with the kinds of entries a hostile or odd repo holds.
void make_sample(const GitTmp& t) {
  t.init("src");
  t.write("src/README.md", "# Group 7\n");
  t.write("src/a.txt", "a\n");
  t.write("src/a/b.txt", "ab\n");  // tree order puts a.txt after a/, byte order before
  t.write("src/tests/test_data.py", "def test_x():\n    assert True\n");
  t.write("src/run.sh", "#!/bin/sh\necho hi\n");
  t.write("src/model.bin", std::string("\x7f" "ELF\0\0\x01", 7));
  t.write("src/latin1.txt", "caf\xe9\n");
  t.sh("src", "chmod +x run.sh && ln -s /etc/passwd passwd-link");
  t.commit("src", "Initial scaffold\n\nlonger body", "2026-01-20T10:00:00+01:00");
  // A gitlink (submodule) entry: not a file of this repository.
  t.sh("src", "git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),vendor/sub");
  t.commit("src", "Add data tests", "2026-01-21T22:10:00+01:00");
}

}  // namespace

TEST_CASE("git snapshot: listing and reading a normal clone") {
  GitTmp t;
  make_sample(t);
  auto s = open_git({t.path("src"), "", "", false});

  std::vector<std::string> paths;
  for (auto& e : s->files()) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"README.md", "a.txt", "a/b.txt", "latin1.txt",
                                          "model.bin", "passwd-link", "run.sh",
                                          "tests/test_data.py"});
  CHECK(s->find("README.md")->size == 10);
  CHECK(s->find("run.sh")->size == 18);
  CHECK_FALSE(s->find("run.sh")->symlink);
  CHECK_FALSE(s->exists("vendor/sub"));

  Blob b = s->read("tests/test_data.py");
  CHECK(b.ok());
  CHECK(b.data == "def test_x():\n    assert True\n");
  CHECK(s->read("nope.txt").state == ReadState::not_found);
  CHECK(s->under("tests").size() == 1);

  // Metadata of the commit.
  CHECK(s->commit_id() == t.out("src", "git rev-parse HEAD"));
  CHECK(s->commit_id().size() == 40);
  CHECK(s->author_name() == "Ada Student");
  CHECK(s->author_email() == "ada@example.org");
  CHECK(s->summary() == "Add data tests");
  CHECK(s->commit_time() == 1769029800);  // 2026-01-21T21:10:00Z
  CHECK(s->commit_time_offset() == 60);
  CHECK(s->describe() ==
        "commit " + s->commit_id().substr(0, 7) + " (2026-01-21 22:10 +0100) of " + t.path("src"));

  // A normal (non-bare) clone of it reads the same.
  t.sh("", "git clone -q src clone");
  auto c = open_git({t.path("clone"), "", "", false});
  CHECK(c->commit_id() == s->commit_id());
  CHECK(c->files().size() == s->files().size());
}

TEST_CASE("git snapshot: binary, invalid UTF-8 and symlinks") {
  GitTmp t;
  make_sample(t);
  auto s = open_git({t.path("src"), "", "", false});

  CHECK(s->read("model.bin").ok());
  CHECK(s->read_text("model.bin").state == ReadState::binary);
  CHECK(s->read_text("latin1.txt").state == ReadState::invalid_utf8);
  CHECK(s->read_text("README.md").ok());

  // A symlink is listed as such and reads as its target text, never the file it points to.
  const FileEntry* link = s->find("passwd-link");
  REQUIRE(link);
  CHECK(link->symlink);
  Blob b = s->read("passwd-link");
  CHECK(b.ok());
  CHECK(b.data == "/etc/passwd");
  CHECK(s->read_text("passwd-link").data == "/etc/passwd");
}

TEST_CASE("git snapshot: bare mirror, with and without its config file") {
  GitTmp t;
  make_sample(t);
  const std::string head = t.out("src", "git rev-parse HEAD");
  t.sh("", "git clone -q --mirror src mirror.git");

  auto m = open_git({t.path("mirror.git"), "", "", false});
  CHECK(m->commit_id() == head);
  CHECK(m->files().size() == 8);
  CHECK(m->read("README.md").data == "# Group 7\n");

  fs::remove(t.root / "mirror.git" / "config");
  auto n = open_git({t.path("mirror.git"), "", "", false});
  CHECK(n->commit_id() == head);
  CHECK(n->files().size() == 8);
  CHECK(n->read("a/b.txt").data == "ab\n");
  CHECK(open_git({t.path("mirror.git"), "main~1", "", false})->summary() == "Initial scaffold");
}

TEST_CASE("git snapshot: --rev by tag, branch and short sha") {
  GitTmp t;
  t.init("r");
  t.write("r/f.txt", "one\n");
  t.commit("r", "one", "2026-01-10T10:00:00Z");
  const std::string first = t.out("r", "git rev-parse HEAD");
  t.sh("r", "git tag -a v1 -m 'hand-in' && git branch old");
  t.write("r/f.txt", "two\n");
  t.commit("r", "two", "2026-01-11T10:00:00Z");
  const std::string second = t.out("r", "git rev-parse HEAD");

  CHECK(open_git({t.path("r"), "", "", false})->commit_id() == second);
  CHECK(open_git({t.path("r"), "v1", "", false})->commit_id() == first);  // annotated tag, peeled
  CHECK(open_git({t.path("r"), "old", "", false})->commit_id() == first);
  CHECK(open_git({t.path("r"), first.substr(0, 8), "", false})->commit_id() == first);
  CHECK(open_git({t.path("r"), "v1", "", false})->read("f.txt").data == "one\n");

  std::string err = error_of({t.path("r"), "no-such-branch", "", false});
  CHECK(err.find("unknown revision 'no-such-branch'") != std::string::npos);
  CHECK(error_of({t.path("r"), "HEAD:f.txt", "", false}).find("does not name a commit") !=
        std::string::npos);
}

TEST_CASE("git snapshot: --at follows the first-parent history by committer time") {
  GitTmp t;
  t.init("r");
  auto step = [&](const std::string& file, const std::string& msg, const std::string& date,
                  const std::string& author_date = "") {
    t.write("r/" + file, msg + "\n");
    t.commit("r", msg, date, author_date);
    return t.out("r", "git rev-parse HEAD");
  };
  const std::string c1 = step("a.txt", "c1", "2026-01-20T10:00:00+01:00");
  const std::string c2 = step("a.txt", "c2", "2026-01-21T10:00:00+01:00");
  t.sh("r", "git checkout -q -b side");
  const std::string s1 = step("side.txt", "s1", "2026-01-22T12:00:00+01:00");  // 11:00Z
  t.sh("r", "git checkout -q main");
  const std::string c3 = step("a.txt", "c3", "2026-01-22T09:00:00+01:00");  // 08:00Z
  t.sh("r", "GIT_AUTHOR_DATE=2026-01-24T10:00:00+01:00 GIT_COMMITTER_DATE=2026-01-24T10:00:00+01:00"
            " git merge -q --no-ff -m merge side");
  // Authored before the deadline, committed (rebased) after it: the committer time decides.
  const std::string c4 = step("a.txt", "c4", "2026-01-25T10:00:00+01:00", "2026-01-23T20:00:00+01:00");
  (void)c4;

  auto at = [&](const std::string& when, const std::string& rev = "") {
    return open_git({t.path("r"), rev, when, false})->commit_id();
  };
  CHECK(at("2026-01-23T23:59:59+01:00") == c3);  // not s1, although s1 is later and merged
  CHECK(at("2026-01-22T11:00:00Z") == c3);         // s1 is exactly at this instant: still c3
  CHECK(at("2026-01-22T08:00:00Z") == c3);         // at, not only before
  CHECK(at("2026-01-22T07:59:59Z") == c2);
  CHECK(at("2026-01-22T08:59+01:00") == c2);       // no seconds
  CHECK(at("2026-01-22T09:00+0100") == c3);        // offset without colon
  CHECK(at("2026-01-21") == c2);                   // a bare date: 23:59:59 UTC
  CHECK(at("2026-01-20T09:00:00Z") == c1);
  CHECK(at("2026-01-24T10:00:00+01:00").size() == 40);
  CHECK(at("2026-01-24T09:00:00Z") != c3);         // the merge itself
  CHECK(at("2030-01-01T00:00:00Z") == t.out("r", "git rev-parse HEAD"));
  CHECK(at("2026-01-23", "side") == s1);           // --rev names the branch to walk
  CHECK(at("2026-01-21T12:00:00+01:00", "side") == c2);

  std::string err = error_of({t.path("r"), "", "2026-01-19T23:59:59+01:00", false});
  CHECK(err.find("no commit on the first-parent history of HEAD") != std::string::npos);
  CHECK(err.find("2026-01-19T23:59:59+01:00") != std::string::npos);
}

TEST_CASE("git snapshot: parse_instant") {
  CHECK(parse_instant("2026-01-23T23:59:59+01:00") == 1769209199);
  CHECK(parse_instant("2026-01-23T22:59:59Z") == 1769209199);
  CHECK(parse_instant("2026-01-23T22:59:59") == 1769209199);  // no offset: UTC
  CHECK(parse_instant("2026-01-23T22:59:59.75Z") == 1769209199);
  CHECK(parse_instant("2026-01-23T23:59+01:00") == 1769209140);
  CHECK(parse_instant("2026-01-23") == 1769212799);
  CHECK(parse_instant("2026-01-23T18:59:59-04:00") == 1769209199);
  CHECK(parse_instant("2024-02-29") == 1709251199);
  for (const char* bad : {"", "yesterday", "2026-1-23", "2026-13-01", "2026-02-30", "2025-02-29",
                          "2026-01-23T24:00Z", "2026-01-23T23:60Z", "2026-01-23T23:59:61Z",
                          "2026-01-23T23", "2026-01-23T23:59+1", "2026-01-23T23:59+25:00",
                          "2026-01-23T23:59Zjunk", "2026-01-23 junk", "2026-01-23T23:59:59.Z",
                          "１２３４-01-01"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_instant(bad), SnapshotError);
  }
  // The error reaches open_snapshot before the repository is touched.
  std::string err = error_of({"/nonexistent", "", "tomorrow", false});
  CHECK(err.find("cannot read --at 'tomorrow'") != std::string::npos);
}

TEST_CASE("git snapshot: unreadable repositories give clear errors") {
  GitTmp t;
  fs::create_directories(t.root / "plain");
  std::string err = error_of({t.path("plain"), "", "", false});
  CHECK(err == "not a git repository: " + t.path("plain") +
                   " (give the path of a clone or a bare mirror)");
  CHECK(error_of({t.path("missing"), "", "", false}).find("no such directory") == 0);
  CHECK(error_of({"", "", "", false}).find("no such directory") == 0);

  t.init("empty");
  err = error_of({t.path("empty"), "", "", false});
  CHECK(err.find("has no commits") != std::string::npos);
  CHECK(error_of({t.path("empty"), "", "2026-01-01", false}).find("has no commits") !=
        std::string::npos);

  CHECK(error_of({t.path("plain"), "main", "", true}).find("--worktree") != std::string::npos);
}

TEST_CASE("git snapshot: a blob over the cap is too_large without being loaded") {
  GitTmp t;
  t.init("r");
  t.write("r/big.csv", std::string(5 * 1024 * 1024 + 3, 'x') + std::string(1 << 16, '\n'));
  t.write("r/small.txt", "hello\n");
  t.commit("r", "data", "2026-01-20T10:00:00Z");
  const std::uint64_t big = 5 * 1024 * 1024 + 3 + (1 << 16);
  auto s = open_git({t.path("r"), "", "", false});
  CHECK(s->find("big.csv")->size == big);

  Blob b = s->read("big.csv");  // default cap 4 MiB
  CHECK(b.state == ReadState::too_large);
  CHECK(b.size == big);
  CHECK(b.data.empty());
  CHECK(s->read("big.csv", big).ok());
  CHECK(s->read("small.txt", 3).state == ReadState::too_large);
  CHECK(s->read("small.txt", 6).ok());

  // Proof that only the header is read: cut the loose object short. The header still says
  // the size, so too_large; loading it would fail.
  const std::string id = t.out("r", "git rev-parse HEAD:big.csv");
  const fs::path obj = t.root / "r/.git/objects" / id.substr(0, 2) / id.substr(2);
  fs::permissions(obj, fs::perms::owner_write, fs::perm_options::add);
  fs::resize_file(obj, 64);
  auto s2 = open_git({t.path("r"), "", "", false});
  CHECK(s2->find("big.csv")->size == big);
  CHECK(s2->read("big.csv").state == ReadState::too_large);
  Blob broken = s2->read("big.csv", big);
  CHECK_FALSE(broken.ok());  // a corrupt object is reported, not a crash
  CHECK_FALSE(broken.note.empty());
}

TEST_CASE("git snapshot: a file read again comes from the cache, with the same answer for every cap") {
  GitTmp t;
  t.init("r");
  t.write("r/a.py", "print('a')\n");
  t.write("r/big.json", std::string(300 * 1024, 'x'));  // over the cache's entry size
  t.commit("r", "one", "2026-01-20T10:00:00Z");
  auto s = open_git({t.path("r"), "", "", false});
  Blob first = s->read("a.py");
  REQUIRE(first.ok());
  // Delete the object: a second read can only come from the cache.
  const std::string id = t.out("r", "git rev-parse HEAD:a.py");
  fs::remove(t.root / "r/.git/objects" / id.substr(0, 2) / id.substr(2));
  Blob again = s->read("a.py");
  CHECK(again.ok());
  CHECK(again.data == first.data);
  CHECK(again.size == first.size);
  Blob capped = s->read("a.py", 3);  // as a first read would say: too_large, with the size
  CHECK(capped.state == ReadState::too_large);
  CHECK(capped.size == first.size);
  CHECK(capped.data.empty());
  CHECK(capped.note == "file of 11 bytes exceeds the cap of 3 bytes");
  // A large file is not kept: read again, it is inflated again (its object is still there).
  CHECK(s->read("big.json").ok());
  const std::string big = t.out("r", "git rev-parse HEAD:big.json");
  fs::remove(t.root / "r/.git/objects" / big.substr(0, 2) / big.substr(2));
  CHECK_FALSE(s->read("big.json").ok());
}

TEST_CASE("git snapshot: packed objects read through the guard are libgit2's bytes (whole and delta)") {
  // The guard inflates a whole packed object once and hands it to libgit2; deltas go through
  // libgit2. Both must give exactly what git itself stores, the empty blob and binary included.
  GitTmp t;
  t.init("r");
  std::string big;
  for (int i = 0; i < 4000; ++i) big += "line " + std::to_string(i) + " of a file that changes a little\n";
  t.write("r/big.txt", big);
  t.write("r/empty.txt", "");
  t.write("r/bin.dat", std::string("\0\1\2\xff binary\0", 13));
  t.commit("r", "one", "2026-01-20T10:00:00Z");
  t.write("r/big.txt", big + "one more line\n");  // a version git will store as a delta
  t.commit("r", "two", "2026-01-21T10:00:00Z");
  t.out("r", "git gc -q --aggressive");
  REQUIRE(t.out("r", "git count-objects -v").find("count: 0") != std::string::npos);  // all packed
  auto s = open_git({t.path("r"), "", "", false});
  for (const char* path : {"big.txt", "empty.txt", "bin.dat"}) {
    CAPTURE(path);
    Blob b = s->read(path);
    REQUIRE(b.ok());
    t.out("r", std::string("git cat-file blob HEAD:") + path + " > ../expected.bin");
    std::ifstream in(t.root / "expected.bin", std::ios::binary);
    std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(b.data == expected);
  }
  const std::string old_id = t.out("r", "git rev-parse HEAD~1:big.txt");
  Blob old = s->read_object(old_id);
  REQUIRE(old.ok());
  CHECK(old.data == big);
}

TEST_CASE("git snapshot: a missing blob (partial clone) is missing_object, listing still works") {
  GitTmp t;
  t.init("r");
  t.write("r/data/train.csv", "a,b\n1,2\n");
  t.write("r/README.md", "hi\n");
  t.commit("r", "data", "2026-01-20T10:00:00Z");
  const std::string id = t.out("r", "git rev-parse HEAD:data/train.csv");
  fs::remove(t.root / "r/.git/objects" / id.substr(0, 2) / id.substr(2));

  auto s = open_git({t.path("r"), "", "", false});
  REQUIRE(s->files().size() == 2);
  const FileEntry* e = s->find("data/train.csv");
  REQUIRE(e);
  CHECK(e->size == 0);
  Blob b = s->read("data/train.csv");
  CHECK(b.state == ReadState::missing_object);
  CHECK(b.note.find(id) != std::string::npos);
  CHECK(b.note.find("partial clone") != std::string::npos);
  CHECK(s->read_text("data/train.csv").state == ReadState::missing_object);
  CHECK(s->read("README.md").data == "hi\n");
}

TEST_CASE("git snapshot: reads from several threads") {
  GitTmp t;
  make_sample(t);
  auto s = open_git({t.path("src"), "", "", false});
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&] {
      for (int n = 0; n < 200; ++n)
        if (s->read("README.md").data == "# Group 7\n") ++good;
    });
  for (auto& th : threads) th.join();
  CHECK(good == 800);
}

TEST_CASE("git snapshot: truncated loose commits and trees give errors, never a hang") {
  // libgit2 1.5 alone loops forever on these (libgit2#7342); the loose-object guard stops it.
  GitTmp t;
  t.init("r");
  t.write("r/src/a.py", "x = 1\n");
  t.commit("r", "one", "2026-01-20T10:00:00Z");
  t.write("r/src/a.py", "x = 2\n");
  t.commit("r", "two", "2026-01-21T10:00:00Z");
  auto truncate = [&](const std::string& rev) {
    const std::string id = t.out("r", "git rev-parse " + rev);
    const fs::path obj = t.root / "r/.git/objects" / id.substr(0, 2) / id.substr(2);
    fs::permissions(obj, fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(obj, fs::file_size(obj) / 2);
    return id;
  };
  const std::string tree = truncate("HEAD:src");
  std::string err = error_of({t.path("r"), "", "", false});
  CHECK(err.find("loose object " + tree + " is truncated") != std::string::npos);
  CHECK(err.find("git fsck") != std::string::npos);

  const std::string parent = truncate("HEAD~1");
  err = error_of({t.path("r"), "", "2026-01-20T12:00:00Z", false});
  CHECK(err.find(parent) != std::string::npos);

  truncate("HEAD");
  CHECK(error_of({t.path("r"), "", "", false}).find("is truncated") != std::string::npos);
}
