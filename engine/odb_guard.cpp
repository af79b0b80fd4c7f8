#include "engine/odb_guard.h"

#include <fcntl.h>
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/git_snapshot.h"

namespace cc {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kRaw = GIT_OID_RAWSZ;
// git refuses deeper chains than 4095 (pack.depth); a loop of bases in a crafted pack stops here.
constexpr int kMaxDeltaDepth = 10000;

std::string hex(const unsigned char* raw) {
  git_oid id;
  std::memcpy(id.id, raw, kRaw);
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

// A delta's two header sizes; `i` moves past them.
bool delta_sizes(std::string_view delta, std::size_t& i, std::uint64_t& base_size, std::uint64_t& size) {
  for (std::uint64_t* v : {&base_size, &size}) {
    *v = 0;
    for (int shift = 0;; shift += 7) {
      if (i >= delta.size() || shift > 63) return false;
      const unsigned c = static_cast<unsigned char>(delta[i++]);
      *v |= std::uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
    }
  }
  return true;
}

// The checks of apply_git_delta before anything is written: "" or what is wrong.
std::string delta_header(std::string_view base, std::string_view delta, std::size_t& i, std::uint64_t& size) {
  std::uint64_t base_size = 0;
  if (!delta_sizes(delta, i, base_size, size)) return "truncated header";
  if (base_size != base.size())
    return "its base has " + std::to_string(base.size()) + " bytes, not " + std::to_string(base_size);
  // Each instruction writes at most 64 KiB from at most 8 bytes of delta: a larger claim is a lie.
  if (size > std::uint64_t(delta.size()) * 0x10000) return "it claims more bytes than it can write";
  return "";
}

// The instructions after the header (at `i`) written into `out`, which has `size` bytes.
std::string delta_apply(std::string_view base, std::string_view delta, std::size_t i, char* out,
                        std::uint64_t size) {
  std::uint64_t w = 0;
  while (i < delta.size()) {
    const unsigned cmd = static_cast<unsigned char>(delta[i++]);
    if (cmd & 0x80) {  // copy from the base: offset and size bytes named by the low bits
      std::uint64_t off = 0, n = 0;
      for (int k = 0; k < 4; ++k)
        if (cmd & (1u << k)) {
          if (i >= delta.size()) return "truncated copy";
          off |= std::uint64_t(static_cast<unsigned char>(delta[i++])) << (8 * k);
        }
      for (int k = 0; k < 3; ++k)
        if (cmd & (0x10u << k)) {
          if (i >= delta.size()) return "truncated copy";
          n |= std::uint64_t(static_cast<unsigned char>(delta[i++])) << (8 * k);
        }
      if (n == 0) n = 0x10000;
      if (off > base.size() || n > base.size() - off) return "a copy outside its base";
      if (n > size - w) return "more bytes than its header says";
      std::memcpy(out + w, base.data() + off, std::size_t(n));
      w += n;
    } else if (cmd != 0) {  // insert the next cmd bytes
      if (cmd > delta.size() - i) return "truncated insert";
      if (cmd > size - w) return "more bytes than its header says";
      std::memcpy(out + w, delta.data() + i, cmd);
      i += cmd;
      w += cmd;
    } else {
      return "reserved instruction 0";
    }
  }
  if (w != size) return "fewer bytes than its header says";
  return "";
}

}  // namespace

std::string apply_git_delta(std::string_view base, std::string_view delta, std::string& out,
                            std::uint64_t cap, std::uint64_t* result_size) {
  out.clear();
  std::size_t i = 0;
  std::uint64_t size = 0;
  std::string e = delta_header(base, delta, i, size);
  if (result_size) *result_size = size;
  if (!e.empty() || size > cap) return e;
  out.resize(std::size_t(size));
  e = delta_apply(base, delta, i, out.data(), size);
  if (!e.empty()) out.clear();
  return e;
}

namespace {

// One pack and its index, checked for agreement when loaded; entries are checked when read.
class Pack {
 public:
  struct Entry {
    std::array<unsigned char, kRaw> id{};
    std::uint64_t offset = 0;
    std::uint32_t crc = 0;
    bool has_crc = false;
  };

