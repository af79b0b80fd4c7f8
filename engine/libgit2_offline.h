// An audit reads repositories from disk and opens no connection, yet Debian's libgit2 1.5 sets
// up its network transports in git_libgit2_init(): mbedTLS parses every certificate of the CA
// bundle and libssh2 initialises OpenSSL, about 6 ms of every `check` (a fifteenth of a typical
// audit). libgit2_offline.cpp defines the three functions that do this work; the executable's
// definitions come first in the dynamic linker's lookup, and each hands the call to the real one
// (dlsym RTLD_NEXT) unless the process declared itself offline. The batch fetches over HTTPS and
// SSH and never declares it: its certificates and SSH library are libgit2's as before.
#pragma once

namespace cc {

// From now on libgit2's set-up loads no certificate and leaves libssh2 alone: a TLS or SSH
// connection would then fail. For commands that never connect (check, facts), before the
// first ensure_libgit2(). `false` undoes it (tests).
void set_libgit2_offline(bool offline = true);

// True when the definitions are the ones the process uses (a test checks it). Referenced by
// ensure_libgit2() so that they are linked wherever libgit2 is (an archive member nothing names
// would be left out).
bool libgit2_offline_in_effect();

}  // namespace cc
