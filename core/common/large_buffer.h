#pragma once
// A zero-initialised array of gigabytes, asked to be backed by transparent huge pages where the
// kernel offers them (Linux, THP "madvise" or "always"), so that random reads across it miss the
// TLB far less often. Plain aligned memory elsewhere.
#include <cstddef>
#include <cstdlib>
#include <memory>

namespace p2r {

/// Zeroed memory of bytes (rounded up to 2 MiB), huge-page advised; throws std::bad_alloc.
void* allocate_large(size_t bytes);

/// A fixed-size, zero-initialised array of trivially copyable T in large-buffer memory. Move-only.
template <class T>
class LargeBuffer {
 public:
  LargeBuffer() = default;
  /// count zero elements.
  explicit LargeBuffer(size_t count) : m_data(static_cast<T*>(allocate_large(count * sizeof(T)))), m_size(count) {}
  T* data() { return m_data.get(); }
  const T* data() const { return m_data.get(); }
  size_t size() const { return m_size; }
  T& operator[](size_t i) { return m_data.get()[i]; }
  const T& operator[](size_t i) const { return m_data.get()[i]; }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> m_data;
  size_t m_size = 0;
};

}  // namespace p2r
