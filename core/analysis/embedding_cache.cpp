#include "core/analysis/embedding_cache.h"

#include <chrono>
#include <filesystem>

#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/common/user_cache.h"
#include "core/data/slice_content_hash.h"
#include "core/model/run_folder.h"

namespace fs = std::filesystem;

namespace p2r {

EmbeddingKey embedding_key(const std::string& run_dir, const SliceSet& data) {
  P2R_CHECK(fs::is_regular_file(checkpoint_path(run_dir)) && fs::is_regular_file(config_path(run_dir)),
            run_dir << ": not a pretraining run folder (needs checkpoint.pt and config.json)");
  EmbeddingKey key;
  key.checkpoint_hash = hash_file(checkpoint_path(run_dir), hash_file(config_path(run_dir)));
  key.data_hash = slice_content_hash(data);
  key.slices = data.slice_count();
  key.dim = backbone_feature_dim(run_dir);
  key.height = key.width = data.size;
  return key;
}

uint64_t embedding_bytes(const EmbeddingKey& key) {
  return uint64_t(key.slices) * uint64_t(key.height) * uint64_t(key.width) * (2 * uint64_t(key.dim) + 4);
}

std::string embedding_entry_name(const EmbeddingKey& key) {
  return hash_hex(key.checkpoint_hash) + "-" + hash_hex(key.data_hash) + "-" + std::to_string(key.slices) + "x" +
         std::to_string(key.dim) + "x" + std::to_string(key.height) + "x" + std::to_string(key.width);
}

EmbedResult open_or_build_embeddings(const EmbedRequest& request, const SliceSet& data, ProgressSink& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const EmbeddingKey key = embedding_key(request.run_dir, data);
  UserCacheEntry shared;
  if (request.cache_path.empty() && request.shared_cache)
    shared = user_cache_entry(kEmbeddingEntries, embedding_entry_name(key), request.notify);
  const std::string cache_path = request.cache_path.empty() ? shared.path : request.cache_path;
  EmbedResult result;
  if (!cache_path.empty() && fs::exists(cache_path)) {
    if (request.rebuild) {
      result.rebuild_reason = "rebuild requested";
    } else {
      try {
        result.store = EmbeddingStore::open(cache_path, &key, request.verify);
        if (!shared.path.empty()) touch_cache_entry(cache_path);
        result.reused = true;
        result.seconds = elapsed();
        return result;
      } catch (const Error& e) {
        result.rebuild_reason = e.message();
      }
    }
  }
  if (const uint64_t bytes = embedding_bytes(key); bytes > kAnnouncedEmbeddingBytes && request.notify)
    request.notify("building embeddings of about " + byte_size_text(bytes) + " (" + std::to_string(key.slices) + " slices x " +
           std::to_string(key.dim) + " features x " + std::to_string(key.height) + " x " + std::to_string(key.width) +
           (cache_path.empty() ? ") in memory" : ") in " + cache_path));
  EmbeddingStoreWriter writer(cache_path, key);
  result.device = extract_backbone_features(
      request.run_dir, data, request.extract, [&](int, const float* features) { writer.add_slice(features); },
      progress);
  result.store = writer.finish();
  if (!shared.path.empty()) trim_user_cache(shared, request.notify);
  result.seconds = elapsed();
  return result;
}

}  // namespace p2r
