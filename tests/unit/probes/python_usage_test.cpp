#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>

#include "engine/embedded.h"
#include "engine/memory_snapshot.h"
#include "probes/python_usage.h"

using namespace cc;

namespace {

struct Run {
  FactStore facts;
  explicit Run(const MemorySnapshot& s, unsigned threads = 0) {
    PythonUsageOptions o;
    o.threads = threads;
    PythonUsageProbe(nullptr, o).run(s, facts);
  }

  // py.use facts with this name (and file, when given).
  std::vector<const Fact*> uses(const std::string& name, const std::string& file = "") const {
    std::vector<const Fact*> v;
    for (auto* f : facts.of_kind("py.use"))
      if (f->attr("name") == name && (file.empty() || f->attr("file") == file)) v.push_back(f);
    return v;
  }
  const Fact* use(const std::string& name, const std::string& file = "") const {
    auto v = uses(name, file);
    return v.empty() ? nullptr : v[0];
  }
  std::string values(const std::string& name) const {
    std::string s;
    for (auto* f : uses(name)) s += f->attr("value") + ";";
    return s;
  }
  const Fact* module(const std::string& path) const {
    for (auto* f : facts.of_kind("py.module"))
      if (f->attr("path") == path) return f;
    return nullptr;
  }
  const Fact* category(const std::string& path) const {
    for (auto* f : facts.of_kind("py.test_category"))
      if (f->attr("file") == path) return f;
    return nullptr;
  }
  const Fact* summary() const {
    auto v = facts.of_kind("py.summary");
    return v.size() == 1 ? v[0] : nullptr;
  }
  int problems(const std::string& path = "") const {
    int n = 0;
    for (auto* f : facts.of_kind(kInputProblem))
      if (path.empty() || f->where.path == path) ++n;
    return n;
  }
  std::string problem_text(const std::string& path) const {
    std::string s;
    for (auto* f : facts.of_kind(kInputProblem))
      if (f->where.path == path) s += f->detail + "\n";
    return s;
  }
};

Run run1(const std::string& src, const std::string& path = "src/pkg/m.py") {
  MemorySnapshot s(std::map<std::string, std::string>{{path, src}});
  return Run(s, 1);
}

}  // namespace

