#include "probes/docker.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "engine/embedded.h"
#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "engine/yaml_pack.h"
#include "probes/read/file.h"
#include "probes/read/glob.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

const char* kProbe = "docker";

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

const std::set<std::string>& known_instructions() {
  static const std::set<std::string> s = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
                                          "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR",
                                          "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
  return s;
}

// ---- docker_runs.yaml -------------------------------------------------------------------------

struct RunRules {
  std::vector<std::pair<std::string, std::unique_ptr<LazyRegex>>> rules;
  std::string error;
};

const RunRules& run_rules() {
  static const RunRules rr = [] {
    RunRules r;
    YamlLoad y = embedded_yaml(embedded_probe_data(), "data/docker_runs.yaml");
    const YNode* runs = y.ok ? y.root.get("runs") : nullptr;
    if (!runs || !runs->is_seq()) {
      r.error = "data/docker_runs.yaml: missing or malformed (" + y.error + ")";
      return r;
    }
    for (const auto& item : runs->items) {
      const YNode* w = item.get("what");
      const YNode* re = item.get("run");
      if (!w || !re) continue;
      r.rules.emplace_back(w->text, std::make_unique<LazyRegex>(re->text, false));
    }
    return r;
  }();
  return rr;
}

std::string classify_command(const std::string& cmd) {
  for (const auto& [what, re] : run_rules().rules)
    if (re->partial_match(cmd)) return what;
  return "other";
}

// ---- COPY sources -----------------------------------------------------------------------------

struct RepoIndex {
  const Snapshot& snap;
  std::set<std::string> dirs;  // every directory with a file under it ("" = root)
  explicit RepoIndex(const Snapshot& s) : snap(s) {
    dirs.insert("");
    for (const auto& e : s.files()) {
      size_t i = 0;
      while ((i = e.path.find('/', i)) != std::string::npos) dirs.insert(e.path.substr(0, i++));
    }
  }
  bool exists(const std::string& p) const { return dirs.count(p) || snap.exists(p); }
  // Why a COPY source that git lacks is normal: "dvc" when it or a folder above it has a DVC
  // pointer (<path>.dvc: built after `dvc pull`), "gitignored" when the root .gitignore names it
  // or a folder above it (or its extension); "" when nothing explains it.
  std::string why_absent(const std::string& p) const {
    for (std::string a = p; !a.empty();) {
      if (snap.exists(a + ".dvc")) return "dvc";
      size_t slash = a.rfind('/');
      a = slash == std::string::npos ? "" : a.substr(0, slash);
    }
    if (!ignore_loaded) {
      ignore_loaded = true;
      Blob b = snap.read_text(".gitignore", 256 * 1024);
      if (b.ok())
        for (std::string_view l : split_lines(b.data)) {
          std::string e = trim(l);
          if (e.empty() || e[0] == '#' || e[0] == '!') continue;
          if (e.front() == '/') e.erase(0, 1);
          while (!e.empty() && (e.back() == '/' || (e.size() > 1 && e.back() == '*' && e[e.size() - 2] == '/'))) e.pop_back();
          if (!e.empty()) ignored.push_back(e);
        }
    }
    for (const auto& e : ignored) {
      if (e.size() > 1 && e[0] == '*' && e.find_first_of("*/", 1) == std::string::npos) {  // *.pt
        if (p.size() >= e.size() - 1 && p.compare(p.size() - (e.size() - 1), std::string::npos, e, 1) == 0) return "gitignored";
        continue;
      }
      if (e.find_first_of("*?[") != std::string::npos) continue;
      if (p == e || p.rfind(e + "/", 0) == 0) return "gitignored";
      if (e.find('/') == std::string::npos)  // a bare name matches at any depth
        for (size_t i = 0; (i = p.find(e, i)) != std::string::npos; ++i)
          if ((i == 0 || p[i - 1] == '/') && (i + e.size() == p.size() || p[i + e.size()] == '/')) return "gitignored";
    }
    return "";
  }
  mutable bool ignore_loaded = false;
  mutable std::vector<std::string> ignored;
  bool glob_exists(const std::string& pattern) const {
    for (const auto& e : snap.files())
      if (docker_glob_match(pattern, e.path)) return true;
    for (const auto& d : dirs)
      if (!d.empty() && docker_glob_match(pattern, d)) return true;
    return false;
  }
};

