#include "probes/read/toml.h"

#include <toml++/toml.h>

#include <memory>

#include <charconv>
#include <cstdio>
#include <exception>
#include <sstream>

namespace cc {

std::pair<int, int> toml_key_depth(std::string_view text) {
  // One linear pass. A "chain" is a run of key parts joined by dots: bare characters, quoted
  // strings and blanks keep it going, anything else ('=', ',', brackets, braces, newline) ends
  // it. Multi-line strings and comments are skipped. Floats count one dot (a chain of 2).
  int best = 0, best_line = 0, line = 1, dots = 0;
  const size_t n = text.size();
  size_t i = 0;
  auto end_chain = [&]() {
    if (dots + 1 > best) { best = dots + 1; best_line = line; }
    dots = 0;
  };
  while (i < n) {
    char c = text[i];
    if (c == '\n') { end_chain(); ++line; ++i; continue; }
    if (c == '#') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if ((c == '"' || c == '\'') && i + 2 < n && text[i + 1] == c && text[i + 2] == c) {
      // Multi-line string: to the closing triple quote (escapes in basic strings).
      end_chain();
      i += 3;
      while (i < n) {
        if (text[i] == '\n') ++line;
        if (c == '"' && text[i] == '\\' && i + 1 < n) {
          if (text[i + 1] == '\n') ++line;
          i += 2;
          continue;
        }
        if (text[i] == c && i + 2 < n && text[i + 1] == c && text[i + 2] == c) {
          i += 3;
          while (i < n && text[i] == c) ++i;  // up to two quotes may end the content
          break;
        }
        ++i;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      ++i;
      while (i < n && text[i] != c && text[i] != '\n') {
        if (c == '"' && text[i] == '\\' && i + 1 < n && text[i + 1] != '\n') ++i;
        ++i;
      }
      if (i < n && text[i] == c) ++i;
      continue;
    }
    if (c == '.') { ++dots; ++i; continue; }
    bool bare = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '+' || c == ':';
    if (!bare) end_chain();
    ++i;
  }
  end_chain();
  return {best, best_line};
}

namespace {

// toml++ 3.3.0 (Debian 12's libtomlplusplus) asks whether a character is whitespace through a
// generated table whose switch leaves out these code points (TOML_UNREACHABLE: undefined
// behaviour, which GCC happens to compile to "no"). U+3000 is answered before the switch. It asks
// in more places than a reader of the grammar would guess (after a line-ending backslash, inside
// a malformed value up to its end), and U+00A1-U+0499 holds every accented Latin letter
// ("Søren", "café"): such text is parsed with those characters moved (TomlShield).
// The blocks are those the table's 64-bit mask (0x7FFFFFFFFFFFF75E over 1018-code-point blocks from
// U+00A0) sends to the switch, less what it answers: U+00A0, U+3000 and U+FEFF.
bool trips_toml_whitespace_table(char32_t c) {
  return ((c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057) || (c >= 0xFB26 && c <= 0xFEFE)) &&
         c != 0x3000;
}

// Where a moved character goes: the supplementary private use plane, which the table answers
// ("not whitespace") before its switch and TOML allows wherever it allows the character itself.
constexpr char32_t kShift = 0xF0000;

// A character a shield moved (or one the text held there already).
bool is_shifted(char32_t c) {
  return c >= kShift + 0xA1 && c <= kShift + 0xFEFE && trips_toml_whitespace_table(c - kShift);
}

// The code point of the UTF-8 sequence at text[i] and its length; an invalid sequence gives
// length 1 and code point 0 (toml++ reports invalid UTF-8 itself).
std::pair<char32_t, std::size_t> decode_utf8(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  std::size_t len = b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  if (b < 0x80 || len == 1 || i + len > text.size()) return {b < 0x80 ? b : 0, 1};
  char32_t c = b & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto x = static_cast<unsigned char>(text[i + k]);
    if ((x & 0xC0) != 0x80) return {0, 1};
    c = c << 6 | (x & 0x3F);
  }
  return {c, len};
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

// Rewrites `s`, each character for which `pick` gives another code point replaced by it.
template <class Pick>
bool remap_utf8(std::string& s, Pick pick) {
  std::size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  if (i == s.size()) return false;  // ASCII: the common case, nothing copied
  std::string out(s, 0, i);
  bool changed = false;
  while (i < s.size()) {
    const auto [c, len] = decode_utf8(s, i);
    const char32_t to = len > 1 ? pick(c) : c;
    if (len > 1 && to != c) {
      append_utf8(out, to);
      changed = true;
    } else {
      out.append(s, i, len);
    }
    i += len;
  }
  if (changed) s = std::move(out);
  return changed;
}

}  // namespace

TomlShield shield_toml_text(std::string_view text) {
  TomlShield sh;
  bool ascii = true;
  for (char ch : text) ascii &= static_cast<unsigned char>(ch) < 0x80;
  if (ascii) return sh;  // the common case: nothing to move, nothing copied
  sh.text.assign(text);
  int line = 1;
  bool clash = false;
  sh.shifted = remap_utf8(sh.text, [&](char32_t c) {
    if (is_shifted(c)) clash = true;
    return trips_toml_whitespace_table(c) ? c + kShift : c;
  });
  if (clash) {  // moved and unmoved characters could not be told apart: not parsed
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto [c, len] = decode_utf8(text, i);
      if (is_shifted(c)) break;
      if (text[i] == '\n') ++line;
      i += len - 1;
    }
    sh.shifted = false;
    sh.text.clear();
    sh.line = line;
    sh.error = "TOML with private-use characters (U+F00A1 to U+FFEFE) beside accented letters (line " +
               std::to_string(line) + "): file not parsed";
  }
  return sh;
}

void unshield_toml_text(std::string& s) {
  remap_utf8(s, [](char32_t c) { return is_shifted(c) ? c - kShift : c; });
}

namespace {

struct Converter {
  const TomlLimits& limits;
  bool shifted = false;  // the text was shielded (shield_toml_text): strings are moved back
  bool failed = false;
  int fail_line = 0;

