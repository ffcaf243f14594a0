#include "app/studio/layered_image.h"

#include <algorithm>

#include "app/studio/gl.h"
#include "core/common/error.h"

namespace p2r::studio {

template <class Layer>
Layer& LayeredImage::get_or_add(const std::string& name) {
  if (ImageLayer* existing = find(name)) {
    auto* typed = dynamic_cast<Layer*>(existing);
    P2R_CHECK(typed != nullptr, "layer " << name << " exists with another kind (" << existing->kind() << ")");
    return *typed;
  }
  m_layers.push_back(std::make_unique<Layer>(name));
  ++m_structure_revision;
  return static_cast<Layer&>(*m_layers.back());
}

ScalarLayer& LayeredImage::add_scalar_layer(const std::string& name, const float* values, int width,
                                            int height) {
  ScalarLayer& layer = get_or_add<ScalarLayer>(name);
  layer.set_values(values, width, height);
  return layer;
}

LabelLayer& LayeredImage::add_label_layer(const std::string& name, const uint8_t* labels, int width,
                                          int height) {
  LabelLayer& layer = get_or_add<LabelLayer>(name);
  layer.set_labels(labels, width, height);
  return layer;
}

RgbaLayer& LayeredImage::add_rgba_layer(const std::string& name, const uint8_t* rgba, int width, int height) {
  RgbaLayer& layer = get_or_add<RgbaLayer>(name);
  layer.set_rgba(rgba, width, height);
  return layer;
}

ImageLayer* LayeredImage::find(const std::string& name) const {
  for (const auto& layer : m_layers)
    if (layer->name() == name) return layer.get();
  return nullptr;
}

void LayeredImage::remove(const std::string& name) {
  m_layers.erase(std::remove_if(m_layers.begin(), m_layers.end(),
                                [&](const auto& layer) { return layer->name() == name; }),
                 m_layers.end());
  ++m_structure_revision;
}

void LayeredImage::raise(const std::string& name) {
  auto it = std::find_if(m_layers.begin(), m_layers.end(), [&](const auto& layer) { return layer->name() == name; });
  if (it == m_layers.end() || it + 1 == m_layers.end()) return;
  std::rotate(it, it + 1, m_layers.end());
  ++m_structure_revision;
}

Vec2 LayeredImage::size() const {
  if (m_layers.empty()) return {0, 0};
  return m_layers.front()->view_extent();
}

void LayeredImage::append_state(std::vector<float>& state) const {
  state.push_back(float(m_structure_revision));
  for (const auto& layer : m_layers) layer->append_state(state);
}

void LayeredImage::render(const LayerRenderContext& ctx) const {
  glEnable(GL_BLEND);
  // Colour blends; destination alpha stays 1 so ImGui shows the target opaque.
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
  for (const auto& layer : m_layers)
    if (layer->visible && layer->opacity > 0.f) layer->render(ctx);
  glUseProgram(0);
}

}  // namespace p2r::studio
