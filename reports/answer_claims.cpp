#include "reports/answer_claims.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "engine/claims_judge.h"
#include "reports/text_util.h"

namespace cc {
namespace {

constexpr size_t kMaxQuote = 300;
constexpr size_t kMaxToken = 300;
constexpr size_t kMaxAnswerScan = 1u << 20;  // bytes of one answer that are scanned

std::string quote_of(std::string_view line) {
  std::string q = text::collapse_ws(text::utf8_prefix(line, 4 * kMaxQuote));
  if (q.size() > kMaxQuote) q = std::string(text::utf8_prefix(q, kMaxQuote - 3)) + "...";
  return q;
}

const std::set<std::string>& extensions() {
  static const std::set<std::string> e = {
      "py",     "pyi",        "ipynb",   "yaml",      "yml",       "toml",       "cfg",     "ini",
      "txt",    "md",         "rst",     "json",      "jsonl",     "csv",        "tsv",     "parquet",
      "sh",     "bash",       "ps1",     "bat",       "dockerfile", "lock",      "pt",      "pth",
      "ckpt",   "onnx",       "pkl",     "pickle",    "joblib",    "h5",         "npy",     "npz",
      "png",    "jpg",        "jpeg",    "gif",       "svg",       "webp",       "pdf",     "html",
      "js",     "ts",         "css",     "dvc",       "xml",       "sql",        "tf",      "proto",
      "env",    "safetensors", "zip",    "gz",        "gitignore", "dockerignore", "dvcignore",
      "flake8", "coveragerc", "pylintrc", "gcloudignore", "mmd",   "drawio",     "tex"};
  return e;
}

const std::set<std::string>& known_names() {
  static const std::set<std::string> n = {"dockerfile", "makefile", "license", "procfile", "containerfile",
                                          "justfile", "tasks.py"};
  return n;
}

std::string last_component(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t s = p.rfind('/');
  return std::string(s == std::string_view::npos ? p : p.substr(s + 1));
}

bool has_known_extension(std::string_view p) {
  std::string name = text::lower_ascii(last_component(p));
  if (known_names().count(name)) return true;
  size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size()) return false;
  return extensions().count(name.substr(dot + 1)) > 0;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

enum class From { code, command, link, text };

struct Collector {
  int question = 0;
  std::string report_dir;
  std::vector<PathCheck>* out;
  std::set<std::string>* seen;  // question + '\n' + mention
  size_t* dropped;

  void add(std::string mention, std::string source, std::string base, std::string quote, bool dir_like) {
    if (mention.empty()) return;
    if (!seen->insert(std::to_string(question) + "\n" + mention).second) return;
    if (out->size() >= kMaxPathMentions) {
      ++*dropped;
      return;
    }
    PathCheck p;
    p.question = question;
    p.quote = std::move(quote);
    p.mention = std::move(mention);
    p.source = std::move(source);
    p.base_dir = std::move(base);
    if (dir_like) p.note = "directory-like";
    out->push_back(std::move(p));
  }