// normalize_repo_path, except that the repository root itself is "" instead of nullopt.
std::optional<std::string> resolve_in_repo(std::string_view base, std::string_view rel) {
  if (auto p = normalize_repo_path(base, rel)) return p;
  auto probe = normalize_repo_path(base, std::string(rel) + "/x");
  if (probe && *probe == "x") return std::string();
  return std::nullopt;
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// ---- FROM and stages ----------------------------------------------------------------------------

std::string substitute_args(const std::string& s, const std::map<std::string, std::string>& args) {
  if (s.find('$') == std::string::npos) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '$') { out += s[i++]; continue; }
    size_t j = i + 1;
    std::string name, def;
    bool braced = j < s.size() && s[j] == '{';
    if (braced) {
      size_t close = s.find('}', j);
      if (close == std::string::npos) { out += s.substr(i); break; }
      std::string inner = s.substr(j + 1, close - j - 1);
      size_t colon = inner.find(":-");
      name = inner.substr(0, colon);
      if (colon != std::string::npos) def = inner.substr(colon + 2);
      j = close + 1;
    } else {
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) name += s[j++];
    }
    auto it = args.find(name);
    if (it != args.end() && !it->second.empty()) out += it->second;
    else if (!def.empty()) out += def;
    else out += s.substr(i, j - i);
    i = j;
  }
  return out;
}

struct Stage {
  bool dvc_pointers = false;  // a COPY/ADD so far brought the DVC pointers in (".", *.dvc, .dvc/)
  std::string name;   // lower case, "" when unnamed
  std::string image;  // as written (ARGs substituted)
  int parent = -1;    // index of the earlier stage it builds on
  int line = 0;
  std::optional<std::string> entrypoint, cmd;  // raw args
  int entrypoint_line = 0, cmd_line = 0;
};

std::string command_text(const std::string& args, bool* exec = nullptr) {
  std::vector<std::string> items;
  if (docker_exec_form(args, items)) {
    if (exec) *exec = true;
    return join_nonempty(items, " ");
  }
  if (exec) *exec = false;
  return args;
}

// The command the final stage runs, as Docker combines ENTRYPOINT and CMD; line of the last
// instruction that set part of it.
std::pair<std::string, int> effective_command(const std::vector<Stage>& stages) {
  if (stages.empty()) return {"", 0};
  // The chain of stages the final one builds on, root first (a stage only names earlier ones).
  std::vector<int> chain;
  for (int s = static_cast<int>(stages.size()) - 1; s >= 0 && chain.size() < stages.size();) {
    chain.push_back(s);
    int p = stages[s].parent;
    if (p < 0 || p >= s) break;
    s = p;
  }
  std::optional<std::string> ep, cmd;
  int line = 0;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Stage& st = stages[*it];
    if (st.entrypoint) {
      ep = st.entrypoint;
      line = st.entrypoint_line;
      if (!st.cmd) cmd.reset();  // ENTRYPOINT resets the CMD inherited from the base
    }
    if (st.cmd) {
      cmd = st.cmd;
      line = std::max(line, st.cmd_line);
    }
  }
  bool ep_exec = false, cmd_exec = false;
  std::string e = ep ? command_text(*ep, &ep_exec) : "";
  std::string c = cmd ? command_text(*cmd, &cmd_exec) : "";
  if (ep && !ep_exec) return {trim(e), line};
  return {trim(e + (e.empty() || c.empty() ? "" : " ") + c), line};
}

}  // namespace

// ---- Public helpers -------------------------------------------------------------------------------

bool docker_exec_form(std::string_view args, std::vector<std::string>& items) {
  items.clear();
  std::string_view s = trim_view(args);
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return false;
  size_t i = 1;
  auto ws = [&]() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; };
  ws();
  if (i < s.size() && s[i] == ']') return i + 1 == s.size();
  while (i < s.size()) {
    ws();
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    std::string item;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char e = s[++i];
        item += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        ++i;
        continue;
      }
      item += s[i++];
    }
    if (i >= s.size()) return false;
    ++i;
    items.push_back(std::move(item));
    ws();
    if (i < s.size() && s[i] == ',') { ++i; continue; }
    if (i < s.size() && s[i] == ']') return i + 1 == s.size();
    return false;
  }
  return false;
}