  // "" when the index and the pack agree, else what is wrong.
  std::string load(const fs::path& idx_path) {
    name_ = idx_path.filename().string();
    {  // the whole index in one read (istreambuf_iterator went a byte at a time)
      std::ifstream in(idx_path, std::ios::binary | std::ios::ate);
      const std::streamoff n = in ? std::streamoff(in.tellg()) : 0;
      idx_.resize(n > 0 ? std::size_t(n) : 0);
      in.seekg(0);
      if (!in.read(idx_.data(), std::streamsize(idx_.size()))) idx_.clear();
    }
    const auto* b = reinterpret_cast<const unsigned char*>(idx_.data());
    const std::size_t size = idx_.size();
    std::size_t fan = 0, ids = 0;
    bool v2 = size >= 8 && std::memcmp(b, "\377tOc", 4) == 0;
    if (v2) {
      if (be32(b + 4) != 2) return bad("unknown index version");
      fan = 8;
    }
    if (size < fan + 1024 + 2 * kRaw) return bad("its index is truncated");
    std::uint32_t prev = 0;
    for (int k = 0; k < 256; ++k) {
      std::uint32_t f = be32(b + fan + 4 * k);
      if (f < prev) return bad("its index fan-out is not sorted");
      prev = f;
    }
    const std::uint64_t n = prev;
    ids = fan + 1024;
    // v1: (offset, id) pairs; v2: ids, CRCs, 31-bit offsets, then 64-bit offsets.
    const std::uint64_t min = v2 ? ids + n * (kRaw + 8) + 2 * kRaw : ids + n * (4 + kRaw) + 2 * kRaw;
    if (size < min || (v2 ? (size - min) % 8 != 0 : size != min))
      return bad("its index size does not match its object count");
    const std::uint64_t large = v2 ? (size - min) / 8 : 0;
    entries_.resize(n);
    for (std::uint64_t k = 0; k < n; ++k) {
      Entry& e = entries_[k];
      const unsigned char* id = v2 ? b + ids + k * kRaw : b + ids + k * (4 + kRaw) + 4;
      std::memcpy(e.id.data(), id, kRaw);
      if (k > 0 && std::memcmp(entries_[k - 1].id.data(), e.id.data(), kRaw) >= 0)
        return bad("its index ids are not sorted");
      if (v2) {
        e.crc = be32(b + ids + n * kRaw + k * 4);
        e.has_crc = true;
        std::uint32_t off = be32(b + ids + n * (kRaw + 4) + k * 4);
        if (off & 0x80000000u) {
          std::uint64_t j = off & 0x7fffffffu;
          if (j >= large) return bad("its index has a 64-bit offset out of range");
          const unsigned char* p = b + ids + n * (kRaw + 8) + j * 8;
          e.offset = std::uint64_t(be32(p)) << 32 | be32(p + 4);
        } else {
          e.offset = off;
        }
      } else {
        e.offset = be32(b + ids + k * (4 + kRaw));
      }
    }
    // The pack: header, object count and trailer checksum must be the ones the index describes.
    fs::path pack_path = idx_path;
    pack_path.replace_extension(".pack");
    fd_ = ::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return bad("its .pack file cannot be opened");
    off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < off_t(12 + kRaw)) return bad("the pack is truncated");
    pack_size_ = std::uint64_t(end);
    unsigned char head[12], trailer[kRaw];
    if (!pread_all(head, 12, 0) || !pread_all(trailer, kRaw, pack_size_ - kRaw))
      return bad("the pack cannot be read");
    if (std::memcmp(head, "PACK", 4) != 0 || (be32(head + 4) != 2 && be32(head + 4) != 3))
      return bad("the pack header is not a git pack header");
    if (be32(head + 8) != n) return bad("the pack and its index disagree on the object count");
    if (std::memcmp(trailer, b + size - 2 * kRaw, kRaw) != 0)
      return bad("the pack is truncated or rewritten (its checksum is not the one its index names)");
    offsets_.reserve(n);
    for (const Entry& e : entries_) {
      if (e.offset < 12 || e.offset >= pack_size_ - kRaw)
        return bad("its index points outside the pack");
      offsets_.push_back(e.offset);
    }
    std::sort(offsets_.begin(), offsets_.end());
    if (std::adjacent_find(offsets_.begin(), offsets_.end()) != offsets_.end())
      return bad("its index names two objects at one offset");
    idx_.clear();
    idx_.shrink_to_fit();
    return "";
  }

  ~Pack() {
    if (fd_ >= 0) ::close(fd_);
  }

