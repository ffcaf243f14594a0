#pragma once
// Embeddings of a slice set under a pretraining run, reused from an on-disk cache when it matches
// (same checkpoint, same data, same format) and rebuilt when it does not. The shared cache is the
// user's (common/user_cache.h): one file per content key, whichever tool asks.
#include <cstdint>
#include <string>

#include "core/analysis/embedding_extractor.h"
#include "core/analysis/embedding_store.h"
#include "core/common/progress.h"
#include "core/common/user_cache.h"
#include "core/data/slice_set.h"

namespace p2r {

/// Where and how to get the embeddings.
struct EmbedRequest {
  std::string run_dir;     ///< pretraining run folder (config.json + checkpoint.pt)
  std::string cache_path;  ///< cache file (explicit); "" uses the shared cache or, without it, memory only
  bool shared_cache = false;  ///< with no cache_path: the user's cache entry of the content key
  ExtractOptions extract;
  bool rebuild = false;    ///< ignore a valid cache
  bool verify = false;     ///< re-hash a reused cache's whole content before serving it
  /// Told, before the work, what the user should know: a build over 1 GB and its size, a cache
  /// folder that cannot be written; after it, entries evicted. Called on the calling thread; may be empty.
  CacheNotice notify;
};

/// Builds larger than this many bytes are announced (EmbedRequest::notify) before they start.
constexpr uint64_t kAnnouncedEmbeddingBytes = 1'000'000'000ull;

/// What open_or_build_embeddings did.
struct EmbedResult {
  EmbeddingStore store;
  bool reused = false;         ///< served from a valid cache
  std::string rebuild_reason;  ///< why an existing cache was not used ("" when none existed)
  std::string device;          ///< device the features were computed on ("" when reused)
  double seconds = 0;          ///< wall time of extraction (or of opening the cache)
};

/// Cache key of data embedded by the run in run_dir: hashes of checkpoint.pt and config.json,
/// of the slice images, and the sizes. Throws p2r::Error for a folder that is not a run.
EmbeddingKey embedding_key(const std::string& run_dir, const SliceSet& data);

/// Bytes of the embeddings of key (fp16 features and an fp32 norm per pixel): the size of its
/// cache file, or of the memory it takes without one.
uint64_t embedding_bytes(const EmbeddingKey& key);

/// Name of key's entry in the shared cache, from the checkpoint and data hashes and the sizes:
/// every tool that embeds the same data with the same run names the same file.
std::string embedding_entry_name(const EmbeddingKey& key);

/// The run's backbone embeddings of every slice of data. A cache at request.cache_path with the
/// same key is memory-mapped and returned; any other cache (other checkpoint, other data,
/// truncated, older format) is reported in rebuild_reason and replaced atomically. A shared cache
/// entry is marked used on every open, and after a build the user's cache is trimmed to its cap
/// (least recently used first, never the entry returned); an unwritable cache folder gives a
/// store in memory. Throws p2r::Error for a bad $P2R_CACHE_MAX_GB before any work. Progress and
/// cancellation through progress (p2r::Cancelled leaves any previous cache untouched).
EmbedResult open_or_build_embeddings(const EmbedRequest& request, const SliceSet& data, ProgressSink& progress);

}  // namespace p2r
