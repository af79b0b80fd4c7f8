// read_object_direct (engine/odb_guard.h): the guard inflates loose objects and whole pack entries
// once, straight into the caller's string, and checks them as it goes; deltas are left to libgit2.
// And libgit2_offline.h: libgit2 started without its network set-up.
#include "engine/odb_guard.h"

#include <doctest/doctest.h>
#include <git2.h>
#include <zlib.h>

#include <memory>
#include <string>

#include "engine/git_snapshot.h"
#include "engine/libgit2_offline.h"
#include "git_fixture.h"

using namespace cc;
using cc_test::GitTmp;
namespace fs = std::filesystem;

namespace {

// A guarded repository's object database, as GitSnapshot opens it.
struct Guarded {
  git_repository* repo = nullptr;
  git_odb* odb = nullptr;
  explicit Guarded(const std::string& path) {
    ensure_libgit2();
    REQUIRE(git_repository_open(&repo, path.c_str()) == 0);
    REQUIRE(install_object_guard(repo) == "");
    REQUIRE(git_repository_odb(&odb, repo) == 0);
  }
  ~Guarded() {
    git_odb_free(odb);
    git_repository_free(repo);
  }
  DirectRead read(const std::string& hex, std::string& out, std::uint64_t cap = 1u << 30) const {
    git_oid id;
    REQUIRE(git_oid_fromstr(&id, hex.c_str()) == 0);
    return read_object_direct(odb, &id, cap, out);
  }
};

std::string git_bytes(const GitTmp& t, const std::string& spec) {
  t.out("r", "git cat-file -p " + spec + " > ../expected.bin");
  std::ifstream in(t.root / "expected.bin", std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes a loose object file for `id` whose zlib stream holds `content` verbatim (header included).
void write_loose(const GitTmp& t, const std::string& id, const std::string& content) {
  uLongf n = compressBound(uLong(content.size()));
  std::string z(n, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(content.data()),
                   uLong(content.size())) == Z_OK);
  z.resize(n);
  const fs::path p = t.root / "r/.git/objects" / id.substr(0, 2) / id.substr(2);
  fs::create_directories(p.parent_path());
  if (fs::exists(p)) fs::permissions(p, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(p, std::ios::binary | std::ios::trunc) << z;
}

}  // namespace

TEST_CASE("odb guard: a loose blob is read directly, capped by its header, and what git stores") {
  GitTmp t;
  t.init("r");
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "row " + std::to_string(i) + "\n";  // several zlib chunks
  t.write("r/data.txt", text);
  t.commit("r", "one", "2026-01-20T10:00:00Z");
  const std::string id = t.out("r", "git rev-parse HEAD:data.txt");
  Guarded g(t.path("r"));
  std::string out;
  DirectRead d = g.read(id, out);
  CHECK(d.state == DirectRead::read);
  CHECK(d.type == GIT_OBJECT_BLOB);
  CHECK(d.size == text.size());
  CHECK(out == text);

  std::string capped;
  d = g.read(id, capped, 100);
  CHECK(d.state == DirectRead::too_large);
  CHECK(d.size == text.size());
  CHECK(capped.empty());

  // Commits and trees are objects too: the caller decides what it accepts.
  std::string commit;
  d = g.read(t.out("r", "git rev-parse HEAD"), commit);
  CHECK(d.state == DirectRead::read);
  CHECK(d.type == GIT_OBJECT_COMMIT);
  CHECK(commit == git_bytes(t, "HEAD"));

  // Absent everywhere: libgit2 says how (missing object), not this reader.
  std::string none;
  CHECK(g.read(std::string(40, '1'), none).state == DirectRead::elsewhere);
}

TEST_CASE("odb guard: a loose object whose header lies is corrupt, and nothing past its size is written") {
  GitTmp t;
  t.init("r");
  t.commit("r", "empty", "2026-01-20T10:00:00Z");
  const std::string id = "0123456789abcdef0123456789abcdef01234567";
  Guarded g(t.path("r"));
  SUBCASE("understated: more bytes than the header says") {
    write_loose(t, id, std::string("blob 5", 7) + std::string(200000, 'x'));
  }
  SUBCASE("overstated: fewer bytes than the header says") {
    write_loose(t, id, std::string("blob 900000", 12) + "short");
  }
  SUBCASE("no header end") { write_loose(t, id, std::string(300, 'b')); }
  std::string out;
  DirectRead d = g.read(id, out);
  CHECK(d.state == DirectRead::corrupt);
  CHECK(d.error.find("loose object " + id) != std::string::npos);
  CHECK(out.empty());
}

TEST_CASE("odb guard: whole pack entries are read directly, deltas are left to libgit2") {
  GitTmp t;
  t.init("r");
  std::string big;
  for (int i = 0; i < 4000; ++i) big += "line " + std::to_string(i) + " of a file that changes a little\n";
  t.write("r/big.txt", big);
  t.write("r/empty.txt", "");
  t.commit("r", "one", "2026-01-20T10:00:00Z");
  t.write("r/big.txt", big + "one more line\n");
  t.commit("r", "two", "2026-01-21T10:00:00Z");
  t.out("r", "git gc -q --aggressive");
  REQUIRE(t.out("r", "git count-objects -v").find("count: 0") != std::string::npos);
  Guarded g(t.path("r"));
  int whole = 0, delta = 0;
  for (const char* spec : {"HEAD:big.txt", "HEAD~1:big.txt", "HEAD:empty.txt"}) {
    CAPTURE(spec);
    std::string out;
    DirectRead d = g.read(t.out("r", std::string("git rev-parse ") + spec), out);
    if (d.state == DirectRead::elsewhere) {
      ++delta;
      CHECK(out.empty());
      continue;
    }
    REQUIRE(d.state == DirectRead::read);
    ++whole;
    CHECK(d.type == GIT_OBJECT_BLOB);
    CHECK(out == git_bytes(t, spec));
    std::string capped;
    if (!out.empty()) CHECK(g.read(t.out("r", std::string("git rev-parse ") + spec), capped, 10).state ==
                            DirectRead::too_large);
  }
  // git stores one version of big.txt whole and the other as a delta against it.
  CHECK(whole == 2);
  CHECK(delta == 1);
}

TEST_CASE("libgit2 offline: the network set-up's replacements are the ones the process uses") {
  // Linked through ensure_libgit2(); exported by the executable, so found before mbedTLS's and
  // libssh2's own. Were they left out or not exported, libgit2 would parse the CA bundle again.
  ensure_libgit2();
  CHECK(libgit2_offline_in_effect());
  // libgit2 works without them: a repository opens and reads (the other tests here), and its
  // feature list still names the transports it was built with.
  CHECK((git_libgit2_features() & GIT_FEATURE_HTTPS) != 0);
}
