#include "app/cli/analysis_args.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/slice_cache.h"

namespace fs = std::filesystem;

namespace p2r::cli {

void add_store_options(CLI::App* cmd, StoreArgs& a) {
  cmd->add_option("--checkpoint", a.checkpoint, "pretraining run folder (pix2rep pretrain --out)")->required();
  cmd->add_option("--data", a.data, "prepared file (pix2rep prepare)")->required();
  cmd->add_option("--cache", a.cache, "embedding cache file (default RUN_DIR/embeddings/<data stem>.p2re)");
  cmd->add_flag("--no-cache", a.no_cache, "keep the embeddings in memory only");
  cmd->add_flag("--rebuild", a.rebuild, "recompute the embeddings even when the cache is valid");
  cmd->add_flag("--verify", a.verify, "re-hash a reused cache's whole content before using it");
  cmd->add_option("--device", a.device, "auto | cpu | cuda (embedding extraction)");
  cmd->add_option("--batch", a.batch, "slices per forward pass");
  cmd->add_option("--threads", a.threads, "CPU threads (0: all cores)");
}

EmbedResult open_store(const StoreArgs& a, SliceSet& data) {
  P2R_CHECK(fs::is_regular_file(a.data), a.data << ": prepared file does not exist (make it with pix2rep prepare)");
  data = load_slice_set(a.data);
  EmbedRequest req;
  req.run_dir = a.checkpoint;
  if (!a.no_cache)
    req.cache_path = !a.cache.empty() ? a.cache
                                      : (fs::path(a.checkpoint) / "embeddings" / (fs::path(a.data).stem().string() + ".p2re")).string();
  req.extract.device = a.device;
  req.extract.batch = a.batch;
  req.extract.threads = a.threads;
  req.rebuild = a.rebuild;
  req.verify = a.verify;
  TerminalProgress bar(a.progress);
  EmbedResult r = open_or_build_embeddings(req, data, bar);
  if (!r.rebuild_reason.empty()) std::fprintf(stderr, "embedding cache rebuilt: %s\n", r.rebuild_reason.c_str());
  if (r.reused)
    std::fprintf(stderr, "embeddings: cache %s (%d slices x %d features)\n", req.cache_path.c_str(), r.store.slice_count(),
                 r.store.dim());
  else
    std::fprintf(stderr, "embeddings: %d slices x %d features computed on %s in %.1f s (%.1f slices/s)%s%s\n",
                 r.store.slice_count(), r.store.dim(), r.device.c_str(), r.seconds, r.store.slice_count() / r.seconds,
                 req.cache_path.empty() ? "" : ", cached in ", req.cache_path.c_str());
  return r;
}

std::vector<int> parse_slice_list(const std::string& text, int count) {
  std::vector<int> out;
  if (text == "all") {
    for (int s = 0; s < count; ++s) out.push_back(s);
    return out;
  }
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    try {
      const auto dash = item.find('-', 1);
      const int lo = std::stoi(item.substr(0, dash));
      const int hi = dash == std::string::npos ? lo : std::stoi(item.substr(dash + 1));
      P2R_CHECK(hi >= lo, "");
      for (int s = lo; s <= hi; ++s) out.push_back(s);
    } catch (const std::exception&) {
      P2R_FAIL("slice list '" << text << "' not understood (expected e.g. 0,5,9 or 10-20 or all)");
    }
  }
  P2R_CHECK(!out.empty(), "slice list '" << text << "' is empty");
  for (int s : out)
    P2R_CHECK(s >= 0 && s < count, "slice " << s << " is out of range: the data has slices 0.." << count - 1);
  return out;
}

void parse_pixel(const std::string& text, int& x, int& y) {
  char tail = 0;
  P2R_CHECK(std::sscanf(text.c_str(), "%d,%d%c", &x, &y, &tail) == 2,
            "pixel '" << text << "' not understood (expected X,Y, e.g. 64,70)");
}

void ramp_colour(float t, uint8_t rgb[3]) {
  // Viridis sampled at 9 points, linearly interpolated.
  static const float k[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},   {44, 113, 142}, {33, 144, 141},
                                {39, 173, 129}, {92, 200, 99},  {170, 220, 50},  {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.f, 0.f, 1.f) * 8.f;
  const int i = std::min(7, int(t));
  const float f = t - float(i);
  for (int c = 0; c < 3; ++c) rgb[c] = uint8_t(k[i][c] + (k[i + 1][c] - k[i][c]) * f + 0.5f);
}

}  // namespace p2r::cli