  // The index entry of `id`, or nullptr when this pack does not hold it.
  const Entry* find(const unsigned char* id) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), id, [](const Entry& e, const unsigned char* x) {
      return std::memcmp(e.id.data(), x, kRaw) < 0;
    });
    if (it == entries_.end() || std::memcmp(it->id.data(), id, kRaw) != 0) return nullptr;
    return &*it;
  }

  // An entry's header: its type, inflated size and where its data starts, and where the entry
  // ends (the next entry, or the pack's trailer). `h` holds its first bytes (32: a REF_DELTA's
  // base id fits). "" or what is wrong.
  struct Header {
    int type = 0;
    std::uint64_t size = 0, end = 0;
    std::size_t data = 0;  // bytes of header (and varint) before the delta base or the stream
    unsigned char h[32];
    std::size_t hn = 0;
  };
  std::string read_entry_header(std::uint64_t offset, Header& hd) const {
    auto at = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
    if (at == offsets_.end() || *at != offset) return where(offset) + "is not the start of an object";
    hd.end = std::next(at) == offsets_.end() ? pack_size_ - kRaw : *std::next(at);
    hd.hn = std::size_t(std::min<std::uint64_t>(sizeof hd.h, hd.end - offset));
    if (!read_at(hd.h, hd.hn, offset)) return where(offset) + "cannot be read";
    std::size_t i = 0;
    unsigned c = hd.h[i++];
    hd.type = (c >> 4) & 7;
    hd.size = c & 15;
    for (int shift = 4; c & 0x80; shift += 7) {
      if (i >= hd.hn || shift > 57) return where(offset) + "has a malformed header";
      c = hd.h[i++];
      hd.size |= std::uint64_t(c & 0x7f) << shift;
    }
    hd.data = i;
    return "";
  }

  // After the header of entry `offset`: the base of a delta (OFS_DELTA: `base` = its offset in
  // this pack; REF_DELTA: `ref` = its id), `i` moved past it to the zlib stream. "" or what is
  // wrong (also an unknown type).
  std::string parse_base(std::uint64_t offset, const Header& hd, std::size_t& i, std::uint64_t& base,
                         std::array<unsigned char, kRaw>& ref) const {
    const unsigned char* h = hd.h;
    const std::size_t hn = hd.hn;
    if (hd.type == 6) {  // OFS_DELTA: the base is a negative offset in this pack
      if (i >= hn) return where(offset) + "has a malformed header";
      unsigned c = h[i++];
      std::uint64_t back = c & 0x7f;
      while (c & 0x80) {
        if (i >= hn || back >= (std::uint64_t(1) << 56)) return where(offset) + "has a malformed header";
        c = h[i++];
        back = ((back + 1) << 7) | (c & 0x7f);
      }
      if (back == 0 || back > offset) return where(offset) + "names a delta base outside the pack";
      base = offset - back;
    } else if (hd.type == 7) {  // REF_DELTA: the base is named by id
      if (i + kRaw > hn) return where(offset) + "has a malformed header";
      std::memcpy(ref.data(), h + i, kRaw);
      i += kRaw;
    } else if (hd.type < 1 || hd.type > 4) {
      return where(offset) + "has an unknown object type";
    }
    return "";
  }

  // Checks the entry at `offset` and, for a delta, its bases. `whole` = inflate every entry; else
  // only delta entries are inflated (what libgit2's header read touches) and full objects have
  // their header parsed. Returns "" or what is wrong; `ref_base` receives the id of a base named
  // by id (REF_DELTA), which the caller checks wherever it lives.
  std::string check(std::uint64_t offset, bool whole, std::array<unsigned char, kRaw>& ref_base,
                    bool& has_ref_base) {
    has_ref_base = false;
    for (int depth = 0; depth < kMaxDeltaDepth; ++depth) {
      if (verified_.count(offset) || (!whole && headers_ok_.count(offset))) return "";
      // Header: type and size varint, then the base of a delta.
      Header hd;
      if (std::string e = read_entry_header(offset, hd); !e.empty()) return e;
      std::size_t i = hd.data;
      const int type = hd.type;
      const std::uint64_t size = hd.size, end = hd.end;
      std::uint64_t base = 0;
      if (std::string e = parse_base(offset, hd, i, base, ref_base); !e.empty()) return e;
      const bool delta = type == 6 || type == 7;
      if (whole || delta) {
        if (std::string e = check_bytes(offset, i, end, size); !e.empty()) return e;
        verified_.insert(offset);
      }
      headers_ok_.insert(offset);
      if (type == 7) {
        has_ref_base = true;
        return "";
      }
      if (type != 6) return "";
      offset = base;
    }
    return where(offset) + "is a delta chain longer than " + std::to_string(kMaxDeltaDepth);
  }

  // The object at `offset`, whole or a delta chain whose bases are all in this pack, into a
  // buffer from `alloc(size + 1)` (a NUL after the bytes, as libgit2 allocates): every entry is
  // inflated once, checked as check_bytes checks it, and the deltas applied here (libgit2 would
  // inflate the chain again after the guard's check). Resolved bases are kept (kBaseCacheBytes),
  // as libgit2's delta base cache keeps them: the versions of one file share them. The asked
  // entry's size is known before any base is inflated: a result over `cap` is not built (type
  // and size set, `data` null). `type` 0 and "": a base lives outside this pack (REF_DELTA), for
  // libgit2. "" or what is wrong (`data`, when set, is the caller's to free).
  template <class Alloc>
  std::string read_resolved(std::uint64_t offset, std::uint64_t cap, int& type, std::uint64_t& size,
                            void*& data, Alloc alloc) {
    type = 0;
    size = 0;
    data = nullptr;
    struct Link {
      std::uint64_t offset;
      Header hd;
      std::size_t data;
    };
    std::vector<Link> chain;  // the asked entry first, its base last
    std::shared_ptr<const Resolved> cur;  // a resolved base, from the cache or made here
    for (std::uint64_t at = offset;;) {
      if (chain.size() >= std::size_t(kMaxDeltaDepth))
        return where(offset) + "is a delta chain longer than " + std::to_string(kMaxDeltaDepth);
      if (auto it = bases_.find(at); it != bases_.end()) {
        cur = it->second;
        break;
      }
      Link l{at, {}, 0};
      if (std::string e = read_entry_header(at, l.hd); !e.empty()) return e;
      l.data = l.hd.data;
      std::uint64_t base = 0;
      std::array<unsigned char, kRaw> ref{};
      if (std::string e = parse_base(at, l.hd, l.data, base, ref); !e.empty()) return e;
      // zlib inflates at most about 1032 bytes per byte: a larger claim is a lie, not an allocation.
      if (l.hd.size > (l.hd.end - at) * 1032 + 1024)
        return where(at) + "is corrupt (its size does not match its header)";
      chain.push_back(l);
      if (l.hd.type == 7) {
        const Entry* e = find(ref.data());
        if (!e) return "";  // a base in another pack or loose: libgit2's (after check())
        base = e->offset;
      }
      if (l.hd.type != 6 && l.hd.type != 7) break;
      at = base;
    }
    const int base_type = cur ? cur->type : chain.back().hd.type;
    // The result: `n` bytes from alloc, filled by `fill(char*)`.
    auto result = [&](std::uint64_t n, auto fill) -> std::string {
      if (n >= std::uint64_t(std::numeric_limits<std::size_t>::max())) return where(offset) + "is too large";
      char* buf = static_cast<char*>(alloc(std::size_t(n) + 1));
      if (!buf) return where(offset) + "is larger than memory allows";
      data = buf;
      buf[n] = 0;
      if (std::string e = fill(buf); !e.empty()) return e;
      type = base_type;
      size = n;
      return "";
    };
    if (chain.empty()) {  // the asked object itself was a kept base
      if (cur->n > cap) {
        type = base_type;
        size = cur->n;
        return "";
      }
      return result(cur->n, [&](char* buf) {
        std::memcpy(buf, cur->p.get(), cur->n);
        return std::string();
      });
    }
    if (chain.size() == 1 && !cur) {  // a whole entry
      const Link& w = chain.front();
      if (w.hd.size > cap) {
        type = base_type;
        size = w.hd.size;
        return "";
      }
      return result(w.hd.size, [&](char* buf) { return inflate_entry(w, buf); });
    }
    // A delta: its result size is in its data's header, before any base is inflated.
    std::string_view top;
    if (std::string e = inflate_scratch(chain.front(), top_scratch_, top); !e.empty()) return e;
    std::size_t top_i = 0;
    std::uint64_t top_base = 0, top_size = 0;
    if (!delta_sizes(top, top_i, top_base, top_size)) return where(offset) + "is a corrupt delta (truncated header)";
    if (top_size > cap) {
      type = base_type;
      size = top_size;
      return "";
    }
    if (!cur) {
      const Link& b = chain.back();
      auto r = std::make_shared<Resolved>(base_type, b.hd.size);
      if (std::string e = inflate_entry(b, r->p.get()); !e.empty()) return e;
      cur = r;
      remember(b.offset, cur);  // chain holds more than the base: the asked entry is above it
      chain.pop_back();         // after its last use of `b`, which refers into chain
    }
    // The deltas between the base and the asked entry, each kept as a base of the next.
    for (std::size_t k = chain.size() - 1; k > 0; --k) {
      std::string_view d;
      if (std::string e = inflate_scratch(chain[k], delta_scratch_, d); !e.empty()) return e;
      std::size_t i = 0;
      std::uint64_t n = 0;
      const std::string_view base(cur->p.get(), cur->n);
      std::string e = delta_header(base, d, i, n);
      if (e.empty() && n > kMaxBase) return "";  // an odd chain through a huge base: libgit2's
      if (e.empty()) {
        auto r = std::make_shared<Resolved>(base_type, std::size_t(n));
        e = delta_apply(base, d, i, r->p.get(), n);
        cur = r;
      }
      if (!e.empty()) return where(chain[k].offset) + "is a corrupt delta (" + e + ")";
      remember(chain[k].offset, cur);
    }
    const std::string_view base(cur->p.get(), cur->n);
    std::size_t i = 0;
    std::uint64_t n = 0;
    if (std::string e = delta_header(base, top, i, n); !e.empty())
      return where(offset) + "is a corrupt delta (" + e + ")";
    return result(n, [&](char* buf) {
      std::string e = delta_apply(base, top, i, buf, n);
      return e.empty() ? e : where(offset) + "is a corrupt delta (" + e + ")";
    });
  }

 private:
  static constexpr std::uint64_t kMaxBase = 256u << 20;
  // 4 MiB: reading every version of a file stays linear (each read finds its base's resolved
  // bytes), while 16 MiB cost more in fresh pages than it saved (ZhuMuMu: 3,400 page faults per
  // audit against 1,100) and none makes a history scan quadratic (autobird 1.26x CPU).
  static constexpr std::size_t kBaseCacheBytes = 4u << 20;
  // A resolved base: bytes not zeroed before they are written (std::string would memset them).
  struct Resolved {
    Resolved(int t, std::size_t size) : type(t), p(new char[size ? size : 1]), n(size) {}
    int type;
    std::unique_ptr<char[]> p;
    std::size_t n;
  };

  // An entry's data inflated into `into` (its header's size), checked; marks it verified.
  template <class Link>
  std::string inflate_entry(const Link& l, char* into) {
    if (std::string e = check_bytes(l.offset, l.data, l.hd.end, l.hd.size, reinterpret_cast<unsigned char*>(into));
        !e.empty())
      return e;
    verified_.insert(l.offset);
    headers_ok_.insert(l.offset);
    return "";
  }
  // The same into a scratch buffer kept between reads (a delta's data is read once and dropped).
  template <class Link>
  std::string inflate_scratch(const Link& l, std::vector<char>& scratch, std::string_view& out) {
    if (scratch.size() < l.hd.size) scratch.resize(std::size_t(l.hd.size));
    if (std::string e = inflate_entry(l, scratch.data()); !e.empty()) return e;
    out = std::string_view(scratch.data(), std::size_t(l.hd.size));
    return "";
  }

  // Keeps a resolved base; the oldest go first once the cache holds kBaseCacheBytes.
  void remember(std::uint64_t offset, const std::shared_ptr<const Resolved>& r) {
    if (r->n > kBaseCacheBytes / 4 || bases_.count(offset)) return;
    while (base_bytes_ + r->n > kBaseCacheBytes && !base_order_.empty()) {
      auto it = bases_.find(base_order_.front());
      base_bytes_ -= it->second->n;
      bases_.erase(it);
      base_order_.pop_front();
    }
    bases_.emplace(offset, r);
    base_order_.push_back(offset);
    base_bytes_ += r->n;
  }

  std::string bad(const std::string& why) const { return "pack index " + name_ + " is unusable: " + why; }
  std::string where(std::uint64_t offset) const {
    return "the object at offset " + std::to_string(offset) + " of pack " + name_ + " ";
  }

  bool pread_all(unsigned char* buf, std::size_t n, std::uint64_t at) const {
    while (n > 0) {
      ssize_t got = ::pread(fd_, buf, n, off_t(at));
      if (got <= 0) return false;
      buf += got;
      n -= std::size_t(got);
      at += std::uint64_t(got);
    }
    return true;
  }

  // Bytes [at, at + n) through a window of the pack: an entry's header and then its bytes are
  // read in one pread, and the next entries a walk reads are often in the same window (an audit
  // made about 3,700 preads, two per object, most of a few hundred bytes). Larger reads go
  // straight to the file. Callers hold the pack set's lock.
  bool read_at(unsigned char* buf, std::size_t n, std::uint64_t at) const {
    constexpr std::size_t kWindow = 32 << 10;
    if (n > kWindow / 2) return pread_all(buf, n, at);
    if (at < window_at_ || at + n > window_at_ + window_len_) {
      if (!window_) window_.reset(new unsigned char[kWindow]);
      const std::size_t want = std::size_t(std::min<std::uint64_t>(kWindow, pack_size_ > at ? pack_size_ - at : 0));
      window_at_ = at;
      window_len_ = want >= n && pread_all(window_.get(), want, at) ? want : 0;
      if (window_len_ == 0) return false;
    }
    std::memcpy(buf, window_.get() + (at - window_at_), n);
    return true;
  }

  // The entry's bytes [offset, end): CRC-32 as the index recorded it, and the zlib stream after
  // the header (at offset + header) inflating to exactly `size` bytes without leaving them.
  // `into` (null: discarded) receives the `size` inflated bytes.
  std::string check_bytes(std::uint64_t offset, std::size_t header, std::uint64_t end, std::uint64_t size,
                          unsigned char* into = nullptr) {
    const Entry* e = entry_by_offset(offset);
    // With the index's CRC-32 over the entry's bytes, zlib's own Adler-32 over the inflated bytes
    // checks nothing more and costs as much as a tenth of the inflate: the stream is inflated raw,
    // after its two-byte zlib header is checked here, and its four-byte trailer must be present.
    const bool raw = e && e->has_crc;
    z_stream zs{};
    if (inflateInit2(&zs, raw ? -MAX_WBITS : MAX_WBITS) != Z_OK) return "cannot start zlib";
    std::unique_ptr<z_stream, int (*)(z_streamp)> done(&zs, inflateEnd);
    auto& [in, out] = inflate_buffers();
    uLong crc = crc32(0L, Z_NULL, 0);
    std::uint64_t pos = offset, produced = 0;
    bool stream_end = false;
    if (raw && end - offset < header + 2) return where(offset) + "is truncated";
    while (pos < end) {
      std::size_t n = std::size_t(std::min<std::uint64_t>(sizeof in, end - pos));
      if (!read_at(in, n, pos)) return where(offset) + "cannot be read";
      crc = crc32(crc, in, uInt(n));
      std::size_t skip = pos == offset ? header : 0;
      if (raw && pos == offset) {
        const unsigned cmf = in[skip], flg = in[skip + 1];
        if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20))
          return where(offset) + "is corrupt (zlib: incorrect header check)";
        skip += 2;
      }
      pos += n;
      if (stream_end) continue;  // bytes after the stream still count for the CRC
      zs.next_in = in + skip;
      zs.avail_in = uInt(n - skip);
      while (zs.avail_in > 0 && !stream_end) {
        // Straight into `into` while it has room; the scratch buffer takes what a lying header
        // did not announce (then an error) and all of it when the bytes are discarded.
        unsigned char* dest = out;
        std::size_t room = sizeof out;
        if (into && produced < size) {
          dest = into + produced;
          room = std::size_t(std::min<std::uint64_t>(size - produced, 1u << 30));
        }
        zs.next_out = dest;
        zs.avail_out = uInt(room);
        int rc = inflate(&zs, Z_NO_FLUSH);
        produced += room - zs.avail_out;
        if (rc == Z_STREAM_END) stream_end = true;
        else if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_in == 0))
          return where(offset) + "is corrupt (zlib: " + (zs.msg ? zs.msg : "error") + ")";
        if (produced > size) return where(offset) + "inflates to more than its header says";
      }
    }
    if (e && e->has_crc && std::uint32_t(crc) != e->crc)
      return where(offset) + "is corrupt (its CRC-32 is not the one its index recorded)";
    if (!stream_end) return where(offset) + "is truncated";
    if (raw && end - offset - header - 2 - zs.total_in < 4) return where(offset) + "is truncated";
    if (produced != size) return where(offset) + "is corrupt (its size does not match its header)";
    return "";
  }

  const Entry* entry_by_offset(std::uint64_t offset) {
    if (by_offset_.empty()) {
      by_offset_.reserve(entries_.size());
      for (const Entry& e : entries_) by_offset_.push_back(&e);
      std::sort(by_offset_.begin(), by_offset_.end(),
                [](const Entry* a, const Entry* b) { return a->offset < b->offset; });
    }
    auto it = std::lower_bound(by_offset_.begin(), by_offset_.end(), offset,
                               [](const Entry* e, std::uint64_t o) { return e->offset < o; });
    return it != by_offset_.end() && (*it)->offset == offset ? *it : nullptr;
  }

  std::string name_;
  std::string idx_;  // the index file while loading
  std::vector<Entry> entries_;  // sorted by id
  std::vector<std::uint64_t> offsets_;  // sorted: an entry ends where the next begins
  std::vector<const Entry*> by_offset_;
  std::uint64_t pack_size_ = 0;
  int fd_ = -1;
  mutable std::unique_ptr<unsigned char[]> window_;  // read_at's window of the pack
  mutable std::uint64_t window_at_ = 0;
  mutable std::size_t window_len_ = 0;
  std::unordered_set<std::uint64_t> verified_, headers_ok_;  // checked once per process
  std::unordered_map<std::uint64_t, std::shared_ptr<const Resolved>> bases_;  // read_resolved's
  std::vector<char> top_scratch_, delta_scratch_;  // read_resolved's inflated delta data
  std::deque<std::uint64_t> base_order_;
  std::size_t base_bytes_ = 0;
};