  // A token from code or plain text: is it a repository path?
  void token(std::string_view tok, From from, std::string_view line) {
    if (tok.size() > kMaxToken || tok.empty()) return;
    if (tok.find("://") != std::string_view::npos) {
      std::string gp = github_link_path(tok);
      if (!gp.empty()) add(std::string(tok), "github", "", quote_of(line), false);
      return;
    }
    // Options: "--config=configs/x.yaml" -> the value; "-r" -> nothing.
    if (!tok.empty() && tok.front() == '-') {
      size_t eq = tok.find('=');
      if (eq == std::string_view::npos) return;
      tok = tok.substr(eq + 1);
    }
    auto strip_front = [](char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '<'; };
    auto strip_back = [](char c) {
      return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == '>' || c == ',' || c == '.' ||
             c == ';' || c == ':' || c == '!' || c == '?';
    };
    while (!tok.empty() && strip_front(tok.front())) tok.remove_prefix(1);
    while (!tok.empty() && strip_back(tok.back())) tok.remove_suffix(1);
    if (size_t eq = tok.rfind('='); eq != std::string_view::npos) tok = tok.substr(eq + 1);  // key=path
    if (tok.empty()) return;
    // "src/app.py:app", "train.py:42": the part before the colon.
    if (size_t colon = tok.find(':'); colon != std::string_view::npos) {
      if (!has_known_extension(tok.substr(0, colon))) return;
      tok = tok.substr(0, colon);
    }
    for (char c : tok) {
      auto u = static_cast<unsigned char>(c);
      if (!(std::isalnum(u) || c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || u >= 0x80)) return;
    }
    std::string t(tok);
    while (t.rfind("./", 0) == 0) t.erase(0, 2);
    if (t.empty() || t == "." || t == ".." || t.find("...") != std::string::npos) return;
    if (t.front() == '/' && from != From::link) return;  // /app/src, /usr/bin: container or system paths
    bool ext = has_known_extension(t);
    bool slash = t.find('/') != std::string::npos;
    if (from == From::text && !slash) return;  // plain prose: "train.py" alone is too often not a path
    if (slash) {
      std::string first = t.substr(0, t.find('/'));
      // gcr.io/x, europe-docker.pkg.dev/x, github.com/x: a host, not a folder.
      if (first.find('.') != std::string::npos && first[0] != '.' && !has_known_extension(first)) return;
      if (first.empty() && t.size() > 1 && from != From::link) return;
    }
    if (!ext) {
      if (!slash || from == From::text) return;
      // A folder-like mention: at least one letter, no dotted last part (torch.nn/..., v1.2).
      std::string last = last_component(t);
      if (last.find('.') != std::string::npos && last[0] != '.') return;
    }
    const char* source = from == From::code ? "code" : from == From::command ? "command" : "text";
    add(t, source, report_dir, quote_of(line), !ext);
  }

  void words(std::string_view s, From from, std::string_view line) {
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      size_t b = i;
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
      if (i > b) token(s.substr(b, i - b), from, line);
    }
  }

  void link_target(std::string_view target, std::string_view line) {
    while (!target.empty() && (target.front() == ' ' || target.front() == '<')) target.remove_prefix(1);
    // Title: [x](path "title")
    if (size_t sp = target.find(' '); sp != std::string_view::npos) target = target.substr(0, sp);
    while (!target.empty() && target.back() == '>') target.remove_suffix(1);
    if (target.empty() || target.size() > kMaxToken) return;
    if (target.find("://") != std::string_view::npos) {
      if (!github_link_path(target).empty()) add(std::string(target), "github", "", quote_of(line), false);
      return;
    }
    std::string lower = text::lower_ascii(target);
    if (target.front() == '#' || lower.rfind("mailto:", 0) == 0 || lower.rfind("data:", 0) == 0 ||
        lower.rfind("www.", 0) == 0)
      return;
    std::string t = percent_decode(target);
    if (size_t h = t.find_first_of("#?"); h != std::string::npos) t.erase(h);
    if (t.empty()) return;
    add(t, "link", report_dir, quote_of(line), false);
  }
};

// Bounded find: searches at most kWindow bytes from `from` (hostile lines must stay linear).
constexpr size_t kWindow = 4096;
size_t find_near(std::string_view s, std::string_view what, size_t from) {
  if (from >= s.size()) return std::string_view::npos;
  size_t r = s.substr(from, kWindow).find(what);
  return r == std::string_view::npos ? r : from + r;
}

// Inline scan of one line outside code blocks: code spans, links, images (skipped here), URLs, words.
void scan_line(std::string_view line, Collector& c, int depth = 0) {
  std::string plain;  // text outside code spans and links
  size_t i = 0;
  while (i < line.size()) {
    char ch = line[i];
    if (ch == '`') {
      size_t run = 0;
      while (i + run < line.size() && line[i + run] == '`') ++run;
      std::string fence(run, '`');
      size_t close = find_near(line, fence, i + run);
      if (close == std::string_view::npos) {
        i += run;
        continue;
      }
      std::string_view code = line.substr(i + run, close - i - run);
      c.words(code, From::code, line);
      plain.push_back(' ');
      i = close + run;
      continue;
    }
    if (ch == '[') {
      bool image = i > 0 && line[i - 1] == '!';
      size_t close = find_near(line, "](", i);
      size_t next_open = find_near(line, "[", i + 1);
      if (close != std::string_view::npos &&
          (next_open == std::string_view::npos || next_open > close || image)) {
        size_t end = find_near(line, ")", close + 2);
        if (end != std::string_view::npos) {
          // The link text may hold code spans: scan it too (one level).
          if (depth == 0) scan_line(line.substr(i + 1, close - i - 1), c, 1);
          if (!image) c.link_target(line.substr(close + 2, end - close - 2), line);
          plain.push_back(' ');
          i = end + 1;
          continue;
        }
      }
    }
    if ((ch == 'h' || ch == 'H') && (line.substr(i, 7) == "http://" || line.substr(i, 8) == "https://")) {
      size_t e = i;
      while (e < line.size() && line[e] != ' ' && line[e] != '\t' && line[e] != ')' && line[e] != '>' &&
             line[e] != '"')
        ++e;
      std::string_view url = line.substr(i, e - i);
      while (!url.empty() && (url.back() == '.' || url.back() == ',')) url.remove_suffix(1);
      if (!github_link_path(url).empty()) c.add(std::string(url), "github", "", quote_of(line), false);
      plain.push_back(' ');
      i = e;
      continue;
    }
    plain.push_back(ch);
    ++i;
  }
  // Emphasis markers around plain words: **src/x.py** -> src/x.py.
  for (auto& ch : plain)
    if (ch == '*') ch = ' ';
  c.words(plain, From::text, line);
}

}  // namespace