  static int line_of(const toml::source_region& r) {
    return r.begin.line > 0 ? static_cast<int>(r.begin.line) : 0;
  }

  void copy(const toml::node& n, YNode& dst, int depth) {
    if (failed) return;
    dst.line = line_of(n.source());
    if (depth > limits.max_depth) {
      failed = true;
      fail_line = dst.line;
      return;
    }
    switch (n.type()) {
      case toml::node_type::table: {
        dst.type = YNode::Type::map;
        const toml::table& t = *n.as_table();
        for (auto&& [k, v] : t) {
          dst.entries.emplace_back();
          YNode& key = dst.entries.back().first;
          key.type = YNode::Type::scalar;
          key.text = std::string(k.str());
          if (shifted) unshield_toml_text(key.text);
          key.line = line_of(k.source());
          if (key.line == 0) key.line = line_of(v.source());
          copy(v, dst.entries.back().second, depth + 1);
          if (failed) return;
        }
        break;
      }
      case toml::node_type::array: {
        dst.type = YNode::Type::seq;
        for (const toml::node& v : *n.as_array()) {
          dst.items.emplace_back();
          copy(v, dst.items.back(), depth + 1);
          if (failed) return;
        }
        break;
      }
      case toml::node_type::string:
        dst.type = YNode::Type::scalar;
        dst.text = n.as_string()->get();
        if (shifted) unshield_toml_text(dst.text);
        break;
      case toml::node_type::integer:
        dst.type = YNode::Type::scalar;
        dst.plain = true;
        dst.text = std::to_string(n.as_integer()->get());
        break;
      case toml::node_type::floating_point: {
        dst.type = YNode::Type::scalar;
        dst.plain = true;
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, n.as_floating_point()->get());
        dst.text = r.ec == std::errc() ? std::string(buf, r.ptr) : "nan";
        break;
      }
      case toml::node_type::boolean:
        dst.type = YNode::Type::scalar;
        dst.plain = true;
        dst.text = n.as_boolean()->get() ? "true" : "false";
        break;
      case toml::node_type::date:
      case toml::node_type::time:
      case toml::node_type::date_time: {
        dst.type = YNode::Type::scalar;
        dst.plain = true;
        std::ostringstream os;
        if (auto* d = n.as_date()) os << d->get();
        else if (auto* tm = n.as_time()) os << tm->get();
        else if (auto* dt = n.as_date_time()) os << dt->get();
        dst.text = os.str();
        break;
      }
      default:
        dst.type = YNode::Type::null;
        break;
    }
  }
};

}  // namespace

