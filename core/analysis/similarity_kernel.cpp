#include "core/analysis/similarity_kernel.h"

#include <algorithm>

#include "core/analysis/half_float.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define P2R_X86_DISPATCH 1
#endif

namespace p2r {
namespace {

constexpr int64_t kBlock = 1024;  // pixels per accumulator block (4 KB of floats: stays in L1)

void dot_portable(const uint16_t* columns, int64_t stride, int d, const float* query, int64_t p0, int64_t p1,
                  float* out) {
  for (int64_t b0 = p0; b0 < p1; b0 += kBlock) {
    const int64_t n = std::min(kBlock, p1 - b0);
    float* acc = out + (b0 - p0);
    std::fill(acc, acc + n, 0.f);
    for (int c = 0; c < d; ++c) {
      const uint16_t* col = columns + c * stride + b0;
      const float q = query[c];
      for (int64_t i = 0; i < n; ++i) acc[i] += q * half_to_float(col[i]);
    }
  }
}

#ifdef P2R_X86_DISPATCH
__attribute__((target("avx2,fma,f16c"))) void dot_avx2(const uint16_t* columns, int64_t stride, int d,
                                                         const float* query, int64_t p0, int64_t p1, float* out) {
  for (int64_t b0 = p0; b0 < p1; b0 += kBlock) {
    const int64_t n = std::min(kBlock, p1 - b0);
    const int64_t n8 = n / 8 * 8;
    float* acc = out + (b0 - p0);
    std::fill(acc, acc + n, 0.f);
    int c = 0;
    for (; c + 1 < d; c += 2) {  // two channels per pass halves the accumulator traffic
      const uint16_t* col0 = columns + c * stride + b0;
      const uint16_t* col1 = col0 + stride;
      const __m256 q0 = _mm256_set1_ps(query[c]), q1 = _mm256_set1_ps(query[c + 1]);
      for (int64_t i = 0; i < n8; i += 8) {
        const __m256 e0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col0 + i)));
        const __m256 e1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col1 + i)));
        __m256 a = _mm256_loadu_ps(acc + i);
        a = _mm256_fmadd_ps(q0, e0, a);
        a = _mm256_fmadd_ps(q1, e1, a);
        _mm256_storeu_ps(acc + i, a);
      }
      for (int64_t i = n8; i < n; ++i) acc[i] += query[c] * half_to_float(col0[i]) + query[c + 1] * half_to_float(col1[i]);
    }
    for (; c < d; ++c) {
      const uint16_t* col = columns + c * stride + b0;
      const __m256 q = _mm256_set1_ps(query[c]);
      for (int64_t i = 0; i < n8; i += 8) {
        const __m256 e = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col + i)));
        _mm256_storeu_ps(acc + i, _mm256_fmadd_ps(q, e, _mm256_loadu_ps(acc + i)));
      }
      for (int64_t i = n8; i < n; ++i) acc[i] += query[c] * half_to_float(col[i]);
    }
  }
}

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                          __builtin_cpu_supports("f16c");
  return has;
}
#endif

}  // namespace

bool half_kernel_is_vectorised() {
#ifdef P2R_X86_DISPATCH
  return cpu_has_avx2();
#else
  return false;
#endif
}

void dot_half_columns(const uint16_t* columns, int64_t stride, int d, const float* query, int64_t p0, int64_t p1,
                      float* out) {
#ifdef P2R_X86_DISPATCH
  if (cpu_has_avx2()) return dot_avx2(columns, stride, d, query, p0, p1, out);
#endif
  dot_portable(columns, stride, d, query, p0, p1, out);
}

}  // namespace p2r