bool is_dockerfile_name(std::string_view path) {
  std::string b = lower_ascii(basename_of(path));
  if (b == "dockerfile" || b == "containerfile") return true;
  if (ends_with(b, ".dockerignore")) return false;
  if (b.rfind("dockerfile.", 0) == 0 || b.rfind("containerfile.", 0) == 0) return true;
  if (b.size() > 11 && ends_with(b, ".dockerfile")) return true;
  if (b.size() > 11 && ends_with(b, "-dockerfile")) return true;  // api-dockerfile
  return false;
}

bool is_compose_name(std::string_view path) {
  std::string b = lower_ascii(basename_of(path));
  if (!(ends_with(b, ".yml") || ends_with(b, ".yaml"))) return false;
  return b.rfind("docker-compose", 0) == 0 || b.rfind("compose.", 0) == 0 || b.rfind("compose-", 0) == 0;
}

bool docker_glob_match(std::string_view pat, std::string_view str) {
  return glob_match(pat, str, kDockerGlob);  // Go's filepath.Match, as Docker reads patterns
}

DockerParse parse_dockerfile(std::string_view text) {
  DockerParse r;
  size_t pos = 0;
  int lineno = 0;
  auto next_line = [&](std::string_view& l) -> bool {
    if (pos >= text.size()) return false;
    size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    l = text.substr(pos, e - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    pos = e + 1;
    ++lineno;
    return true;
  };
  auto problem = [&](int line, std::string what) {
    if (r.problems.size() < 20) r.problems.emplace_back(line, std::move(what));
  };

  std::string_view l;
  bool have = next_line(l);
  // Parser directives: `# name=value` lines at the very top.
  std::set<std::string> seen_directives;
  while (have) {
    std::string_view t = trim_view(l);
    if (t.empty() || t[0] != '#') break;
    std::string_view d = trim_view(t.substr(1));
    size_t eq = d.find('=');
    if (eq == std::string_view::npos) break;
    std::string name = lower_ascii(trim_view(d.substr(0, eq)));
    std::string value(trim_view(d.substr(eq + 1)));
    if (name != "escape" && name != "syntax" && name != "check") break;
    if (!seen_directives.insert(name).second) break;
    if (name == "escape") {
      if (value == "`") r.escape = '`';
      else if (value == "\\") r.escape = '\\';
      else problem(lineno, "invalid escape directive '" + cut(value, 20) + "': must be ` or \\");
    }
    have = next_line(l);
  }

  bool seen_from = false, decided = false;
  for (; have; have = next_line(l)) {
    std::string_view t = trim_view(l);
    if (t.empty() || t[0] == '#') continue;
    int start = lineno;
    std::string logical;
    std::string_view cur = rtrim(l);
    for (;;) {
      if (!cur.empty() && cur.back() == r.escape) {
        logical.append(cur.substr(0, cur.size() - 1));
        std::string_view nl;
        bool more = false;
        while (next_line(nl)) {
          std::string_view nt = trim_view(nl);
          if (nt.empty() || nt[0] == '#') continue;  // dropped inside a continuation
          more = true;
          break;
        }
        if (!more) break;
        cur = rtrim(nl);
        continue;
      }
      logical.append(cur);
      break;
    }
    std::string_view lt = trim_view(logical);
    size_t sp = 0;
    while (sp < lt.size() && !std::isspace(static_cast<unsigned char>(lt[sp]))) ++sp;
    DockerInstruction ins;
    ins.keyword.assign(lt.substr(0, sp));
    for (auto& c : ins.keyword) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ins.args = std::string(trim_view(lt.substr(sp)));
    ins.line = start;
    bool known = known_instructions().count(ins.keyword) > 0;
    if (!known) {
      problem(start, "unknown instruction '" + cut(ins.keyword, 40) + "'");
      if (!decided) { decided = true; r.is_dockerfile = false; }
    } else if (!decided && ins.keyword == "FROM") {
      decided = true;
      r.is_dockerfile = true;
    } else if (!decided && ins.keyword != "ARG") {
      decided = true;
      r.is_dockerfile = false;
    }
    if (ins.keyword == "FROM") seen_from = true;
    // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"`; their bodies follow the instruction line.
    if (ins.keyword == "RUN" || ins.keyword == "COPY" || ins.keyword == "ADD") {
      std::vector<std::pair<std::string, bool>> words;  // (word, strip tabs)
      const std::string& a = ins.args;
      for (size_t i = 0; i + 2 < a.size() && words.size() < 16; ++i) {
        if (a[i] != '<' || a[i + 1] != '<' || (i > 0 && a[i - 1] == '<') || a[i + 2] == '<') continue;
        size_t j = i + 2;
        bool dash = j < a.size() && a[j] == '-';
        if (dash) ++j;
        char q = (j < a.size() && (a[j] == '"' || a[j] == '\'')) ? a[j] : 0;
        if (q) ++j;
        size_t w = j;
        while (j < a.size() && (std::isalnum(static_cast<unsigned char>(a[j])) || a[j] == '_')) ++j;
        if (j == w || std::isdigit(static_cast<unsigned char>(a[w]))) continue;
        if (q && (j >= a.size() || a[j] != q)) continue;
        words.emplace_back(a.substr(w, j - w), dash);
        i = j;
      }
      for (const auto& [word, dash] : words) {
        bool closed = false;
        std::string_view hl;
        while (next_line(hl)) {
          std::string_view h = hl;
          if (dash)
            while (!h.empty() && h.front() == '\t') h.remove_prefix(1);
          if (h == word) { closed = true; break; }
        }
        if (!closed) {
          problem(start, "heredoc <<" + word + " is never closed: the rest of the file is its content");
          break;
        }
      }
    }
    r.instructions.push_back(std::move(ins));
  }
  if (!seen_from) r.is_dockerfile = false;
  return r;
}

// ---- The probe ------------------------------------------------------------------------------------

namespace {

struct ComposeInfo {
  std::map<std::string, std::set<std::string>> contexts;  // dockerfile path -> context dirs
};

void read_compose(const std::string& path, std::string_view text, const DockerProbeOptions& opt,
                  const RepoIndex& idx, ComposeInfo& info, FactStore& out) {
  YamlLoad y = read_yaml(text, opt.yaml);
  if (!y.ok) {
    out.problem(path, y.error_line, path + ": " + y.error, kProbe);
    return;
  }
  const YNode* services = y.root.get("services");
  if (!services || !services->is_map()) return;
  std::string dir = dirname_of(path);
  for (const auto& [k, v] : services->entries) {
    if (!v.is_map()) continue;
    Fact f;
    f.kind = "docker.compose_service";
    f.where = {path, k.line};
    f.attrs = {{"name", cut(k.text, 100)}, {"file", path}, {"build", ""}, {"image", ""}, {"ports", ""}};
    if (const YNode* img = v.get("image"); img && img->is_scalar()) f.attrs["image"] = cut(img->text, 300);
    if (const YNode* b = v.get("build")) {
      std::string context = ".", dockerfile = "Dockerfile";
      if (b->is_scalar()) context = b->text;
      if (b->is_map()) {
        if (const YNode* c = b->get("context"); c && c->is_scalar()) context = c->text;
        if (const YNode* d = b->get("dockerfile"); d && d->is_scalar()) dockerfile = d->text;
      }
      f.attrs["build"] = cut(context + (dockerfile == "Dockerfile" ? "" : " (" + dockerfile + ")"), 300);
      if (context.find("://") == std::string::npos) {
        auto ctx = resolve_in_repo(dir, context);
        std::optional<std::string> df = ctx ? normalize_repo_path(*ctx, dockerfile) : std::nullopt;
        f.attrs["dockerfile"] = df ? *df : "";
        f.attrs["dockerfile_exists"] = df && idx.snap.exists(*df) ? "yes" : "no";
        if (ctx && df) info.contexts[*df].insert(*ctx);
      }
    }
    std::vector<std::string> ports;
    if (const YNode* p = v.get("ports"); p && p->is_seq())
      for (const auto& item : p->items) {
        if (item.is_scalar()) ports.push_back(item.text);
        else if (item.is_map()) {
          const YNode* pub = item.get("published");
          const YNode* tgt = item.get("target");
          ports.push_back((pub ? pub->value() + ":" : "") + (tgt ? tgt->value() : ""));
        }
      }
    f.attrs["ports"] = cut(join_nonempty(ports), 300);
    f.detail = "compose service " + cut(k.text, 100) +
               (f.attrs["build"].empty() ? "" : ", built from " + f.attrs["build"]) +
               (f.attrs["image"].empty() ? "" : ", image " + f.attrs["image"]);
    out.add(std::move(f));
  }
}

void analyse_dockerfile(const std::string& path, const DockerParse& dp, const RepoIndex& idx,
                        const ComposeInfo& compose, FactStore& out) {
  for (const auto& [line, what] : dp.problems) out.problem(path, line, path + ":" + std::to_string(line) + ": " + what, kProbe);
  std::vector<Stage> stages;
  std::map<std::string, std::string> global_args;
  std::vector<std::string> bases;
  std::set<std::string> context_dirs = {"", dirname_of(path)};
  if (auto it = compose.contexts.find(path); it != compose.contexts.end())
    context_dirs.insert(it->second.begin(), it->second.end());
  int first_from = 0, globs = 0;

  auto emit_instruction = [&](const DockerInstruction& ins) {
    Fact f;
    f.kind = "docker.instruction";
    f.where = {path, ins.line};
    f.attrs = {{"path", path}, {"instruction", ins.keyword}, {"args", cut(ins.args, 500)}};
    f.detail = ins.keyword + " " + cut(ins.args, 200);
    out.add(std::move(f));
  };

  for (const auto& ins : dp.instructions) {
    const std::string& k = ins.keyword;
    if (k == "ARG" && stages.empty()) {
      std::string a = ins.args;
      size_t eq = a.find('=');
      std::string name = trim(std::string_view(a).substr(0, eq));
      std::string val = eq == std::string::npos ? "" : trim(std::string_view(a).substr(eq + 1));
      if (val.size() >= 2 && (val.front() == '"' || val.front() == '\'') && val.back() == val.front())
        val = val.substr(1, val.size() - 2);
      global_args[name] = val;
      continue;
    }
    if (k == "FROM") {
      emit_instruction(ins);
      if (!first_from) first_from = ins.line;
      auto toks = split_ws(ins.args);
      Stage st;
      st.line = ins.line;
      size_t i = 0;
      while (i < toks.size() && toks[i].rfind("--", 0) == 0) ++i;
      if (i < toks.size()) st.image = substitute_args(toks[i], global_args);
      if (i + 2 < toks.size() && lower_ascii(toks[i + 1]) == "as") st.name = lower_ascii(toks[i + 2]);
      std::string li = lower_ascii(st.image);
      for (int s = 0; s < static_cast<int>(stages.size()); ++s)
        if (!stages[s].name.empty() && stages[s].name == li) st.parent = s;
      if (st.parent < 0 && !st.image.empty() &&
          std::find(bases.begin(), bases.end(), st.image) == bases.end())
        bases.push_back(st.image);
      stages.push_back(std::move(st));
      continue;
    }
    if (stages.empty()) continue;
    Stage& st = stages.back();
    if (k == "CMD") {
      emit_instruction(ins);
      st.cmd = ins.args;
      st.cmd_line = ins.line;
    } else if (k == "ENTRYPOINT") {
      emit_instruction(ins);
      st.entrypoint = ins.args;
      st.entrypoint_line = ins.line;
    } else if (k == "EXPOSE") {
      emit_instruction(ins);
      for (const auto& t : split_ws(ins.args)) {
        Fact f;
        f.kind = "docker.expose";
        f.where = {path, ins.line};
        size_t slash = t.find('/');
        f.attrs = {{"path", path}, {"port", cut(t.substr(0, slash), 100)}};
        if (slash != std::string::npos) f.attrs["protocol"] = cut(t.substr(slash + 1), 20);
        f.detail = path + " exposes port " + cut(t, 100);
        out.add(std::move(f));
      }
    } else if (k == "RUN") {
      // `dvc pull` needs the DVC pointers (*.dvc, .dvc/) in the image: pulling before any COPY
      // brought them in cannot work.
      static const RE2 pull(R"(\bdvc\s+(pull|fetch|checkout)\b)");
      bool inherited = false;
      for (int s2 = st.parent; s2 >= 0; s2 = stages[s2].parent) inherited = inherited || stages[s2].dvc_pointers;
      if (!st.dvc_pointers && !inherited && RE2::PartialMatch(ins.args, pull)) {
        Fact f;
        f.kind = "docker.dvc_pull_without_pointers";
        f.where = {path, ins.line};
        f.attrs = {{"path", path}};
        f.detail = path + " runs dvc pull before any COPY brings the DVC pointer files (*.dvc, .dvc/) into the image, so the pull cannot work";
        out.add(std::move(f));
      }
    } else if (k == "COPY" || k == "ADD") {
      emit_instruction(ins);
      std::vector<std::string> items;
      if (!docker_exec_form(ins.args, items)) items = split_ws(ins.args);
      std::vector<std::string> args;
      bool from_stage = false;
      for (const auto& t : items) {
        if (t.rfind("--", 0) == 0) {
          if (t.rfind("--from", 0) == 0) from_stage = true;
          continue;
        }
        args.push_back(t);
      }
      if (from_stage || args.size() < 2) continue;
      args.pop_back();  // destination
      for (const auto& src : args) {
        if (src.find("://") != std::string::npos || src.rfind("git@", 0) == 0 || src.find('$') != std::string::npos ||
            src.rfind("<<", 0) == 0)
          continue;
        std::string reason = "not-found";
        bool found = false, inside = false;
        for (const auto& ctx : context_dirs) {
          auto p = resolve_in_repo(ctx, src);
          if (!p) continue;
          inside = true;
          if (has_glob(src)) {
            if (++globs > 100) { found = true; break; }  // too many globs to check: assume fine
            if (idx.glob_exists(*p)) { found = true; break; }
          } else if (idx.exists(*p)) {
            found = true;
            break;
          }
        }
        if (src == "." || src == "./" || ends_with(src, ".dvc") || src.find(".dvc/") != std::string::npos ||
            src == ".dvc")
          st.dvc_pointers = true;
        if (found) continue;
        if (!inside) reason = "outside-context";
        std::string why;
        for (const auto& ctx : context_dirs)
          if (auto p = resolve_in_repo(ctx, src); p && why.empty()) why = idx.why_absent(*p);
        Fact f;
        f.kind = "docker.copy_missing";
        f.where = {path, ins.line};
        f.attrs = {{"path", path}, {"source", cut(src, 300)}, {"reason", reason}, {"explained", why}};
        f.detail = k + " source '" + cut(src, 200) + "' " +
                   (reason == "outside-context" ? "is outside the build context"
                                                : "is not in the repository at this commit") +
                   (why == "dvc" ? " (DVC-tracked: present after dvc pull)"
                    : why == "gitignored" ? " (git-ignored: present on the machine that builds)" : "");
        out.add(std::move(f));
      }
    }
  }
  auto [command, cmd_line] = effective_command(stages);
  Fact fd;
  fd.kind = "docker.file";
  fd.where = {path, first_from};
  fd.attrs = {{"path", path}, {"stages", std::to_string(stages.size())},
              {"base_images", cut(join_nonempty(bases), 1000)}, {"has_cmd", command.empty() ? "no" : "yes"}};
  fd.detail = "Dockerfile " + path + ": " + std::to_string(stages.size()) + " stage(s)" +
              (bases.empty() ? "" : " from " + cut(join_nonempty(bases, ", "), 200));
  out.add(std::move(fd));
  if (!command.empty()) {
    Fact f;
    f.kind = "docker.runs";
    f.where = {path, cmd_line};
    std::string what = classify_command(command);
    f.attrs = {{"path", path}, {"what", what}, {"command", cut(command, 500)}};
    f.detail = path + " runs " + cut(command, 200) + " (" + what + ")";
    out.add(std::move(f));
  }
}

bool under_docker_dir(const std::string& path) {
  std::string lp = lower_ascii(path);
  for (const char* d : {"docker/", "dockerfiles/"})
    if (lp.rfind(d, 0) == 0 || lp.find(std::string("/") + d) != std::string::npos) return true;
  return false;
}

}  // namespace

std::string DockerProbe::summary() const {
  return "Dockerfiles (any naming, dockerfiles/): stages, base images, what CMD/ENTRYPOINT run, exposed "
         "ports, COPY sources missing from the repository; docker-compose services";
}

namespace {

// `docker build` command lines kept in the README, other markdown (code blocks or inline code),
// shell scripts and the devcontainer: the trace a local image build leaves. The report itself
// (reports/) is not the repository's evidence. Tasks and Makefiles are the project-commands
// probe's. Fact docker.build_command {file, command}.
void build_commands(const Snapshot& snap, const PathSkipper& vendored, const DockerProbeOptions& opt,
                    FactStore& out) {
  // The command runs to the end of the line or a backtick; callers keep its first 200 bytes. (A
  // counted {0,300} here made RE2 compile and walk a 600-state program: 8 ms per audit.)
  static const RE2 re(R"((?:^|[\s`$(;&|])((?:sudo\s+)?docker(?:\s+image)?\s+(?:buildx\s+)?build\b[^`\n]*|docker[- ]compose(?:\s+-f\s+\S+)*\s+(?:up\s+--build|build)\b[^`\n]*))");
  size_t read_files = 0;
  int found = 0;
  for (const auto& e : snap.files()) {
    if (found >= 50 || read_files >= 300) break;
    std::string lp = lower_ascii(e.path);
    bool md = ends_with(lp, ".md") && lp.rfind("reports/", 0) != 0;
    bool sh = ends_with(lp, ".sh") || ends_with(lp, ".bash") || ends_with(lp, ".ps1");
    if ((!md && !sh) || e.symlink || vendored(e.path) || e.size > opt.read_cap) continue;
    Blob b = snap.read_text(e.path, opt.read_cap);
    ++read_files;
    if (!b.ok() || b.data.find("docker") == std::string::npos) continue;
    auto lines = split_lines(b.data);
    bool fenced = false;
    for (size_t i = 0; i < lines.size() && found < 50; ++i) {
      std::string_view t = trim_view(lines[i]);
      if (md && (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~")) {
        fenced = !fenced;
        continue;
      }
      std::string cmd;
      if (lines[i].find("docker") == std::string_view::npos || !RE2::PartialMatch(lines[i], re, &cmd)) continue;
      // In markdown only commands count (a code block or inline code), not prose about them.
      const bool indented = lines[i].substr(0, 4) == "    " || lines[i].substr(0, 1) == "\t";  // a code block
      if (md && !fenced && !indented &&
          lines[i].substr(0, lines[i].find(cmd.substr(0, 6))).find('`') == std::string_view::npos)
        continue;
      Fact f;
      f.kind = "docker.build_command";
      f.where = {e.path, static_cast<int>(i) + 1};
      f.attrs = {{"file", e.path}, {"command", cut(trim(cmd), 200)}};
      f.detail = "image build command: " + cut(trim(cmd), 120);
      out.add(std::move(f));
      ++found;
    }
  }
}

}  // namespace

void DockerProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  if (!run_rules().error.empty()) out.problem("", 0, "internal: " + run_rules().error, kProbe);
  RepoIndex idx(snap);
  ComposeInfo compose;
  std::vector<const FileEntry*> named, sniffed;
  for (const auto& e : snap.files()) {
    if (vendored(e.path)) continue;
    if (is_compose_name(e.path)) {
      Blob b;
      if (!read_or_problem(snap, e.path, out, kProbe, b, {{}, opt_.read_cap, true})) continue;
      read_compose(e.path, b.data, opt_, idx, compose, out);
    } else if (is_dockerfile_name(e.path)) {
      named.push_back(&e);
    } else if (under_docker_dir(e.path) && sniffed.size() < opt_.max_sniffed) {
      sniffed.push_back(&e);
    }
  }
  for (const FileEntry* e : named) {
    if (e->symlink) { out.problem(e->path, 0, e->path + " is a symbolic link: not read", kProbe); continue; }
    Blob b;
    if (!read_or_problem(snap, e->path, out, kProbe, b, {"Dockerfile " + e->path, opt_.read_cap})) continue;
    DockerParse dp = parse_dockerfile(b.data);
    if (!dp.is_dockerfile && dp.problems.empty())
      dp.problems.emplace_back(0, "no FROM instruction first: not a buildable Dockerfile");
    analyse_dockerfile(e->path, dp, idx, compose, out);
  }
  for (const FileEntry* e : sniffed) {
    if (e->symlink) continue;
    std::string b0 = lower_ascii(basename_of(e->path));
    bool ignorable = false;
    for (const char* ext : {".py", ".sh", ".md", ".txt", ".yml", ".yaml", ".json", ".toml", ".cfg", ".ini",
                            ".png", ".jpg", ".lock", ".dockerignore"})
      if (ends_with(b0, ext)) ignorable = true;
    if (ignorable) continue;
    Blob b = snap.read_text(e->path, std::min<std::uint64_t>(opt_.read_cap, 1u << 20));
    if (!b.ok()) continue;
    DockerParse dp = parse_dockerfile(b.data);
    if (!dp.is_dockerfile) continue;
    analyse_dockerfile(e->path, dp, idx, compose, out);
  }
  build_commands(snap, vendored, opt_, out);
}

}  // namespace cc
