#include "core/analysis/embedding_cache.h"

#include <chrono>
#include <filesystem>

#include "core/common/content_hash.h"
#include "core/common/error.h"
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

EmbedResult open_or_build_embeddings(const EmbedRequest& request, const SliceSet& data, ProgressSink& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const EmbeddingKey key = embedding_key(request.run_dir, data);
  EmbedResult result;
  if (!request.cache_path.empty() && fs::exists(request.cache_path)) {
    if (request.rebuild) {
      result.rebuild_reason = "rebuild requested";
    } else {
      try {
        result.store = EmbeddingStore::open(request.cache_path, &key, request.verify);
        result.reused = true;
        result.seconds = elapsed();
        return result;
      } catch (const Error& e) {
        result.rebuild_reason = e.message();
      }
    }
  }
  EmbeddingStoreWriter writer(request.cache_path, key);
  result.device = extract_backbone_features(
      request.run_dir, data, request.extract, [&](int, const float* features) { writer.add_slice(features); },
      progress);
  result.store = writer.finish();
  result.seconds = elapsed();
  return result;
}

}  // namespace p2r