// The packs of one object directory.
struct Packs {
  std::vector<std::unique_ptr<Pack>> packs;
  std::mutex mu;  // libgit2 may read from several repositories' threads; the caches are shared
};

// A backend that checks, then hands the call to libgit2's own backend. Layout: the libgit2
// struct first, so that libgit2's git_odb_backend* is also a GuardBackend*.
struct GuardBackend {
  git_odb_backend parent;
  git_odb_backend* inner = nullptr;
  std::string objects_dir;
  std::shared_ptr<Packs> packs;  // null: the loose backend
  std::vector<std::shared_ptr<Packs>> all_packs;  // where a REF_DELTA base may live
};

GuardBackend* self(git_odb_backend* b) { return reinterpret_cast<GuardBackend*>(b); }

int fail(const std::string& why) {
  git_error_set_str(GIT_ERROR_ODB, why.c_str());
  return GIT_ERROR;
}

std::string check_packed(GuardBackend* g, const git_oid* id, bool whole) {
  std::array<unsigned char, kRaw> want;
  std::memcpy(want.data(), id->id, kRaw);
  for (int hop = 0; hop < kMaxDeltaDepth; ++hop) {
    bool found = false, has_ref = false;
    std::array<unsigned char, kRaw> ref{};
    for (const auto& set : g->all_packs) {
      std::lock_guard<std::mutex> lock(set->mu);
      for (auto& p : set->packs) {
        const Pack::Entry* e = p->find(want.data());
        if (!e) continue;
        if (std::string bad = p->check(e->offset, whole, ref, has_ref); !bad.empty()) return bad;
        found = true;
        break;
      }
      if (found) break;
    }
    if (!found) {
      // A base named by id may be loose; the object asked for must be in a checked pack.
      if (hop == 0) return "object " + hex(want.data()) + " is in no pack index claimcheck could check";
      git_oid base;
      std::memcpy(base.id, want.data(), kRaw);
      return check_loose_object(g->objects_dir, &base);
    }
    if (!has_ref) return "";
    want = ref;
  }
  return "object " + hex(id->id) + " has a delta chain longer than " + std::to_string(kMaxDeltaDepth);
}

