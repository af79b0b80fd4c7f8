#include "engine/render_links.h"

#include <git2.h>
#include <re2/re2.h>

#include <memory>

#include "engine/git_snapshot.h"

namespace cc {

std::string html_escape(std::string_view s) {
  std::string o;
  o.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string url_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

std::string github_web_url(std::string_view remote) {
  static const RE2 re(
      R"(^(?:(?:https?|ssh|git)://(?:[^@/\s]+@)?|git@)github\.com[:/]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$)");
  std::string owner, name;
  if (!RE2::FullMatch(remote, re, &owner, &name)) return {};
  if (owner == "." || owner == ".." || name == "." || name == "..") return {};
  return "https://github.com/" + owner + "/" + name;
}

std::string clean_repo_url(std::string_view url) {
  // No credentials, spaces or characters that would need quoting in HTML or markdown.
  static const RE2 re(R"(^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9_.~%+-]+)*/?$)");
  if (!RE2::FullMatch(url, re)) return {};
  std::string u(url);
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.ends_with(".git")) u.resize(u.size() - 4);
  return u;
}

std::string evidence_url(const std::string& repo_url, const std::string& commit, const std::string& path,
                         int line) {
  static const RE2 hex40("[0-9a-f]{40}");
  if (repo_url.empty() || path.empty() || !RE2::FullMatch(commit, hex40)) return {};
  std::string u = repo_url + "/blob/" + commit + "/" + url_path(path);
  if (line > 0) u += "#L" + std::to_string(line);
  return u;
}

bool flagged(const ItemVerdict& i) {
  return i.ticked && (i.contradiction || i.verdict == "overclaimed" || i.verdict == "weak" ||
                      i.verdict == "unverifiable");
}

std::string origin_remote_url(const std::string& repo_path) {
  ensure_libgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, repo_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) return {};
  std::unique_ptr<git_repository, void (*)(git_repository*)> repo(raw, git_repository_free);
  // remote.origin.url read as a plain config value: git_remote_lookup would also match the
  // remote's fetch and push specs with libgit2's regex (pcre2), which leaks its match data in
  // libgit2 1.5 (LeakSanitizer finds it in every html/sarif/markdown run).
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo.get()) != 0) return {};
  std::unique_ptr<git_config, void (*)(git_config*)> c(cfg, git_config_free);
  const char* url = nullptr;
  if (git_config_get_string(&url, cfg, "remote.origin.url") != 0 || !url) return {};
  return url;
}

}  // namespace cc
