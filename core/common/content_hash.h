#pragma once
// Fast non-cryptographic 64-bit content hashes: keys of caches (checkpoint files, slice data).
#include <cstddef>
#include <cstdint>
#include <string>

namespace p2r {

/// 64-bit hash of n bytes at data, chained from seed (same bytes and seed -> same value on every
/// platform of the same endianness). About 5 GB/s; not cryptographic.
uint64_t hash_bytes(const void* data, size_t n, uint64_t seed = 0);

/// hash_bytes of the whole content of the file at path, streamed; throws p2r::Error naming the
/// path when it cannot be read.
uint64_t hash_file(const std::string& path, uint64_t seed = 0);

/// 16 lower-case hex digits of h.
std::string hash_hex(uint64_t h);

}  // namespace p2r
