#include "engine/libgit2_offline.h"

#include <dlfcn.h>

// The signatures are mbedTLS 2.28's and libssh2 1.10's (Debian 12); only the names must match
// for the lookup, and the arguments are not read.
extern "C" {

// MBEDTLS_ERR_X509_FILE_IO_ERROR: libgit2 then runs without a certificate store, as it does on
// a machine without ca-certificates.
int mbedtls_x509_crt_parse_file(void* /*chain*/, const char* /*path*/) { return -0x2900; }
int mbedtls_x509_crt_parse_path(void* /*chain*/, const char* /*path*/) { return -0x2900; }

// libssh2 would initialise its crypto backend (OpenSSL) for SSH transports claimcheck never
// opens; libssh2_exit() on a library never initialised returns at once.
int libssh2_init(int /*flags*/) { return 0; }

}  // extern "C"

namespace cc {

bool libgit2_offline_in_effect() {
  return dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_parse_file") ==
             reinterpret_cast<void*>(&mbedtls_x509_crt_parse_file) &&
         dlsym(RTLD_DEFAULT, "libssh2_init") == reinterpret_cast<void*>(&libssh2_init);
}

}  // namespace cc
