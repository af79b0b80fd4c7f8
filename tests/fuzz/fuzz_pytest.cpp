// libFuzzer target: the pytest probe on one Python test file (tree-sitter-python).
#include "probes/pytest_tests.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cc::fuzz::run_probe(cc::PytestProbe(),
                      {{"tests/test_x.py", std::string(cc::fuzz::as_text(data, size))}});
  return 0;
}
