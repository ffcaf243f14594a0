#pragma once
// Embeddings of a slice set under a pretraining run, reused from an on-disk cache when it matches
// (same checkpoint, same data, same format) and rebuilt when it does not.
#include <string>

#include "core/analysis/embedding_extractor.h"
#include "core/analysis/embedding_store.h"
#include "core/common/progress.h"
#include "core/data/slice_set.h"

namespace p2r {

/// Where and how to get the embeddings.
struct EmbedRequest {
  std::string run_dir;     ///< pretraining run folder (config.json + checkpoint.pt)
  std::string cache_path;  ///< cache file; "" keeps the store in memory only
  ExtractOptions extract;
  bool rebuild = false;    ///< ignore a valid cache
  bool verify = false;     ///< re-hash a reused cache's whole content before serving it
};

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

/// The run's backbone embeddings of every slice of data. A cache at request.cache_path with the
/// same key is memory-mapped and returned; any other cache (other checkpoint, other data,
/// truncated, older format) is reported in rebuild_reason and replaced atomically. Progress and
/// cancellation through progress (p2r::Cancelled leaves any previous cache untouched).
EmbedResult open_or_build_embeddings(const EmbedRequest& request, const SliceSet& data, ProgressSink& progress);

}  // namespace p2r
