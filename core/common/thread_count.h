#pragma once
// How many threads a "threads" setting means: the number given, or every core for 0 or less.
#include <algorithm>
#include <thread>

namespace p2r {

/// requested when positive, else the machine's hardware threads (at least 1).
inline int thread_count(int requested) {
  return requested > 0 ? requested : int(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace p2r
