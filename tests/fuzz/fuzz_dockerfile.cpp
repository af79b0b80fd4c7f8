// libFuzzer target: the Dockerfile parser, alone and through the docker probe.
#include "probes/docker.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = cc::fuzz::as_text(data, size);
  cc::DockerParse p = cc::parse_dockerfile(text);
  (void)p;
  cc::fuzz::run_probe(cc::DockerProbe(), {{"Dockerfile", std::string(text)}});
  return 0;
}
