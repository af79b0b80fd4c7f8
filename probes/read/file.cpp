#include "probes/read/file.h"

namespace cc {

std::string not_read_detail(std::string_view what, const Blob& b) {
  return std::string(what) + " not read (" + to_string(b.state) + ")" + (b.note.empty() ? "" : ": " + b.note);
}

bool read_or_problem(const Snapshot& snap, const std::string& path, FactStore& out,
                     const std::string& probe, Blob& b, const ReadAs& as) {
  std::string_view what = as.what.empty() ? std::string_view(path) : as.what;
  if (as.refuse_symlink) {
    const FileEntry* e = snap.find(path);
    if (e && e->symlink) {
      b = Blob{};
      b.state = ReadState::error;
      b.note = "a symbolic link";
      out.problem(path, 0, std::string(what) + " is a symbolic link: not read", probe);
      return false;
    }
  }
  b = snap.read_text(path, as.cap);
  if (b.ok()) return true;
  out.problem(path, 0, not_read_detail(what, b), probe);
  return false;
}

}  // namespace cc
