// read_object_direct (engine/odb_guard.h): the guard inflates loose objects and pack entries once,
// straight into the caller's string, checks them as it goes and applies deltas itself.
// And libgit2_offline.h: libgit2 started without its network set-up.
#include "engine/odb_guard.h"

#include <doctest/doctest.h>
#include <dlfcn.h>
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

TEST_CASE("odb guard: pack entries, whole and delta chains (OFS and REF), are read directly as git's bytes") {
  GitTmp t;
  t.init("r");
  // Thirty versions of one file: git stores one whole and the others as deltas, in chains.
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "line " + std::to_string(i) + " of a file that changes a little\n";
  t.write("r/empty.txt", "");
  for (int v = 0; v < 30; ++v) {
    text.insert(text.size() * std::size_t(v) / 30, "edit " + std::to_string(v) + "\n");
    t.write("r/big.txt", text);
    t.commit("r", "v" + std::to_string(v), "2026-01-20T10:00:00Z");
  }
  SUBCASE("OFS_DELTA") { t.out("r", "git gc -q --aggressive"); }
  SUBCASE("REF_DELTA") { t.out("r", "git -c repack.useDeltaBaseOffset=false repack -q -a -d -f --depth=50"); }
  REQUIRE(t.out("r", "git count-objects -v").find("count: 0") != std::string::npos);  // all packed
  // verify-pack prints a chain length after the base id for each delta entry.
  const std::string listing = t.out("r", "git verify-pack -v .git/objects/pack/*.idx | grep -c ' blob .* [0-9a-f]\\{40\\}$'");
  CAPTURE(listing);
  REQUIRE(std::stoi(listing) >= 20);
  Guarded g(t.path("r"));
  for (int back = 0; back < 30; ++back) {
    const std::string spec = "HEAD~" + std::to_string(back) + ":big.txt";
    CAPTURE(spec);
    std::string out;
    DirectRead d = g.read(t.out("r", "git rev-parse " + spec), out);
    REQUIRE(d.state == DirectRead::read);
    CHECK(d.type == GIT_OBJECT_BLOB);
    CHECK(out == git_bytes(t, spec));
    CHECK(d.size == out.size());
    std::string capped;
    CHECK(g.read(t.out("r", "git rev-parse " + spec), capped, 100).state == DirectRead::too_large);
    CHECK(capped.empty());
  }
  std::string empty = "x";
  CHECK(g.read(t.out("r", "git rev-parse HEAD:empty.txt"), empty).state == DirectRead::read);
  CHECK(empty.empty());
  // libgit2 reads through the same resolution (guard_read): its bytes are git's too.
  git_odb_object* o = nullptr;
  git_oid id;
  REQUIRE(git_oid_fromstr(&id, t.out("r", "git rev-parse HEAD~17:big.txt").c_str()) == 0);
  REQUIRE(git_odb_read(&o, g.odb, &id) == 0);
  CHECK(std::string(static_cast<const char*>(git_odb_object_data(o)), git_odb_object_size(o)) ==
        git_bytes(t, "HEAD~17:big.txt"));
  git_odb_object_free(o);
}

namespace {
// A delta: base size, result size, then instructions (given as raw bytes).
std::string delta(std::uint64_t base, std::uint64_t result, const std::string& ops) {
  std::string d;
  for (std::uint64_t v : {base, result}) {
    do {
      unsigned char c = v & 0x7f;
      v >>= 7;
      if (v) c |= 0x80;
      d += char(c);
    } while (v);
  }
  return d + ops;
}
}  // namespace

TEST_CASE("odb guard: git's delta format, applied with every bound checked") {
  const std::string base = "0123456789abcdef";
  std::string out;
  // copy 4 bytes at offset 10 (cmd 0x91: one offset byte, one size byte), insert "XY", copy 2 at 0.
  CHECK(apply_git_delta(base, delta(16, 8, std::string("\x91\x0a\x04\x02XY\x90\x02", 8)), out) == "");
  CHECK(out == "abcdXY01");
  // A copy whose size bytes are absent means 64 KiB.
  const std::string big(0x10000, 'q');
  CHECK(apply_git_delta(big, delta(0x10000, 0x10000, "\x80"), out) == "");
  CHECK(out == big);
  std::uint64_t size = 0;
  CHECK(apply_git_delta(base, delta(16, 8, std::string("\x91\x0a\x04\x02XY\x90\x02", 8)), out, 7, &size) == "");
  CHECK(size == 8);
  CHECK(out.empty());  // over the cap: not built

  struct Bad {
    const char* what;
    std::string d;
    const char* says;
  };
  for (const Bad& b : std::initializer_list<Bad>{
           {"base size differs", delta(15, 1, "\x01x"), "its base has 16 bytes"},
           {"copy past the base", delta(16, 8, std::string("\x91\x0c\x08", 3)), "a copy outside its base"},
           {"copy offset past the base", delta(16, 1, std::string("\x91\x20\x01", 3)), "a copy outside its base"},
           {"writes more than it says", delta(16, 2, "\x03" "abc"), "more bytes than its header says"},
           {"writes less than it says", delta(16, 5, "\x03" "abc"), "fewer bytes than its header says"},
           {"insert past its end", delta(16, 9, "\x09" "abc"), "truncated insert"},
           {"copy bytes missing", delta(16, 4, "\x93\x01"), "truncated copy"},
           {"reserved instruction", delta(16, 1, std::string("\x00", 1)), "reserved instruction 0"},
           {"truncated header", std::string("\x90", 1), "truncated header"},
           {"a size no delta can write", delta(16, std::uint64_t(1) << 40, "\x01x"), "claims more bytes"},
       }) {
    const std::string what = b.what;
    CAPTURE(what);
    std::string e = apply_git_delta(base, b.d, out);
    CAPTURE(e);
    CHECK(e.find(b.says) != std::string::npos);
  }
}

TEST_CASE("libgit2 offline: the set-up's replacements are in effect, and hand over unless offline") {
  // Linked through ensure_libgit2(); exported by the executable, so found before mbedTLS's and
  // libssh2's own. Were they left out or not exported, libgit2 would parse the CA bundle again.
  ensure_libgit2();
  REQUIRE(libgit2_offline_in_effect());
  using Parse = int (*)(void*, const char*);
  auto parse = reinterpret_cast<Parse>(dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_parse_file"));
  REQUIRE(reinterpret_cast<void*>(parse) != nullptr);
  // Online (the batch's fetches): mbedTLS itself answers, here that the file cannot be read
  // (MBEDTLS_ERR_PK_FILE_IO_ERROR), before it touches the chain.
  alignas(16) unsigned char chain[4096] = {};
  CHECK(parse(chain, "/nonexistent/ca.crt") == -0x3E00);
  // Offline (check, facts): no certificate is parsed at all.
  set_libgit2_offline(true);
  CHECK(parse(chain, "/etc/ssl/certs/ca-certificates.crt") == -0x2900);
  set_libgit2_offline(false);
  CHECK(parse(chain, "/nonexistent/ca.crt") == -0x3E00);
  CHECK((git_libgit2_features() & GIT_FEATURE_HTTPS) != 0);
}

