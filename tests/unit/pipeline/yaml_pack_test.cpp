// engine/yaml_pack.h: the built-in YAML read at build time and rebuilt at run time. The rebuilt
// tree must be read_yaml's own, node for node (type, text, plain, line) and note for note, for
// every embedded file; a blob that is not a whole pack is refused, never read past.
#include "engine/yaml_pack.h"

#include <doctest/doctest.h>

#include <string>

#include "engine/embedded.h"

namespace {

// "" when the two trees are the same, else the first difference.
std::string diff(const cc::YNode& a, const cc::YNode& b, const std::string& at = "/") {
  if (a.type != b.type) return at + ": type";
  if (a.text != b.text) return at + ": text '" + a.text + "' / '" + b.text + "'";
  if (a.plain != b.plain) return at + ": plain";
  if (a.line != b.line) return at + ": line " + std::to_string(a.line) + " / " + std::to_string(b.line);
  if (a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) return at + ": size";
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (auto d = diff(a.items[i], b.items[i], at + std::to_string(i) + "/"); !d.empty()) return d;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    if (auto d = diff(a.entries[i].first, b.entries[i].first, at + "key" + std::to_string(i) + "/"); !d.empty()) return d;
    if (auto d = diff(a.entries[i].second, b.entries[i].second, at + a.entries[i].first.text + "/"); !d.empty())
      return d;
  }
  return "";
}

void same_as_read_yaml(const cc::EmbeddedFile& f) {
  CAPTURE(f.name);
  const cc::YamlLoad text = cc::read_yaml(f.data);
  REQUIRE(text.ok);
  REQUIRE_FALSE(f.packed.empty());  // every built-in YAML file is packed by the build
  cc::YamlLoad packed;
  REQUIRE(cc::unpack_yaml(f.packed, packed));
  CHECK(packed.ok);
  CHECK(diff(text.root, packed.root) == "");
  CHECK(text.notes == packed.notes);
}

}  // namespace

TEST_CASE("yaml_pack: a tree and its notes come back as read_yaml read them") {
  const std::string text =
      "a: 1\nb: '3.10'\nc: ~\nd: [x, \"y\", {k: v}]\ne:\n  - |\n    block\n    text\n  - !!str 5\n"
      "f: {}\ng: []\na: again\n\"\": empty key\nh: \"\\u00e9\\n\"\n";
  const cc::YamlLoad y = cc::read_yaml(text);
  REQUIRE(y.ok);
  REQUIRE_FALSE(y.notes.empty());  // the duplicate key
  cc::YamlLoad back;
  REQUIRE(cc::unpack_yaml(cc::pack_yaml(y), back));
  CHECK(back.ok);
  CHECK(diff(y.root, back.root) == "");
  CHECK(back.notes == y.notes);
  CHECK(back.root.get("b")->value() == "3.10");
  CHECK_FALSE(back.root.get("b")->plain);
  CHECK(back.root.get("c")->is_null());
}

TEST_CASE("yaml_pack: what is not a whole pack is refused") {
  const std::string good = cc::pack_yaml(cc::read_yaml("a: [1, 2, {b: c}]\n"));
  cc::YamlLoad out;
  out.error = "untouched";
  CHECK_FALSE(cc::unpack_yaml("", out));
  CHECK_FALSE(cc::unpack_yaml("a: 1\n", out));
  for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(cc::unpack_yaml(good.substr(0, n), out));
  CHECK_FALSE(cc::unpack_yaml(good + "x", out));
  // A count far beyond the bytes left is refused before anything is allocated for it.
  CHECK_FALSE(cc::unpack_yaml(std::string("ccy1\x00\x02\x00\x01\xff\xff\xff\xff\x0f", 13), out));
  CHECK(out.error == "untouched");
  REQUIRE(cc::unpack_yaml(good, out));
  CHECK(out.root.get("a")->items.size() == 3);
}

TEST_CASE("yaml_pack: every embedded YAML file's packed tree is read_yaml's") {
  int n = 0;
  for (const auto& f : cc::embedded_catalog()) same_as_read_yaml(f), ++n;
  for (const auto& f : cc::embedded_probe_data()) same_as_read_yaml(f), ++n;
  CHECK(n > 20);
}
