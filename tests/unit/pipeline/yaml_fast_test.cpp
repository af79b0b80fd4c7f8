// engine/yaml_fast.h: libyaml's events built into yaml-cpp nodes must give, for every built-in
// data file, the very tree yaml-cpp's own parser gives (the audit reads those files through it).
#include "engine/yaml_fast.h"

#include <doctest/doctest.h>

#include <string>

#include "engine/embedded.h"

namespace {

// "" when equal, else the path of the first difference.
std::string diff(const YAML::Node& a, const YAML::Node& b, const std::string& at = "") {
  if (a.Type() != b.Type()) return at + ": type " + std::to_string(a.Type()) + " vs " + std::to_string(b.Type());
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      if (a.Tag() != b.Tag()) return at + ": tag '" + a.Tag() + "' vs '" + b.Tag() + "'";
      return a.Scalar() == b.Scalar() ? "" : at + ": '" + a.Scalar() + "' vs '" + b.Scalar() + "'";
    case YAML::NodeType::Sequence: {
      if (a.size() != b.size()) return at + ": sequence sizes differ";
      for (std::size_t i = 0; i < a.size(); ++i)
        if (auto d = diff(a[i], b[i], at + "[" + std::to_string(i) + "]"); !d.empty()) return d;
      return "";
    }
    case YAML::NodeType::Map: {
      if (a.size() != b.size()) return at + ": map sizes differ";
      auto i = a.begin();
      auto j = b.begin();
      for (; i != a.end(); ++i, ++j) {
        if (auto d = diff(i->first, j->first, at + ".<key>"); !d.empty()) return d;
        if (auto d = diff(i->second, j->second, at + "." + i->first.as<std::string>("?")); !d.empty()) return d;
      }
      return "";
    }
    default:
      return "";
  }
}

}  // namespace

TEST_CASE("fast YAML: every built-in data file gives yaml-cpp's tree") {
  int files = 0;
  for (const auto* set : {&cc::embedded_catalog(), &cc::embedded_probe_data()})
    for (const auto& f : *set) {
      if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".yaml") continue;
      CAPTURE(f.name);
      YAML::Node slow = YAML::Load(std::string(f.data));
      YAML::Node fast = cc::load_yaml_fast(f.data);
      CHECK(diff(slow, fast) == "");
      ++files;
    }
  CHECK(files >= 20);
}

TEST_CASE("fast YAML: nulls, quoting, anchors and aliases, order, block scalars, flow collections") {
  const std::string text =
      "a: ~\nb: null\nc: 'null'\nd:\ne: \"~\"\nf: &x {k: [1, 2, {z: y}]}\ng: *x\n"
      "h: |\n  line 1\n  line 2\ni: >-\n  folded\n  text\nz: 1\ny: 2\n'quoted key': [a, 'b', \"c\"]\n";
  YAML::Node slow = YAML::Load(text);
  YAML::Node fast = cc::load_yaml_fast(text);
  CHECK(diff(slow, fast) == "");
  CHECK(fast["a"].IsNull());
  CHECK(fast["c"].IsScalar());
  CHECK(fast["g"]["k"][2]["z"].as<std::string>() == "y");
  CHECK(cc::load_yaml_fast("").IsNull());
}

TEST_CASE("fast YAML: bad input is an error, not a crash") {
  CHECK_THROWS_AS(cc::load_yaml_fast("a: [1, 2\n"), cc::FastYamlError);
  CHECK_THROWS_AS(cc::load_yaml_fast("a: *nope\n"), cc::FastYamlError);
  CHECK_THROWS_AS(cc::load_yaml_fast("a: 1\n---\nb: 2\n"), cc::FastYamlError);
  CHECK_THROWS_AS(cc::load_yaml_fast(std::string(300, '[') + std::string(300, ']')), cc::FastYamlError);
  CHECK_THROWS_AS(cc::load_yaml_fast("a: 1\n\tb: 2\n"), cc::FastYamlError);
}