// "" when libgit2 may read `id` through this backend.
std::string check(GuardBackend* g, const git_oid* id, bool whole) {
  if (!g->packs) return whole ? check_loose_object(g->objects_dir, id) : "";
  // Only what this backend holds is checked: the odb asks every backend in turn.
  if (g->inner->exists(g->inner, id) != 1) return "";
  return check_packed(g, id, whole);
}

// An object in one of these packs, whole or a delta chain within its pack, read by
// Pack::read_resolved into a buffer from `alloc`. nullopt: no pack holds it; else "" or what is
// wrong, with type 0 when a base lives elsewhere.
struct PackedRead {
  int type = 0;
  std::uint64_t size = 0;
  void* data = nullptr;
};
template <class Alloc>
std::optional<std::string> read_in_packs(Packs& set, const git_oid* id, std::uint64_t cap, PackedRead& r,
                                         Alloc alloc) {
  std::lock_guard<std::mutex> lock(set.mu);
  for (auto& p : set.packs)
    if (const Pack::Entry* e = p->find(id->id))
      return p->read_resolved(e->offset, cap, r.type, r.size, r.data, alloc);
  return std::nullopt;
}

// An object of this backend's packs is inflated once, here, checked as it is read, and handed to
// libgit2 (which would inflate it again after the check); a delta whose base lives elsewhere is
// checked and then read by libgit2.
int read_packed(GuardBackend* g, void** data, size_t* len, git_object_t* type, const git_oid* id) {
  PackedRead r;
  auto bad = read_in_packs(*g->packs, id, std::numeric_limits<std::uint64_t>::max(), r,
                           [g](std::size_t n) { return git_odb_backend_data_alloc(&g->parent, n); });
  if (!bad) return 1;  // not in this backend's packs
  if (!bad->empty()) {
    if (r.data) git_odb_backend_data_free(&g->parent, r.data);
    return fail(*bad);
  }
  if (r.type == 0) return 1;  // a base elsewhere: check() and libgit2
  *data = r.data;
  *len = size_t(r.size);
  *type = git_object_t(r.type);  // pack types 1-4 are git_object_t's commit, tree, blob, tag
  return 0;
}