TomlLoad load_toml(std::string_view text, const TomlLimits& limits) {
  TomlLoad out;
  auto [parts, parts_line] = toml_key_depth(text);
  if (parts > limits.max_key_parts) {
    out.error_line = parts_line;
    out.error = "TOML key or table header with more than " + std::to_string(limits.max_key_parts) +
                " dotted parts (line " + std::to_string(parts_line) + "): file not parsed";
    return out;
  }
  const TomlShield shield = shield_toml_text(text);
  if (!shield.error.empty()) {
    out.error_line = shield.line;
    out.error = shield.error;
    return out;
  }
  if (shield.shifted) text = shield.text;
  Converter conv{limits};
  conv.shifted = shield.shifted;
  try {
#if TOML_EXCEPTIONS
    toml::table table;
    try {
      table = toml::parse(text);
    } catch (const toml::parse_error& e) {
      out.error_line = static_cast<int>(e.source().begin.line);
      out.error = "TOML syntax error: " + std::string(e.description());
      if (shield.shifted) unshield_toml_text(out.error);
      return out;
    }
#else
    toml::parse_result res = toml::parse(text);
    if (!res) {
      out.error_line = static_cast<int>(res.error().source().begin.line);
      out.error = "TOML syntax error: " + std::string(res.error().description());
      if (shield.shifted) unshield_toml_text(out.error);
      return out;
    }
    toml::table& table = res.table();
#endif
    conv.copy(table, out.root, 0);
    out.root.line = 1;
  } catch (const std::exception& e) {
    out.root = YNode{};
    out.error = std::string("TOML could not be read: ") + e.what();
    return out;
  }
  if (conv.failed) {
    out.root = YNode{};
    out.error_line = conv.fail_line;
    out.error = "TOML nests deeper than " + std::to_string(limits.max_depth) + " levels: file not parsed";
    return out;
  }
  out.ok = true;
  return out;
}

TomlFile read_toml(const Snapshot& snap, std::string_view path, std::uint64_t cap,
                   const TomlLimits& limits) {
  TomlFile f;
  f.path = std::string(path);
  const FileEntry* e = snap.find(path);
  if (!e) return f;
  f.present = true;
  if (e->symlink) {
    f.error = "a symbolic link: not read";
    return f;
  }
  auto make = [&]() {
    auto parsed = std::make_shared<TomlFile>(f);
    Blob b = snap.read_text(path, cap);
    if (!b.ok()) {
      parsed->error = std::string("not read (") + to_string(b.state) + ")" + (b.note.empty() ? "" : ": " + b.note);
    } else {
      TomlLoad t = load_toml(b.data, limits);
      parsed->ok = t.ok;
      parsed->root = std::move(t.root);
      parsed->error_line = t.error_line;
      parsed->error = std::move(t.error);
    }
    std::size_t bytes = sizeof(TomlFile) + b.data.size() * 4;  // the tree, roughly
    return std::make_pair(std::shared_ptr<const TomlFile>(std::move(parsed)), bytes);
  };
  // Larger than this caller's cap: read directly (too-large), as a caller with a larger cap may
  // have the parsed file cached. Otherwise the audit's one parse (probes/read/parse_cache.h).
  if (e->size > cap) return *make().first;
  std::string kind(kTomlTreeKind);
  if (limits.max_key_parts != TomlLimits{}.max_key_parts || limits.max_depth != TomlLimits{}.max_depth)
    kind += "/" + std::to_string(limits.max_key_parts) + "/" + std::to_string(limits.max_depth);
  return *snap.artifacts().get<TomlFile>(kind, path, make);  // a copy: callers own their tree
}

void report_toml_problem(const TomlFile& f, FactStore& out, const std::string& probe) {
  if (!f.present || f.ok) return;
  out.problem(f.path, f.error_line, f.path + ": " + f.error, probe);
}

const YNode* toml_at(const YNode& root, std::string_view dotted) {
  const YNode* cur = &root;
  size_t i = 0;
  while (cur && i <= dotted.size()) {
    size_t j = dotted.find('.', i);
    if (j == std::string_view::npos) j = dotted.size();
    cur = cur->get(dotted.substr(i, j - i));
    i = j + 1;
    if (j == dotted.size()) break;
  }
  return cur;
}

std::vector<std::string> toml_strings(const YNode* n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n->is_scalar()) out.push_back(n->text);
  if (n->is_seq())
    for (const auto& i : n->items)
      if (i.is_scalar()) out.push_back(i.text);
  return out;
}

}  // namespace cc
