// Figure kinds computed from pixel embeddings: similarity (paper Fig. 2) and embedding (Fig. 4);
// equivariance (figure_equivariance_kind.cpp) is listed with them.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/figures/analysis_inputs.h"
#include "app/figures/figure_kinds.h"
#include "core/analysis/similarity_map.h"
#include "core/common/comma_list.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/model/run_folder.h"
#include "viz/figure/similarity_figure.h"
#ifdef PIX2REP_HAS_FAISS
#include "core/analysis/nearest_sample.h"
#include "core/analysis/pixel_sampling.h"
#include "core/analysis/tsne.h"
#include "core/analysis/tsne_colormap.h"
#include "core/analysis/tsne_points.h"
#include "viz/figure/embedding_figure.h"
#endif

namespace fs = std::filesystem;

namespace p2r::figures {
namespace {

// The embeddings of --data under the run folder checkpoint (--device); its record for provenance.
EmbeddingStore open_run_embeddings(const FigureArgs& a, const std::string& checkpoint, SliceSet& data,
                                   nlohmann::ordered_json& record) {
  StoreArgs s;
  s.checkpoint = checkpoint;
  s.data = figure_arg(a, "data");
  s.device = figure_arg(a, "device");
  s.progress = false;
  P2R_CHECK(fs::is_directory(s.checkpoint), s.checkpoint << ": pretraining run folder does not exist");
  EmbeddingStore store = open_store(s, data).store;
  record = {{"path", fs::absolute(s.checkpoint).string()}, {"hash", hash_hex(store.key().checkpoint_hash)}};
  return store;
}

// Loads the data and embeddings named by --checkpoint/--data/--device; records them.
EmbeddingStore open_embeddings(const FigureArgs& a, SliceSet& data, nlohmann::ordered_json& prov) {
  EmbeddingStore store = open_run_embeddings(a, figure_arg(a, "checkpoint"), data, prov["checkpoint"]);
  prov["data"] = file_record(figure_arg(a, "data"));
  return store;
}

// The backbones the similarity figure draws: --checkpoint alone, or with --snapshots yes each of
// its snapshots by epoch, then the run itself unless its last epoch is the last snapshot's; with
// the panel-title prefix of each.
std::vector<std::pair<std::string, std::string>> similarity_backbones(const FigureArgs& a) {
  const std::string run = figure_arg(a, "checkpoint"), snapshots = figure_arg(a, "snapshots");
  P2R_CHECK(snapshots == "yes" || snapshots == "no", "--snapshots must be yes or no, got '" << snapshots << "'");
  if (snapshots == "no") return {{run, ""}};
  std::vector<std::pair<std::string, std::string>> out;
  int last = 0;
  for (const std::string& dir : snapshot_paths(run)) {
    last = snapshot_epoch(dir);
    out.push_back({dir, "epoch " + std::to_string(last) + ": "});
  }
  P2R_CHECK(!out.empty(), run << ": the run has no snapshots (pretrain --snapshot-every N keeps them)");
  std::ifstream log(log_path(run));
  int epochs_done = -1;  // log.csv: a header, then one row per finished epoch
  for (std::string line; std::getline(log, line);) ++epochs_done;
  if (epochs_done != last) out.push_back({run, "epoch " + std::to_string(std::max(epochs_done, 0)) + " (run): "});
  return out;
}

nlohmann::ordered_json subjects_of(const SliceSet& data, const std::vector<int>& slices) {
  std::vector<std::string> subjects;
  for (int s : slices)
    if (std::find(subjects.begin(), subjects.end(), data.volume_of(s).subject) == subjects.end())
      subjects.push_back(data.volume_of(s).subject);
  return subjects;
}

FigureProduct make_similarity(const FigureArgs& a) {
  FigureProduct out;
  const auto backbones = similarity_backbones(a);
  const bool snapshots = figure_arg(a, "snapshots") == "yes";  // validated by similarity_backbones
  PixelRef q;
  q.slice = figure_int(a, "slice");
  parse_pixel(figure_arg(a, "pixel"), q.x, q.y);
  viz::SimilarityFigureData d;
  d.query_x = q.x, d.query_y = q.y;
  d.column = viz::parse_column_width(figure_arg(a, "column").c_str());
  d.map_opacity = float(figure_real(a, "opacity"));
  float lo = 1e30f, hi = -1e30f;
  nlohmann::ordered_json best = nlohmann::ordered_json::array();
  SliceSet data;
  for (const auto& [dir, prefix] : backbones) {
    nlohmann::ordered_json record;
    const EmbeddingStore store = open_run_embeddings(a, dir, data, record);
    if (snapshots) out.provenance["snapshots"].push_back(record);
    else out.provenance["checkpoint"] = record;
    store.check_pixel(q);
    const std::vector<int> targets = parse_slice_list(figure_arg(a, "targets"), store.slice_count());
    P2R_CHECK(!targets.empty(), "--targets: nothing to compute (no target slices)");
    const std::vector<float> query = query_vector(store, q);
    d.width = store.width(), d.height = store.height();
    P2R_CHECK(d.width == data.size && d.height == data.size, "embeddings and prepared slices differ in size");
    for (int t : targets) {
      viz::SimilarityPanel p;
      p.title = prefix + slice_title(data, t);
      p.image.assign(data.image(t), data.image(t) + data.pixels_per_slice());
      p.similarity.resize(size_t(data.pixels_per_slice()));
      similarity_map(store, query.data(), t, p.similarity.data(), 1);
      const PixelMatch m = best_match_per_slice(store, query.data(), {t}, 1).at(0);
      p.best_x = m.pixel.x, p.best_y = m.pixel.y, p.best_score = m.score;
      const auto [mn, mx] = std::minmax_element(p.similarity.begin(), p.similarity.end());
      lo = std::min(lo, *mn), hi = std::max(hi, *mx);
      nlohmann::ordered_json match = {{"slice", t}, {"x", m.pixel.x}, {"y", m.pixel.y}, {"score", m.score}};
      if (snapshots) match["checkpoint"] = record["path"];
      best.push_back(match);
      d.targets.push_back(std::move(p));
    }
  }
  out.provenance["data"] = file_record(figure_arg(a, "data"));
  d.query_title = "query: " + slice_title(data, q.slice);
  d.query_image.assign(data.image(q.slice), data.image(q.slice) + data.pixels_per_slice());
  const std::string range = figure_arg(a, "range");
  if (range == "auto") {
    d.low = lo, d.high = std::max(hi, lo + 1e-3f);
  } else {
    const auto v = split_list(range);
    P2R_CHECK(v.size() == 2, "--range must be 'auto' or LOW,HIGH, got '" << range << "'");
    d.low = std::stof(v[0]), d.high = std::stof(v[1]);
  }
  out.provenance["data"]["subjects"] = subjects_of(data, {q.slice});
  out.provenance["query"] = {{"slice", q.slice}, {"x", q.x}, {"y", q.y}, {"title", slice_title(data, q.slice)}};
  out.provenance["targets"] = best;
  out.figure = viz::make_similarity_figure(d);
  return out;
}

#ifdef PIX2REP_HAS_FAISS
FigureProduct make_embedding(const FigureArgs& a) {
  FigureProduct out;
  SliceSet data;
  const EmbeddingStore store = open_embeddings(a, data, out.provenance);
  const std::vector<int> slices = parse_slice_list(figure_arg(a, "slices"), store.slice_count());
  P2R_CHECK(!slices.empty(), "--slices: nothing to compute (no slices)");
  // The points: a saved layout's pixels and coordinates, or sampled pixels and a t-SNE of them.
  const auto layout_arg = a.find("layout");
  const std::string layout = layout_arg == a.end() ? "" : layout_arg->second;
  std::vector<int64_t> ids;
  std::vector<float> coords;
  if (!layout.empty()) {
    TsnePoints points = read_tsne_points(layout);
    check_points_fit(points, store, layout);
    for (const PixelRef& p : points.pixels) ids.push_back(pixel_id(store, p));
    coords = std::move(points.coords);
  } else {
    ids = sample_pixels(store, SamplingPolicy::parse(figure_arg(a, "sampling")), slices);
  }
  const std::vector<float> x = gather_rows(store, ids, true);  // [n, D] unit vectors
  const int64_t n = int64_t(ids.size());
  const int d = store.dim();
  if (layout.empty()) {
    // The studio's t-SNE view runs the same settings: its export shows the studio's coordinates.
    // t-SNE is deterministic for a given thread count.
    const TsneConfig config = view_tsne_config(figure_real(a, "perplexity"), figure_int(a, "iters"),
                                               uint64_t(figure_int(a, "seed")), figure_int(a, "threads"));
    config.validate(n, d);
    coords = run_tsne(x.data(), n, d, config).coords;
  }
  const std::vector<float> colours = embedding_colours(coords.data(), n);
  viz::EmbeddingFigureData f;
  f.coords = coords;
  f.class_names = {"background", "RV", "MYO", "LV"};
  for (int64_t i = 0; i < n; ++i) {
    const PixelRef p = pixel_of_id(store, ids[i]);
    f.classes.push_back(data.label(p.slice)[p.y * data.size + p.x]);
  }
  const int vs = 128;
  const std::vector<uint8_t> vig = colormap_vignette(vs, coords.data(), n);
  f.vignette = viz::RgbaImage(vs, vs);
  for (int i = 0; i < vs * vs; ++i) std::copy(&vig[size_t(i) * 3], &vig[size_t(i) * 3] + 3, &f.vignette.pixels[size_t(i) * 4]);
  const int w = store.width(), h = store.height();
  const std::vector<int64_t> owner = nearest_samples(store, slices, x.data(), n);
  for (size_t i = 0; i < slices.size(); ++i) {
    viz::RgbaImage im(w, h);
    for (size_t p = 0; p < size_t(w) * size_t(h); ++p)
      for (int c = 0; c < 3; ++c)
        im.pixels[p * 4 + c] = uint8_t(std::lround(std::clamp(colours[size_t(owner[i * w * h + p]) * 3 + c], 0.f, 1.f) * 255.f));
    f.coloured_images.push_back(std::move(im));
    f.image_titles.push_back(slice_title(data, slices[i]));
  }
  f.column = viz::parse_column_width(figure_arg(a, "column").c_str());
  out.provenance["data"]["subjects"] = subjects_of(data, slices);
  out.provenance["slices"] = slices;
  out.provenance["points"] = n;
  out.figure = viz::make_embedding_figure(f);
  return out;
}
#endif

std::vector<FigureOption> store_options() {
  return {{"checkpoint", "pretraining run folder", "", true},
          {"data", "prepared file (.p2rs)", "", true},
          {"device", "device of the embedding extraction (cpu keeps figures reproducible)", "cpu", false}};
}

}  // namespace

std::vector<FigureKind> analysis_figure_kinds() {
  std::vector<FigureKind> kinds;
  FigureKind sim{"similarity", "query slice with its pixel, similarity maps on other slices, best matches, colour bar",
                 store_options(), make_similarity};
  sim.options.push_back({"slice", "slice of the query pixel", "", true});
  sim.options.push_back({"pixel", "query pixel X,Y (column, row)", "", true});
  sim.options.push_back({"targets", "target slices, e.g. 3,7,12 or 10-13", "", true});
  sim.options.push_back({"range", "similarity colour range: auto or LOW,HIGH", "auto", false});
  sim.options.push_back({"opacity", "opacity of the map over the target image (1: map only)", "1", false});
  sim.options.push_back({"column", "single or double column", "double", false});
  sim.options.push_back({"snapshots", "yes: the maps under each snapshot of the run (pretrain --snapshot-every), "
                                      "then the run itself, titled by epoch", "no", false});
  kinds.push_back(sim);
  kinds.push_back(equivariance_figure_kind());
#ifdef PIX2REP_HAS_FAISS
  FigureKind emb{"embedding", "t-SNE scatter coloured by class, t-SNE-coloured slices and the reference colour map",
                 store_options(), make_embedding};
  emb.options.push_back({"slices", "slices to sample and colour, e.g. 0,5,9", "", true});
  emb.options.push_back({"sampling", "pixels entering t-SNE: stride:S or budget:N", "budget:2000", false});
  emb.options.push_back({"layout", "a saved t-SNE layout (tsne_points.csv) to draw instead of running t-SNE",
                         "", false});
  emb.options.push_back({"perplexity", "t-SNE perplexity", "30", false});
  emb.options.push_back({"iters", "t-SNE steps", "750", false});
  emb.options.push_back({"seed", "t-SNE seed", "0", false});
  emb.options.push_back({"threads", "t-SNE threads (results depend on it)", "1", false});
  emb.options.push_back({"column", "single or double column", "double", false});
  kinds.push_back(emb);
#endif
  return kinds;
}

}  // namespace p2r::figures
