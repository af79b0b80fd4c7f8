#include "probes/read/parse_cache.h"

#include <algorithm>
#include <chrono>

namespace cc {

namespace {

// The cache's cost estimates (bytes kept). A tree-sitter Python tree takes about 117 bytes per
// node, and its nodes follow the source's tokens, not its length: 30 bytes per source byte on
// group code, 66 on dense generated tests, 300 on a file of one-letter statements. Measured with
// mallinfo2 on the devset's 143 Python files, the generated tests and such hostile files, the
// estimate below is 1.21x the real size in all on group code (0.83x at worst for one file),
// 1.07x on the generated tests and 0.46x on the one-letter statements (the length alone: 0.52x
// on the tests, 0.1x there). Too high only costs a parse again.
constexpr std::size_t kTreeBytesPerToken = 130;        // a word or a punctuation byte
constexpr std::size_t kTreeBytesPerPunctuation = 270;  // when punctuation dominates: a(b[c])
constexpr std::size_t kTreeBytesPerLine = 150;         // a statement list's inner nodes
constexpr std::size_t kTreeBytesPerTree = 1024;
constexpr std::size_t kYamlBytesPerTextByte = 6;  // the text plus the YNode copy

// A file the cache may hold for a caller with read cap `cap`: it exists and fits in the cap.
bool cacheable(const Snapshot& snap, const std::string& path, std::uint64_t cap) {
  const FileEntry* e = snap.find(path);
  return e && e->size <= cap;
}

}  // namespace

std::size_t python_tree_bytes(std::string_view source) {
  std::size_t punctuation = 0, words = 0, lines = 0;
  bool in_word = false;
  for (unsigned char c : source) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c >= 0x80;
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    words += word && !in_word;
    punctuation += !word && !space;
    lines += c == '\n';
    in_word = word;
  }
  return kTreeBytesPerTree +
         std::max(punctuation * kTreeBytesPerPunctuation, (punctuation + words) * kTreeBytesPerToken) +
         lines * kTreeBytesPerLine;
}

const py::PySyntaxTree* PythonFile::ok_within(std::uint64_t timeout_micros) const {
  if (!tree || !tree->ok()) return nullptr;
  if (timeout_micros && parse_micros > timeout_micros) return nullptr;
  return &*tree;
}

std::shared_ptr<const PythonFile> python_tree(const Snapshot& snap, const std::string& path,
                                              std::uint64_t cap, ArtifactCache::Use use) {
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
    std::size_t bytes = sizeof(PythonFile) + (f->tree ? f->tree->source().size() + python_tree_bytes(f->tree->source()) : 0);
    return std::make_pair(std::shared_ptr<const PythonFile>(std::move(f)), bytes);
  };
  if (!cacheable(snap, path, cap)) return make().first;
  return snap.artifacts().get<PythonFile>(kPythonTreeKind, path, make, use);
}

void expect_python_tree(const Snapshot& snap, const std::string& path) {
  snap.artifacts().expect(kPythonTreeKind, path);
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
