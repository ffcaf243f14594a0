#include "core/analysis/match_index_kernel.h"

#include <algorithm>

#include "core/analysis/half_float.h"
#include "core/analysis/similarity_kernel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define P2R_X86_DISPATCH 1
#endif

namespace p2r {
namespace {

void candidates_portable(const int8_t* codes, int64_t begin, int64_t n, const int16_t* weights, int32_t threshold,
                         std::vector<int32_t>& ids, std::vector<int32_t>& scores) {
  for (int64_t i = begin; i < n; ++i) {
    const int32_t s = coarse_score(codes + i * kCoarseCodeBytes, weights);
    if (s >= threshold) ids.push_back(int32_t(i)), scores.push_back(s);
  }
}

void fine_portable(const uint16_t* rows, const int32_t* ids, int64_t n, const float* query, float* out) {
  for (int64_t j = 0; j < n; ++j) {
    const uint16_t* row = rows + int64_t(ids[j]) * kFineRowWidth;
    float s = 0;
    for (int k = 0; k < kFineRowWidth; ++k) s += query[k] * half_to_float(row[k]);
    out[j] = s;
  }
}

#ifdef P2R_X86_DISPATCH
// Eight pixels per pass: the codes widened to int16, madd with the weights (four int32 partial
// sums a pixel), two rounds of hadd, and a 64-bit permute that puts pixel i + j in lane j; then
// the lanes at or above the threshold are appended.
__attribute__((target("avx2"))) void candidates_avx2(const int8_t* codes, int64_t n, const int16_t* weights,
                                                      int32_t threshold, std::vector<int32_t>& ids,
                                                      std::vector<int32_t>& scores) {
  const __m256i w = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(weights)));
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const __m256i below = _mm256_set1_epi32(threshold - 1);
  alignas(32) int32_t lane[8];
  const int64_t n8 = n / 8 * 8;
  for (int64_t i = 0; i < n8; i += 8) {
    const __m128i* c = reinterpret_cast<const __m128i*>(codes + i * kCoarseCodeBytes);
    const __m256i p01 = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(c)), w);      // pixels i, i+1
    const __m256i p23 = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(c + 1)), w);  // i+2, i+3
    const __m256i p45 = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(c + 2)), w);
    const __m256i p67 = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(c + 3)), w);
    // hadd works per 128-bit half: after two rounds the lanes hold pixels i, i+2, i+4, i+6 | i+1, i+3, i+5, i+7.
    const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(p01, p23), _mm256_hadd_epi32(p45, p67));
    const __m256i v = _mm256_permutevar8x32_epi32(h, order);
    unsigned mask = unsigned(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(v, below))));
    if (!mask) continue;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lane), v);
    for (; mask; mask &= mask - 1) {
      const int j = __builtin_ctz(mask);
      ids.push_back(int32_t(i + j)), scores.push_back(lane[j]);
    }
  }
  candidates_portable(codes, n8, n, weights, threshold, ids, scores);
}

__attribute__((target("avx2,fma,f16c"))) void fine_avx2(const uint16_t* rows, const int32_t* ids, int64_t n,
                                                         const float* query, float* out) {
  const __m256 q0 = _mm256_loadu_ps(query), q1 = _mm256_loadu_ps(query + 8);
  const __m256 q2 = _mm256_loadu_ps(query + 16), q3 = _mm256_loadu_ps(query + 24);
  constexpr int64_t kAhead = 8;  // rows requested ahead: random lines, so keep several misses in flight
  for (int64_t j = 0; j < std::min(n, kAhead); ++j) _mm_prefetch(reinterpret_cast<const char*>(rows + int64_t(ids[j]) * kFineRowWidth), _MM_HINT_T0);
  for (int64_t j = 0; j < n; ++j) {
    if (j + kAhead < n)
      _mm_prefetch(reinterpret_cast<const char*>(rows + int64_t(ids[j + kAhead]) * kFineRowWidth), _MM_HINT_T0);
    const __m128i* row = reinterpret_cast<const __m128i*>(rows + int64_t(ids[j]) * kFineRowWidth);
    __m256 a = _mm256_mul_ps(q0, _mm256_cvtph_ps(_mm_loadu_si128(row)));
    __m256 b = _mm256_mul_ps(q2, _mm256_cvtph_ps(_mm_loadu_si128(row + 2)));
    a = _mm256_fmadd_ps(q1, _mm256_cvtph_ps(_mm_loadu_si128(row + 1)), a);
    b = _mm256_fmadd_ps(q3, _mm256_cvtph_ps(_mm_loadu_si128(row + 3)), b);
    const __m256 s = _mm256_add_ps(a, b);
    __m128 t = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    t = _mm_add_ps(t, _mm_movehl_ps(t, t));
    t = _mm_add_ss(t, _mm_movehdup_ps(t));
    out[j] = _mm_cvtss_f32(t);
  }
}

__attribute__((target("avx2,f16c"))) void halves_to_floats_f16c(const uint16_t* in, int64_t n, float* out) {
  const int64_t n8 = n / 8 * 8;
  for (int64_t i = 0; i < n8; i += 8)
    _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
  for (int64_t i = n8; i < n; ++i) out[i] = half_to_float(in[i]);
}

__attribute__((target("avx2,f16c"))) void floats_to_halves_f16c(const float* in, int64_t n, uint16_t* out) {
  const int64_t n8 = n / 8 * 8;
  for (int64_t i = 0; i < n8; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                     _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  for (int64_t i = n8; i < n; ++i) out[i] = float_to_half(in[i]);
}
#endif

}  // namespace

void coarse_candidates(const int8_t* codes, int64_t n, const int16_t* weights, int32_t threshold,
                       std::vector<int32_t>& ids, std::vector<int32_t>& scores) {
#ifdef P2R_X86_DISPATCH
  if (half_kernel_is_vectorised()) return candidates_avx2(codes, n, weights, threshold, ids, scores);
#endif
  candidates_portable(codes, 0, n, weights, threshold, ids, scores);
}

void fine_scores(const uint16_t* rows, const int32_t* ids, int64_t n, const float* query, float* out) {
#ifdef P2R_X86_DISPATCH
  if (half_kernel_is_vectorised()) return fine_avx2(rows, ids, n, query, out);
#endif
  fine_portable(rows, ids, n, query, out);
}

void halves_to_floats(const uint16_t* in, int64_t n, float* out) {
#ifdef P2R_X86_DISPATCH
  if (half_kernel_is_vectorised()) return halves_to_floats_f16c(in, n, out);
#endif
  for (int64_t i = 0; i < n; ++i) out[i] = half_to_float(in[i]);
}

void floats_to_halves(const float* in, int64_t n, uint16_t* out) {
#ifdef P2R_X86_DISPATCH
  if (half_kernel_is_vectorised()) return floats_to_halves_f16c(in, n, out);
#endif
  for (int64_t i = 0; i < n; ++i) out[i] = float_to_half(in[i]);
}

}  // namespace p2r
