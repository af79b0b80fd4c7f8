#include "batch/identity.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "batch/roster.h"  // fnv1a64
#include "engine/embedded.h"

#ifndef CC_VERSION
#define CC_VERSION "0.0.0"
#endif

namespace cc {
namespace {

std::string hex16(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// FNV-1a continued over more bytes (the same as fnv1a64 over their concatenation).
void mix(std::uint64_t& h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
}

}  // namespace

std::string engine_version() {
  static const std::string v = [] {
    std::uint64_t h = fnv1a64("");
    std::ifstream f("/proc/self/exe", std::ios::binary);
    std::vector<char> buf(1 << 20);
    while (f) {
      f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      mix(h, std::string_view(buf.data(), static_cast<std::size_t>(f.gcount())));
    }
    return std::string("claimcheck ") + CC_VERSION + " (" + hex16(h) + ")";
  }();
  return v;
}

std::string catalog_hash(const std::string& catalog_dir) {
  std::vector<std::pair<std::string, std::string>> files;
  if (catalog_dir.empty()) {
    // By file name, as for a folder: an unchanged copy of reports/catalog/ hashes the same.
    for (const auto& f : embedded_catalog())
      files.emplace_back(std::filesystem::path(f.name).filename().string(), std::string(f.data));
  } else {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(catalog_dir, ec)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream f(e.path(), std::ios::binary);
      std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      files.emplace_back(e.path().filename().string(), std::move(data));
    }
    if (ec) throw std::runtime_error("cannot read the catalog folder " + catalog_dir + ": " + ec.message());
    if (files.empty()) throw std::runtime_error("no *.yaml catalog files in " + catalog_dir);
  }
  std::sort(files.begin(), files.end());
  std::uint64_t h = fnv1a64("");
  for (const auto& [name, data] : files) {
    mix(h, name);
    mix(h, std::string_view("\0", 1));
    mix(h, std::to_string(data.size()));
    mix(h, std::string_view("\0", 1));
    mix(h, data);
  }
  return hex16(h);
}

}  // namespace cc
