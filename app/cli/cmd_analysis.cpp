// Analysis subcommands: embed (build/reuse the embedding cache) and query (similarity maps of one
// query pixel: PNG images, raw float32 maps, best match per slice and top-K as CSV/JSON).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/analysis/similarity_map.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "viz/colormap.h"
#include "viz/png_write.h"

namespace p2r::cli {
namespace {

void write_text(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp);
    f << text;
    P2R_CHECK(f, tmp << ": write failed");
  });
}

void write_floats(const std::string& path, const std::vector<float>& v) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
    P2R_CHECK(f, tmp << ": write failed");
  });
}

// Similarity in [lo, hi] -> viridis; white cross at (mx, my) (the best match).
std::vector<uint8_t> colour_map(const float* map, int w, int h, int mx, int my, float lo, float hi) {
  std::vector<uint8_t> rgb(size_t(w) * h * 3);
  const float scale = hi > lo ? 1.f / (hi - lo) : 0.f;
  for (int i = 0; i < w * h; ++i) {
    const auto c = viz::colormap_rgb(viz::Colormap::Viridis, (map[i] - lo) * scale);
    std::copy(c.begin(), c.end(), &rgb[size_t(i) * 3]);
  }
  for (int d = -3; d <= 3; ++d)
    for (auto [x, y] : {std::pair{mx + d, my}, std::pair{mx, my + d}})
      if (x >= 0 && x < w && y >= 0 && y < h)
        for (int c = 0; c < 3; ++c) rgb[(size_t(y) * w + x) * 3 + c] = 255;
  return rgb;
}

std::vector<uint8_t> grey_image(const float* img, int w, int h) {
  std::vector<uint8_t> g(size_t(w) * h);
  for (int i = 0; i < w * h; ++i) g[i] = uint8_t(std::clamp(img[i], 0.f, 1.f) * 255.f + 0.5f);
  return g;
}

void add_embed(CLI::App& app) {
  auto a = std::make_shared<StoreArgs>();
  CLI::App* cmd = app.add_subcommand("embed", "compute (or reuse) the backbone pixel embeddings of a prepared set "
                                              "under a pretraining run, cached as fp16 on disk");
  add_store_options(cmd, *a);
  cmd->callback([a] {
    SliceSet data;
    const EmbedResult r = open_store(*a, data);
    std::printf("embeddings %s: %d slices x %d features x %d x %d, %s in %.2f s%s\n", r.store.path().c_str(),
                r.store.slice_count(), r.store.dim(), r.store.height(), r.store.width(),
                r.reused ? "reused" : "computed", r.seconds, r.reused ? "" : (" on " + r.device).c_str());
  });
}

struct QueryArgs {
  StoreArgs store;
  std::string pixel, targets, out, range = "auto";
  int slice = -1, topk = 10;
};

