// Transparent huge pages for malloc's heaps. An audit touches 15-30 MiB of fresh heap, a 4 KiB
// page fault at a time (about 4,000 faults, 10 µs each on the VMs CI and the nightly job use).
// glibc advises its heaps for huge pages only when told so by the environment
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which a program cannot set for itself; these calls do
// the same from inside the process: the kernel then backs each advised 2 MiB with one fault.
// Only a hint: where the kernel does not do huge pages on advice (THP "never", or not Linux),
// nothing changes, and nothing here can fail an audit.
#pragma once

#include <cstddef>

namespace cc {

// Once, in main, before any thread starts: the main heap's growth step (`step` bytes, glibc's
// M_TOP_PAD), then one growth of it, advised.
void prepare_heap_pages(std::size_t step);

// At the start of a thread that allocates (a probe helper, a parse worker): the heap this thread
// allocates from, advised once per heap (glibc gives threads their own heaps, reused after a
// thread ends). Cheap after the first call on a heap: one malloc and a lookup.
void advise_thread_heap();

}  // namespace cc
