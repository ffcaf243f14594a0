#include "core/common/large_buffer.h"

#include <algorithm>
#include <cstring>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace p2r {

void* allocate_large(size_t bytes) {
  constexpr size_t kHugePage = size_t(2) << 20;
  const size_t rounded = std::max<size_t>(kHugePage, (bytes + kHugePage - 1) / kHugePage * kHugePage);
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
#ifdef __linux__
  ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP the pages stay 4 KB
#endif
  std::memset(p, 0, rounded);
  return p;
}

}  // namespace p2r