int guard_read(void** data, size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) {
  GuardBackend* g = self(b);
  if (g->packs) {
    if (int rc = read_packed(g, data, len, type, id); rc <= 0) return rc;
  }
  if (std::string bad = check(g, id, true); !bad.empty()) return fail(bad);
  return g->inner->read(data, len, type, g->inner, id);
}

int guard_read_prefix(git_oid* out, void** data, size_t* len, git_object_t* type, git_odb_backend* b,
                      const git_oid* short_id, size_t n) {
  GuardBackend* g = self(b);
  git_oid full;
  if (int rc = g->inner->exists_prefix(&full, g->inner, short_id, n); rc < 0) return rc;
  if (std::string bad = check(g, &full, true); !bad.empty()) return fail(bad);
  git_oid_cpy(out, &full);
  return g->inner->read(data, len, type, g->inner, &full);
}

// A header read inflates no loose object (libgit2 reads its first bytes only) and, in a pack,
// only delta entries: those are checked, so listing a tree never inflates its blobs.
int guard_read_header(size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) {
  GuardBackend* g = self(b);
  if (std::string bad = check(g, id, false); !bad.empty()) return fail(bad);
  return g->inner->read_header(len, type, g->inner, id);
}

int guard_exists(git_odb_backend* b, const git_oid* id) {
  GuardBackend* g = self(b);
  return g->inner->exists(g->inner, id);
}

