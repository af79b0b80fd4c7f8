// libFuzzer target: the catalog loader. Bad data must end in CatalogError (a message with file
// and line), never in a crash or another exception.
#include "engine/rules.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cc::Catalog c;
  try {
    c.load("fuzz.yaml", cc::fuzz::as_text(data, size));
    c.validate();
  } catch (const cc::CatalogError&) {
  }
  return 0;
}
