#include "batch/sqlite.h"

#include <dlfcn.h>

namespace cc {

// SQLite is loaded when the batch first opens its database (dlopen), not linked: an audit never
// uses it, and loading a shared library is paid at every process start, before any work (about
// 1.5 ms of a small audit's 40). sqlite3.h still gives the types and the functions' signatures.
namespace {

#define CC_SQLITE_API(X) \
  X(sqlite3_bind_double) X(sqlite3_bind_int64) X(sqlite3_bind_null) X(sqlite3_bind_text) \
  X(sqlite3_busy_timeout) X(sqlite3_clear_bindings) X(sqlite3_close) X(sqlite3_column_bytes) \
  X(sqlite3_column_double) X(sqlite3_column_int64) X(sqlite3_column_text) \
  X(sqlite3_column_type) X(sqlite3_errmsg) X(sqlite3_exec) X(sqlite3_finalize) X(sqlite3_free) \
  X(sqlite3_last_insert_rowid) X(sqlite3_open_v2) X(sqlite3_prepare_v2) X(sqlite3_reset) \
  X(sqlite3_step)

struct SqliteApi {
#define CC_SQLITE_MEMBER(f) decltype(&::f) f = nullptr;
  CC_SQLITE_API(CC_SQLITE_MEMBER)
#undef CC_SQLITE_MEMBER
  std::string error;  // why it could not be loaded ("" when loaded)
};

const SqliteApi& load_sqlite() {
  static const SqliteApi api = [] {
    SqliteApi a;
    void* lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* e = dlerror();
      a.error = std::string("cannot load SQLite (libsqlite3.so.0, Debian package libsqlite3-0): ") +
                (e ? e : "not found");
      return a;
    }
#define CC_SQLITE_RESOLVE(f)                                                        \
  if (a.error.empty() && !(a.f = reinterpret_cast<decltype(a.f)>(dlsym(lib, #f)))) \
    a.error = "libsqlite3.so.0 has no " #f;
    CC_SQLITE_API(CC_SQLITE_RESOLVE)
#undef CC_SQLITE_RESOLVE
    return a;  // the library stays loaded for the process
  }();
  return api;
}

// The loaded API; the first call may throw SqlError (Db's constructor is the first caller).
const SqliteApi& lib() {
  const SqliteApi& a = load_sqlite();
  if (!a.error.empty()) throw SqlError(a.error);
  return a;
}

}  // namespace

Stmt::Stmt(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
  if (lib().sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st_, nullptr) != SQLITE_OK)
    throw SqlError(std::string(lib().sqlite3_errmsg(db)) + " in: " + sql);
}

// Destructors run after a constructor that loaded the library: they never throw.
Stmt::~Stmt() {
  if (auto f = load_sqlite().sqlite3_finalize) f(st_);
}

Stmt& Stmt::bind(int i, const std::string& v) {
  lib().sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, long long v) {
  lib().sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  lib().sqlite3_bind_double(st_, i, v);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  lib().sqlite3_bind_null(st_, i);
  return *this;
}

bool Stmt::step() {
  int rc = lib().sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw SqlError(std::string(lib().sqlite3_errmsg(db_)) + " in: " + sql_);
}

void Stmt::reset() {
  lib().sqlite3_reset(st_);
  lib().sqlite3_clear_bindings(st_);
}

std::string Stmt::text(int col) const {
  const auto* p = lib().sqlite3_column_text(st_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(lib().sqlite3_column_bytes(st_, col)))
           : std::string();
}
long long Stmt::integer(int col) const { return lib().sqlite3_column_int64(st_, col); }
double Stmt::real(int col) const { return lib().sqlite3_column_double(st_, col); }
bool Stmt::null(int col) const { return lib().sqlite3_column_type(st_, col) == SQLITE_NULL; }

Db::Db(const std::string& path, bool create) {
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (lib().sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? lib().sqlite3_errmsg(db_) : "out of memory";
    lib().sqlite3_close(db_);
    db_ = nullptr;
    throw SqlError("cannot open the database " + path + ": " + msg);
  }
  lib().sqlite3_busy_timeout(db_, 10000);
}

Db::~Db() {
  if (auto f = load_sqlite().sqlite3_close) f(db_);
}

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (lib().sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : lib().sqlite3_errmsg(db_);
    lib().sqlite3_free(err);
    throw SqlError(msg + " in: " + sql.substr(0, 200));
  }
}

long long Db::last_id() const { return lib().sqlite3_last_insert_rowid(db_); }

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (auto f = load_sqlite().sqlite3_exec; !done_ && f) f(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace cc
