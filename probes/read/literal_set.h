// Which of a fixed set of literal strings a text contains.
//
// The secret scan looks for its detectors' hints ("AKIA", "wandb", "PRIVATE KEY-----", ...) in
// every file and past version it reads before running any regex: a tenth of a group's audit, on
// the thread that waits for the history walk. Searched one at a time (std::string_view::find),
// each hint was a pass over the whole file; looked up at every position by its first two bytes,
// a pass cost about 10 instructions a byte. Here each literal is found by its rarest byte (an
// upper-case letter, a 'k', a 'z': by a fixed table of how often bytes occur in code and prose),
// which memchr finds many bytes at a time; only where that byte is are the literals that
// chose it compared.
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
  struct Anchored {
    std::uint32_t literal;  // index in literals_
    std::uint32_t offset;   // where its anchor byte is in it
  };
  struct Anchor {
    unsigned char byte;
    std::vector<Anchored> literals;
  };
  std::vector<std::string> literals_;
  std::vector<Anchor> anchors_;        // one per distinct anchor byte, rarest first
  std::vector<std::uint32_t> empty_;   // empty literals: in every text
};

}  // namespace cc
