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
#pragma once

#include <string>

struct git_repository;

namespace cc {

// Replaces the repository's object database by a guarded one over "<commondir>/objects/" (and
// the object directories listed in objects/info/alternates, one level deep). Returns "" or what
// is wrong with the repository's packs, for an error message.
std::string install_object_guard(git_repository* repo);

}  // namespace cc