void add_query(CLI::App& app) {
  auto a = std::make_shared<QueryArgs>();
  CLI::App* cmd = app.add_subcommand("query", "cosine similarity of one pixel with every pixel of chosen slices: "
                                              "maps (PNG + raw float32), best match per slice, top-K over the set");
  add_store_options(cmd, a->store);
  cmd->add_option("--slice", a->slice, "slice of the query pixel")->required();
  cmd->add_option("--pixel", a->pixel, "query pixel X,Y (column, row)")->required();
  cmd->add_option("--targets", a->targets, "slices to map: e.g. 0,5,9 or 10-20 or all (default: the query slice)");
  cmd->add_option("--topk", a->topk, "best K pixels over the whole set (0: skip)");
  cmd->add_option("--range", a->range, "colour range of the PNG maps: auto (min..max over the maps) or LO,HI");
  cmd->add_option("--out", a->out, "output folder")->required();
  cmd->callback([a] {
    int x = 0, y = 0;
    parse_pixel(a->pixel, x, y);
    float lo = -1.f, hi = 1.f;
    char tail = 0;
    P2R_CHECK(a->range == "auto" || (std::sscanf(a->range.c_str(), "%f,%f%c", &lo, &hi, &tail) == 2 && lo < hi),
              "--range '" << a->range << "' not understood (expected auto or LO,HI with LO < HI, e.g. -1,1)");
    SliceSet data;
    P2R_CHECK(a->topk >= 0, "--topk must be >= 0, got " << a->topk);
    const EmbeddingStore store = open_store(a->store, data).store;
    const PixelRef q{a->slice, x, y};
    store.check_pixel(q);
    const std::vector<int> targets =
        a->targets.empty() ? std::vector<int>{a->slice} : parse_slice_list(a->targets, store.slice_count());
    ensure_directory(a->out);
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<float> qv = query_vector(store, q);
    const auto best = best_match_per_slice(store, qv.data(), targets, a->store.threads);
    const double ms_best = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const int w = store.width(), h = store.height();
    const size_t np = size_t(w) * h;
    std::vector<float> maps(np * targets.size());
    for (size_t i = 0; i < targets.size(); ++i)
      similarity_map(store, qv.data(), targets[i], maps.data() + i * np, a->store.threads);
    if (a->range == "auto") {
      const auto mm = std::minmax_element(maps.begin(), maps.end());
      lo = *mm.first, hi = *mm.second;
    }
    std::string csv = "slice,subject,frame,z,best_x,best_y,score\n";
    nlohmann::json j;
    for (size_t i = 0; i < targets.size(); ++i) {
      const int s = targets[i];
      const std::string stem = a->out + "/slice_" + std::to_string(s);
      write_floats(stem + "_similarity.f32", std::vector<float>(maps.begin() + i * np, maps.begin() + (i + 1) * np));
      const auto& m = best[i].pixel;
      viz::write_png(stem + "_similarity.png", colour_map(maps.data() + i * np, w, h, m.x, m.y, lo, hi).data(), w, h, 3);
      viz::write_png(stem + "_image.png", grey_image(data.image(s), w, h).data(), w, h, 1);
      const auto& vol = data.volume_of(s);
      csv += std::to_string(s) + "," + vol.subject + "," + std::to_string(vol.frame) + "," +
             std::to_string(data.slices[s].z) + "," + std::to_string(m.x) + "," + std::to_string(m.y) + "," +
             std::to_string(best[i].score) + "\n";
      j["best"].push_back({{"slice", s}, {"x", m.x}, {"y", m.y}, {"score", best[i].score}});
    }
    write_text(a->out + "/best_matches.csv", csv);
    if (a->topk > 0) {
      const auto top = top_k_matches(store, qv.data(), a->topk, {}, -1, a->store.threads);
      std::string tcsv = "rank,slice,x,y,score\n";
      for (size_t r = 0; r < top.size(); ++r) {
        tcsv += std::to_string(r + 1) + "," + std::to_string(top[r].pixel.slice) + "," + std::to_string(top[r].pixel.x) +
                "," + std::to_string(top[r].pixel.y) + "," + std::to_string(top[r].score) + "\n";
        j["topk"].push_back(
            {{"slice", top[r].pixel.slice}, {"x", top[r].pixel.x}, {"y", top[r].pixel.y}, {"score", top[r].score}});
      }
      write_text(a->out + "/topk.csv", tcsv);
    }
    j["query"] = {{"slice", q.slice}, {"x", x}, {"y", y}};
    j["checkpoint"] = a->store.checkpoint;
    j["data"] = a->store.data;
    j["embedding_dim"] = store.dim();
    j["png_range"] = {lo, hi};
    j["png_colours"] = "cosine similarity from png_range[0] to png_range[1] mapped linearly onto a viridis ramp; "
                       "best match: white cross; raw maps: *_similarity.f32 (float32, row-major H x W)";
    j["best_match_ms"] = ms_best;
    write_text(a->out + "/query.json", j.dump(2) + "\n");
    std::printf("query slice %d pixel (%d, %d): %zu maps in %s (best matches of %zu slices in %.1f ms)\n", q.slice, x, y,
                targets.size(), a->out.c_str(), targets.size(), ms_best);
  });
}

}  // namespace

void add_analysis_commands(CLI::App& app) {
  add_embed(app);
  add_query(app);
#ifdef PIX2REP_HAS_FAISS
  add_tsne_command(app);
  add_index_commands(app);
#endif
}

}  // namespace p2r::cli
