#include "app/studio/tsne_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/layered_image.h"
#include "app/studio/similarity_query.h"
#include "core/analysis/nearest_sample.h"
#include "core/analysis/pca.h"
#include "core/analysis/tsne.h"
#include "core/analysis/tsne_colormap.h"
#include "core/analysis/tsne_points.h"
#include "core/common/error.h"

namespace p2r::studio {
namespace {

struct Plan {
  std::vector<int> slices;
  int stride = 1, nx = 0, ny = 0;
  int points() const { return int(slices.size()) * nx * ny; }
};

// The shown volume's slices and the smallest stride giving at most target points.
Plan make_plan(const EmbeddingStore& store, const SliceSet& data, int shown, int target) {
  Plan plan;
  if (shown < 0 || shown >= store.slice_count()) return plan;
  const VolumeRecord& v = data.volume_of(shown);
  for (int s = v.first_slice; s < v.first_slice + v.slice_count && s < store.slice_count(); ++s) plan.slices.push_back(s);
  const int w = store.width(), h = store.height();
  // Pixels with x % stride == 0 and y % stride == 0: SamplingPolicy "stride:S", which
  // `pix2rep figure embedding` uses to reproduce this view.
  for (plan.stride = 1;; ++plan.stride) {
    plan.nx = (w + plan.stride - 1) / plan.stride;
    plan.ny = (h + plan.stride - 1) / plan.stride;
    if (plan.points() <= std::max(target, 1)) break;
  }
  return plan;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TsneView::TsneView() = default;
TsneView::~TsneView() = default;  // m_task's destructor cancels and joins

std::string TsneView::plan(const EmbeddingState& embeddings, const DatasetBrowser& browser) const {
  if (!embeddings.ready() || !browser.data()) return "";
  const Plan p = make_plan(embeddings.store(), *browser.data(), browser.slice_index(), settings.target_points);
  std::ostringstream text;
  text << "stride " << p.stride << ": " << p.points() << " points of " << p.slices.size() << " slices";
  return text.str();
}

void TsneView::start(const EmbeddingState& embeddings, const DatasetBrowser& browser, const std::string& layout) {
  P2R_CHECK(embeddings.ready() && browser.data(), "no embeddings open (open a backbone first)");
  P2R_CHECK(!busy(), "t-SNE is already running");
  const EmbeddingStore store = embeddings.store();
  const auto data = browser.shared_data();
  const TsneSettings s = settings;
  // The pixels: a saved layout's, or the shown volume's on a regular grid.
  auto pending = std::make_shared<TsneSample>();
  TsneSample& r = *pending;
  r.perplexity = s.perplexity;
  r.width = store.width(), r.height = store.height();
  std::vector<float> layout_coords;
  if (!layout.empty()) {
    r.layout = std::filesystem::absolute(layout).lexically_normal().string();
    TsnePoints points = read_tsne_points(r.layout);
    check_points_fit(points, store, r.layout);
    r.stride = 0;
    r.pixels = std::move(points.pixels);
    layout_coords = std::move(points.coords);
    for (const PixelRef& p : r.pixels)
      if (std::find(r.slices.begin(), r.slices.end(), p.slice) == r.slices.end()) r.slices.push_back(p.slice);
  } else {
    const Plan plan = make_plan(store, *data, browser.slice_index(), s.target_points);
    P2R_CHECK(plan.points() > 3 * s.perplexity + 1, "too few points (" << plan.points() << ") for perplexity "
                                                                       << s.perplexity);
    r.stride = plan.stride, r.iterations = s.iterations;
    r.slices = plan.slices;
    for (int slice : plan.slices)
      for (int iy = 0; iy < plan.ny; ++iy)
        for (int ix = 0; ix < plan.nx; ++ix) r.pixels.push_back({slice, ix * plan.stride, iy * plan.stride});
  }
  m_pending = pending;
  m_data = data.get();
  error.clear();
  m_task = std::make_unique<Job>("tsne", "t-SNE", "", [store, data, s, pending, layout_coords](JobProgress& progress) {
    TsneSample& r = *pending;
    const int d = store.dim(), w = r.width, h = r.height;
    const bool same_grid = data->size == w && data->size == h;
    // PCA colours of every pixel of the sampled slices (one fit, so colours agree across slices).
    progress.begin("PCA colours", 0);
    auto t0 = std::chrono::steady_clock::now();
    const size_t hw = size_t(w) * size_t(h);
    std::vector<float> all(r.slices.size() * hw * size_t(d)), chw(hw * size_t(d));
    for (size_t i = 0; i < r.slices.size(); ++i) {
      store.slice_floats(r.slices[i], chw.data());
      for (size_t p = 0; p < hw; ++p)
        for (int c = 0; c < d; ++c) all[(i * hw + p) * size_t(d) + size_t(c)] = chw[size_t(c) * hw + p];
    }
    if (d >= 3) {
      const std::vector<float> rgb = pca_rgb(all.data(), int64_t(r.slices.size() * hw), d);
      for (size_t i = 0; i < r.slices.size(); ++i) {
        std::vector<uint8_t> img(hw * 3);
        for (size_t k = 0; k < hw * 3; ++k) img[k] = uint8_t(std::lround(std::clamp(rgb[i * hw * 3 + k], 0.f, 1.f) * 255.f));
        r.pca.push_back(std::move(img));
      }
    }
    r.seconds_pca = seconds_since(t0);
    // The sampled pixels' unit embeddings (cosine geometry), their labels.
    std::vector<float> x(r.pixels.size() * size_t(d));
    for (size_t i = 0; i < r.pixels.size(); ++i) {
      const PixelRef& p = r.pixels[i];
      store.pixel(p, x.data() + i * size_t(d), true);
      r.labels.push_back(same_grid ? data->label(p.slice)[size_t(p.y) * size_t(w) + size_t(p.x)] : 0);
    }
    t0 = std::chrono::steady_clock::now();
    if (r.layout.empty()) {
      const TsneConfig config = view_tsne_config(s.perplexity, s.iterations, kTsneSeed, kTsneThreads);
      const TsneResult result = run_tsne(x.data(), int64_t(r.pixels.size()), d, config, progress);
      r.coords = result.coords;
      r.kl = result.kl;
    } else {
      r.coords = layout_coords;
    }
    r.seconds_tsne = seconds_since(t0);
    r.colours = embedding_colours(r.coords.data(), int64_t(r.pixels.size()));
    progress.begin("t-SNE colours of every pixel", 0);
    t0 = std::chrono::steady_clock::now();
    r.owner = nearest_samples(store, r.slices, x.data(), int64_t(r.pixels.size()));
    r.seconds_colours = seconds_since(t0);
    r.min_x = r.max_x = r.coords[0];
    r.min_y = r.max_y = r.coords[1];
    for (int i = 0; i < r.size(); ++i) {
      r.min_x = std::min(r.min_x, r.coords[2 * i]), r.max_x = std::max(r.max_x, r.coords[2 * i]);
      r.min_y = std::min(r.min_y, r.coords[2 * i + 1]), r.max_y = std::max(r.max_y, r.coords[2 * i + 1]);
    }
    std::ostringstream text;
    text.precision(2);
    if (r.layout.empty()) text << std::fixed << r.size() << " points, t-SNE " << r.seconds_tsne << " s, KL " << r.kl;
    else text << r.size() << " points of the layout " << r.layout;
    return text.str();
  });
  m_task->start();
}

void TsneView::save_layout(const std::string& path) const {
  P2R_CHECK(m_result, "no t-SNE to save (compute one first)");
  const TsneSample& r = *m_result;
  write_tsne_points(path, TsnePoints{r.pixels, r.coords, r.colours});
}

void TsneView::select(float u0, float v0, float u1, float v1) {
  ++m_selection_revision;
  m_selected_count = 0;
  if (!m_result) return;
  const TsneSample& r = *m_result;
  m_selected.assign(size_t(r.size()), 0);
  const float ulo = std::min(u0, u1), uhi = std::max(u0, u1), vlo = std::min(v0, v1), vhi = std::max(v0, v1);
  if (uhi - ulo <= 0 || vhi - vlo <= 0) return;
  const float sx = std::max(r.max_x - r.min_x, 1e-6f), sy = std::max(r.max_y - r.min_y, 1e-6f);
  for (int i = 0; i < r.size(); ++i) {
    const float u = (r.coords[2 * i] - r.min_x) / sx, v = 1.f - (r.coords[2 * i + 1] - r.min_y) / sy;
    if (u >= ulo && u <= uhi && v >= vlo && v <= vhi) m_selected[size_t(i)] = 1, ++m_selected_count;
  }
}

void TsneView::update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image,
                      const SimilarityQuery& query) {
  if (m_task && m_task->finished() && m_pending) {
    if (m_task->state() == JobState::Succeeded) {
      m_result = m_pending;
      m_selected.assign(size_t(m_result->size()), 0);
      m_selected_count = 0;
      ++m_revision;
    } else if (m_task->state() == JobState::Failed) {
      error = "t-SNE failed: " + m_task->error();
    }
    m_pending.reset();
  }
  if (m_result && (!embeddings.ready() || browser.data() != m_data)) {
    m_result.reset();  // other data: the sample no longer applies
    m_selected.clear();
    m_selected_count = 0;
    ++m_revision;
  }
  const int shown = browser.slice_index();
  int pos = -1;
  if (m_result) {
    const auto it = std::find(m_result->slices.begin(), m_result->slices.end(), shown);
    if (it != m_result->slices.end()) pos = int(it - m_result->slices.begin());
  }
  m_highlight = -1;
  if (m_result && query.active()) {
    const auto it = std::find(m_result->slices.begin(), m_result->slices.end(), query.query().slice);
    if (it != m_result->slices.end())
      m_highlight = m_result->point_of(int(it - m_result->slices.begin()), query.query().x, query.query().y);
  }
  const std::vector<int> key = {m_revision, m_selection_revision, shown, pos};
  if (key == m_layer_key) return;
  m_layer_key = key;
  if (pos < 0) {
    for (const char* name : {kTsneLayer, kPcaLayer, kTsneSelectionLayer})
      if (image.find(name)) image.remove(name);
    return;
  }
  const TsneSample& r = *m_result;
  const int w = r.width, h = r.height;
  std::vector<uint8_t> rgba(size_t(w) * size_t(h) * 4), sel(rgba.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int i = r.point_of(pos, x, y);
      const size_t p = (size_t(y) * size_t(w) + size_t(x)) * 4;
      for (int c = 0; c < 3; ++c) rgba[p + size_t(c)] = uint8_t(std::lround(r.colours[size_t(i) * 3 + size_t(c)] * 255.f));
      rgba[p + 3] = 255;
      if (m_selected_count > 0 && m_selected[size_t(i)]) sel[p] = 255, sel[p + 1] = 230, sel[p + 3] = 255;
    }
  const bool added = image.find(kTsneLayer) == nullptr;
  ImageLayer& tsne_layer = image.add_rgba_layer(kTsneLayer, rgba.data(), w, h);
  if (added) tsne_layer.opacity = 0.6f;
  if (!r.pca.empty()) {
    const bool pca_added = image.find(kPcaLayer) == nullptr;
    for (size_t p = 0; p < size_t(w) * size_t(h); ++p) {
      for (int c = 0; c < 3; ++c) rgba[p * 4 + size_t(c)] = r.pca[size_t(pos)][p * 3 + size_t(c)];
      rgba[p * 4 + 3] = 255;
    }
    ImageLayer& layer = image.add_rgba_layer(kPcaLayer, rgba.data(), w, h);
    if (pca_added) layer.visible = false, layer.opacity = 0.6f;
  }
  if (m_selected_count > 0) {
    const bool sel_added = image.find(kTsneSelectionLayer) == nullptr;
    ImageLayer& layer = image.add_rgba_layer(kTsneSelectionLayer, sel.data(), w, h);
    if (sel_added) layer.opacity = 0.85f;
  } else if (image.find(kTsneSelectionLayer)) {
    image.remove(kTsneSelectionLayer);
  }
}

}  // namespace p2r::studio
