#include "engine/yaml_pack.h"

#include <cstdint>

namespace cc {
namespace {

// Layout: "ccy1", the notes (count, then line and text each), the root node. A node: its type
// and `plain` (one byte each), its line, then a scalar's text, a sequence's items or a map's
// key and value nodes, each count first. Numbers are LEB128 varints, texts length-prefixed.
constexpr std::string_view kMagic = "ccy1";
constexpr int kMaxDepth = 256;  // built-in data nests a handful of levels; a bad pack stops here

void put(std::string& o, std::uint64_t v) {
  while (v >= 0x80) {
    o += char(v | 0x80);
    v >>= 7;
  }
  o += char(v);
}

void put_text(std::string& o, std::string_view s) {
  put(o, s.size());
  o.append(s);
}

void put_node(std::string& o, const YNode& n) {
  o += char(n.type);
  o += char(n.plain);
  put(o, std::uint64_t(n.line < 0 ? 0 : n.line));
  switch (n.type) {
    case YNode::Type::scalar: put_text(o, n.text); break;
    case YNode::Type::seq:
      put(o, n.items.size());
      for (const auto& i : n.items) put_node(o, i);
      break;
    case YNode::Type::map:
      put(o, n.entries.size());
      for (const auto& [k, v] : n.entries) {
        put_node(o, k);
        put_node(o, v);
      }
      break;
    case YNode::Type::null: break;
  }
}

// Reads with bounds checks: a truncated or foreign blob fails, it is never read past.
struct Reader {
  std::string_view in;
  std::size_t at = 0;
  bool ok = true;

  std::uint64_t num() {
    std::uint64_t v = 0;
    for (int shift = 0; ok; shift += 7) {
      if (at >= in.size() || shift > 63) return ok = false, 0;
      const unsigned char c = static_cast<unsigned char>(in[at++]);
      v |= std::uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
    }
    return v;
  }
  std::string_view text() {
    const std::uint64_t n = num();
    if (!ok || n > in.size() - at) return ok = false, std::string_view();
    std::string_view s = in.substr(at, n);
    at += n;
    return s;
  }
  // A count of items that each take at least `min_bytes`: a lying count fails before allocating.
  std::size_t count(std::size_t min_bytes) {
    const std::uint64_t n = num();
    if (!ok || n > (in.size() - at) / min_bytes) return ok = false, 0;
    return std::size_t(n);
  }
  void node(YNode& n, int depth) {
    if (!ok || depth > kMaxDepth || in.size() - at < 3) {
      ok = false;
      return;
    }
    const auto type = static_cast<unsigned char>(in[at++]);
    n.plain = in[at++] != 0;
    n.line = int(num());
    switch (type) {
      case std::uint8_t(YNode::Type::null): n.type = YNode::Type::null; break;
      case std::uint8_t(YNode::Type::scalar):
        n.type = YNode::Type::scalar;
        n.text = std::string(text());
        break;
      case std::uint8_t(YNode::Type::seq):
        n.type = YNode::Type::seq;
        n.items.resize(count(3));
        for (auto& i : n.items) node(i, depth + 1);
        break;
      case std::uint8_t(YNode::Type::map):
        n.type = YNode::Type::map;
        n.entries.resize(count(6));
        for (auto& [k, v] : n.entries) {
          node(k, depth + 1);
          node(v, depth + 1);
        }
        break;
      default: ok = false;
    }
  }
};

}  // namespace

std::string pack_yaml(const YamlLoad& y) {
  std::string o(kMagic);
  put(o, y.notes.size());
  for (const auto& [line, what] : y.notes) {
    put(o, std::uint64_t(line < 0 ? 0 : line));
    put_text(o, what);
  }
  put_node(o, y.root);
  return o;
}

bool unpack_yaml(std::string_view packed, YamlLoad& out) {
  if (packed.substr(0, kMagic.size()) != kMagic) return false;
  Reader r{packed, kMagic.size()};
  YamlLoad y;
  y.notes.resize(r.count(2));
  for (auto& [line, what] : y.notes) {
    line = int(r.num());
    what = std::string(r.text());
  }
  r.node(y.root, 0);
  if (!r.ok || r.at != packed.size()) return false;
  y.ok = true;
  out = std::move(y);
  return true;
}

YamlLoad embedded_yaml(const EmbeddedFile& f) {
  YamlLoad y;
  if (!f.packed.empty() && unpack_yaml(f.packed, y)) return y;
  return read_yaml(f.data);
}

YamlLoad embedded_yaml(const std::vector<EmbeddedFile>& set, std::string_view name) {
  const EmbeddedFile* f = find_embedded_file(set, name);
  return f ? embedded_yaml(*f) : read_yaml("");
}

}  // namespace cc
