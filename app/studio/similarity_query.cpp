#include "app/studio/similarity_query.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "app/studio/comparison_slices.h"
#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/layered_image.h"
#include "viz/colormap.h"
#include "viz/compositing.h"

namespace p2r::studio {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void SimilarityQuery::set_query(int slice, int x, int y) {
  if (m_active && m_query.slice == slice && m_query.x == x && m_query.y == y) return;
  m_active = true;
  m_query = {slice, x, y};
  ++m_query_revision;
}

void SimilarityQuery::update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image) {
  m_search.update(embeddings, grid_mode == GridMode::Dataset);
  if (!m_search.error.empty()) grid_mode = GridMode::Position;  // the column shows the error
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
    m_search_key.clear();
    if (m_active && !embeddings.ready()) return;  // keep the query for when the store arrives
    m_active = false;
    return;
  }
  const bool dataset = grid_mode == GridMode::Dataset && m_search.ready();
  m_key = {m_query_revision, embeddings.revision(), grid_size, int(dataset)};
  std::vector<int> shown_key = m_key;
  shown_key.push_back(shown);
  if (shown_key != m_shown_key) {
    const auto start = std::chrono::steady_clock::now();
    if (m_vector.empty() || m_shown_key.size() < 2 || m_shown_key[0] != m_key[0] || m_shown_key[1] != m_key[1])
      m_vector = query_vector(store, m_query);
    m_map.resize(size_t(store.pixels_per_slice()));
    similarity_map(store, m_vector.data(), shown, m_map.data(), 1);
    m_shown_best = best_pixel(m_map.data(), int64_t(m_map.size()), store.width(), shown);
    const auto [lowest, highest] = std::minmax_element(m_map.begin(), m_map.end());
    const float low = *lowest, high = *highest;
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
  if (dataset) {
    update_dataset_grid(*browser.data(), store);
    return;
  }
  m_search_key.clear();  // back in the dataset mode, the query is searched again
  const auto now = std::chrono::steady_clock::now();
  if (m_grid_key != m_key && std::chrono::duration<double>(now - m_grid_time).count() >= kGridInterval) {
    const auto start = std::chrono::steady_clock::now();
    render_grid(store, *browser.data(), m_vector.data(), comparison_slices(*browser.data(), m_query.slice, grid_size),
                nullptr);
    m_grid_ms = ms_since(start);
    m_grid_from_dataset = false;
    m_grid_key = m_key;
    m_grid_time = now;
  }
}

void SimilarityQuery::update_dataset_grid(const SliceSet& data, const EmbeddingStore& store) {
  std::vector<int> search_key = m_key;
  search_key.push_back(m_query.slice);  // a result's query slice: its subject is left out
  if (m_grid_key != m_key && m_search_key != search_key) {
    m_search.search(m_vector, search_key);  // supersedes a search of an older query not yet started
    m_search_key = search_key;
  }
  std::optional<DatasetSearchResult> result = m_search.take();
  // The last finished search is shown, even one of an older query, unless it searched another store.
  if (!result || result->key.size() != search_key.size() || result->key[1] != m_key[1]) return;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<PixelMatch> best =
      best_matches_of_other_subjects(data, result->key.back(), result->matches, grid_size);
  std::vector<int> slices;
  for (const PixelMatch& m : best) slices.push_back(m.pixel.slice);
  render_grid(store, data, result->query.data(), slices, &best);
  m_grid_ms = ms_since(start);
  m_search_ms = result->ms;
  m_grid_from_dataset = true;
  if (result->key == search_key) m_grid_key = m_key;
}

void SimilarityQuery::render_grid(const EmbeddingStore& store, const SliceSet& data, const float* query,
                                  const std::vector<int>& slices, const std::vector<PixelMatch>* matches) {
  const int w = store.width(), h = store.height();
  const bool same_grid = w == data.size && h == data.size;  // images and maps share the pixel grid
  m_grid.resize(slices.size());
  std::vector<float> map(size_t(w) * size_t(h));
  const viz::ScalarStyle style{m_low, m_high, viz::Colormap::Viridis};
  for (size_t i = 0; i < slices.size(); ++i) {
    GridCell& cell = m_grid[i];
    cell.slice = slices[i];
    similarity_map(store, query, cell.slice, map.data(), 1);
    cell.best = matches ? (*matches)[i] : best_pixel(map.data(), int64_t(map.size()), w, cell.slice);
    const float* img = same_grid ? data.image(cell.slice) : nullptr;
    const viz::RgbaImage rgba = viz::render_scalar_over_grey(map.data(), img, w, h, style, grid_opacity);
    cell.texture.upload_rgba8(rgba.pixels.data(), w, h);
  }
}

}  // namespace p2r::studio