std::vector<PathCheck> extract_paths_from(std::string_view answer_text, int question,
                                          const std::string& report_dir, size_t* more) {
  std::vector<PathCheck> out;
  std::set<std::string> seen;
  size_t dropped = 0;
  struct Flush {
    size_t* more;
    size_t* dropped;
    ~Flush() {
      if (more) *more += *dropped;
    }
  } flush{more, &dropped};
  Collector c{question, report_dir, &out, &seen, &dropped};
  std::string_view s = text::utf8_prefix(answer_text, kMaxAnswerScan);
  bool fenced = false;
  std::string fence;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view line = s.substr(pos, nl - pos);
    pos = nl + 1;
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '>' || t.front() == '\t')) t.remove_prefix(1);
    if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") {
      if (!fenced) {
        fenced = true;
        fence = std::string(t.substr(0, 3));
      } else if (t.substr(0, 3) == fence) {
        fenced = false;
      }
      continue;
    }
    if (fenced) {
      // Commands: "$ python src/x.py", "python -m src.pkg.train data/raw" -> every token.
      c.words(t, From::command, t);
      continue;
    }
    scan_line(line, c);
  }
  return out;
}

std::vector<FigureCheck> extract_figures_from(std::string_view answer_text, int question, size_t* more) {
  std::vector<FigureCheck> out;
  size_t extra = 0;
  auto push = [&](FigureCheck f) {
    if (out.size() < kMaxFigures) out.push_back(std::move(f));
    else ++extra;
  };
  std::string_view s = text::utf8_prefix(answer_text, kMaxAnswerScan);
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view line = s.substr(pos, nl - pos);
    pos = nl + 1;
    size_t i = 0;
    while (i < line.size()) {
      size_t img = line.find("![", i);
      std::string lower;
      size_t tag = std::string_view::npos;
      {
        // <img ... src="..."> (case-insensitive)
        size_t lt = line.find('<', i);
        while (lt != std::string_view::npos && lt < img) {
          if (text::lower_ascii(line.substr(lt, 4)) == "<img") {
            tag = lt;
            break;
          }
          lt = line.find('<', lt + 1);
        }
      }
      if (tag != std::string_view::npos) {
        size_t end = find_near(line, ">", tag);
        std::string_view el = line.substr(tag, end == std::string_view::npos ? line.size() - tag : end - tag);
        std::string l = text::lower_ascii(el);
        size_t src = l.find("src=");
        if (src != std::string::npos && src + 4 < el.size()) {
          char q = el[src + 4];
          size_t b = src + 4 + (q == '"' || q == '\'' ? 1 : 0);
          size_t e = (q == '"' || q == '\'') ? el.find(q, b) : el.find_first_of(" >", b);
          if (e == std::string_view::npos) e = el.size();
          FigureCheck f;
          f.question = question;
          f.link = std::string(el.substr(b, e - b));
          f.quote = quote_of(line);
          if (!f.link.empty()) push(std::move(f));
        }
        i = end == std::string_view::npos ? tag + 4 : end + 1;
        continue;
      }
      if (img == std::string_view::npos) break;
      size_t close = find_near(line, "](", img + 2);
      if (close == std::string_view::npos) {
        i = img + 2;
        continue;
      }
      size_t end = find_near(line, ")", close + 2);
      if (end == std::string_view::npos) {
        i = img + 2;
        continue;
      }
      std::string_view target = line.substr(close + 2, end - close - 2);
      while (!target.empty() && (target.front() == ' ' || target.front() == '<')) target.remove_prefix(1);
      if (size_t sp = target.find(' '); sp != std::string_view::npos) target = target.substr(0, sp);
      while (!target.empty() && target.back() == '>') target.remove_suffix(1);
      FigureCheck f;
      f.question = question;
      f.link = std::string(text::utf8_prefix(target, kMaxToken));
      f.quote = quote_of(line);
      push(std::move(f));
      i = end + 1;
    }
  }
  if (more) *more += extra;
  return out;
}

