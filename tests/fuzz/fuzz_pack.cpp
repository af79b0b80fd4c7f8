// libFuzzer target: the object guard reading a hostile pack (engine/odb_guard.h). The input
// describes up to 64 entries; the harness writes them as a real pack with a version-2 index whose
// CRC-32s and offsets agree with it, so that the fuzzer reaches what lies behind those checks:
// entry headers whose sizes lie, zlib streams, OFS and REF delta chains (cycles included), and
// the deltas themselves. Every object is then read directly and through libgit2; any answer is
// fine, a crash, a hang, a leak or an out-of-bounds access is a finding.
//
// Input, per entry: a control byte (bits 0-2: type 1-4 whole, 5 OFS_DELTA, 6 REF_DELTA; bit 3:
// the header's size lies by the next byte; bit 4: the stream is stored, not compressed), a base
// byte (for a delta: which earlier entry, or for REF any entry, itself included), a length byte
// (times 4), then that many data bytes (for a delta: the delta).
#include <git2.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/git_snapshot.h"
#include "engine/odb_guard.h"

namespace {

struct Entry {
  int type = 3;
  int base = 0;
  int lie = 0;
  bool stored = false;
  std::string data;
  std::array<unsigned char, 20> id{};
  std::uint64_t offset = 0;
  std::uint32_t crc = 0;
};

std::string deflate_bytes(const std::string& in, bool stored) {
  uLongf n = compressBound(uLong(in.size()));
  std::string out(n, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(in.data()),
            uLong(in.size()), stored ? 0 : 6);
  out.resize(n);
  return out;
}

void be32(std::string& s, std::uint32_t v) {
  for (int k = 3; k >= 0; --k) s += char((v >> (8 * k)) & 0xff);
}

// A scratch bare repository, made once; each input rewrites its one pack.
const std::string& repo_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/cc-fuzz-pack-XXXXXX";
    std::string d = ::mkdtemp(tmpl);
    cc::ensure_libgit2();
    git_repository* r = nullptr;
    git_repository_init(&r, d.c_str(), 1);
    git_repository_free(r);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<Entry> entries;
  std::size_t i = 0;
  while (i + 3 <= size && entries.size() < 64) {
    Entry e;
    const unsigned ctl = data[i];
    const int t = int(ctl & 7);
    e.type = t >= 1 && t <= 4 ? t : t == 5 ? 6 : t == 6 ? 7 : 3;
    e.stored = ctl & 0x10;
    e.base = data[i + 1];
    std::size_t len = std::size_t(data[i + 2]) * 4;
    i += 3;
    if (ctl & 8) e.lie = i < size ? int(data[i++]) - 128 : 0;
    len = std::min(len, size - i);
    e.data.assign(reinterpret_cast<const char*>(data + i), len);
    i += len;
    if (e.type == 6 && entries.empty()) e.type = 3;  // OFS needs an earlier entry
    // Ids: distinct, sorted later; their bytes carry the entry number.
    e.id[0] = static_cast<unsigned char>(entries.size());
    e.id[19] = 0x5a;
    entries.push_back(std::move(e));
  }
  if (entries.empty()) return 0;

  // The pack.
  std::string pack = "PACK";
  be32(pack, 2);
  be32(pack, std::uint32_t(entries.size()));
  for (std::size_t k = 0; k < entries.size(); ++k) {
    Entry& e = entries[k];
    e.offset = pack.size();
    std::string h;
    std::uint64_t sz = std::uint64_t(std::int64_t(e.data.size()) + e.lie < 0 ? 0 : std::int64_t(e.data.size()) + e.lie);
    unsigned char c = static_cast<unsigned char>((e.type << 4) | (sz & 15));
    sz >>= 4;
    while (sz) {
      h += char(c | 0x80);
      c = sz & 0x7f;
      sz >>= 7;
    }
    h += char(c);
    if (e.type == 6) {  // OFS: an earlier entry, as a negative offset
      const std::uint64_t back = e.offset - entries[std::size_t(e.base) % k].offset;
      std::string enc;
      std::uint64_t v = back;
      enc += char(v & 0x7f);
      while (v >>= 7) enc.insert(enc.begin(), char(0x80 | (--v & 0x7f)));
      h += enc;
    } else if (e.type == 7) {  // REF: any entry by id, itself included
      const Entry& b = entries[std::size_t(e.base) % entries.size()];
      h.append(reinterpret_cast<const char*>(b.id.data()), b.id.size());
    }
    std::string body = h + deflate_bytes(e.data, e.stored);
    e.crc = std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size())));
    pack += body;
  }
  // The trailer: any 20 bytes, as long as the index names the same ones.
  const std::string trailer(20, '\x42');
  pack += trailer;

  // The version-2 index, ids sorted.
  std::vector<const Entry*> sorted;
  for (const Entry& e : entries) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->id < b->id; });
  std::string idx("\xfftOc", 4);
  be32(idx, 2);
  for (int b = 0; b < 256; ++b) {
    std::uint32_t n = 0;
    for (const Entry* e : sorted) n += e->id[0] <= b;
    be32(idx, n);
  }
  for (const Entry* e : sorted) idx.append(reinterpret_cast<const char*>(e->id.data()), 20);
  for (const Entry* e : sorted) be32(idx, e->crc);
  for (const Entry* e : sorted) be32(idx, std::uint32_t(e->offset));
  idx += trailer;
  idx += std::string(20, '\x17');

  // A new name for each input: libgit2 keeps the packs it opened by path for the process.
  static unsigned serial = 0;
  const std::string dir = repo_dir() + "/objects/pack/";
  const std::string stem = dir + "pack-" + std::to_string(serial++);
  for (const char* ext : {".pack", ".idx"}) std::remove((dir + "pack-" + std::to_string(serial - 2) + ext).c_str());
  for (const auto& [ext, bytes] : {std::pair{".pack", &pack}, std::pair{".idx", &idx}}) {
    FILE* f = std::fopen((stem + ext).c_str(), "wb");
    if (!f) std::abort();
    std::fwrite(bytes->data(), 1, bytes->size(), f);
    std::fclose(f);
  }

  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, repo_dir().c_str()) != 0) std::abort();
  if (cc::install_object_guard(repo).empty()) {
    git_odb* odb = nullptr;
    git_repository_odb(&odb, repo);
    for (const Entry& e : entries) {
      git_oid id;
      std::memcpy(id.id, e.id.data(), 20);
      std::string out;
      cc::DirectRead d = cc::read_object_direct(odb, &id, 1u << 20, out);
      if (d.state == cc::DirectRead::read && out.size() != d.size) std::abort();
      git_odb_object* o = nullptr;
      if (git_odb_read(&o, odb, &id) == 0) git_odb_object_free(o);
    }
    git_odb_free(odb);
  }
  git_repository_free(repo);
  return 0;
}
