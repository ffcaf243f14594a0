#pragma once
// IEEE 754 binary16 ("half") <-> float conversion on plain uint16_t storage (no compiler extensions).
#include <cstdint>
#include <cstring>

namespace p2r {

/// Rounds f to the nearest half (ties to even); overflow gives +-inf, NaN stays NaN.
inline uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  x &= 0x7fffffffu;
  if (x >= 0x7f800000u) return uint16_t(sign | 0x7c00u | (x > 0x7f800000u ? 0x200u : 0u));  // inf / NaN
  if (x >= 0x477ff000u) return uint16_t(sign | 0x7c00u);                                      // overflow
  if (x < 0x38800000u) {  // subnormal half (or zero): add a magic number so the FPU rounds for us
    float v;
    std::memcpy(&v, &x, 4);
    v += 0.5f;
    uint32_t y;
    std::memcpy(&y, &v, 4);
    return uint16_t(sign | (y - 0x3f000000u));
  }
  const uint32_t mant_odd = (x >> 13) & 1u;
  x += 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round to nearest even
  return uint16_t(sign | (x >> 13));
}

/// Exact value of the half h as a float.
inline float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t bits = uint32_t(h & 0x7fffu) << 13;
  const uint32_t exp = bits & 0x0f800000u;
  bits += (127u - 15u) << 23;
  float f;
  if (exp == 0x0f800000u) {
    bits += (128u - 16u) << 23;  // inf / NaN
    std::memcpy(&f, &bits, 4);
  } else if (exp == 0) {
    bits += 1u << 23;  // zero / subnormal: renormalise
    std::memcpy(&f, &bits, 4);
    f -= 6.103515625e-05f;  // 2^-14
  } else {
    std::memcpy(&f, &bits, 4);
  }
  uint32_t out;
  std::memcpy(&out, &f, 4);
  out |= sign;
  std::memcpy(&f, &out, 4);
  return f;
}

}  // namespace p2r
