#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/hydra_configs.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore run_hydra(const std::map<std::string, std::string>& files, HydraProbeOptions opt = {}) {
  MemorySnapshot snap(files);
  FactStore fs;
  HydraConfigsProbe(opt).run(snap, fs);
  fs.sort();
  return fs;
}

const char* kTrain = R"(import hydra
from omegaconf import DictConfig

@hydra.main(config_path="../../configs", config_name="config", version_base="1.3")
def train(cfg: DictConfig) -> None:
    model = hydra.utils.instantiate(cfg.model)

if __name__ == "__main__":
    train()
)";

const char* kConfig = R"(defaults:
  - model: resnet
  - optimizer: adam
  - override hydra/sweeper: optuna
  - _self_

training:
  lr: 0.001
  batch_size: 32
  epochs: 10
)";

}  // namespace

TEST_CASE("hydra: entry point, primary config, groups, defaults and targets") {
  auto fs = run_hydra({
      {"src/proj/train.py", kTrain},
      {"src/proj/__init__.py", ""},
      {"src/proj/model.py", "class Net: pass\n"},
      {"configs/config.yaml", kConfig},
      {"configs/model/resnet.yaml", "_target_: proj.model.Net\nhidden_dim: 64\n"},
      {"configs/optimizer/adam.yaml", "_target_: torch.optim.Adam\nlr: 0.01\n"},
      {"configs/experiment/exp1.yaml", "# @package _global_\ntraining:\n  epochs: 3\n"},
  });
  const Fact& e = only_fact(fs, "hydra.entry");
  CHECK(e.where.path == "src/proj/train.py");
  CHECK(e.where.line == 4);
  CHECK(e.attr("function") == "hydra.main");
  CHECK(e.attr("config_path") == "../../configs");
  CHECK(e.attr("config_name") == "config");
  CHECK(e.attr("resolved_dir") == "configs");
  CHECK(e.attr("exists") == "yes");
  CHECK(e.attr("version_base") == "1.3");

  const Fact& c = only_fact(fs, "hydra.config", {{"path", "configs/config.yaml"}});
  CHECK(c.attr("primary") == "yes");
  CHECK(c.attr("group") == "");
  CHECK(c.attr("defaults") == "model:resnet,optimizer:adam,override hydra/sweeper:optuna,_self_");
  CHECK(c.attr("keys") == "2");
  CHECK(c.attr("has_hyperparams") == "yes");
  CHECK(only_fact(fs, "hydra.config", {{"path", "configs/model/resnet.yaml"}}).attr("group") == "model");
  CHECK(only_fact(fs, "hydra.config", {{"path", "configs/model/resnet.yaml"}}).attr("primary") == "no");
  CHECK(find_facts(fs, "hydra.missing").empty());

  CHECK(only_fact(fs, "hydra.target", {{"target", "proj.model.Net"}}).attr("exists") == "yes");
  CHECK(only_fact(fs, "hydra.target", {{"target", "torch.optim.Adam"}}).attr("exists") == "external");
  CHECK(only_fact(fs, "hydra.sweeper").attr("value") == "optuna");
  CHECK(only_fact(fs, "hydra.experiment").attr("path") == "configs/experiment/exp1.yaml");
  CHECK(only_fact(fs, "config.file", {{"path", "configs/config.yaml"}}).attr("hydra") == "yes");
  CHECK(find_facts(fs, kInputProblem).empty());
}