TEST_CASE("python-usage: the builtin pattern file loads") {
  std::string err;
  const PythonPatterns* p = PythonPatterns::builtin(&err);
  REQUIRE_MESSAGE(p, err);
  CHECK(p->pattern_count() > 60);
  auto names = p->fact_names();
  for (const char* n : {"hydra.main", "wandb.init", "fastapi.route", "dataloader.num_workers",
                        "lightning.module", "torch.module", "locust.user", "data.download"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
}

TEST_CASE("python-usage: pattern file errors are clear") {
  PythonPatterns p;
  std::string err;
  CHECK_FALSE(p.load("schema: nope\npatterns: []\n", &err));
  CHECK(err.find("schema") != std::string::npos);
  CHECK_FALSE(p.load("schema: claimcheck/python-patterns/1\npatterns:\n  - {fact: x, kind: wat, names: [a]}\n", &err));
  CHECK(err.find("line 3") != std::string::npos);
  CHECK(err.find("unknown kind 'wat'") != std::string::npos);
  CHECK_FALSE(p.load("schema: claimcheck/python-patterns/1\npatterns:\n  - {fact: x, kind: call, names: [$zz.a]}\n", &err));
  CHECK(err.find("unknown prefix '$zz'") != std::string::npos);
  CHECK_FALSE(p.load("schema: claimcheck/python-patterns/1\npatterns:\n  - {fact: x, kind: keyword, names: [a]}\n", &err));
  CHECK(err.find("needs a keyword") != std::string::npos);
  CHECK_FALSE(p.load("schema: claimcheck/python-patterns/1\nextra: 1\npatterns:\n  - {fact: x, kind: call, names: [a]}\n", &err));
  CHECK(err.find("unknown top-level key 'extra'") != std::string::npos);
  CHECK(p.load("schema: claimcheck/python-patterns/1\npatterns:\n  - {fact: x, kind: call, names: [a.b]}\n", &err));
  CHECK(p.pattern_count() == 1);
}

TEST_CASE("python-usage: alias forms resolve to qualified names") {
  SUBCASE("import X as Y") {
    Run r = run1("import wandb as wb\nwb.init(project='p')\nwb.log({'a': 1})\n");
    REQUIRE(r.use("wandb.init"));
    CHECK(r.use("wandb.init")->attr("callable") == "wandb.init");
    CHECK(r.use("wandb.init")->where.line == 2);
    CHECK(r.use("wandb.log"));
  }
  SUBCASE("from X import Y (as Z)") {
    Run r = run1("from hydra import main as hmain, compose\n@hmain(config_path='../configs', config_name='cfg')\ndef go(cfg):\n    compose('x')\n");
    REQUIRE(r.use("hydra.main"));
    CHECK(r.use("hydra.main")->attr("value") == "../configs");
    CHECK(r.use("hydra.main")->attr("config_name") == "cfg");
    CHECK(r.use("hydra.main")->where.line == 2);
    REQUIRE(r.use("hydra.compose"));
    CHECK(r.use("hydra.compose")->attr("value") == "x");
  }
  SUBCASE("lightning spellings") {
    Run a = run1("import pytorch_lightning as pl\nclass M(pl.LightningModule):\n    pass\nt = pl.Trainer(devices=2, strategy='ddp')\nt.fit(M())\n");
    CHECK(a.use("lightning.module"));
    CHECK(a.use("lightning.trainer"));
    REQUIRE(a.use("lightning.fit"));
    CHECK(a.use("lightning.fit")->attr("callable") == "pytorch_lightning.Trainer().fit");
    CHECK(a.values("trainer.devices") == "2;");
    CHECK(a.values("trainer.strategy") == "ddp;");
    Run b = run1("from lightning.pytorch import Trainer, LightningModule\nclass M(LightningModule): ...\nTrainer().fit(M())\n");
    CHECK(b.use("lightning.module"));
    CHECK(b.use("lightning.fit"));
    Run c = run1("import lightning as L\nclass M(L.LightningModule): ...\ntrainer = L.Trainer(max_epochs=1)\ntrainer.fit(M())\n");
    CHECK(c.use("lightning.module"));
    CHECK(c.use("lightning.fit"));
  }
  SUBCASE("attribute chains") {
    Run a = run1("import torch\nclass Net(torch.nn.Module): pass\n");
    CHECK(a.use("torch.module"));
    Run b = run1("from torch import nn\nclass Net(nn.Module): pass\n");
    REQUIRE(b.use("torch.module"));
    CHECK(b.use("torch.module")->attr("callable") == "torch.nn.Module");
    Run c = run1("import torch.nn as nn\nclass Net(nn.Module): pass\n");
    CHECK(c.use("torch.module"));
    Run d = run1("class Net(Module): pass\n");  // not imported: not claimed
    CHECK_FALSE(d.use("torch.module"));
  }
  SUBCASE("a rebinding shadows an import") {
    Run r = run1("import wandb\nwandb = None\nwandb.init()\n");
    CHECK_FALSE(r.use("wandb.init"));
  }
}

TEST_CASE("python-usage: library groups") {
  SUBCASE("hydra/omegaconf") {
    Run r = run1("import hydra\nfrom omegaconf import OmegaConf\nhydra.initialize(config_path='conf')\nOmegaConf.to_yaml(c)\n");
    CHECK(r.values("hydra.initialize") == "conf;");
    CHECK(r.use("omegaconf"));
  }
  SUBCASE("wandb sweep/agent/logger") {
    Run r = run1("import wandb\nfrom lightning.pytorch.loggers import WandbLogger\nsid = wandb.sweep(cfg)\nwandb.agent(sid, f)\nl = WandbLogger()\nrun = wandb.init()\nrun.log({})\n");
    CHECK(r.use("wandb.sweep"));
    CHECK(r.use("wandb.agent"));
    CHECK(r.use("wandb.logger"));
    REQUIRE(r.use("wandb.log"));
    CHECK(r.use("wandb.log")->attr("callable") == "wandb.init().log");
  }
  SUBCASE("training loop") {
    Run r = run1("import torch\nopt = torch.optim.Adam(m.parameters())\nfor x in d:\n    opt.zero_grad()\n    loss = f(x)\n    loss.backward()\n    opt.step()\n");
    CHECK(r.use("torch.optimizer"));
    CHECK(r.use("training.zero_grad"));
    CHECK(r.use("training.backward"));
    // opt is bound to torch.optim.Adam(): the call form matches; the receiver "opt" is not "*optim*"
    REQUIRE(r.uses("training.optimizer_step").size() == 1);
  }
  SUBCASE("optimizer step through self") {
    Run r = run1("import torch.optim as optim\nclass T:\n    def __init__(self):\n        self.optimizer = optim.SGD([])\n    def go(self):\n        self.optimizer.step()\n");
    REQUIRE(r.use("training.optimizer_step"));
  }
  SUBCASE("logging and loguru") {
    Run a = run1("import logging\nlog = logging.getLogger(__name__)\nlog.info('x')\nlogging.basicConfig()\n");
    CHECK(a.use("logging.get_logger"));
    REQUIRE(a.use("logging.call"));
    CHECK(a.use("logging.call")->attr("callable") == "logging.getLogger().info");
    CHECK(a.use("logging.config"));
    Run b = run1("from loguru import logger\nlogger.add('f.log')\nlogger.info('x')\n");
    CHECK(b.use("loguru.add"));
    CHECK(b.use("loguru.call"));
  }
  SUBCASE("CLIs") {
    Run a = run1("import typer\napp = typer.Typer()\n@app.command()\ndef train(): ...\n");
    CHECK(a.use("typer.app"));
    CHECK(a.use("typer.command"));
    Run b = run1("import click\n@click.command()\ndef main(): ...\n");
    CHECK(b.use("click.command"));
    Run c = run1("import argparse\np = argparse.ArgumentParser()\n");
    CHECK(c.use("argparse.parser"));
    Run d = run1("from invoke import task\n@task\ndef build(ctx): ...\n", "tasks.py");
    CHECK(d.use("invoke.task"));
  }
  SUBCASE("FastAPI routes and clients") {
    Run r = run1(
        "from fastapi import FastAPI, APIRouter\napp = FastAPI()\nrouter = APIRouter()\n"
        "@app.post('/predict')\nasync def p(): ...\n@app.get(path=\"/\")\ndef root(): ...\n"
        "@router.delete('/items/{id}')\ndef d(): ...\n@app.get(ROUTE)\ndef v(): ...\n");
    CHECK(r.use("fastapi.app"));
    CHECK(r.use("fastapi.router"));
    CHECK(r.values("fastapi.route") == "POST /predict;GET /;DELETE /items/{id};;");
    Run t = run1("from fastapi.testclient import TestClient\nimport httpx\nc = TestClient(app)\nhttpx.AsyncClient()\n", "tests/test_api.py");
    REQUIRE(t.use("api.testclient"));
    CHECK(t.use("api.testclient")->attr("in_tests") == "yes");
    CHECK(t.use("http.httpx"));
  }
  SUBCASE("frontends") {
    Run a = run1("import streamlit as st\nst.title('x')\n");
    CHECK(a.use("streamlit.import"));
    REQUIRE(a.use("streamlit.call"));
    CHECK(a.use("streamlit.call")->attr("callable") == "streamlit.title");
    Run b = run1("import gradio as gr\ngr.Interface(fn=f, inputs='text', outputs='text')\n");
    CHECK(b.use("gradio.import"));
    CHECK(b.use("gradio.app"));
  }
  SUBCASE("monitoring") {
    Run r = run1(
        "from prometheus_client import Counter, make_asgi_app, start_http_server\n"
        "from prometheus_fastapi_instrumentator import Instrumentator\n"
        "c = Counter('requests_total', 'help')\nm = make_asgi_app()\nstart_http_server(8000)\n"
        "Instrumentator().instrument(app).expose(app)\n");
    CHECK(r.values("prometheus.metric") == "requests_total;");
    CHECK(r.use("prometheus.asgi_app"));
    CHECK(r.use("prometheus.http_server"));
    CHECK(r.use("prometheus.instrumentator"));
  }
  SUBCASE("drift") {
    Run r = run1(
        "from evidently.report import Report\nfrom evidently.metric_preset import DataDriftPreset\n"
        "from scipy.stats import ks_2samp\nimport alibi_detect.cd as cd\nimport nannyml as nml\n"
        "Report(metrics=[DataDriftPreset()])\nks_2samp(a, b)\ncd.KSDrift(x)\nnml.UnivariateDriftCalculator()\n");
    CHECK(r.use("drift.import"));
    CHECK(r.uses("drift.evidently").size() == 2);
    CHECK(r.use("drift.ks_test"));
    CHECK(r.use("drift.alibi_detect"));
    CHECK(r.use("drift.nannyml"));
  }
  SUBCASE("profiling") {
    Run r = run1(
        "import cProfile, pstats\nfrom torch.profiler import profile, ProfilerActivity\n"
        "from line_profiler import LineProfiler\n"
        "pr = cProfile.Profile()\npstats.Stats(pr)\nwith profile(activities=[ProfilerActivity.CPU]) as p: pass\nLineProfiler()\n");
    CHECK(r.use("profiling.import"));
    CHECK(r.use("profiling.cprofile"));
    CHECK(r.use("profiling.pstats"));
    CHECK(r.use("profiling.torch"));
    CHECK(r.use("profiling.line_profiler"));
  }
  SUBCASE("deployment formats") {
    Run r = run1(
        "import torch, onnxruntime as ort, bentoml\ntorch.onnx.export(m, x, 'm.onnx')\n"
        "s = ort.InferenceSession('m.onnx')\n@bentoml.service\nclass S:\n    @bentoml.api\n    def p(self): ...\n");
    CHECK(r.use("onnx.export"));
    CHECK(r.use("onnx.runtime"));
    CHECK(r.use("bentoml.service"));
    CHECK(r.use("bentoml.api"));
  }
  SUBCASE("quantization, compile, pruning") {
    Run r = run1(
        "import torch\nfrom torch.ao.quantization import quantize_dynamic\nimport torch.nn.utils.prune as prune\n"
        "q = quantize_dynamic(m, {torch.nn.Linear})\ntorch.quantization.quantize_dynamic(m)\nc = torch.compile(m)\n"
        "prune.l1_unstructured(m, 'weight', amount=0.2)\n@torch.compile\ndef f(x): ...\n");
    CHECK(r.uses("torch.quantization").size() == 2);
    CHECK(r.uses("torch.compile").size() == 2);
    CHECK(r.use("torch.prune"));
  }
  SUBCASE("distributed") {
    Run r = run1(
        "import torch.distributed as dist\nfrom torch.nn.parallel import DistributedDataParallel as DDP\n"
        "from torch.utils.data.distributed import DistributedSampler\nfrom accelerate import Accelerator\n"
        "dist.init_process_group('nccl')\nDDP(m)\nDistributedSampler(ds)\nAccelerator()\n");
    CHECK(r.use("distributed.init"));
    CHECK(r.use("distributed.ddp"));
    CHECK(r.use("distributed.sampler"));
    CHECK(r.use("distributed.accelerate"));
  }
  SUBCASE("locust") {
    Run r = run1("from locust import HttpUser, task\nclass U(HttpUser):\n    @task\n    def hit(self): ...\n", "locustfile.py");
    CHECK(r.use("locust.user"));
    CHECK(r.use("locust.task"));
  }
  SUBCASE("data downloads") {
    Run r = run1(
        "import requests, urllib.request\nfrom torchvision import datasets\nfrom datasets import load_dataset\n"
        "import dvc.api\nfrom google.cloud import storage\nfrom kaggle.api.kaggle_api_extended import KaggleApi\n"
        "requests.get('https://x/y.zip')\nurllib.request.urlretrieve(u, 'f')\n"
        "datasets.MNIST('data', download=True)\ndatasets.MNIST('data', download=False)\n"
        "load_dataset('imdb')\ndvc.api.open('data/x')\n"
        "client = storage.Client()\nbucket = client.bucket('b')\nblob = bucket.blob('k')\nblob.download_to_filename('f')\n"
        "api = KaggleApi()\n");
    CHECK(r.values("data.download") == "https://x/y.zip;;");
    CHECK(r.uses("data.torchvision").size() == 1);
    CHECK(r.values("data.hf_datasets") == "imdb;");
    CHECK(r.use("data.dvc_api"));
    bool saw_download = false;
    for (auto* f : r.uses("data.gcs"))
      if (f->attr("callable") == "google.cloud.storage.Client().bucket().blob().download_to_filename")
        saw_download = true;
    CHECK(saw_download);
    CHECK(r.use("data.kaggle"));
  }
  SUBCASE("models") {
    Run r = run1("import timm\nfrom transformers import AutoModelForSequenceClassification as A\ntimm.create_model('resnet18')\nA.from_pretrained('bert-base-uncased')\n");
    CHECK(r.values("model.timm") == "resnet18;");
    CHECK(r.values("model.transformers") == "bert-base-uncased;");
  }
}

TEST_CASE("python-usage: DataLoader num_workers literal vs variable") {
  Run r = run1(
      "from torch.utils.data import DataLoader\n"
      "a = DataLoader(ds, batch_size=32, num_workers=4, pin_memory=True, persistent_workers=True)\n"
      "b = DataLoader(ds, num_workers=n_workers)\nc = DataLoader(ds)\n");
  CHECK(r.uses("dataloader").size() == 3);
  auto nw = r.uses("dataloader.num_workers");
  REQUIRE(nw.size() == 2);
  CHECK(nw[0]->attr("value") == "4");
  CHECK(nw[0]->attr("literal") == "yes");
  CHECK(nw[1]->attr("value") == "");
  CHECK(nw[1]->attr("literal") == "no");
  CHECK(nw[1]->attr("expression") == "n_workers");
  CHECK(r.values("dataloader.pin_memory") == "True;");
  CHECK(r.values("dataloader.persistent_workers") == "True;");
}

TEST_CASE("python-usage: modules, typing and docstring shares") {
  MemorySnapshot s({
      {"src/pkg/__init__.py", ""},
      {"src/pkg/model.py",
       "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    \"\"\"A net.\"\"\"\n"
       "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n        \"\"\"Forward.\"\"\"\n        return x\n\n"
       "    def helper(self, y):\n        return y\n"},
      {"src/pkg/data.py", "def load(path: str):\n    return path\n\ndef undocumented():\n    pass\n"},
      {"tests/test_model.py", "from pkg.model import Net\n\ndef test_net():\n    Net()\n"},
      {"scripts/tool.py", "def x(): pass\n"},
  });
  Run r(s);
  const Fact* m = r.module("src/pkg/model.py");
  REQUIRE(m);
  CHECK(m->attr("module") == "pkg.model");
  CHECK(m->attr("functions") == "2");
  CHECK(m->attr("annotated") == "1");
  CHECK(m->attr("documented") == "1");
  CHECK(m->attr("classes") == "1");
  CHECK(m->attr("imports") == "torch");
  CHECK(m->attr("is_test") == "no");
  CHECK(m->attr("status") == "ok");
  const Fact* t = r.module("tests/test_model.py");
  REQUIRE(t);
  CHECK(t->attr("is_test") == "yes");
  CHECK(t->attr("project_imports") == "pkg.model");
  const Fact* sum = r.summary();
  REQUIRE(sum);
  CHECK(sum->attr("scope") == "src");
  CHECK(sum->attr("files") == "3");  // __init__, model, data; not tests/, not scripts/
  CHECK(sum->attr("functions") == "4");
  CHECK(sum->attr("annotated") == "2");
  CHECK(sum->attr("documented") == "1");
  CHECK(sum->attr("annotated_share") == "50");
  CHECK(sum->attr("documented_share") == "25");
}

TEST_CASE("python-usage: summary without src/ uses packages, else all; zero functions") {
  Run a(MemorySnapshot({{"pkg/__init__.py", ""}, {"pkg/a.py", "def f() -> int: return 1\n"},
                        {"main.py", "def g(): pass\n"}}));
  REQUIRE(a.summary());
  CHECK(a.summary()->attr("scope") == "packages");
  CHECK(a.summary()->attr("functions") == "1");
  CHECK(a.summary()->attr("annotated_share") == "100");
  Run b(MemorySnapshot(std::map<std::string, std::string>{{"main.py", "def g(): pass\n"}}));
  CHECK(b.summary()->attr("scope") == "all");
  Run c(MemorySnapshot(std::map<std::string, std::string>{{"README.md", "x"}}));
  REQUIRE(c.summary());
  CHECK(c.summary()->attr("files") == "0");
  CHECK(c.summary()->attr("annotated_share") == "0");
}

TEST_CASE("python-usage: test categories") {
  MemorySnapshot s({
      {"src/proj/__init__.py", ""},
      {"src/proj/data.py", "def corrupt_mnist(): ...\n"},
      {"src/proj/model.py", "class MyAwesomeModel: ...\n"},
      {"src/proj/train.py", "def train(): ...\n"},
      {"src/proj/api.py", "from fastapi import FastAPI\napp = FastAPI()\n"},
      {"tests/__init__.py", ""},
      {"tests/conftest.py", "import pytest\n"},
      {"tests/test_data.py", "from proj.data import corrupt_mnist\ndef test_d(): corrupt_mnist()\n"},
      {"tests/test_model.py", "from proj.model import MyAwesomeModel\ndef test_m(): MyAwesomeModel()\n"},
      {"tests/test_train.py", "from proj import train\ndef test_t(): train.train()\n"},
      {"tests/test_lightning.py", "import lightning as L\ndef test_fit():\n    L.Trainer().fit(m)\n"},
      {"tests/integrationtests/test_apis.py",
       "from fastapi.testclient import TestClient\nfrom proj.api import app\nclient = TestClient(app)\n"},
      {"tests/performancetests/locustfile.py", "from locust import HttpUser\nclass U(HttpUser): ...\n"},
      {"tests/test_misc.py", "import os\ndef test_x(): assert os.sep\n"},
  });
  Run r(s);
  auto cats = [&](const std::string& p) {
    const Fact* f = r.category(p);
    return f ? f->attr("categories") : std::string("<none>");
  };
  CHECK(cats("tests/test_data.py") == "data");
  CHECK(cats("tests/test_model.py") == "model");
  CHECK(cats("tests/test_train.py") == "training");
  CHECK(cats("tests/test_lightning.py") == "training");
  CHECK(cats("tests/integrationtests/test_apis.py") == "api");
  CHECK(cats("tests/performancetests/locustfile.py") == "load");
  CHECK(cats("tests/test_misc.py") == "");
  CHECK(cats("tests/conftest.py") == "<none>");
  CHECK(cats("tests/__init__.py") == "<none>");
  REQUIRE(r.category("tests/test_data.py"));
  CHECK(r.category("tests/test_data.py")->attr("reason") == "data: imports project module proj.data");
  CHECK(r.category("tests/integrationtests/test_apis.py")->attr("reason").find("api:") == 0);
}

TEST_CASE("python-usage: virtualenvs and tool directories are skipped") {
  MemorySnapshot s({
      {".venv/lib/python3.12/site-packages/wandb/__init__.py", "import wandb\nwandb.init()\n"},
      {"myenv/pyvenv.cfg", "home = /usr\n"},
      {"myenv/lib/x.py", "import wandb\nwandb.init()\n"},
      {"node_modules/x/y.py", "import wandb\nwandb.init()\n"},
      {"notebooks/.ipynb_checkpoints/a-checkpoint.py", "import wandb\nwandb.init()\n"},
      {"lib/site-packages/z.py", "import wandb\nwandb.init()\n"},
      {"src/train.py", "import wandb\nwandb.init()\n"},
  });
  Run r(s);
  auto v = r.uses("wandb.init");
  REQUIRE(v.size() == 1);
  CHECK(v[0]->attr("file") == "src/train.py");
  CHECK(r.facts.of_kind("py.module").size() == 1);
}

TEST_CASE("python-usage: bad input is reported and the rest is still read") {
  std::string big = "import wandb\n";
  while (big.size() < 5 * 1024 * 1024) big += "x = wandb.init(project='p')  # padding padding\n";
  std::string binary("import wandb\n\0\0\0\x01\x02", 18);
  std::string latin1 = "# caf\xe9\nimport wandb\nwandb.init()\n";
  std::string syntax = "import wandb\ndef f(:\n    wandb.init(\n\nwandb.log({'a': 1})\n";
  MemorySnapshot s({
      {"src/big.py", big},
      {"src/bin.py", binary},
      {"src/latin.py", latin1},
      {"src/broken.py", syntax},
      {"src/deep.py", std::string(1000, '(') + std::string(1000, ')') + "\n"},
      {"src/good.py", "import wandb\nwandb.init()\n"},
  });
  Run r(s);
  CHECK(r.problems("src/big.py") == 1);
  CHECK(r.problem_text("src/big.py").find("too-large") != std::string::npos);
  CHECK(r.problems("src/bin.py") == 1);
  CHECK(r.problem_text("src/bin.py").find("binary") != std::string::npos);
  CHECK(r.problems("src/latin.py") == 1);
  CHECK(r.problem_text("src/latin.py").find("utf") != std::string::npos);
  CHECK(r.problems("src/deep.py") == 1);
  CHECK(r.problem_text("src/deep.py").find("too-deep") != std::string::npos);
  REQUIRE(r.problems("src/broken.py") == 1);
  CHECK(r.problem_text("src/broken.py").find("syntax errors") != std::string::npos);
  for (auto* f : r.facts.of_kind(kInputProblem)) CHECK(f->attr("probe") == "python-usage");
  // What parses in the broken file still counts, and the good file is read.
  CHECK(r.use("wandb.log", "src/broken.py"));
  REQUIRE(r.module("src/broken.py"));
  CHECK(r.module("src/broken.py")->attr("status") == "syntax-errors");
  CHECK(r.use("wandb.init", "src/good.py"));
  CHECK_FALSE(r.module("src/big.py"));
  REQUIRE(r.summary());
  CHECK(r.summary()->attr("files") == "2");  // broken + good
}

TEST_CASE("python-usage: facts are deterministic across thread counts, capped per name") {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 40; ++i) {
    std::string src = "import logging\nlog = logging.getLogger()\n";
    for (int k = 0; k < (i == 7 ? 80 : 3); ++k) src += "log.info('m')\n";
    char name[32];
    std::snprintf(name, sizeof name, "src/m%02d.py", i);
    files[name] = src;
  }
  MemorySnapshot s(files);
  Run one(s, 1), many(s, 4);
  REQUIRE(one.facts.all().size() == many.facts.all().size());
  for (std::size_t i = 0; i < one.facts.all().size(); ++i) {
    CHECK(one.facts.all()[i].kind == many.facts.all()[i].kind);
    CHECK(one.facts.all()[i].attrs == many.facts.all()[i].attrs);
    CHECK(one.facts.all()[i].where == many.facts.all()[i].where);
  }
  CHECK(one.uses("logging.call", "src/m07.py").size() == std::size_t(kMaxUsesPerName));
  REQUIRE(one.module("src/m07.py"));
  CHECK(one.module("src/m07.py")->attr("uses_dropped") == "30");
}

TEST_CASE("python-usage: registered") {
  bool found = false;
  for (const auto& p : all_probes()) found = found || p->id() == "python-usage";
  CHECK(found);
}

TEST_CASE("python-usage: 2000-file tree timing" * doctest::skip()) {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 2000; ++i) {
    std::string src =
        "import logging\nimport torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader\n"
        "import wandb\nfrom fastapi import FastAPI\n\nlog = logging.getLogger(__name__)\napp = FastAPI()\n\n";
    for (int k = 0; k < 8; ++k) {
      std::string n = std::to_string(k);
      src += "class Net" + n + "(nn.Module):\n    \"\"\"Doc.\"\"\"\n    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
             "        y = self.layer(x)\n        log.info('shape %s', y.shape)\n        return torch.relu(y) + x * 2\n\n"
             "@app.post('/predict" + n + "')\ndef predict" + n + "(data: dict):\n    loader = DataLoader(ds, num_workers=4)\n"
             "    for b in loader:\n        opt.zero_grad()\n        loss = model(b).sum()\n        loss.backward()\n        opt.step()\n"
             "        wandb.log({'loss': loss.item()})\n    return {'ok': True}\n\n";
    }
    char name[48];
    std::snprintf(name, sizeof name, "src/pkg/sub%02d/mod%04d.py", i % 20, i);
    files[name] = src;
  }
  MemorySnapshot s(files);
  std::size_t bytes = 0;
  for (auto& [k, v] : files) bytes += v.size();
  auto t0 = std::chrono::steady_clock::now();
  Run r(s);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("python-usage on 2000 files (" << bytes / 1024 << " KiB): " << ms << " ms, "
                                         << r.facts.all().size() << " facts");
  CHECK(r.facts.of_kind("py.module").size() == 2000);
}

