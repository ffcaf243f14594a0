#include "core/common/content_hash.h"

#include <cstdio>
#include <cstring>
#include <vector>

#include "core/common/error.h"

namespace p2r {
namespace {

constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;

inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// Four independent lanes of 8 bytes each per 32-byte block, then a tail, then a final mix.
struct Hasher {
  uint64_t lane[4];
  uint64_t total = 0;
  explicit Hasher(uint64_t seed) {
    for (int i = 0; i < 4; ++i) lane[i] = mix(seed + kMul * uint64_t(i + 1));
  }
  void blocks(const unsigned char* p, size_t nblocks) {
    for (size_t b = 0; b < nblocks; ++b, p += 32) {
      for (int i = 0; i < 4; ++i) {
        uint64_t v;
        std::memcpy(&v, p + 8 * i, 8);
        lane[i] = (lane[i] ^ (v * kMul)) * 0x100000001b3ull;
        lane[i] ^= lane[i] >> 29;
      }
    }
  }
  uint64_t finish(const unsigned char* tail, size_t n) {
    unsigned char buf[32] = {0};
    std::memcpy(buf, tail, n);
    blocks(buf, 1);
    uint64_t h = total;
    for (int i = 0; i < 4; ++i) h = mix(h ^ lane[i]) * kMul;
    return mix(h);
  }
};

}  // namespace

uint64_t hash_bytes(const void* data, size_t n, uint64_t seed) {
  Hasher h(seed);
  h.total = n;
  const auto* p = static_cast<const unsigned char*>(data);
  h.blocks(p, n / 32);
  return h.finish(p + (n / 32) * 32, n % 32);
}

uint64_t hash_file(const std::string& path, uint64_t seed) {
  FILE* f = std::fopen(path.c_str(), "rb");
  P2R_CHECK(f, path << ": cannot open for hashing");
  Hasher h(seed);
  std::vector<unsigned char> buf(size_t(1) << 20);
  size_t fill = 0;
  for (;;) {
    const size_t got = std::fread(buf.data() + fill, 1, buf.size() - fill, f);
    fill += got;
    h.total += got;
    const size_t whole = (fill / 32) * 32;
    h.blocks(buf.data(), whole / 32);
    std::memmove(buf.data(), buf.data() + whole, fill - whole);
    fill -= whole;
    if (got == 0) break;
  }
  const bool failed = std::ferror(f);
  std::fclose(f);
  P2R_CHECK(!failed, path << ": read error while hashing");
  return h.finish(buf.data(), fill);
}

std::string hash_hex(uint64_t h) {
  char s[17];
  std::snprintf(s, sizeof s, "%016llx", (unsigned long long)h);
  return s;
}

}  // namespace p2r
