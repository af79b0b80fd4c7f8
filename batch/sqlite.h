// A thin RAII layer over the SQLite C API: a connection, prepared statements, transactions.
// Errors become SqlError with SQLite's message and the statement concerned.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace cc {

struct SqlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Bind by 1-based position; chainable.
  Stmt& bind(int i, const std::string& v);
  Stmt& bind(int i, long long v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<long long>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind_null(int i);
  Stmt& bind_opt(int i, const std::optional<long long>& v) { return v ? bind(i, *v) : bind_null(i); }
  // One step: true while a row is there.
  bool step();
  void run() { while (step()) {} }
  void reset();

  std::string text(int col) const;
  long long integer(int col) const;
  double real(int col) const;
  bool null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  std::string sql_;
};

class Db {
 public:
  explicit Db(const std::string& path, bool create = true);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  sqlite3* get() const { return db_; }
  void exec(const std::string& sql);
  long long last_id() const;

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when left by an exception.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace cc