// ---- code switched off by a comment

TEST_CASE("python-usage: a profiler in a commented-out line is profiling.commented") {
  Run r = run1(
      "import torch\n"
      "def train(model):\n"
      "    # with torch.profiler.profile() as prof:\n"
      "    #     model(x)\n"
      "    # cProfile.run(\"main()\")\n"
      "    # we profile later\n"
      "    # TODO: speed things up\n"
      "    return model\n");
  auto v = r.uses("profiling.commented");
  REQUIRE(v.size() == 2);
  CHECK(v[0]->attr("kind") == "comment");
  CHECK(v[0]->where.line == 3);
  CHECK(v[0]->attr("value") == "# with torch.profiler.profile() as prof:");
  CHECK(v[0]->detail.find("only in a comment") != std::string::npos);
  CHECK(v[1]->where.line == 5);
  CHECK(v[1]->attr("value") == "# cProfile.run(\"main()\")");
  // A live profiler is not in a comment.
  CHECK_FALSE(r.use("profiling.torch"));
}

TEST_CASE("python-usage: other commented-out profiler spellings, and live code is not commented") {
  Run r = run1(
      "import cProfile\n"
      "cProfile.run('main()')  # profile the whole run\n"
      "#import pstats\n"
      "## prof = torch.profiler.profile(activities=[])\n"
      "x = '# cProfile.run(main)'\n");
  auto v = r.uses("profiling.commented");
  REQUIRE(v.size() == 2);
  CHECK(v[0]->where.line == 3);
  CHECK(v[1]->where.line == 4);
  CHECK(r.use("profiling.cprofile") != nullptr);
}

