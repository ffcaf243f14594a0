#pragma once
// Inner loop of similarity maps: dot products of one float query with channel-major fp16 columns.
#include <cstdint>

namespace p2r {

/// out[i] = sum_c query[c] * half(columns[c * stride + p0 + i]) for i in [0, p1 - p0). columns are
/// fp16 bits, channel-major [d, stride]. Uses AVX2/F16C/FMA when the CPU has them (checked once at
/// run time), portable code otherwise. Thread-safe; out must not alias columns.
void dot_half_columns(const uint16_t* columns, int64_t stride, int d, const float* query, int64_t p0, int64_t p1,
                      float* out);

/// True when dot_half_columns runs the AVX2/F16C path on this CPU.
bool half_kernel_is_vectorised();

}  // namespace p2r