int guard_exists_prefix(git_oid* out, git_odb_backend* b, const git_oid* short_id, size_t n) {
  GuardBackend* g = self(b);
  return g->inner->exists_prefix(out, g->inner, short_id, n);
}

int guard_refresh(git_odb_backend* b) {
  GuardBackend* g = self(b);
  return g->inner->refresh ? g->inner->refresh(g->inner) : 0;
}

int guard_foreach(git_odb_backend* b, git_odb_foreach_cb cb, void* payload) {
  GuardBackend* g = self(b);
  return g->inner->foreach ? g->inner->foreach(g->inner, cb, payload) : 0;
}

void guard_free(git_odb_backend* b) {
  GuardBackend* g = self(b);
  if (g->inner) g->inner->free(g->inner);
  delete g;
}

// Owns `inner` from here on (freed with the wrapper).
git_odb_backend* wrap(git_odb_backend* inner, const std::string& objects_dir, std::shared_ptr<Packs> packs,
                      std::vector<std::shared_ptr<Packs>> all) {
  auto* g = new GuardBackend;
  git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
  g->inner = inner;
  g->objects_dir = objects_dir;
  g->packs = std::move(packs);
  g->all_packs = std::move(all);
  g->parent.read = guard_read;
  g->parent.read_prefix = guard_read_prefix;
  g->parent.read_header = guard_read_header;
  g->parent.exists = guard_exists;
  g->parent.exists_prefix = guard_exists_prefix;
  g->parent.refresh = guard_refresh;
  g->parent.foreach = guard_foreach;
  g->parent.free = guard_free;  // no write, stream or pack callbacks: claimcheck only reads
  return &g->parent;
}

