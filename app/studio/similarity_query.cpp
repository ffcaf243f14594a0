#include "app/studio/similarity_query.h"

#include <algorithm>
#include <cmath>

#include "app/studio/comparison_slices.h"
#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/layered_image.h"
#include "viz/colormap.h"

namespace p2r::studio {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The best pixel of a map (first in row-major order on ties), and the map's range.
PixelMatch best_of(const std::vector<float>& map, int slice, int width, float& low, float& high) {
  PixelMatch best{{slice, 0, 0}, -2.f};
  low = 2.f;
  high = -2.f;
  for (size_t i = 0; i < map.size(); ++i) {
    low = std::min(low, map[i]);
    high = std::max(high, map[i]);
    if (map[i] > best.score) best = {{slice, int(i % size_t(width)), int(i / size_t(width))}, map[i]};
  }
  return best;
}

}  // namespace

void SimilarityQuery::set_query(int slice, int x, int y) {
  if (m_active && m_query.slice == slice && m_query.x == x && m_query.y == y) return;
  m_active = true;
  m_query = {slice, x, y};
  ++m_query_revision;
}

void SimilarityQuery::update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image) {
  const EmbeddingStore& store = embeddings.store();
  const int shown = browser.slice_index();
  const bool usable = m_active && embeddings.ready() && browser.data() && shown >= 0 && shown < store.slice_count() &&
                      m_query.slice >= 0 && m_query.slice < store.slice_count() && m_query.x >= 0 &&
                      m_query.y >= 0 && m_query.x < store.width() && m_query.y < store.height();
  if (!usable) {
    if (image.find(kSimilarityLayer)) image.remove(kSimilarityLayer);
    m_grid.clear();
    m_key.clear();
    m_shown_key.clear();
    m_grid_key.clear();
    if (m_active && !embeddings.ready()) return;  // keep the query for when the store arrives
    m_active = false;
    return;
  }
  m_key = {m_query_revision, embeddings.revision(), grid_size};
  std::vector<int> shown_key = m_key;
  shown_key.push_back(shown);
  if (shown_key != m_shown_key) {
    const auto start = std::chrono::steady_clock::now();
    if (m_vector.empty() || m_shown_key.size() < 2 || m_shown_key[0] != m_key[0] || m_shown_key[1] != m_key[1])
      m_vector = query_vector(store, m_query);
    m_map.resize(size_t(store.pixels_per_slice()));
    similarity_map(store, m_vector.data(), shown, m_map.data(), 1);
    float low = 0, high = 1;
    m_shown_best = best_of(m_map, shown, store.width(), low, high);
    const bool added = image.find(kSimilarityLayer) == nullptr;
    ScalarLayer& layer = image.add_scalar_layer(kSimilarityLayer, m_map.data(), store.width(), store.height());
    if (added) {
      layer.style.colormap = viz::Colormap::Viridis;
      layer.opacity = 0.6f;
    }
    if (auto_range) {
      layer.style.low = low;
      layer.style.high = std::max(high, low + 1e-3f);
    }
    m_low = layer.style.low;
    m_high = layer.style.high;
    m_shown_key = shown_key;
    m_map_ms = ms_since(start);
  }
  const auto now = std::chrono::steady_clock::now();
  if (m_grid_key != m_key && std::chrono::duration<double>(now - m_grid_time).count() >= kGridInterval) {
    update_grid(embeddings, browser);
    m_grid_key = m_key;
    m_grid_time = now;
  }
}

void SimilarityQuery::update_grid(const EmbeddingState& embeddings, const DatasetBrowser& browser) {
  const auto start = std::chrono::steady_clock::now();
  const EmbeddingStore& store = embeddings.store();
  const SliceSet& data = *browser.data();
  const std::vector<int> slices = comparison_slices(data, m_query.slice, grid_size);
  const int w = store.width(), h = store.height();
  const bool same_grid = w == data.size && h == data.size;  // images and maps share the pixel grid
  static const std::vector<uint8_t> table = viz::colormap_table(viz::Colormap::Viridis, 256);
  m_grid.resize(slices.size());
  std::vector<float> map(size_t(w) * size_t(h));
  std::vector<uint8_t> rgba(map.size() * 4);
  const float scale = 1.f / std::max(m_high - m_low, 1e-6f);
  const float a = std::clamp(grid_opacity, 0.f, 1.f);
  for (size_t i = 0; i < slices.size(); ++i) {
    GridCell& cell = m_grid[i];
    cell.slice = slices[i];
    similarity_map(store, m_vector.data(), cell.slice, map.data(), 1);
    float low = 0, high = 0;
    cell.best = best_of(map, cell.slice, w, low, high);
    const float* img = same_grid ? data.image(cell.slice) : nullptr;
    for (size_t p = 0; p < map.size(); ++p) {
      const int t = std::clamp(int(std::lround((map[p] - m_low) * scale * 255.f)), 0, 255);
      const float grey = img ? std::clamp(img[p], 0.f, 1.f) * 255.f : 0.f;
      for (int c = 0; c < 3; ++c)
        rgba[p * 4 + c] = uint8_t(std::lround((1.f - a) * grey + a * float(table[size_t(t) * 4 + c])));
      rgba[p * 4 + 3] = 255;
    }
    cell.texture.upload_rgba8(rgba.data(), w, h);
  }
  m_grid_ms = ms_since(start);
}

}  // namespace p2r::studio
