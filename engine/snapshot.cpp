#include "engine/snapshot.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace cc {

const char* to_string(ReadState s) {
  switch (s) {
    case ReadState::ok: return "ok";
    case ReadState::not_found: return "not-found";
    case ReadState::missing_object: return "missing-object";
    case ReadState::too_large: return "too-large";
    case ReadState::binary: return "binary";
    case ReadState::invalid_utf8: return "invalid-utf8";
    case ReadState::error: return "error";
  }
  return "error";
}

const FileEntry* Snapshot::find(std::string_view path) const {
  const auto& fs = files();
  auto it = std::lower_bound(fs.begin(), fs.end(), path,
                             [](const FileEntry& e, std::string_view p) { return e.path < p; });
  if (it != fs.end() && it->path == path) return &*it;
  return nullptr;
}

bool Snapshot::exists(std::string_view path) const { return find(path) != nullptr; }

Blob Snapshot::read_text(std::string_view path, std::uint64_t cap) const {
  Blob b = read(path, cap);
  if (!b.ok()) return b;
  if (looks_binary(b.data)) {
    b.state = ReadState::binary;
    b.note = "binary file (NUL bytes)";
    b.data.clear();
  } else if (!is_valid_utf8(b.data)) {
    b.state = ReadState::invalid_utf8;
    b.note = "not valid UTF-8";
    b.data.clear();
  }
  return b;
}

std::vector<const FileEntry*> Snapshot::under(std::string_view dir) const {
  std::vector<const FileEntry*> out;
  std::string prefix(dir);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (!prefix.empty()) prefix += '/';
  const auto& fs = files();
  auto it = std::lower_bound(fs.begin(), fs.end(), prefix,
                             [](const FileEntry& e, const std::string& p) { return e.path < p; });
  for (; it != fs.end() && it->path.compare(0, prefix.size(), prefix) == 0; ++it) out.push_back(&*it);
  return out;
}

std::optional<std::string> normalize_repo_path(std::string_view base_dir, std::string_view rel) {
  if (rel.empty()) return std::nullopt;
  if (rel.front() == '/' || rel.front() == '\\') return std::nullopt;
  if (rel.size() >= 2 && rel[1] == ':') return std::nullopt;  // C:\...
  std::vector<std::string> parts;
  auto push = [&](std::string_view s) -> bool {
    size_t i = 0;
    while (i <= s.size()) {
      size_t j = s.find_first_of("/\\", i);
      if (j == std::string_view::npos) j = s.size();
      std::string_view seg = s.substr(i, j - i);
      if (seg.empty() || seg == ".") {
      } else if (seg == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else {
        parts.emplace_back(seg);
      }
      i = j + 1;
    }
    return true;
  };
  if (!push(base_dir) || !push(rel)) return std::nullopt;
  std::string out;
  for (auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool looks_binary(std::string_view s) {
  // Like git: a NUL byte in the first 8000 bytes means binary.
  return s.substr(0, 8000).find('\0') != std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    // Source files are mostly ASCII: eight bytes at a time while no high bit is set.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    size_t len;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace cc
