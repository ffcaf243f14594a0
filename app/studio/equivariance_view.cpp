#include "app/studio/equivariance_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/layered_image.h"
#include "app/studio/studio_jobs.h"
#include "viz/compositing.h"

namespace p2r::studio {
namespace {

constexpr uint8_t kTransparent[4] = {0, 0, 0, 0};

std::string key_of(const EmbeddingState& embeddings, const DatasetBrowser& browser, const SpatialTransform& phi) {
  std::ostringstream key;
  key.precision(17);
  key << embeddings.run_dir() << '|' << embeddings.revision() << '|' << browser.data() << '|' << browser.slice_index()
      << '|' << phi.rotation_deg << '|' << phi.scale << '|' << phi.shift_x << '|' << phi.shift_y << '|' << phi.flip;
  return key.str();
}

}  // namespace

// What a finished computation hands back to the main thread.
struct EquivarianceView::Pending {
  EquivarianceMaps maps;
  std::string key;
};

EquivarianceView::EquivarianceView() = default;
EquivarianceView::~EquivarianceView() = default;  // m_task's destructor cancels and joins

void EquivarianceView::set_enabled(bool on) {
  m_enabled = on;
  if (!on) error.clear();
}

std::string EquivarianceView::summary() const {
  if (!m_maps) return "";
  char text[200];
  std::snprintf(text, sizeof text, "1 - cos under phi: mean %.3f, median %.3f; under reversal: mean %.3f, median %.3f",
                m_maps->spatial_summary.mean, m_maps->spatial_summary.median, m_maps->reversal_summary.mean,
                m_maps->reversal_summary.median);
  return text;
}

void EquivarianceView::update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image) {
  if (m_task && m_task->finished() && m_pending) {
    if (m_task->state() == JobState::Succeeded) {
      m_maps = std::make_shared<const EquivarianceMaps>(std::move(m_pending->maps));
      m_shown_key = m_pending->key;
    } else if (m_task->state() == JobState::Failed) {
      error = "equivariance error: " + m_task->error();
      m_shown_key = m_pending->key;  // not retried until something changes
      m_maps.reset();                // no stale maps under the message
    }
    m_pending.reset();
    m_task.reset();
  }
  const SliceSet* data = browser.data();
  const int shown = browser.slice_index();
  const auto drop_layers = [&] {
    for (const char* name : {kEquivarianceLayer, kReversalLayer})
      if (image.find(name)) image.remove(name);
    m_maps.reset();
    m_uploaded = nullptr;
  };
  if (!m_maps && m_uploaded) drop_layers();
  if (!m_enabled || !embeddings.ready() || !data || shown < 0) {
    drop_layers();
    m_key.clear();
    m_shown_key.clear();
    return;
  }
  m_key = key_of(embeddings, browser, phi);
  if (m_key != m_shown_key && !busy() && !(m_pending && m_pending->key == m_key)) {
    auto pending = std::make_shared<Pending>();
    pending->key = m_key;
    m_pending = pending;
    error.clear();
    const std::string run_dir = embeddings.run_dir();
    const std::vector<float> slice(data->image(shown), data->image(shown) + data->pixels_per_slice());
    const int size = data->size;
    const SpatialTransform transform = phi;
    m_task = std::make_unique<Job>("equivariance", "equivariance error", "",
                                   [run_dir, slice, size, transform, pending](JobProgress& progress) {
                                     progress.begin("equivariance error", 0);
                                     ExtractOptions options;
                                     options.threads = kStudioJobThreads;  // one core stays for the window
                                     pending->maps = backbone_equivariance_error(run_dir, slice.data(), size,
                                                                                 transform, options);
                                     return pending->maps.device;
                                   });
    m_task->start();
  }
  if (!m_maps || m_uploaded == m_maps.get()) return;
  // The layers of the shown maps (kept while a new computation runs, replaced when it ends).
  m_uploaded = m_maps.get();
  float high = 1e-3f;
  for (const std::vector<float>* map : {&m_maps->spatial, &m_maps->reversal})
    for (float v : *map)
      if (std::isfinite(v)) high = std::max(high, v);
  const viz::ScalarStyle style{0.f, high, viz::Colormap::Magma};
  for (const auto& [name, map] : {std::pair<const char*, const std::vector<float>*>{kEquivarianceLayer, &m_maps->spatial},
                                  {kReversalLayer, &m_maps->reversal}}) {
    const bool added = image.find(name) == nullptr;
    const viz::RgbaImage rgba = viz::render_scalar_masked(map->data(), m_maps->width, m_maps->height, style, kTransparent);
    ImageLayer& layer = image.add_rgba_layer(name, rgba.pixels.data(), m_maps->width, m_maps->height);
    if (added) layer.opacity = 0.75f;
    if (added && std::string(name) == kReversalLayer) layer.visible = false;
  }
}

}  // namespace p2r::studio
