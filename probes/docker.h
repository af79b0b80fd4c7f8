// Probe "docker": Dockerfiles and docker-compose files, read statically.
//
// Dockerfiles by any common naming: Dockerfile, Containerfile, Dockerfile.*, *.dockerfile
// (any case), and anything under a docker/ or dockerfiles/ folder that parses as a Dockerfile (its
// first instruction, after ARGs, is FROM). Parsed into instructions with Docker's rules: parser
// directives (`# escape=`` ` ``), line continuations with the escape character (comment and empty
// lines inside a continuation dropped), heredocs (`RUN <<EOF ... EOF`, `<<-`, quoted words, several
// per instruction) skipped. One pass over the text: linear in its size.
//
// Compose files: docker-compose*.y*ml, compose.y*ml, compose.*.y*ml (probes/read/safe_yaml.h guards).
//
// Facts, each with its file and line:
//   docker.file        {path, stages (FROM count), base_images (comma list, stage references and
//                       duplicates left out; ARG defaults substituted), has_cmd (yes|no)}
//   docker.instruction {path, instruction (FROM|CMD|ENTRYPOINT|EXPOSE|COPY|ADD), args (cut at 500)}
//   docker.runs        {path, what (uvicorn-app|training-script|streamlit|python-script|other),
//                       command} for the final stage (patterns: probes/data/docker_runs.yaml)
//   docker.copy_missing{path, source, reason (not-found|outside-context)}: a COPY/ADD source (not a
//                       URL, not --from, no variables, not a heredoc) found in no build context
//                       (the repository root, the Dockerfile's folder, and compose `build.context`s
//                       naming this Dockerfile); a glob that matches nothing counts as missing
//   docker.expose      {path, port}
//   docker.compose_service {name, build, image, ports (comma list), file, dockerfile (resolved
//                       repository path, when the service builds), dockerfile_exists (yes|no)}
// Unreadable files, unknown instructions, unclosed heredocs and malformed compose YAML are
// input.problem facts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct DockerProbeOptions {
  std::uint64_t read_cap = kDefaultReadCap;  // per Dockerfile / compose file
  YamlLimits yaml;
  std::size_t max_sniffed = 200;  // files under docker/ or dockerfiles/ tried as Dockerfiles
};

class DockerProbe : public Probe {
 public:
  explicit DockerProbe(DockerProbeOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "docker"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  DockerProbeOptions opt_;
};

struct DockerInstruction {
  std::string keyword;  // upper case: FROM, RUN, ...
  std::string args;     // the rest of the logical line, continuations joined, trimmed
  int line = 0;         // 1-based line where the instruction starts
};

struct DockerParse {
  std::vector<DockerInstruction> instructions;
  std::vector<std::pair<int, std::string>> problems;  // (line, what)
  char escape = '\\';
  bool is_dockerfile = false;  // the first instruction (after ARGs) is FROM, nothing unknown before
};

DockerParse parse_dockerfile(std::string_view text);

// Exec form (`["python", "app.py"]`) as its items; nullopt-like false when not a JSON string array.
bool docker_exec_form(std::string_view args, std::vector<std::string>& items);

// By name only: Dockerfile, Containerfile, Dockerfile.*, *.dockerfile (any case).
bool is_dockerfile_name(std::string_view path);
bool is_compose_name(std::string_view path);

// Path matching as Go's filepath.Match (what Docker uses for COPY sources): '*' and '?' do not
// match '/', [...] classes with ranges and '^'/'!' negation, '\\' escapes.
bool docker_glob_match(std::string_view pattern, std::string_view path);

}  // namespace cc