std::string load_packs(const std::string& objects_dir, Packs& out) {
  std::error_code ec;
  std::vector<fs::path> idx;
  for (fs::directory_iterator it(objects_dir + "pack", ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".idx" && it->path().filename().string().rfind("pack-", 0) == 0)
      idx.push_back(it->path());
  std::sort(idx.begin(), idx.end());
  for (const fs::path& p : idx) {
    // An index without its pack (a pack deleted by hand, a failed repack) is skipped, as git and
    // libgit2 skip it: its objects are not readable at all.
    fs::path pack_path = p;
    if (!fs::exists(pack_path.replace_extension(".pack"), ec)) continue;
    auto pack = std::make_unique<Pack>();
    if (std::string bad = pack->load(p); !bad.empty()) return bad;
    out.packs.push_back(std::move(pack));
  }
  return "";
}

}  // namespace

DirectRead read_object_direct(git_odb* odb, const git_oid* id, std::uint64_t cap, std::string& out) {
  DirectRead r;
  auto corrupt = [&](const std::string& why) {
    out.clear();
    r.state = DirectRead::corrupt;
    r.error = why;
    return r;
  };
  const std::size_t n = git_odb_num_backends(odb);
  for (std::size_t k = 0; k < n; ++k) {
    git_odb_backend* b = nullptr;
    if (git_odb_get_backend(&b, odb, k) < 0 || !b || b->read != guard_read) continue;
    GuardBackend* g = self(b);
    if (!g->packs) {
      LooseBody body;
      body.cap = cap;
      body.out = &out;
      std::string bad = check_loose_object(g->objects_dir, id, &body);
      if (!body.found) continue;
      if (!bad.empty()) return corrupt(bad);
      r.size = body.size;
      r.type = git_object_string2type(body.type.c_str());
      r.state = body.size > cap ? DirectRead::too_large : DirectRead::read;
      return r;
    }
    // The string is the buffer: std::string keeps a NUL past size(), which read_resolved writes.
    PackedRead p;
    auto bad = read_in_packs(*g->packs, id, cap, p, [&out](std::size_t len) -> void* {
      out.resize(len - 1);
      return out.data();
    });
    if (!bad) continue;
    if (!bad->empty()) return corrupt(*bad);
    if (p.type == 0) return r;  // a base outside this pack: libgit2 reads it (elsewhere)
    r.type = p.type;
    r.size = p.size;
    r.state = p.size > cap ? DirectRead::too_large : DirectRead::read;
    return r;
  }
  return r;
}

std::string install_object_guard(git_repository* repo) {
  const char* common = git_repository_commondir(repo);
  const std::string objects_dir = std::string(common ? common : "") + "objects/";
  git_odb* odb = nullptr;
  if (git_odb_new(&odb) < 0) return "cannot create an object database";
  std::unique_ptr<git_odb, void (*)(git_odb*)> holder(odb, git_odb_free);
  std::vector<std::shared_ptr<Packs>> all;
  // The REF_DELTA base lookups need every directory's packs: read alternates first.
  std::vector<std::string> dirs{objects_dir};
  std::ifstream alt(objects_dir + "info/alternates");
  for (std::string line; std::getline(alt, line);) {
    if (line.empty() || line[0] == '#') continue;
    fs::path p = fs::path(line).is_absolute() ? fs::path(line) : fs::path(objects_dir) / line;
    std::error_code ec;
    if (fs::is_directory(p, ec)) dirs.push_back(p.lexically_normal().string() + "/");
  }
  // Load every pack set first so that each backend sees all of them (REF_DELTA bases).
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    auto packs = std::make_shared<Packs>();
    if (std::string bad = load_packs(dirs[k], *packs); !bad.empty()) return bad;
    all.push_back(packs);
  }
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    const std::string& dir = dirs[k];
    git_odb_backend* loose = nullptr;
    if (git_odb_backend_loose(&loose, dir.c_str(), -1, 0, 0, 0) < 0) return "cannot open " + dir;
    git_odb_backend* wl = wrap(loose, dir, nullptr, all);
    int rc = k == 0 ? git_odb_add_backend(odb, wl, 1) : git_odb_add_alternate(odb, wl, 1);
    if (rc < 0) {
      wl->free(wl);
      return "cannot open " + dir;
    }
    git_odb_backend* pack = nullptr;
    if (git_odb_backend_pack(&pack, dir.c_str()) < 0) return "cannot open the packs of " + dir;
    git_odb_backend* wp = wrap(pack, dir, all[k], all);
    rc = k == 0 ? git_odb_add_backend(odb, wp, 2) : git_odb_add_alternate(odb, wp, 2);
    if (rc < 0) {
      wp->free(wp);
      return "cannot open the packs of " + dir;
    }
  }
  if (git_repository_set_odb(repo, odb) < 0) return "cannot install the guarded object database";
  return "";  // the repository holds its own reference to odb
}

}  // namespace cc
