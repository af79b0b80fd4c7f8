// Helpers of snapshot.cpp: path normalisation, UTF-8 checks, Snapshot::under/find/read_text.
#include "engine/snapshot.h"

#include <doctest/doctest.h>

#include "engine/memory_snapshot.h"

using namespace cc;

TEST_CASE("normalize_repo_path keeps paths inside the repository") {
  CHECK(normalize_repo_path("", "src/app.py") == "src/app.py");
  CHECK(normalize_repo_path("reports", "figures/a.png") == "reports/figures/a.png");
  CHECK(normalize_repo_path("reports", "../src/app.py") == "src/app.py");
  CHECK(normalize_repo_path("reports/", "./figures//a.png") == "reports/figures/a.png");
  CHECK(normalize_repo_path("a/b", "../../c") == "c");
  CHECK(normalize_repo_path("a/b", "../../../c") == std::nullopt);
  CHECK(normalize_repo_path("", "../etc/passwd") == std::nullopt);
  CHECK(normalize_repo_path("reports", "../../etc/passwd") == std::nullopt);
  CHECK(normalize_repo_path("", "a/../../b") == std::nullopt);
  // Absolute paths, Windows drives and UNC-ish paths leave the repository.
  CHECK(normalize_repo_path("", "/etc/passwd") == std::nullopt);
  CHECK(normalize_repo_path("reports", "/etc/passwd") == std::nullopt);
  CHECK(normalize_repo_path("", "\\etc\\passwd") == std::nullopt);
  CHECK(normalize_repo_path("", "C:\\Windows") == std::nullopt);
  CHECK(normalize_repo_path("", "c:/x") == std::nullopt);
  // Backslashes are separators (reports written on Windows).
  CHECK(normalize_repo_path("", "src\\models\\model.py") == "src/models/model.py");
  CHECK(normalize_repo_path("reports", "..\\src\\a.py") == "src/a.py");
  CHECK(normalize_repo_path("", "..\\..\\x") == std::nullopt);
  // Nothing left, or empty input.
  CHECK(normalize_repo_path("", "") == std::nullopt);
  CHECK(normalize_repo_path("", ".") == std::nullopt);
  CHECK(normalize_repo_path("a", "..") == std::nullopt);
}

TEST_CASE("is_valid_utf8 rejects overlong forms, surrogates and truncation") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii\n"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x9c\x85 \xf0\x9f\x98\x80"));  // é ✅ 😀
  CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));                          // U+10FFFF
  CHECK(is_valid_utf8("\xed\x9f\xbf"));                              // U+D7FF
  CHECK(is_valid_utf8("\xee\x80\x80"));                              // U+E000

  CHECK_FALSE(is_valid_utf8("caf\xe9"));          // Latin-1
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));         // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xc1\xbf"));         // overlong
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));     // overlong 3-byte
  CHECK_FALSE(is_valid_utf8("\xf0\x80\x80\xaf")); // overlong 4-byte
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));     // U+D800 surrogate
  CHECK_FALSE(is_valid_utf8("\xed\xbf\xbf"));     // U+DFFF surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // > U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
  CHECK_FALSE(is_valid_utf8("\xe2\x9c"));         // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));             // lone continuation
  CHECK_FALSE(is_valid_utf8("\xc3\x28"));         // bad continuation
  CHECK_FALSE(is_valid_utf8("\xff"));
  // ASCII is checked eight bytes at a time: every position of a bad or good byte around that.
  for (std::size_t at = 0; at < 20; ++at) {
    const std::string ascii(20, 'a');
    CHECK(is_valid_utf8(ascii.substr(0, at) + "\xc3\xa9" + ascii.substr(at)));
    CHECK_FALSE(is_valid_utf8(ascii.substr(0, at) + "\xe9" + ascii.substr(at)));
    CHECK_FALSE(is_valid_utf8(ascii.substr(0, at) + "\xe2\x9c"));
    CHECK(is_valid_utf8(ascii.substr(0, at)));
  }
}

TEST_CASE("looks_binary: a NUL byte in the first 8000 bytes") {
  CHECK_FALSE(looks_binary("text"));
  CHECK(looks_binary(std::string("a\0b", 3)));
  CHECK_FALSE(looks_binary(std::string(8000, 'a') + std::string(1, '\0')));
}

TEST_CASE("Snapshot::under, find and read_text") {
  MemorySnapshot s({{"src/a.py", "a"},
                    {"src/pkg/b.py", "b"},
                    {"src-old/c.py", "c"},
                    {"src.txt", "d"},
                    {"tests/test_a.py", "t"},
                    {"bin", std::string("\0\1", 2)},
                    {"latin", "caf\xe9"}});
  auto names = [](const std::vector<const FileEntry*>& v) {
    std::vector<std::string> out;
    for (auto* e : v) out.push_back(e->path);
    return out;
  };
  // "src" must not match "src-old/" or "src.txt".
  CHECK(names(s.under("src")) == std::vector<std::string>{"src/a.py", "src/pkg/b.py"});
  CHECK(names(s.under("src/")) == std::vector<std::string>{"src/a.py", "src/pkg/b.py"});
  CHECK(names(s.under("src/pkg")) == std::vector<std::string>{"src/pkg/b.py"});
  CHECK(s.under("nope").empty());
  CHECK(s.under("src/a.py").empty());  // a file is not a directory
  CHECK(s.under("").size() == 7);

  CHECK(s.exists("src.txt"));
  CHECK_FALSE(s.exists("src"));
  CHECK(s.find("tests/test_a.py")->size == 1);

  CHECK(s.read_text("src/a.py").ok());
  CHECK(s.read_text("bin").state == ReadState::binary);
  CHECK(s.read_text("bin").data.empty());
  CHECK(s.read_text("latin").state == ReadState::invalid_utf8);
  CHECK(s.read_text("missing").state == ReadState::not_found);
  CHECK(std::string(to_string(ReadState::too_large)) == "too-large");
}
