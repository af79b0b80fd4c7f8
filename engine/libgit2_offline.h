// claimcheck reads repositories from disk and never opens a connection, yet Debian's libgit2 1.5
// sets up its network transports in git_libgit2_init(): mbedTLS parses every certificate of
// /etc/ssl/certs/ca-certificates.crt and libssh2 initialises OpenSSL, about 6 ms of every
// process (a fifteenth of a typical audit). libgit2_offline.cpp defines the three functions that
// do this work; the executable's definitions come first in the dynamic linker's lookup, so
// libgit2 gets "no certificates" and an SSH library it never uses. A TLS or SSH connection made
// through this libgit2 would fail (no trusted certificate): claimcheck makes none.
#pragma once

namespace cc {

// Referenced by ensure_libgit2() so that the definitions are linked wherever libgit2 is used
// (an archive member nothing names would be left out, and libgit2 would do the work again).
// True when they are the ones the process uses (a test checks it).
bool libgit2_offline_in_effect();

}  // namespace cc
