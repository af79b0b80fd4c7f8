// The benchmark's floor (issue 11): the least work any audit of a repository must do, done by brute
// force with the same libraries, so that claimcheck's time can be read as a ratio of it.
//   1. one history walk: every commit from HEAD, each tree diffed against its first parent
//      (libgit2's own diff, as a program would write it first);
//   2. every blob the audit reads: each distinct blob of that history (the secret scan reads every
//      past version) up to the scan's per-file cap, lock files excepted (the scan skips them);
//   3. every Python file of HEAD parsed once with the same tree-sitter grammar.
// No checks, no facts, no output but the counts and the time of each part.
//   claimcheck-floor REPO [CAP_BYTES]
#include <git2.h>
#include <tree_sitter/api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/strings.h"
#include "engine/yaml_tree.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

[[noreturn]] void die(const char* what) {
  const git_error* e = git_error_last();
  std::fprintf(stderr, "claimcheck-floor: %s: %s\n", what, e ? e->message : "error");
  std::exit(2);
}

// The secret scan's skip_files (probes/data/secrets.yaml), matched on the file name.
std::vector<std::string> skip_files() {
  std::vector<std::string> out;
  std::FILE* f = std::fopen(CC_SOURCE_DIR "/probes/data/secrets.yaml", "rb");
  if (!f) return out;
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  const cc::YamlLoad y = cc::read_yaml(text);
  if (const cc::YNode* globs = y.root.get("skip_files"))
    for (const auto& g : globs->items) out.push_back(g.text);
  return out;
}

bool skipped(const std::vector<std::string>& globs, const std::string& path) {
  const std::string name = path.substr(path.rfind('/') + 1);
  for (const auto& g : globs)
    if (cc::glob_match(g, name)) return true;
  return false;
}

struct OidHash {
  size_t operator()(const git_oid& o) const {
    size_t h;
    static_assert(sizeof h <= GIT_OID_RAWSZ);
    __builtin_memcpy(&h, o.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: claimcheck-floor REPO [CAP_BYTES]\n");
    return 2;
  }
  const size_t cap = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : (4u << 20);
  const auto start = Clock::now();
  git_libgit2_init();
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, argv[1], 0, nullptr) < 0) die("open");
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) die("odb");

  // 1. The history walk, with the changed paths of every commit.
  auto t = Clock::now();
  git_revwalk* walk = nullptr;
  if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push_head(walk) < 0) die("revwalk");
  git_revwalk_sorting(walk, GIT_SORT_TIME);
  std::vector<std::pair<git_oid, std::string>> versions;  // (blob, path), every added or changed file
  git_oid id;
  size_t commits = 0;
  git_diff_options dopt = GIT_DIFF_OPTIONS_INIT;
  dopt.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
  while (git_revwalk_next(&id, walk) == 0) {
    ++commits;
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo, &id) < 0) die("commit");
    git_tree *tree = nullptr, *parent_tree = nullptr;
    if (git_commit_tree(&tree, c) < 0) die("tree");
    if (git_commit_parentcount(c) > 0) {
      git_commit* p = nullptr;
      if (git_commit_parent(&p, c, 0) < 0 || git_commit_tree(&parent_tree, p) < 0) die("parent");
      git_commit_free(p);
    }
    git_diff* diff = nullptr;
    if (git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &dopt) < 0) die("diff");
    for (size_t k = 0, n = git_diff_num_deltas(diff); k < n; ++k) {
      const git_diff_delta* d = git_diff_get_delta(diff, k);
      if (d->status != GIT_DELTA_DELETED && d->new_file.mode != GIT_FILEMODE_COMMIT)
        versions.emplace_back(d->new_file.id, d->new_file.path);
    }
    git_diff_free(diff);
    git_tree_free(parent_tree);
    git_tree_free(tree);
    git_commit_free(c);
  }
  git_revwalk_free(walk);
  const double walk_ms = ms_since(t);

  // 2. Every distinct blob of the history up to the cap: its header, then its bytes.
  t = Clock::now();
  const std::vector<std::string> skip = skip_files();
  std::unordered_set<git_oid, OidHash, OidEq> seen;
  size_t blobs = 0, bytes = 0;
  for (const auto& [blob, path] : versions) {
    if (skipped(skip, path) || !seen.insert(blob).second) continue;
    size_t len = 0;
    git_object_t type;
    if (git_odb_read_header(&len, &type, odb, &blob) < 0 || len > cap) continue;
    git_odb_object* o = nullptr;
    if (git_odb_read(&o, odb, &blob) < 0) continue;
    ++blobs;
    bytes += git_odb_object_size(o);
    git_odb_object_free(o);
  }
  const double read_ms = ms_since(t);

  // 3. Every Python file of HEAD, parsed once.
  t = Clock::now();
  git_object* head_tree = nullptr;
  if (git_revparse_single(&head_tree, repo, "HEAD^{tree}") < 0) die("HEAD");
  struct Py {
    TSParser* parser;
    git_repository* repo;
    size_t files = 0, bytes = 0;
  } py{ts_parser_new(), repo};
  ts_parser_set_language(py.parser, tree_sitter_python());
  git_tree_walk(
      reinterpret_cast<git_tree*>(head_tree), GIT_TREEWALK_PRE,
      [](const char*, const git_tree_entry* e, void* payload) -> int {
        auto* p = static_cast<Py*>(payload);
        std::string name = git_tree_entry_name(e);
        if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || name.size() < 3 || name.compare(name.size() - 3, 3, ".py") != 0)
          return 0;
        git_blob* b = nullptr;
        if (git_blob_lookup(&b, p->repo, git_tree_entry_id(e)) < 0) return 0;
        const auto n = static_cast<uint32_t>(git_blob_rawsize(b));
        TSTree* tree = ts_parser_parse_string(p->parser, nullptr, static_cast<const char*>(git_blob_rawcontent(b)), n);
        ts_tree_delete(tree);
        ++p->files;
        p->bytes += n;
        git_blob_free(b);
        return 0;
      },
      &py);
  ts_parser_delete(py.parser);
  git_object_free(head_tree);
  const double parse_ms = ms_since(t);

  git_odb_free(odb);
  git_repository_free(repo);
  git_libgit2_shutdown();
  std::printf("commits %zu walk_ms %.1f blobs %zu blob_bytes %zu read_ms %.1f py_files %zu py_bytes %zu parse_ms %.1f total_ms %.1f\n",
              commits, walk_ms, blobs, bytes, read_ms, py.files, py.bytes, parse_ms, ms_since(start));
  return 0;
}