// ---- CI prose -------------------------------------------------------------------------------------

namespace {

bool word_at(const std::string& s, size_t p, size_t len) {
  auto is_w = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return (p == 0 || !is_w(s[p - 1])) && (p + len >= s.size() || !is_w(s[p + len]));
}

// Positions of a whole word (or phrase) in s.
std::vector<size_t> find_words(const std::string& s, const std::string& w) {
  std::vector<size_t> r;
  size_t p = s.find(w);
  while (p != std::string::npos && r.size() < 50) {
    if (word_at(s, p, w.size())) r.push_back(p);
    p = s.find(w, p + 1);
  }
  return r;
}

bool has_word(const std::string& s, std::initializer_list<const char*> ws) {
  for (const char* w : ws)
    if (!find_words(s, w).empty()) return true;
  return false;
}

bool negated_before(const std::string& clause, size_t pos) {
  std::string before = clause.substr(0, pos);
  if (before.find("n't") != std::string::npos || before.find("n\xE2\x80\x99t") != std::string::npos) return true;
  return has_word(before, {"not", "no", "never", "without", "neither", "nor", "nothing"});
}

std::vector<std::string> split_clauses(const std::string& sentence) {
  std::string cur = sentence;
  static const char* seps[] = {";", " but ", " however", " only ", " whereas ", " although ", " except ",
                               " instead ", " while "};
  if (cur.size() > 20000) cur.resize(20000);
  std::vector<std::string> parts = {cur};
  for (const char* sep : seps) {
    std::vector<std::string> next;
    for (const auto& p : parts) {
      size_t b = 0;
      std::string sp(sep);
      while (true) {
        size_t e = p.find(sp, b);
        if (e == std::string::npos) {
          next.push_back(p.substr(b));
          break;
        }
        next.push_back(p.substr(b, e - b));
        b = e + sp.size();
      }
    }
    parts = std::move(next);
  }
  for (auto& p : parts)
    if (p.size() > 2000) p.resize(2000);  // per-clause work stays bounded
  return parts;
}

}  // namespace