TEST_CASE("hydra: import aliases, initialize + compose, pkg:// and __file__ expressions") {
  auto calls = find_hydra_calls(R"(from hydra import initialize as init, compose
import hydra as h
with init(config_path="conf", version_base=None):
    cfg = compose(config_name="main")
@h.main(None, "x")
def f(c): pass
from hydra import initialize_config_dir
initialize_config_dir(config_dir=os.path.join(os.path.dirname(__file__), "..", "configs"))
)");
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].function == "initialize");
  CHECK(calls[0].path.value == "conf");
  CHECK(calls[0].version.none);
  CHECK(calls[1].function == "compose");
  CHECK(calls[1].name.value == "main");
  CHECK(calls[2].function == "hydra.main");
  CHECK(calls[2].path.none);
  CHECK(calls[2].name.value == "x");
  CHECK(calls[3].function == "initialize_config_dir");
  CHECK(!calls[3].path.literal);
  CHECK(calls[3].path.mentions_file);

  auto fs = run_hydra({
      {"app/run.py", "from hydra import initialize, compose\n"
                     "with initialize(config_path='conf'):\n    cfg = compose('main')\n"},
      {"app/conf/main.yaml", "seed: 1\n"},
      {"scripts/x.py", "import hydra\n@hydra.main(config_path=None)\ndef f(c): pass\n"},
      {"scripts/y.py", "import os, hydra\n"
                       "hydra.initialize_config_dir(os.path.join(os.path.dirname(__file__), '../app/conf'))\n"},
  });
  const Fact& a = only_fact(fs, "hydra.entry", {{"file", "app/run.py"}});
  CHECK(a.attr("resolved_dir") == "app/conf");
  CHECK(a.attr("config_name") == "main");
  CHECK(a.attr("exists") == "yes");
  CHECK(only_fact(fs, "hydra.config", {{"path", "app/conf/main.yaml"}}).attr("primary") == "yes");
  const Fact& n = only_fact(fs, "hydra.entry", {{"file", "scripts/x.py"}});
  CHECK(n.attr("config_path") == "None");
  CHECK(n.attr("exists") == "no");
  CHECK(n.attr("note").find("None") != std::string::npos);
  const Fact& y = only_fact(fs, "hydra.entry", {{"file", "scripts/y.py"}});
  CHECK(y.attr("resolved_dir") == "app/conf");
  CHECK(y.attr("exists") == "yes");
}

TEST_CASE("hydra: a config path escaping the repository is never read") {
  auto fs = run_hydra({
      {"src/a/train.py", "import hydra\n@hydra.main(config_path='../../../../etc', config_name='passwd')\n"
                         "def f(c): pass\n"},
      {"src/b/t.py", "import hydra\n@hydra.main(config_path='/abs/configs', config_name='c')\ndef f(c): pass\n"},
  });
  const Fact& e = only_fact(fs, "hydra.entry", {{"file", "src/a/train.py"}});
  CHECK(e.attr("exists") == "no");
  CHECK(e.attr("resolved_dir") == "");
  CHECK(e.attr("note").find("leaves the repository") != std::string::npos);
  CHECK(only_fact(fs, "hydra.entry", {{"file", "src/b/t.py"}}).attr("exists") == "no");
  CHECK(find_facts(fs, kInputProblem).size() == 2);
  CHECK(find_facts(fs, "hydra.missing").empty());
}

TEST_CASE("hydra: missing defaults entries, missing primary config, missing _target_ module") {
  auto fs = run_hydra({
      {"train.py", "import hydra\n@hydra.main(config_path='conf', config_name='nope')\ndef f(c): pass\n"},
      {"conf/config.yaml", "defaults:\n  - model: ghost\n  - optional extra: none\n  - data/mnist\n"
                           "  - /trainer: default\n  - _self_\n"},
      {"conf/data/mnist.yaml", "batch_size: 3\n"},
      {"conf/trainer/default.yaml", "_target_: proj.training.Trainer\n"},
      {"src/proj/__init__.py", ""},
  });
  const Fact& m1 = only_fact(fs, "hydra.missing", {{"ref", "nope"}});
  CHECK(m1.attr("from") == "train.py");
  CHECK(m1.attr("expected") == "conf/nope.yaml");
  const Fact& m2 = only_fact(fs, "hydra.missing", {{"ref", "model:ghost"}});
  CHECK(m2.attr("expected") == "conf/model/ghost.yaml");
  CHECK(m2.where.line == 2);
  CHECK(find_facts(fs, "hydra.missing").size() == 2);  // optional and existing entries are fine
  CHECK(only_fact(fs, "hydra.target").attr("exists") == "no");
}

