// cc-yaml-pack IN OUT: the build's packer of built-in YAML (engine/yaml_pack.h). Reads IN with
// read_yaml and writes its packed tree to OUT; a file that does not parse stops the build here,
// with its line.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/yaml_pack.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cc-yaml-pack IN.yaml OUT\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cc-yaml-pack: cannot read %s\n", argv[1]);
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const cc::YamlLoad y = cc::read_yaml(text.str());
  if (!y.ok) {
    std::fprintf(stderr, "%s:%d: %s\n", argv[1], y.error_line, y.error.c_str());
    return 1;
  }
  const std::string packed = cc::pack_yaml(y);
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  if (!out.write(packed.data(), std::streamsize(packed.size()))) {
    std::fprintf(stderr, "cc-yaml-pack: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
