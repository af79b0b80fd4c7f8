#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/project_commands.h"

using namespace cc;

namespace {

FactStore cmd_run(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  ProjectCommandsProbe().run(snap, fs);
  fs.sort();
  return fs;
}

const Fact& cmd_only(const FactStore& fs, const std::string& kind, const std::string& name) {
  std::vector<const Fact*> v;
  for (const Fact* f : fs.of_kind(kind))
    if (f->attr("name") == name) v.push_back(f);
  REQUIRE_MESSAGE(v.size() == 1, kind << " " << name << " matches " << v.size() << " facts");
  return *v[0];
}

const char* kTasks = R"(import os

from invoke import Context, task

PROJECT_NAME = "mlops"
PYTHON_VERSION = "3.11"

@task
def create_environment(ctx: Context) -> None:
    """Create a new conda environment for project."""
    ctx.run(
        f"conda create --name {PROJECT_NAME} python={PYTHON_VERSION} pip --no-default-packages --yes",
        echo=True,
        pty=not WINDOWS,
    )

@task(create_environment)
def test(c):
    c.run("coverage run -m pytest tests/", echo=True, pty=not WINDOWS)
    c.run('coverage report -m -i', echo=True)

@task
def docker_build(ctx: Context, progress: str = "plain") -> None:
    ctx.run(
        "docker build -t train:latest . -f dockerfiles/train.dockerfile "
        f"--progress={progress}",
        echo=True,
    )
    other.run("not a ctx run")

def helper(ctx):
    ctx.run("not a task")

@invoke.task
def docs(ctx):
    cmd = "mkdocs build"
    ctx.run(cmd)
)";

}  // namespace

TEST_CASE("project-commands: invoke tasks and the commands they run") {
  FactStore fs = cmd_run({{"tasks.py", kTasks}});
  CHECK(fs.of_kind(kInputProblem).empty());
  CHECK(fs.of_kind("task.def").size() == 4);
  const Fact& env = cmd_only(fs, "task.def", "create_environment");
  CHECK(env.attr("commands") ==
        "conda create --name {PROJECT_NAME} python={PYTHON_VERSION} pip --no-default-packages --yes");
  CHECK(env.attr("cli") == "create-environment");
  CHECK(env.where.line == 9);
  const Fact& test = cmd_only(fs, "task.def", "test");
  CHECK(test.attr("commands") == "coverage run -m pytest tests/ ; coverage report -m -i");
  CHECK(test.attr("runs") == "2");
  CHECK(cmd_only(fs, "task.def", "docker_build").attr("commands") ==
        "docker build -t train:latest . -f dockerfiles/train.dockerfile --progress={progress}");
  CHECK(cmd_only(fs, "task.def", "docs").attr("commands") == "cmd");
}

TEST_CASE("project-commands: a tasks.py that does not parse well still gives what it can") {
  FactStore fs = cmd_run({{"tasks.py", std::string(1000, '(') + "\n@task\ndef a(c):\n    c.run('x')\n"}});
  CHECK(fs.of_kind(kInputProblem).size() <= 1);
}

TEST_CASE("project-commands: Makefile targets") {
  auto ts = makefile_targets(
      ".PHONY: all test\nPYTHON := python3\nCC = gcc\n\nall: data train\n\n"
      "data:\n\t@$(PYTHON) src/data.py\n\t-dvc pull\n\n"
      "train test: data ; echo inline\n\t$(PYTHON) -m pytest \\\n\t  tests/\n"
      "# comment\n%.o: %.c\n\t$(CC) -c $<\n"
      "define HELP\nfake: target\nendef\n"
      "docker_build:\n\tdocker build -f dockerfiles/api.dockerfile . -t api\n");
  std::string names;
  for (const auto& t : ts) names += t.name + "@" + std::to_string(t.line) + " ";
  CHECK(names == "all@5 data@7 train@11 test@11 docker_build@20 ");
  CHECK(ts[1].commands == std::vector<std::string>{"$(PYTHON) src/data.py", "dvc pull"});
  CHECK(ts[2].commands == std::vector<std::string>{"echo inline", "$(PYTHON) -m pytest tests/"});
  CHECK(ts[4].commands.size() == 1);
}

TEST_CASE("project-commands: justfile recipes") {
  auto ts = justfile_recipes(
      "set dotenv-load\nimage := \"api\"\nalias b := build\n\n# build it\n[private]\n"
      "build tag=\"latest\": lint\n    docker build -t {{image}}:{{tag}} .\n    @echo built\n\n"
      "@lint:\n\truff check .\n\ntest *args:\n  uv run pytest {{args}}\n");
  std::string names;
  for (const auto& t : ts) names += t.name + "@" + std::to_string(t.line) + " ";
  CHECK(names == "build@7 lint@11 test@14 ");
  CHECK(ts[0].commands == std::vector<std::string>{"docker build -t {{image}}:{{tag}} .", "echo built"});
  CHECK(ts[2].commands == std::vector<std::string>{"uv run pytest {{args}}"});
}

TEST_CASE("project-commands: the probe over Makefile and justfile") {
  FactStore fs = cmd_run({{"Makefile", "train:\n\tpython train.py\n"}, {"justfile", "serve:\n  uvicorn app:app\n"}});
  const Fact& t = cmd_only(fs, "make.target", "train");
  CHECK(t.attr("kind") == "make");
  CHECK(t.attr("file") == "Makefile");
  CHECK(t.attr("commands") == "python train.py");
  CHECK(cmd_only(fs, "make.target", "serve").attr("kind") == "just");
}
