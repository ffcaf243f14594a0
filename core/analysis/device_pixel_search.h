#pragma once
// Exact inner-product search of unit pixel vectors as a Torch matrix product + top-k on a device:
// the nearest-pixel path on CUDA (no FAISS GPU build here); also runs on CPU (tests). Torch-free
// declaration, Torch implementation.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace p2r {

/// Rows [n, d] kept on the device; search answers k best rows per query by inner product.
class DevicePixelSearch {
 public:
  /// Copies rows [n, d] (row-major float32, host) to device ("auto", "cpu", "cuda"); stored as fp16
  /// on CUDA, fp32 on CPU. Throws p2r::Error for an unavailable device or bad sizes.
  DevicePixelSearch(const float* rows, int64_t n, int d, const std::string& device);
  ~DevicePixelSearch();
  /// For each query [nq, d]: k best (score, row) pairs, best first, into scores/rows [nq, k] (host).
  /// Queries go in chunks so the score matrix stays under ~256 MB. Not thread-safe on CUDA streams.
  void search(const float* queries, int64_t nq, int k, std::vector<float>& scores, std::vector<int64_t>& rows) const;
  /// "cpu" or "cuda:0".
  std::string device() const;
  int64_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace p2r
