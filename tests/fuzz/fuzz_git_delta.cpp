// libFuzzer target: git's delta format (apply_git_delta, engine/odb_guard.h), which the object
// guard applies to every packed delta of a repository it reads, differentially: a plain reference
// applier written from git's pack-format documentation must agree on the bytes and on success.
// Input: two bytes (little-endian) giving the base's length, the base, then the delta.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "engine/odb_guard.h"

namespace {

// Appends as it goes; no preallocation, no shared code with the engine's applier.
std::optional<std::string> reference(std::string_view base, std::string_view d) {
  std::size_t i = 0;
  std::uint64_t sizes[2];
  for (std::uint64_t& v : sizes) {
    v = 0;
    int shift = 0;
    while (true) {
      if (i >= d.size() || shift > 63) return std::nullopt;
      unsigned char c = static_cast<unsigned char>(d[i++]);
      v |= std::uint64_t(c & 0x7f) << shift;
      shift += 7;
      if (!(c & 0x80)) break;
    }
  }
  if (sizes[0] != base.size()) return std::nullopt;
  std::string out;
  while (i < d.size()) {
    unsigned char c = static_cast<unsigned char>(d[i++]);
    if (c & 0x80) {
      std::uint64_t off = 0, n = 0;
      for (int k = 0; k < 7; ++k) {
        if (!(c & (1u << k))) continue;
        if (i >= d.size()) return std::nullopt;
        std::uint64_t byte = static_cast<unsigned char>(d[i++]);
        if (k < 4) off |= byte << (8 * k);
        else n |= byte << (8 * (k - 4));
      }
      if (n == 0) n = 0x10000;
      if (off + n > base.size()) return std::nullopt;
      out.append(base.substr(std::size_t(off), std::size_t(n)));
    } else if (c) {
      if (i + c > d.size()) return std::nullopt;
      out.append(d.substr(i, c));
      i += c;
    } else {
      return std::nullopt;
    }
    if (out.size() > sizes[1]) return std::nullopt;
  }
  if (out.size() != sizes[1]) return std::nullopt;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t base_len = std::min<std::size_t>(std::size_t(data[0]) | std::size_t(data[1]) << 8, size - 2);
  std::string_view base = in.substr(2, base_len), delta = in.substr(2 + base_len);
  std::string out;
  std::uint64_t announced = 0;
  const std::string error = cc::apply_git_delta(base, delta, out, 1u << 24, &announced);
  if (announced > (1u << 24)) return 0;  // over the cap: not built, nothing to compare
  const std::optional<std::string> want = reference(base, delta);
  if (error.empty() != want.has_value()) std::abort();          // one accepts what the other refuses
  if (want && out != *want) std::abort();                       // different bytes
  if (!error.empty() && !out.empty()) std::abort();              // a failure leaves nothing behind
  return 0;
}
