#include "engine/libgit2_offline.h"

#include <dlfcn.h>

#include <atomic>

namespace {

std::atomic<bool> g_offline{false};

// The real definition (the next one after the executable's), looked up once.
template <class F>
F next_definition(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

constexpr int kNoCertificates = -0x2900;  // MBEDTLS_ERR_X509_FILE_IO_ERROR

}  // namespace

// The signatures are mbedTLS 2.28's and libssh2 1.10's (Debian 12).
extern "C" {

int mbedtls_x509_crt_parse_file(void* chain, const char* path) {
  using F = int (*)(void*, const char*);
  static const F real = next_definition<F>("mbedtls_x509_crt_parse_file");
  // Offline, libgit2 runs without a certificate store, as on a machine without ca-certificates.
  if (g_offline.load(std::memory_order_relaxed) || !real) return kNoCertificates;
  return real(chain, path);
}

int mbedtls_x509_crt_parse_path(void* chain, const char* path) {
  using F = int (*)(void*, const char*);
  static const F real = next_definition<F>("mbedtls_x509_crt_parse_path");
  if (g_offline.load(std::memory_order_relaxed) || !real) return kNoCertificates;
  return real(chain, path);
}

// Offline, libssh2's crypto backend (OpenSSL) is not initialised for SSH transports nobody opens;
// libssh2_exit() on a library never initialised returns at once.
int libssh2_init(int flags) {
  using F = int (*)(int);
  static const F real = next_definition<F>("libssh2_init");
  if (g_offline.load(std::memory_order_relaxed)) return 0;
  return real ? real(flags) : -1;
}

}  // extern "C"

namespace cc {

void set_libgit2_offline(bool offline) { g_offline.store(offline); }

bool libgit2_offline_in_effect() {
  return dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_parse_file") ==
             reinterpret_cast<void*>(&mbedtls_x509_crt_parse_file) &&
         dlsym(RTLD_DEFAULT, "libssh2_init") == reinterpret_cast<void*>(&libssh2_init);
}

}  // namespace cc
