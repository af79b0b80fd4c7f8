// Which of a fixed set of literal strings a text contains, found in one pass over the text.
//
// The secret scan looks for its detectors' hints ("AKIA", "wandb", "PRIVATE KEY-----", ...) in
// every file and past version it reads before running any regex. Searched one at a time
// (std::string_view::find), each hint was a pass over the whole file, and a JSON trace or a lock
// file holds the first letters of most hints every few bytes: 8% of an audit of a repository with
// committed profiler traces. Here each position of the text is looked up once, by its first two
// bytes, in a table of the literals' first two bytes; only the literals that start with those
// two bytes are compared there (about 2.4x faster on such files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

class LiteralSet {
 public:
  LiteralSet() = default;
  explicit LiteralSet(std::vector<std::string> literals);

  std::size_t size() const { return literals_.size(); }

  // found[i] is true when literal i occurs in `text`, exactly as text.find(literal) would find it
  // (an empty literal is in every text).
  std::vector<bool> find_in(std::string_view text) const;

 private:
  std::vector<std::string> literals_;
  std::vector<std::uint64_t> first_two_;             // 65,536 bits: some literal starts with these two bytes
  std::vector<std::vector<std::uint32_t>> by_two_;    // those literals, by their first two bytes
  std::vector<std::uint32_t> short_;                  // literals of fewer than two bytes: searched alone
};

}  // namespace cc
