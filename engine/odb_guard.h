// The object guard: libgit2 1.5 hangs or overreads on some corrupt objects (a truncated loose
// object loops forever, libgit2#7342; lying sizes overread, libgit2#7177), and nothing stops a
// corrupt pack from reaching its inflater either. install_object_guard() gives a repository an
// object database whose loose and pack backends check every object before libgit2 parses it, so
// that every libgit2 call on that repository (git_revparse_single, commit and tree lookups,
// history walks, blob reads) is guarded, not only the calls that remember to check.
//   loose: the whole zlib stream inflates to the size its header declares (check_loose_object);
//   packed: the pack and its index agree (object count, trailer checksum, sorted ids, offsets
//     inside the pack), and the entry plus every delta base it needs has the CRC-32 its index
//     recorded and inflates, within its own bytes, to the size its header declares.
// The guard also reads: loose objects and pack entries are inflated once, checked as they are,
// and deltas whose bases lie in the same pack are applied here (apply_git_delta), for libgit2
// (its backend read) and for read_object_direct alike.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

struct git_repository;
struct git_odb;
struct git_oid;

namespace cc {

// Replaces the repository's object database by a guarded one over "<commondir>/objects/" (and
// the object directories listed in objects/info/alternates, one level deep). Returns "" or what
// is wrong with the repository's packs, for an error message.
std::string install_object_guard(git_repository* repo);

// What read_object_direct did.
struct DirectRead {
  enum State {
    read,       // `out` holds the whole object, checked as it was inflated
    too_large,  // its declared size passes the cap: nothing read (type and size are set)
    elsewhere,  // a delta on a base outside its pack, or no guarded backend holds it: libgit2's
    corrupt,    // `error` says what is wrong
  } state = elsewhere;
  int type = 0;  // git_object_t
  std::uint64_t size = 0;
  std::string error;
};

// Reads `id` from a guarded object database (install_object_guard) straight into `out`, inflated
// once: a loose object, or a pack entry (deltas resolved when their bases are in its pack).
// git_odb_read would hand it in its own buffer for the caller to copy. Uses no libgit2 object,
// only the guard's locked state: callers on several threads need no lock of their own.
DirectRead read_object_direct(git_odb* odb, const git_oid* id, std::uint64_t cap, std::string& out);

// git's delta format applied to `base` into `out` (the result's size is in the delta's header;
// one beyond `cap` is not built: `out` stays empty). Every copy and insert is bounds-checked, as
// a crafted pack may hold anything. Returns "" or what is wrong with the delta.
std::string apply_git_delta(std::string_view base, std::string_view delta, std::string& out,
                            std::uint64_t cap = std::numeric_limits<std::uint64_t>::max(),
                            std::uint64_t* result_size = nullptr);

}  // namespace cc

