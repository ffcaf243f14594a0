// tsne subcommand: t-SNE of sampled pixel embeddings of chosen slices, the 2D reference colour map,
// per-pixel colourings of those slices (t-SNE colours and PCA-to-RGB), coordinates as CSV.
#include <faiss/IndexFlat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/analysis/pca.h"
#include "core/analysis/pixel_sampling.h"
#include "core/analysis/tsne.h"
#include "core/analysis/tsne_colormap.h"
#include "core/analysis/tsne_points.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "viz/png_write.h"

namespace p2r::cli {
namespace {

struct TsneArgs {
  StoreArgs store;
  std::string slices, sampling = "stride:2", out;
  int pca_dim = 0;
  TsneConfig config;
};

std::vector<uint8_t> to_rgb8(const float* rgb, size_t n) {
  std::vector<uint8_t> out(n * 3);
  for (size_t i = 0; i < n * 3; ++i) out[i] = uint8_t(std::clamp(rgb[i], 0.f, 1.f) * 255.f + 0.5f);
  return out;
}

void write_text(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp);
    f << text;
    P2R_CHECK(f, tmp << ": write failed");
  });
}

}  // namespace

void add_tsne_command(CLI::App& app) {
  auto a = std::make_shared<TsneArgs>();
  CLI::App* cmd = app.add_subcommand("tsne", "t-SNE of the pixel embeddings of chosen slices: coordinates, "
                                             "colour map, t-SNE and PCA-RGB colourings of the slices");
  add_store_options(cmd, a->store);
  cmd->add_option("--slices", a->slices, "slices: e.g. 0,5,9 or 10-12")->required();
  cmd->add_option("--sampling", a->sampling, "pixels entering t-SNE: all | stride:S | budget:N");
  cmd->add_option("--pca", a->pca_dim, "reduce the unit embeddings to this many PCA dimensions first (0: no)");
  cmd->add_option("--perplexity", a->config.perplexity, "t-SNE perplexity (3 * perplexity < points)");
  cmd->add_option("--iters", a->config.iterations, "gradient steps");
  cmd->add_option("--seed", a->config.seed, "seed");
  cmd->add_option("--out", a->out, "output folder")->required();
  cmd->callback([a] {
    SliceSet data;
    const EmbeddingStore store = open_store(a->store, data).store;
    const std::vector<int> slices = parse_slice_list(a->slices, store.slice_count());
    const std::vector<int64_t> ids = sample_pixels(store, SamplingPolicy::parse(a->sampling), slices);
    std::vector<float> x = gather_rows(store, ids, /*unit=*/true);  // [n, D]
    int d = store.dim();
    const int64_t n = int64_t(ids.size());
    P2R_CHECK(a->pca_dim >= 0 && a->pca_dim <= d, "--pca must be in [0, " << d << "], got " << a->pca_dim);
    Pca pca;
    if (a->pca_dim > 0 && a->pca_dim < d) {
      pca = fit_pca(x.data(), n, d, a->pca_dim);
      x = pca_project(pca, x.data(), n);
      d = a->pca_dim;
    }
    a->config.threads = a->store.threads;
    a->config.validate(n, d);  // e.g. perplexity too large for the number of points
    ensure_directory(a->out);
    TerminalProgress bar(a->store.progress);
    const TsneResult r = run_tsne(x.data(), n, d, a->config, bar);
    const std::vector<float> colours = embedding_colours(r.coords.data(), n);
    TsnePoints points;
    for (int64_t i = 0; i < n; ++i) points.pixels.push_back(pixel_of_id(store, ids[size_t(i)]));
    points.coords = r.coords;
    points.colours = colours;
    write_tsne_points(a->out + "/tsne_points.csv", points);
    const int vs = 256;
    viz::write_png(a->out + "/tsne_colormap.png", colormap_vignette(vs, r.coords.data(), n).data(), vs, vs, 3);
    // Every pixel of the chosen slices takes the colour of its nearest sampled pixel (cosine).
    faiss::IndexFlatIP nearest(d);
    nearest.add(n, x.data());
    const int w = store.width(), h = store.height();
    for (int s : slices) {
      std::vector<int64_t> all(size_t(w) * h);
      for (int64_t p = 0; p < int64_t(all.size()); ++p) all[p] = int64_t(s) * w * h + p;
      std::vector<float> q = gather_rows(store, all, true);
      if (pca.k > 0) q = pca_project(pca, q.data(), int64_t(all.size()));
      std::vector<float> dist(all.size());
      std::vector<faiss::Index::idx_t> lab(all.size());
      nearest.search(int64_t(all.size()), q.data(), 1, dist.data(), lab.data());
      std::vector<float> rgb(all.size() * 3);
      for (size_t p = 0; p < all.size(); ++p)
        for (int c = 0; c < 3; ++c) rgb[p * 3 + c] = lab[p] >= 0 ? colours[size_t(lab[p]) * 3 + c] : 0.f;
      const std::string stem = a->out + "/slice_" + std::to_string(s);
      viz::write_png(stem + "_tsne.png", to_rgb8(rgb.data(), all.size()).data(), w, h, 3);
      const std::vector<float> raw = gather_rows(store, all, false);
      const std::vector<float> pc = pca_rgb(raw.data(), int64_t(all.size()), store.dim());
      viz::write_png(stem + "_pca_rgb.png", to_rgb8(pc.data(), all.size()).data(), w, h, 3);
    }
    nlohmann::json j = {{"points", n},
                        {"dim", d},
                        {"sampling", a->sampling},
                        {"slices", slices},
                        {"perplexity", a->config.perplexity},
                        {"iterations", a->config.iterations},
                        {"kl", r.kl},
                        {"seconds_affinities", r.seconds_affinities},
                        {"seconds_optimise", r.seconds_optimise},
                        {"embeddings", "unit-normalised backbone features (cosine geometry)"}};
    write_text(a->out + "/tsne.json", j.dump(2) + "\n");
    std::printf("t-SNE of %lld pixels (%d dims) of %zu slices: KL %.3f, %.1f s; outputs in %s\n", (long long)n, d,
                slices.size(), r.kl, r.seconds_affinities + r.seconds_optimise, a->out.c_str());
  });
}

}  // namespace p2r::cli