TEST_CASE("python-usage: prose about profiling is no commented-out profiler") {
  Run r = run1("# we profile later\n# profiling showed the data loader is slow\nx = 1  # see the profile\n"
               "# cProfile is too slow here, use py-spy\n");
  CHECK(r.uses("profiling.commented").empty());
}

TEST_CASE("python-usage: `# with profile(...)` after `from torch.profiler import profile` is switched off") {
  Run r = run1("from torch.profiler import profile\n\ndef train():\n    # with profile(activities=[]) as prof:\n    pass\n");
  auto v = r.uses("profiling.commented");
  REQUIRE(v.size() == 1);
  CHECK(v[0]->where.line == 4);
}

TEST_CASE("python-usage: commented-out code wherever the comment is, the first 50 in source order") {
  // Comments inside an import's parentheses and an assignment's right side (parts the usage walk
  // reads out of order or not at all), then more than the 50 reported per file (and the 200 kept while walking).
  std::string src =
      "from torch import (nn,  # import cProfile\n"
      "    optim)\n"
      "x = foo(1,  # cProfile.run('a')\n"
      "        2)\n"
      "y = [  # import pstats\n"
      "    3]\n";
  for (int i = 0; i < 250; ++i) src += "# cProfile.run('f" + std::to_string(i) + "')\n";
  Run r = run1(src);
  auto v = r.uses("profiling.commented");
  REQUIRE(v.size() == 50);
  CHECK(v[0]->where.line == 1);
  CHECK(v[1]->where.line == 3);
  CHECK(v[2]->where.line == 5);
  CHECK(v[3]->where.line == 7);
  CHECK(v[49]->where.line == 53);
  CHECK(v[49]->attr("value") == "# cProfile.run('f46')");
}

