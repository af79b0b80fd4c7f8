// libFuzzer target: the TOML reader and the dependencies probe on pyproject.toml.
#include "engine/memory_snapshot.h"
#include "probes/dependencies.h"
#include "probes/read/toml.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(cc::fuzz::as_text(data, size));
  cc::MemorySnapshot snap({{"pyproject.toml", text}});
  cc::TomlFile t = cc::read_toml(snap, "pyproject.toml");
  (void)t;
  cc::fuzz::run_probe(cc::DependenciesProbe(), {{"pyproject.toml", text}});
  return 0;
}
