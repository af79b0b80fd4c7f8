// engine/heap_pages.h: a thread's heap and the main heap are advised for huge pages, as glibc's
// own hugetlb=1 tunable would, read back from the kernel's account of the mapping (smaps
// "VmFlags: ... hg"). Where the kernel or the build cannot (THP "never", the sanitizers' own
// allocators), the calls must still be harmless, and the test says it skips the check.
#include "engine/heap_pages.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// The kernel offers huge pages on advice: THP is "always" or "madvise".
bool thp_on_advice() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return s.find("[always]") != std::string::npos || s.find("[madvise]") != std::string::npos;
}

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

// The VmFlags of the mapping holding `p` (/proc/self/smaps), or "" when none holds it.
std::string vm_flags_at(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream f("/proc/self/smaps");
  bool in = false;
  for (std::string line; std::getline(f, line);) {
    const auto dash = line.find('-');
    const auto space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos && dash < space &&
        line.find_first_not_of("0123456789abcdef") == dash) {
      const std::uintptr_t lo = std::stoull(line.substr(0, dash), nullptr, 16);
      const std::uintptr_t hi = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      in = a >= lo && a < hi;
    } else if (in && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

bool advised(const std::string& flags) { return (" " + flags + " ").find(" hg ") != std::string::npos; }

}  // namespace

TEST_CASE("a thread's heap is advised for huge pages, once, and stays usable") {
  std::string flags_after;
  bool same_heap_twice = false;
  std::thread t([&] {
    // A block from this thread's own heap (glibc makes one per thread), before and after.
    void* first = std::malloc(100);
    cc::advise_thread_heap();
    cc::advise_thread_heap();  // a second call finds the heap advised: no second lookup
    void* more = std::malloc(1 << 16);  // still allocates, and from the same heap
    std::vector<char> filled(3u << 20, 'x');  // and memory past the first huge page is written
    flags_after = vm_flags_at(first);
    same_heap_twice = vm_flags_at(more) == flags_after && filled.back() == 'x';
    std::free(first);
    std::free(more);
  });
  t.join();
  if (sanitized() || !thp_on_advice()) {
    MESSAGE("skipped the kernel's account: " << (sanitized() ? "a sanitizer's allocator" : "THP is off here"));
    return;
  }
  REQUIRE_FALSE(flags_after.empty());
  CHECK(advised(flags_after));
  CHECK(same_heap_twice);
}

TEST_CASE("the main heap is grown by its step and advised before the audit writes there") {
  cc::prepare_heap_pages(8 << 20);
  void* p = std::malloc(1 << 10);  // the main thread allocates from the main (brk) heap
  const std::string flags = vm_flags_at(p);
  std::free(p);
  if (sanitized() || !thp_on_advice()) {
    MESSAGE("skipped the kernel's account: " << (sanitized() ? "a sanitizer's allocator" : "THP is off here"));
    return;
  }
  CHECK(advised(flags));
}