// ---- writing what comes in

TEST_CASE("python-usage: storage writes") {
  SUBCASE("GCS upload, pandas, csv") {
    Run r = run1(
        "import csv\nfrom google.cloud import storage\n"
        "blob = storage.Client().bucket('b').blob('k')\n"
        "blob.upload_from_string(data)\n"
        "df.to_csv('predictions.csv')\n"
        "with open(path, 'w') as f:\n    w = csv.writer(f)\n    w.writerow([1, 2])\n");
    std::set<int> lines;
    for (auto* f : r.uses("storage.write")) lines.insert(f->where.line);
    CHECK(lines.count(4));  // upload_from_string
    CHECK(lines.count(5));  // to_csv
    CHECK(lines.count(7));  // csv.writer
    CHECK(lines.count(8));  // writerow
  }
  SUBCASE("open in append mode") {
    Run r = run1("def log(path, row):\n    with open(path, \"a\") as f:\n        f.write(row)\n");
    REQUIRE(r.uses("storage.open").size() == 1);
    CHECK(r.values("storage.open") == "a;");
    CHECK(r.use("storage.open")->where.line == 2);
  }
  SUBCASE("open with a mode keyword") {
    Run r = run1("f = open('log.jsonl', mode='a')\n");
    CHECK(r.values("storage.open") == "a;");
  }
  SUBCASE("reading only writes nothing") {
    Run r = run1("import pandas as pd\ndf = pd.read_csv('x.csv')\nprint(df.head())\n");
    CHECK(r.uses("storage.write").empty());
  }
}