TEST_CASE("hydra: hostile configs give a note, not a crash") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev)
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  std::string deep = "k: " + std::string(10000, '[');
  std::string deep_flow(10000, '[');
  auto fs = run_hydra({
      {"configs/bomb.yaml", bomb},
      {"configs/deep.yaml", deep},
      {"configs/flow.json", deep_flow},
      {"configs/junk.json", "{not json"},
      {"configs/bin.yaml", std::string("a: \0\1\2", 6)},
      {"configs/ok.yaml", "lr: 0.1\n"},
  });
  CHECK(find_facts(fs, kInputProblem).size() == 5);
  CHECK(only_fact(fs, "hydra.config").attr("path") == "configs/ok.yaml");
}

TEST_CASE("hydra: non-Hydra experiment configs and W&B sweep files") {
  auto fs = run_hydra({
      {"experiments/params.json", R"({"learning_rate": 0.1, "layers": [1, 2]})"},
      {"config/train.toml", "[train]\nbatch_size = 4\n"},
      {"sweep.yaml", "program: train.py\nmethod: bayes\nmetric:\n  name: val_loss\n  goal: minimize\n"
                     "parameters:\n  lr:\n    min: 0.0001\n    max: 0.1\n  batch_size:\n    values: [16, 32]\n"},
      {"misc/labels.yaml", "classes: [cat, dog]\n"},
      {".pre-commit-config.yaml", "repos: []\n"},
  });
  CHECK(only_fact(fs, "config.file", {{"path", "experiments/params.json"}}).attr("has_hyperparams") == "yes");
  CHECK(only_fact(fs, "config.file", {{"path", "config/train.toml"}}).attr("format") == "toml");
  CHECK(only_fact(fs, "config.file", {{"path", "config/train.toml"}}).attr("has_hyperparams") == "yes");
  CHECK(only_fact(fs, "config.file", {{"path", "sweep.yaml"}}).attr("hydra") == "no");
  CHECK(find_facts(fs, "config.file", {{"path", "misc/labels.yaml"}}).empty());
  const Fact& s = only_fact(fs, "wandb.sweep_config");
  CHECK(s.attr("method") == "bayes");
  CHECK(s.attr("metric") == "val_loss");
  CHECK(s.attr("goal") == "minimize");
  CHECK(s.attr("parameters") == "2");
  CHECK(find_facts(fs, "hydra.config").empty());
}

TEST_CASE("hydra: sweeper and launcher blocks, resolve_hydra_target") {
  auto fs = run_hydra({
      {"conf/config.yaml", "hydra:\n  sweeper:\n    _target_: hydra_plugins.optuna.Sweeper\n"
                           "  launcher:\n    n_jobs: 4\n"},
      {"conf/hydra/launcher/joblib.yaml", "n_jobs: 2\n"},
  });
  CHECK(find_facts(fs, "hydra.sweeper", {{"value", "hydra_plugins.optuna.Sweeper"}}).size() == 1);
  CHECK(find_facts(fs, "hydra.launcher").size() == 2);
  MemorySnapshot snap({{"src/pkg/models/net.py", ""}, {"pkg2/__init__.py", ""}});
  CHECK(resolve_hydra_target(snap, "pkg.models.net.Net") == "yes");
  CHECK(resolve_hydra_target(snap, "src.pkg.models.net.Net") == "yes");
  CHECK(resolve_hydra_target(snap, "pkg.models.other.Net") == "no");
  CHECK(resolve_hydra_target(snap, "pkg2.Thing") == "yes");
  CHECK(resolve_hydra_target(snap, "torch.nn.Linear") == "external");
  CHECK(resolve_hydra_target(snap, "${x}") == "unknown");
  CHECK(resolve_hydra_target(snap, "a..b") == "unknown");
}

// ---- Hydra multirun sweeps written down

TEST_CASE("hydra: a -m sweep with comma-separated values in the README is a multirun") {
  auto fs = run_hydra({{"README.md", "# Train\n\n```bash\npython train.py -m lr=0.1,0.01 epochs=5\n```\n"}});
  const Fact& m = only_fact(fs, "hydra.multirun");
  CHECK(m.attr("file") == "README.md");
  CHECK(m.attr("overrides") == "lr=0.1,0.01 epochs=5");
  CHECK(m.where.line == 4);
  CHECK(m.detail.find("lr=0.1,0.01") != std::string::npos);
}

