// History::versions() and GitSnapshot::read_object(): the past contents of files (issue 12), from
// the one history walk, on real repositories built with the git CLI.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "engine/git_snapshot.h"
#include "engine/history.h"
#include "engine/redact.h"
#include "engine/worktree_snapshot.h"
#include "git_fixture.h"

using namespace cc;
using cc_test::GitTmp;

namespace {

std::unique_ptr<GitSnapshot> open_git(const std::string& repo) {
  auto s = open_snapshot({repo, "", "", false});
  auto* g = dynamic_cast<GitSnapshot*>(s.get());
  REQUIRE(g != nullptr);
  s.release();
  return std::unique_ptr<GitSnapshot>(g);
}

std::string key(const PathVersion& v) { return v.path + "@" + (v.commit ? v.commit->summary : "?"); }

}  // namespace

TEST_CASE("history versions: every distinct content with its first commit, deleted files included") {
  GitTmp t;
  t.init("r");
  t.write("r/config.yaml", "key: one\n");
  t.write("r/keep.txt", "same\n");
  t.commit("r", "first", "2026-01-05T09:00:00+01:00");
  t.write("r/config.yaml", "key: two\n");
  t.write("r/secret.env", "TOKEN=abc\n");
  t.commit("r", "second", "2026-01-06T09:00:00+01:00");
  t.write("r/config.yaml", "key: one\n");  // back to the first content: not a new version
  t.sh("r", "git rm -q secret.env");
  t.commit("r", "third", "2026-01-07T09:00:00+01:00");

  auto snap = open_git(t.path("r"));
  History h = History::of(*snap);
  std::vector<PathVersion> v = h.versions();
  std::vector<std::string> keys;
  for (const auto& x : v) keys.push_back(key(x));
  CHECK(keys == std::vector<std::string>{"config.yaml@first", "keep.txt@first", "config.yaml@second",
                                         "secret.env@second"});
  std::map<std::string, const PathVersion*> by;
  for (const auto& x : v) by[key(x)] = &x;
  CHECK(by["config.yaml@first"]->audited);   // the audited commit has that content again
  CHECK_FALSE(by["config.yaml@second"]->audited);
  CHECK(by["keep.txt@first"]->audited);
  CHECK_FALSE(by["secret.env@second"]->audited);  // deleted: only in the history

  // The past version reads back by its blob id; the cap and a bad id are handled as read().
  Blob b = snap->read_object(by["secret.env@second"]->blob);
  REQUIRE(b.ok());
  CHECK(b.data == "TOKEN=abc\n");
  Blob small = snap->read_object(by["secret.env@second"]->blob, 0);
  CHECK(small.state == ReadState::too_large);
  CHECK(small.size == 10);
  CHECK_FALSE(snap->read_object("not-an-id").ok());
  CHECK(snap->read_object(std::string(40, '0')).state == ReadState::missing_object);
}

TEST_CASE("history versions: a worktree audit counts HEAD's content as audited only when unchanged on disk") {
  GitTmp t;
  t.init("r");
  t.write("r/a.txt", "a\n");
  t.write("r/b.txt", "b\n");
  t.commit("r", "first", "2026-01-05T09:00:00+01:00");
  t.sh("", "git clone -q r wt");
  t.write("wt/b.txt", "changed on disk\n");
  auto wt = WorktreeSnapshot::open(t.path("wt"));
  History h = History::of(*wt, t.path("wt"));
  std::map<std::string, bool> audited;
  for (const auto& v : h.versions()) audited[v.path] = v.audited;
  CHECK(audited["a.txt"]);
  CHECK_FALSE(audited["b.txt"]);
}

TEST_CASE("history versions: the number recorded is capped, with a note") {
  GitTmp t;
  t.init("r");
  for (int i = 0; i < 4; ++i) {
    t.write("r/f.txt", std::to_string(i) + "\n");
    t.commit("r", "c" + std::to_string(i), "2026-01-0" + std::to_string(i + 1) + "T09:00:00+01:00");
  }
  auto snap = open_git(t.path("r"));
  HistoryOptions opt;
  opt.max_versions = 2;
  History h = History::of(*snap, opt);
  CHECK(h.versions().size() == 2);
  bool noted = false;
  for (const auto& n : h.notes()) noted = noted || n.find("later versions of files are not listed") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("redact: masks show the first and last two characters only, everywhere") {
  CHECK(mask_secret("0123456789abcdef") == "01****ef");
  CHECK(mask_secret("short") == "****");
  Redactor r;
  r.add("abcdef0123456789abcdef0123456789abcdef01");
  r.add("abc");  // too short to redact safely: ignored
  CHECK(r.size() == 1);
  CHECK(r.apply("wandb login abcdef0123456789abcdef0123456789abcdef01 && abc") == "wandb login ab****01 && abc");
  CHECK(r.apply("x=abcdef0123456789abcdef0123456789abcdef01abcdef0123456789abcdef0123456789abcdef01") ==
        "x=ab****01ab****01");
}

TEST_CASE("redact: thousands of values, overlapping starts: the longest match wins") {
  Redactor r;
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    std::string v = "key" + std::to_string(100000 + i) + "zz";
    r.add(v);
    text += v + " ";
  }
  r.add("key100000zzLONGER");
  std::string out = r.apply(text + "key100000zzLONGER");
  CHECK(out.find("key1") == std::string::npos);
  CHECK(out.substr(0, 9) == "ke****zz ");
  CHECK(out.substr(out.size() - 8) == "ke****ER");
}
