// Test helper shared by the engine's git tests: a temp dir of repositories built with the git
// CLI (HOME points there so that no personal git config leaks in).
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace cc_test {

namespace fs = std::filesystem;

// A temp dir holding repositories; HOME points here so no personal git config leaks in.
struct GitTmp {
  fs::path root;
  GitTmp() {
    char tmpl[] = "/tmp/cc-git-test-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  ~GitTmp() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  static std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  std::string env() const {
    return "export HOME=" + q(root.string()) +
           " GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME='Ada Student'"
           " GIT_AUTHOR_EMAIL=ada@example.org GIT_COMMITTER_NAME='Ada Student'"
           " GIT_COMMITTER_EMAIL=ada@example.org; ";
  }
  // Runs a shell command in root/dir; fails the test if it fails.
  void sh(const std::string& dir, const std::string& cmd) const {
    std::string full = "cd " + q((root / dir).string()) + " && " + env() + "{ " + cmd +
                       "; } >/dev/null 2>&1";
    INFO(cmd);
    REQUIRE(std::system(full.c_str()) == 0);
  }
  std::string out(const std::string& dir, const std::string& cmd) const {
    std::string full = "cd " + q((root / dir).string()) + " && " + env() + cmd + " 2>/dev/null";
    std::string result;
    if (FILE* p = ::popen(full.c_str(), "r")) {
      char buf[256];
      while (std::fgets(buf, sizeof buf, p)) result += buf;
      ::pclose(p);
    }
    while (!result.empty() && result.back() == '\n') result.pop_back();
    return result;
  }
  void write(const std::string& rel, const std::string& data) const {
    fs::path p = root / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
  }
  void init(const std::string& dir) const {
    fs::create_directories(root / dir);
    sh(dir, "git init -q -b main .");
  }
  // Commits everything with the same author and committer date unless told otherwise.
  // `author`, when given, is the author name (email derived from it).
  void commit(const std::string& dir, const std::string& msg, const std::string& date,
              const std::string& author_date = "", const std::string& author = "") const {
    std::string who;
    if (!author.empty())
      who = "GIT_AUTHOR_NAME=" + q(author) + " GIT_AUTHOR_EMAIL=" + q(author + "@example.org") + " ";
    sh(dir, "git add -A && " + who + "GIT_AUTHOR_DATE=" + q(author_date.empty() ? date : author_date) +
                " GIT_COMMITTER_DATE=" + q(date) + " git commit -q --allow-empty -m " + q(msg));
  }
  std::string path(const std::string& rel) const { return (root / rel).string(); }
};

}  // namespace cc_test