std::vector<CiProseCheck> extract_ci_prose_from(std::string_view answer_text, int question) {
  std::vector<CiProseCheck> out;
  std::set<std::string> seen;
  // Plain lower-case text, markup dropped, single newlines as spaces, blank lines as sentence ends.
  std::string raw(text::utf8_prefix(answer_text, 200000));
  std::string s;
  s.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '*' || c == '`' || c == '#') continue;
    if (c == '\n') {
      bool blank = i + 1 < raw.size() && raw[i + 1] == '\n';
      s += blank ? ". " : " ";
      continue;
    }
    s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  // Sentences: split at ". ", "! ", "? " (not inside "3.11" or "e.g.").
  std::vector<std::pair<std::string, std::string>> sentences;  // lower text, quote
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    bool end = i == s.size() ||
               ((s[i] == '.' || s[i] == '!' || s[i] == '?') && (i + 1 == s.size() || s[i + 1] == ' ') &&
                !(i >= 3 && s.compare(i - 3, 3, "e.g") == 0) && !(i >= 3 && s.compare(i - 3, 3, "i.e") == 0));
    if (!end) continue;
    std::string sent = s.substr(b, i - b);
    b = i + 1;
    if (text::collapse_ws(sent).empty()) continue;
    sentences.emplace_back(sent, quote_of(sent));
    if (sentences.size() > 5000) break;
  }
  auto add = [&](const std::string& quote, std::string subject, std::string value, bool neg, std::string claim) {
    if (out.size() >= kMaxCiClaims) return;
    if (!seen.insert(subject + "\n" + value + "\n" + (neg ? "n" : "y")).second) return;
    CiProseCheck c;
    c.question = question;
    c.quote = quote;
    c.subject = std::move(subject);
    c.value = std::move(value);
    c.negated = neg;
    c.claim = std::move(claim);
    out.push_back(std::move(c));
  };
  for (const auto& [sent, quote] : sentences) {
    bool ci_context = has_word(sent, {"test", "tests", "tested", "testing", "ci", "workflow", "workflows",
                                      "action", "actions", "matrix", "pipeline", "pipelines", "job", "jobs",
                                      "run", "runs", "ran", "running", "runner", "runners", "build", "builds",
                                      "lint", "linting", "os", "operating", "platform", "platforms", "python",
                                      "cache", "caching", "cached", "github", "check", "checks", "version",
                                      "versions"});
    if (!ci_context) continue;
    const bool names_python = sent.find("python") != std::string::npos;
    for (const std::string& clause : split_clauses(sent)) {
      if (has_word(clause, {"could", "should", "might", "future", "plan", "planned", "wish"}) ||
          clause.find("if we") != std::string::npos || clause.find("would like") != std::string::npos ||
          clause.find("would have") != std::string::npos || clause.find("want to") != std::string::npos ||
          clause.find("hope to") != std::string::npos)
        continue;
      // Operating systems.
      static const std::pair<const char*, const char*> os_words[] = {
          {"ubuntu", "ubuntu"}, {"linux", "ubuntu"},  {"windows", "windows"}, {"macos", "macos"},
          {"mac os", "macos"},  {"mac", "macos"},     {"osx", "macos"},       {"os x", "macos"}};
      for (const auto& [w, os] : os_words) {
        for (size_t p : find_words(clause, w)) {
          bool neg = negated_before(clause, p);
          std::string shown = std::string(os) == "ubuntu" && std::string(w) == "linux" ? "linux (ubuntu)" : os;
          add(quote, "os", os, neg, (neg ? "does not run on " : "runs on ") + shown);
          break;
        }
      }
      for (const char* w : {"multiple operating systems", "several operating systems", "different operating systems",
                            "multiple os", "all operating systems", "three operating systems",
                            "all three operating systems", "cross-platform", "multiple platforms"}) {
        auto ps = find_words(clause, w);
        if (ps.empty()) continue;
        bool neg = negated_before(clause, ps[0]);
        add(quote, "os", "several", neg, neg ? "does not run on several operating systems" : "runs on several operating systems");
      }
      // Python versions: 3.N in a sentence that names Python.
      if (names_python) {
        for (size_t p = 0; p + 2 < clause.size(); ++p) {
          if (clause[p] != '3' || clause[p + 1] != '.' || !std::isdigit(static_cast<unsigned char>(clause[p + 2])))
            continue;
          if (p > 0 && (std::isdigit(static_cast<unsigned char>(clause[p - 1])) || clause[p - 1] == '.')) continue;
          size_t e = p + 2;
          while (e < clause.size() && e < p + 4 && std::isdigit(static_cast<unsigned char>(clause[e]))) ++e;
          if (e < clause.size() && std::isdigit(static_cast<unsigned char>(clause[e]))) continue;
          std::string v = clause.substr(p, e - p);
          bool neg = negated_before(clause, p);
          add(quote, "python", v, neg, (neg ? "does not test Python " : "tests Python ") + v);
        }
        for (const char* w : {"multiple python versions", "several python versions", "different python versions",
                              "multiple versions of python", "several versions of python",
                              "different versions of python"}) {
          auto ps = find_words(clause, w);
          if (ps.empty()) continue;
          bool neg = negated_before(clause, ps[0]);
          add(quote, "python", "several", neg,
              neg ? "does not test several Python versions" : "tests several Python versions");
        }
      }
      // Caching.
      for (const char* w : {"cache", "caching", "cached", "caches"}) {
        auto ps = find_words(clause, w);
        if (ps.empty()) continue;
        bool neg = negated_before(clause, ps[0]);
        add(quote, "cache", "", neg, neg ? "does not cache" : "caches (dependencies or data)");
        break;
      }
      // Linting, generic and by tool.
      for (const char* w : {"lint", "linting", "linter", "linters", "linted"}) {
        auto ps = find_words(clause, w);
        if (ps.empty()) continue;
        bool neg = negated_before(clause, ps[0]);
        add(quote, "lint", "", neg, neg ? "does not lint" : "runs a linter");
        break;
      }
      for (const char* tool : {"ruff", "flake8", "pylint", "black", "isort", "mypy", "pre-commit"}) {
        auto ps = find_words(clause, tool);
        if (ps.empty()) continue;
        bool neg = negated_before(clause, ps[0]);
        add(quote, "lint", tool, neg, (neg ? "does not run " : "runs ") + std::string(tool));
      }
    }
  }
  return out;
}

