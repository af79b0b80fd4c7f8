// A file's bytes, for the report tests that read fixtures and the course's reports.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cc::test {

// The whole file, as bytes; "" when it cannot be read.
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cc::test