TEST_CASE("hydra: --multirun, continuation lines, scripts, tasks and workflows") {
  auto fs = run_hydra({
      {"README.md", "Sweep:\n\n    python src/pkg/train.py --multirun \\\n      model.lr=0.1,0.01 \\\n      trainer.max_epochs=5\n"},
      {"scripts/sweep.sh", "#!/bin/bash\nuv run python -m pkg.train -m +experiment=a,b\n"},
      {"tasks.py", "@task\ndef sweep(c):\n    c.run('python train.py -m seed=1,2,3')\n"},
      {".github/workflows/sweep.yml", "jobs:\n  s:\n    steps:\n      - run: python train.py --multirun lr=0.1,0.2\n"},
  });
  const Fact& readme = only_fact(fs, "hydra.multirun", {{"file", "README.md"}});
  CHECK(readme.attr("overrides").find("model.lr=0.1,0.01") == 0);
  CHECK(readme.attr("overrides").find("trainer.max_epochs=5") != std::string::npos);
  CHECK(readme.where.line == 3);  // where the command starts
  CHECK(only_fact(fs, "hydra.multirun", {{"file", "scripts/sweep.sh"}}).attr("overrides") == "+experiment=a,b");
  CHECK(only_fact(fs, "hydra.multirun", {{"file", "tasks.py"}}).where.line == 3);
  CHECK(only_fact(fs, "hydra.multirun", {{"file", ".github/workflows/sweep.yml"}}).attr("overrides") == "lr=0.1,0.2");
  CHECK(find_facts(fs, "hydra.multirun").size() == 4);
}

TEST_CASE("hydra: no multirun from python -m module, from a single value, or from the report") {
  auto fs = run_hydra({
      {"README.md",
       "```\npython -m pkg.train lr=0.1\n"            // -m names a module
       "python -m pkg.train lr=0.1,0.01\n"           // still a module, and no multirun flag
       "python train.py -m lr=0.1\n"                 // a multirun of one value: no sweep
       "python train.py lr=0.1,0.01\n"               // a list value without -m
       "pytest -m slow\n```\n"},
      {"reports/README.md", "python train.py -m lr=0.1,0.01\n"},
      {"src/pkg/notes.py", "# python train.py -m lr=0.1,0.01\n"},
  });
  CHECK(find_facts(fs, "hydra.multirun").empty());
}

// ---- a Lightning profiler set in a config file

TEST_CASE("hydra: config.file carries the profiler a config sets") {
  auto fs = run_hydra({
      {"configs/config.yaml", "trainer:\n  max_epochs: 5\n  profiler: simple\n"},
      {"configs/off.yaml", "trainer:\n  max_epochs: 5\n  profiler: null\n"},
      {"configs/false.yaml", "trainer:\n  profiler: false\n"},
      {"configs/none.yaml", "trainer:\n  max_epochs: 5\n"},
      {"configs/deep.yaml", "experiments:\n  - name: a\n    trainer:\n      profiler: \"pytorch\"\n"},
  });
  const Fact& on = only_fact(fs, "config.file", {{"path", "configs/config.yaml"}});
  CHECK(on.attr("profiler") == "simple");
  CHECK(on.detail.find("profiler: simple") != std::string::npos);
  CHECK(only_fact(fs, "config.file", {{"path", "configs/deep.yaml"}}).attr("profiler") == "pytorch");
  for (const char* p : {"configs/off.yaml", "configs/false.yaml", "configs/none.yaml"}) {
    const Fact& f = only_fact(fs, "config.file", {{"path", p}});
    CHECK_MESSAGE(f.attr("profiler").empty(), p);
    CHECK_MESSAGE(f.detail.find("profiler") == std::string::npos, p);
  }
}

// BUG (skipped, reported, cosmetic): joining continuation lines keeps the space before the `\`,
// so the overrides of a multi-line command hold double spaces.
TEST_CASE("hydra: continuation lines join with one space") {
  auto fs = run_hydra({{"README.md", "python train.py -m \\\n  lr=0.1,0.01 \\\n  epochs=5\n"}});
  CHECK(only_fact(fs, "hydra.multirun").attr("overrides") == "lr=0.1,0.01 epochs=5");
}
