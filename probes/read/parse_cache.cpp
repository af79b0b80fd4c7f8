#include "probes/read/parse_cache.h"

#include <chrono>

namespace cc {

namespace {

// The cache's cost estimates (bytes kept), measured with heaptrack on group repositories: a
// tree-sitter Python tree takes about 32 bytes per source byte, and a few KiB however small.
constexpr std::size_t kTreeBytesPerSourceByte = 32;
constexpr std::size_t kTreeBytesPerTree = 4096;
constexpr std::size_t kYamlBytesPerTextByte = 6;  // the text plus the YNode copy

// A file the cache may hold for a caller with read cap `cap`: it exists and fits in the cap.
bool cacheable(const Snapshot& snap, const std::string& path, std::uint64_t cap) {
  const FileEntry* e = snap.find(path);
  return e && e->size <= cap;
}

}  // namespace

const py::PySyntaxTree* PythonFile::ok_within(std::uint64_t timeout_micros) const {
  if (!tree || !tree->ok()) return nullptr;
  if (timeout_micros && parse_micros > timeout_micros) return nullptr;
  return &*tree;
}

std::shared_ptr<const PythonFile> python_tree(const Snapshot& snap, const std::string& path,
                                              std::uint64_t cap) {
  auto make = [&]() {
    auto f = std::make_shared<PythonFile>();
    f->read = snap.read_text(path, cap);
    if (f->read.ok()) {
      auto t0 = std::chrono::steady_clock::now();
      f->tree.emplace(py::PySyntaxTree::parse(std::move(f->read.data)));
      f->parse_micros = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
      f->read.data.clear();
      f->read.data.shrink_to_fit();
    }
    std::size_t bytes = sizeof(PythonFile) + (f->tree ? f->tree->source().size() * kTreeBytesPerSourceByte + kTreeBytesPerTree : 0);
    return std::make_pair(std::shared_ptr<const PythonFile>(std::move(f)), bytes);
  };
  if (!cacheable(snap, path, cap)) return make().first;
  return snap.artifacts().get<PythonFile>(kPythonTreeKind, path, make);
}

std::shared_ptr<const YamlFile> yaml_doc(const Snapshot& snap, const std::string& path,
                                         std::uint64_t cap, const YamlLimits& limits) {
  auto make = [&]() {
    auto f = std::make_shared<YamlFile>();
    f->read = snap.read_text(path, cap);
    if (f->read.ok()) f->load = read_yaml(f->read.data, limits);
    std::size_t bytes = sizeof(YamlFile) + f->read.data.size() * kYamlBytesPerTextByte;
    return std::make_pair(std::shared_ptr<const YamlFile>(std::move(f)), bytes);
  };
  if (!cacheable(snap, path, cap)) return make().first;
  std::string kind = std::string(kYamlTreeKind);
  if (limits.max_depth != YamlLimits{}.max_depth || limits.max_nodes != YamlLimits{}.max_nodes)
    kind += "/" + std::to_string(limits.max_depth) + "/" + std::to_string(limits.max_nodes);
  return snap.artifacts().get<YamlFile>(kind, path, make);
}

}  // namespace cc
