#include "engine/heap_pages.h"

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#if defined(__linux__) && defined(__GLIBC__)
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define CC_HEAP_PAGES 1
#endif

// The sanitizers bring their own allocator: its mappings are not glibc's heaps.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#undef CC_HEAP_PAGES
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#undef CC_HEAP_PAGES
#endif
#endif

namespace cc {

namespace {

struct Range {
  std::uintptr_t lo = 0, hi = 0;
};

std::mutex mu;
std::vector<Range> advised;  // the mappings looked up (heaps advised), under mu

#ifdef CC_HEAP_PAGES

#ifdef MADV_COLLAPSE
constexpr int kMadvCollapse = MADV_COLLAPSE;
#else
constexpr int kMadvCollapse = 25;  // Linux 6.1's value; Debian 12's headers predate it
#endif

// One line of /proc/self/maps: the range, whether it is private anonymous memory (no file), and
// whether it is the brk heap or reserved (PROT_NONE) memory.
struct Mapping {
  std::uintptr_t lo = 0, hi = 0;
  bool anonymous = false, brk_heap = false, reserved = false;
};

std::uintptr_t hex_at(const std::string& s, std::size_t& i) {
  std::uintptr_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) break;
    v = v << 4 | std::uintptr_t(d);
  }
  return v;
}

// The process's mappings, or none when /proc cannot be read (then nothing is advised).
std::vector<Mapping> read_mappings() {
  std::string text;
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0 || text.size() > (4u << 20)) break;
    text.append(buf, std::size_t(n));
  }
  ::close(fd);
  std::vector<Mapping> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find('\n', i);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(i, end - i);
    i = end + 1;
    // "lo-hi perms offset dev inode [path]"
    Mapping m;
    std::size_t k = 0;
    m.lo = hex_at(line, k);
    if (k >= line.size() || line[k] != '-') continue;
    ++k;
    m.hi = hex_at(line, k);
    if (k + 5 > line.size() || line[k] != ' ') continue;
    const std::string perms = line.substr(k + 1, 4);
    m.reserved = perms == "---p";
    // Then offset, device and inode; a path (or [heap], [stack]) after them, if any.
    std::size_t p = k + 5;
    for (int field = 0; field < 3; ++field) {
      while (p < line.size() && line[p] == ' ') ++p;
      while (p < line.size() && line[p] != ' ') ++p;
    }
    while (p < line.size() && line[p] == ' ') ++p;
    const std::string path = p < line.size() ? line.substr(p) : "";
    m.brk_heap = path == "[heap]";
    m.anonymous = path.empty() && perms[3] == 'p';
    out.push_back(m);
  }
  return out;
}

// Advises the heap holding `addr`, with the memory glibc reserved after it to grow into: a thread
// heap is a mapping made usable a part at a time, the rest kept PROT_NONE; the advice stays on
// those parts when they are made usable. Called under mu.
void advise_heap_at(std::uintptr_t addr) {
  const std::vector<Mapping> maps = read_mappings();
  for (std::size_t k = 0; k < maps.size(); ++k) {
    if (addr < maps[k].lo || addr >= maps[k].hi) continue;
    Range r{maps[k].lo, maps[k].hi};
    advised.push_back(r);  // seen: not looked up again
    if (!maps[k].anonymous && !maps[k].brk_heap) return;  // not a heap: leave it
    if (maps[k].anonymous)
      for (std::size_t j = k + 1; j < maps.size() && maps[j].lo == r.hi && maps[j].reserved && maps[j].anonymous; ++j)
        r.hi = maps[j].hi;
    advised.back() = r;
    ::madvise(reinterpret_cast<void*>(r.lo), r.hi - r.lo, MADV_HUGEPAGE);  // a hint: errors ignored
    // glibc wrote the start of a thread heap (its header, the first blocks) before this thread
    // could advise it, so the kernel maps that first 2 MiB a 4 KiB page at a time: 300-500
    // faults per heap. Collapsing it into one huge page now (Linux 6.1+; older kernels refuse,
    // and it stays as it is) saves them.
    constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
    const std::uintptr_t first = (addr & ~(kHuge - 1));
    if (maps[k].anonymous && first >= maps[k].lo && first + kHuge <= maps[k].hi)
      ::madvise(reinterpret_cast<void*>(first), kHuge, kMadvCollapse);
    return;
  }
}

bool is_advised(std::uintptr_t addr) {
  for (const Range& r : advised)
    if (addr >= r.lo && addr < r.hi) return true;
  return false;
}

// An address malloc hands this thread now: in the heap it allocates from.
std::uintptr_t heap_address() {
  void* p = std::malloc(64);
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  std::free(p);
  return a;
}

#endif  // CC_HEAP_PAGES

}  // namespace

void prepare_heap_pages(std::size_t step) {
#ifdef CC_HEAP_PAGES
  mallopt(M_TOP_PAD, int(step));
  // Grow the main heap now, by `step`, with blocks below the size malloc maps on their own: what
  // it grows by is then advised before anything is written there.
  const void* before = ::sbrk(0);
  std::vector<void*> blocks;
  for (int k = 0; k < 64 && ::sbrk(0) == before; ++k) blocks.push_back(std::malloc(64 << 10));
  for (void* b : blocks) std::free(b);
  advise_thread_heap();
#else
  (void)step;
#endif
}

void advise_thread_heap() {
#ifdef CC_HEAP_PAGES
  const std::uintptr_t a = heap_address();
  std::lock_guard<std::mutex> lock(mu);
  if (!is_advised(a)) advise_heap_at(a);
#endif
}

}  // namespace cc
