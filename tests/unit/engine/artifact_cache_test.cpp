// ArtifactCache: one make per key while kept, the budget, and declared reads (the spent go first,
// the undeclared are never dropped for another, the waiting list).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/artifact_cache.h"

namespace cc {
namespace {

using Use = ArtifactCache::Use;

// Gets `path` (an artifact of `bytes`) and counts the makes in `makes`.
std::shared_ptr<const std::string> get(ArtifactCache& c, const std::string& path, int& makes,
                                       Use use = Use::undeclared, std::size_t bytes = 10) {
  return c.get<std::string>("k", path, [&] {
    ++makes;
    return std::make_pair(std::make_shared<const std::string>(path), bytes);
  }, use);
}

TEST_CASE("artifact cache: made once while kept; over the budget handed over and not kept") {
  ArtifactCache c;
  c.set_budget(25);
  int makes = 0;
  auto a1 = get(c, "a", makes), a2 = get(c, "a", makes);
  CHECK(a1.get() == a2.get());
  get(c, "b", makes);
  CHECK(makes == 2);
  CHECK(c.bytes() == 20);
  get(c, "c", makes);  // 30 > 25: not kept, and nothing undeclared is dropped for it
  get(c, "c", makes);
  get(c, "a", makes);
  CHECK(makes == 4);
  CHECK(c.made("k") == 4);
  CHECK(c.bytes() == 20);
}

TEST_CASE("artifact cache: an artifact whose declared reads are all made goes first") {
  ArtifactCache c;
  c.set_budget(30);
  int makes = 0;
  c.expect("k", "shared");  // two probes read it
  c.expect("k", "shared");
  for (const char* p : {"one", "two", "three", "four"}) c.expect("k", p);  // one probe each
  get(c, "one", makes, Use::declared);     // spent at once
  get(c, "shared", makes, Use::declared);  // waits for its second reader
  get(c, "two", makes, Use::declared);
  CHECK(c.bytes() == 30);
  get(c, "three", makes, Use::declared);  // drops "one", the oldest spent
  get(c, "four", makes, Use::declared);   // drops "two"
  CHECK(makes == 5);
  CHECK(c.bytes() == 30);
  get(c, "shared", makes, Use::declared);  // still there for its second reader
  CHECK(makes == 5);
  get(c, "one", makes);  // dropped: made again
  CHECK(makes == 6);
}

TEST_CASE("artifact cache: an undeclared artifact is never dropped for another") {
  ArtifactCache c;
  c.set_budget(20);
  int makes = 0;
  get(c, "kept", makes);  // undeclared: stays
  c.expect("k", "x");
  c.expect("k", "y");
  c.expect("k", "y");
  get(c, "x", makes, Use::declared);  // spent
  get(c, "y", makes, Use::declared);  // drops x; one more read of it to come
  get(c, "z", makes);                 // undeclared, no room and nothing spent: not kept
  CHECK(c.bytes() == 20);
  get(c, "kept", makes);
  get(c, "y", makes);
  CHECK(makes == 4);
}

TEST_CASE("artifact cache: a declared artifact not kept counts its reads on; one made again after it was dropped stays") {
  ArtifactCache c;
  c.set_budget(10);
  int makes = 0;
  c.expect("k", "big");
  c.expect("k", "big");
  c.expect("k", "small");
  get(c, "big", makes, Use::declared, 50);  // over the budget: not kept, one read counted
  CHECK(c.bytes() == 0);
  CHECK(c.waiting_since("k", 0).empty());  // not kept: nothing waits in the cache
  get(c, "small", makes, Use::declared);    // spent
  get(c, "big", makes, Use::declared, 50);  // drops the spent "small", still does not fit
  CHECK(makes == 3);
  CHECK(c.bytes() == 0);
  get(c, "big", makes, Use::declared, 5);  // a read beyond the declared ones: an undeclared one
  CHECK(c.bytes() == 5);
  // "small" made again by an undeclared read: no longer declared, never dropped for another.
  get(c, "small", makes, Use::undeclared, 5);
  CHECK(c.bytes() == 10);
  get(c, "other", makes);  // no room, nothing spent: not kept
  get(c, "small", makes);
  CHECK(makes == 6);
}

TEST_CASE("artifact cache: the waiting list names what was made while declared reads were still to come") {
  ArtifactCache c;
  int makes = 0;
  c.expect("k", "a");
  c.expect("k", "a");
  c.expect("k", "b");
  get(c, "b", makes, Use::declared);  // its only reader: not waiting
  get(c, "a", makes, Use::declared);  // one more reader to come
  get(c, "c", makes);                 // undeclared
  CHECK(c.waiting_since("k", 0) == std::vector<std::string>{"a"});
  CHECK(c.waiting_since("k", 1).empty());
  CHECK(c.waiting_since("other", 0).empty());
  c.clear();
  CHECK(c.waiting_since("k", 0).empty());
}

TEST_CASE("artifact cache: concurrent declared readers of many keys share each make") {
  ArtifactCache c;
  c.set_budget(200);  // room for 20 of the 100
  std::vector<std::string> paths;
  for (int i = 0; i < 100; ++i) paths.push_back("p" + std::to_string(i));
  for (const auto& p : paths) {
    c.expect("k", p);
    c.expect("k", p);
  }
  std::vector<int> makes(2, 0);
  std::vector<std::thread> ts;
  for (int t = 0; t < 2; ++t)
    ts.emplace_back([&, t] {
      for (const auto& p : paths) CHECK(*get(c, p, makes[std::size_t(t)], Use::declared) == p);
    });
  for (auto& t : ts) t.join();
  CHECK(makes[0] + makes[1] >= 100);
  CHECK(c.bytes() <= 200);
}

}  // namespace
}  // namespace cc
