#pragma once
// Per-slice pixel embeddings of a slice set, stored as L2-normalised fp16 vectors (channel-major
// D x H x W per slice) plus fp32 per-pixel norms, in memory or memory-mapped from a cache file.
// Torch-free: the studio and the CLI use it; extraction lives in embedding_extractor.h.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace p2r {

/// Version of the embedding cache file format written by this build (part of every cache key).
constexpr int kEmbeddingCacheVersion = 1;

/// What a cache must match to be served: the model that made it and the data it embeds.
struct EmbeddingKey {
  uint64_t checkpoint_hash = 0;  ///< hash of the run's checkpoint.pt and config.json contents
  uint64_t data_hash = 0;        ///< hash of the slice images (and their size)
  int slices = 0, dim = 0, height = 0, width = 0;
  bool operator==(const EmbeddingKey& o) const;
  /// "checkpoint 0123.. data 4567.. 1902 x 64 x 128 x 128".
  std::string describe() const;
};

/// One pixel of one slice.
struct PixelRef {
  int slice = 0, x = 0, y = 0;
};

/// Read-only embeddings of N slices. Cheap to copy (shared storage); all const methods are
/// thread-safe. Stored values: unit(e) as fp16 [D, H*W] per slice and |e| as fp32 [H*W].
class EmbeddingStore {
 public:
  EmbeddingStore();
  /// In-memory store from raw float embeddings [n, d, h, w] (row-major); throws p2r::Error for
  /// non-positive sizes. key.checkpoint_hash/data_hash are kept as given (0 for tests).
  static EmbeddingStore from_floats(const float* data, int n, int d, int h, int w, const EmbeddingKey& key = {});
  /// Maps the cache file at path. Throws p2r::Error naming the path when it is missing, of another
  /// format or version, truncated, or (when expected is not null) made for another checkpoint,
  /// other data or other sizes. verify_checksum also re-hashes the whole payload.
  static EmbeddingStore open(const std::string& path, const EmbeddingKey* expected = nullptr,
                             bool verify_checksum = false);

  bool empty() const { return slice_count() == 0; }
  int slice_count() const;
  int dim() const;
  int height() const;
  int width() const;
  int64_t pixels_per_slice() const { return int64_t(height()) * width(); }
  const EmbeddingKey& key() const;
  /// Cache file backing the store ("" when in memory).
  const std::string& path() const;

  /// Unit vectors of slice s as fp16 bits [D, H*W] (channel-major). No bounds check.
  const uint16_t* unit_half(int s) const;
  /// L2 norms of slice s's raw embeddings [H*W]. No bounds check.
  const float* norms(int s) const;
  /// The D-vector of a pixel as float into out[D]; unit=false multiplies by the pixel's norm (raw
  /// embedding). Throws p2r::Error when the pixel or slice is out of range.
  void pixel(const PixelRef& p, float* out, bool unit = true) const;
  /// Raw float embeddings of slice s into out[D * H * W] (channel-major).
  void slice_floats(int s, float* out) const;
  /// Throws p2r::Error with a user-facing message when p is outside the store.
  void check_pixel(const PixelRef& p) const;
  /// Throws p2r::Error when s is not a slice index of the store.
  void check_slice(int s) const;

  struct Impl;

 private:
  explicit EmbeddingStore(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> m_impl;
  friend class EmbeddingStoreWriter;
};

/// Writes a store slice by slice (in order), to memory or streamed to a cache file that becomes
/// visible (renamed into place) only when finish() succeeds. Not thread-safe.
class EmbeddingStoreWriter {
 public:
  /// path "" keeps the store in memory; otherwise writes path's temporary sibling.
  EmbeddingStoreWriter(const std::string& path, const EmbeddingKey& key);
  ~EmbeddingStoreWriter();  ///< removes the temporary file when finish() was not reached
  /// Appends the next slice from raw float embeddings [D, H, W]; throws p2r::Error on I/O errors.
  void add_slice(const float* dhw);
  /// Number of slices added so far.
  int slices_added() const { return m_added; }
  /// Completes the file (header checksum, rename) and returns the mapped/in-memory store.
  /// Throws p2r::Error when fewer slices than key.slices were added.
  EmbeddingStore finish();

 private:
  std::string m_path, m_tmp;
  EmbeddingKey m_key;
  int m_added = 0;
  uint64_t m_checksum = 0;
  void* m_file = nullptr;  // FILE*
  std::vector<uint8_t> m_memory, m_record;
};

}  // namespace p2r