// ---- Lightning's profiler

TEST_CASE("python-usage: a Trainer given a profiler is profiling.lightning") {
  SUBCASE("from lightning import Trainer") {
    Run r = run1("from lightning import Trainer\ntrainer = Trainer(max_epochs=1, profiler=\"simple\")\n");
    REQUIRE(r.uses("profiling.lightning").size() == 1);
    CHECK(r.values("profiling.lightning") == "simple;");
    CHECK(r.use("profiling.lightning")->where.line == 2);
  }
  SUBCASE("pl.Trainer with a profiler from the config") {
    Run r = run1("import pytorch_lightning as pl\ntrainer = pl.Trainer(profiler=cfg.profiler)\n");
    REQUIRE(r.uses("profiling.lightning").size() == 1);
    CHECK(r.values("profiling.lightning") == ";");
    CHECK(r.use("profiling.lightning")->attr("literal") == "no");
  }
  SUBCASE("lightning.pytorch") {
    Run r = run1("from lightning.pytorch import Trainer\nTrainer(profiler='advanced')\n");
    CHECK(r.values("profiling.lightning") == "advanced;");
  }
  SUBCASE("a Trainer without profiler, or someone else's Trainer") {
    Run a = run1("import pytorch_lightning as pl\ntrainer = pl.Trainer(max_epochs=3)\n");
    CHECK(a.uses("profiling.lightning").empty());
    Run b = run1("from transformers import Trainer\nTrainer(model=m, profiler='simple')\n");
    CHECK(b.uses("profiling.lightning").empty());
  }
}

// ---- the course's own files

TEST_CASE("python-usage: the course's reports/report.py is not the group's code") {
  const char* src = "from loguru import logger\nimport typer\napp = typer.Typer()\nlogger.info('x')\n";
  MemorySnapshot s({{"reports/report.py", src}, {"src/x.py", src}, {"src/reports/report.py", src}});
  Run r(s, 1);
  CHECK(r.uses("loguru.call", "reports/report.py").empty());
  CHECK(r.uses("typer.app", "reports/report.py").empty());
  CHECK(r.module("reports/report.py") == nullptr);
  CHECK(r.uses("loguru.call", "src/x.py").size() == 1);
  CHECK(r.uses("typer.app", "src/x.py").size() == 1);
  CHECK(r.uses("loguru.call", "src/reports/report.py").size() == 1);  // only the whole path is the course's
}

// BUG (skipped, reported): profiling.lightning names only $pl.Trainer, where the other trainer.*
// keyword patterns also name $pl.trainer.Trainer.
TEST_CASE("python-usage: a Trainer imported from lightning.pytorch.trainer given a profiler") {
  Run r = run1("from lightning.pytorch.trainer import Trainer\nTrainer(profiler='simple')\n");
  CHECK(r.values("profiling.lightning") == "simple;");
}
