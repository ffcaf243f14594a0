#pragma once
// Inner loops of the coarse-to-fine slice match index (slice_match_index.h): the pixels whose
// 8-byte codes score at least a threshold, float dot products of 32-wide fp16 rows picked by id,
// and bulk fp16 conversion. AVX2 / F16C where the CPU has them (checked once at
// run time), portable code otherwise; integer results are identical on both paths.
#include <cstdint>
#include <vector>

namespace p2r {

/// Bytes of one coarse pixel code (8 quantised principal components).
constexpr int kCoarseCodeBytes = 8;
/// Width of one fine row (32 principal components as fp16: one 64-byte cache line).
constexpr int kFineRowWidth = 32;
/// Largest |weight| of the coarse weights: keeps every pair of code x weight products inside int32.
constexpr int kCoarseWeightMax = 16383;

/// The code score of one pixel: sum_k code[k] * weights[k], exactly.
inline int32_t coarse_score(const int8_t* code, const int16_t* weights) {
  int32_t s = 0;
  for (int k = 0; k < kCoarseCodeBytes; ++k) s += int32_t(code[k]) * weights[k];
  return s;
}

/// Appends to ids (ascending) the pixels i in [0, n) whose coarse_score(codes + 8 i, weights) is at
/// least threshold, and their scores to scores. weights must lie in [-kCoarseWeightMax,
/// kCoarseWeightMax]; integer arithmetic, so both paths give the same result.
void coarse_candidates(const int8_t* codes, int64_t n, const int16_t* weights, int32_t threshold,
                       std::vector<int32_t>& ids, std::vector<int32_t>& scores);

/// out[j] = sum_k query[k] * half(rows[ids[j] * 32 + k]) for j in [0, n): rows are fp16 bits,
/// 32 per row. The AVX2 and portable paths may round differently (order of the sum).
void fine_scores(const uint16_t* rows, const int32_t* ids, int64_t n, const float* query, float* out);

/// out[i] = the float value of the fp16 bits in[i], i in [0, n) (exact on both paths).
void halves_to_floats(const uint16_t* in, int64_t n, float* out);
/// out[i] = in[i] rounded to the nearest fp16 (ties to even, as float_to_half), i in [0, n).
void floats_to_halves(const float* in, int64_t n, uint16_t* out);

}  // namespace p2r