ExtractedAnswerClaims extract_answer_claims(const Report& report, const std::string& report_dir) {
  ExtractedAnswerClaims r;
  std::set<std::string> seen;
  size_t dropped_paths = 0, dropped_figures = 0;
  for (const auto& a : report.answers) {
    if (a.placeholder) continue;
    for (auto& p : extract_paths_from(a.text, a.question, report_dir, &dropped_paths)) {
      if (!seen.insert(std::to_string(p.question) + "\n" + p.mention).second) continue;
      if (r.paths.size() >= kMaxPathMentions) {
        ++dropped_paths;
        continue;
      }
      r.paths.push_back(std::move(p));
    }
    for (auto& f : extract_figures_from(a.text, a.question, &dropped_figures)) {
      if (r.figures.size() >= kMaxFigures) {
        ++dropped_figures;
        continue;
      }
      r.figures.push_back(std::move(f));
    }
  }
  const Answer* ci = nullptr;
  for (const auto& a : report.answers) {
    std::string p = text::lower_ascii(a.prompt);
    if (p.find("continuous integration") != std::string::npos || p.find("continues integration") != std::string::npos) {
      ci = &a;
      break;
    }
  }
  if (!ci) ci = report.answer(11);
  if (ci && !ci->placeholder) r.ci_prose = extract_ci_prose_from(ci->text, ci->question);
  if (dropped_paths)
    r.notes.push_back("more than " + std::to_string(kMaxPathMentions) + " repository paths are mentioned; " +
                      std::to_string(dropped_paths) + " more were not checked");
  if (dropped_figures)
    r.notes.push_back("more than " + std::to_string(kMaxFigures) + " image links; " +
                      std::to_string(dropped_figures) + " more were not checked");
  return r;
}

}  // namespace cc
