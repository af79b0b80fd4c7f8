// The committed-data probe: kinds and size thresholds of probes/data/committed_data.yaml.
#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <string>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/committed_data.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

TEST_CASE("committed data: kinds by name and size, thresholds from the data file") {
  constexpr std::uint64_t MiB = 1024 * 1024;
  CHECK(committed_data_kind("models/model.pt", 2 * MiB) == "model");
  CHECK(committed_data_kind("models/MODEL.CKPT", 2 * MiB) == "model");
  CHECK(committed_data_kind("models/model.onnx", 500 * 1024) == "");  // small weights are fine
  CHECK(committed_data_kind("data/train.csv", 6 * MiB) == "dataset");
  CHECK(committed_data_kind("data/train.csv", 4 * MiB) == "");
  CHECK(committed_data_kind("data/x.parquet", 6 * MiB) == "dataset");
  CHECK(committed_data_kind("data/x.npy", 6 * MiB) == "dataset");
  CHECK(committed_data_kind("notebooks/explore.ipynb", 4 * MiB) == "notebook");
  CHECK(committed_data_kind("notebooks/explore.ipynb", 1 * MiB) == "");
  CHECK(committed_data_kind("reports/figures/huge.png", 12 * MiB) == "large-file");
  CHECK(committed_data_kind("reports/figures/small.png", 2 * MiB) == "");
  CHECK(human_size(3 * MiB / 2) == "1.5 MiB");
  CHECK(human_size(2048) == "2 KiB");
  CHECK(human_size(12) == "12 bytes");
}

TEST_CASE("committed data probe: the audited tree's files, vendored folders skipped") {
  MemorySnapshot snap({{"models/model.pt", std::string(2 * 1024 * 1024, 'x')},
                       {"models/tiny.pt", std::string(1000, 'x')},
                       {".venv/lib/big.bin", std::string(2 * 1024 * 1024, 'x')}});
  FactStore fs;
  CommittedDataProbe().run(snap, fs);
  REQUIRE(find_facts(fs, "data.committed").size() == 1);
  const Fact& f = only_fact(fs, "data.committed", {{"path", "models/model.pt"}});
  CHECK(f.attr("kind") == "model");
  CHECK(f.attr("size") == "2097152");
  CHECK(f.attr("in_head") == "yes");
  CHECK(f.detail.find("2.0 MiB") != std::string::npos);
}
