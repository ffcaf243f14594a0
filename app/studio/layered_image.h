#pragma once
// A registered image and its ordered layers (drawn first to last). Main thread only.
#include <memory>
#include <string>
#include <vector>

#include "app/studio/image_layer.h"

namespace p2r::studio {

class LayeredImage {
 public:
  /// Adds (or replaces, keeping its style) the scalar layer `name` with width x height values.
  ScalarLayer& add_scalar_layer(const std::string& name, const float* values, int width, int height);
  /// Adds (or replaces, keeping its style) the label layer `name`.
  LabelLayer& add_label_layer(const std::string& name, const uint8_t* labels, int width, int height);
  /// Adds (or replaces, keeping its opacity and visibility) the colour layer `name` (RGBA8).
  RgbaLayer& add_rgba_layer(const std::string& name, const uint8_t* rgba, int width, int height);
  /// The layer called name, or nullptr.
  ImageLayer* find(const std::string& name) const;
  /// Removes the layer called name if present.
  void remove(const std::string& name);
  /// Moves the layer called name to the top (drawn last), if present and not there yet.
  void raise(const std::string& name);
  const std::vector<std::unique_ptr<ImageLayer>>& layers() const { return m_layers; }
  /// Extent of the first layer (the reference grid of view coordinates), 0 x 0 when empty.
  Vec2 size() const;
  /// Appends the state of every layer (see ImageLayer::append_state) and the layer list itself.
  void append_state(std::vector<float>& state) const;
  /// Draws every visible layer in order into the current framebuffer.
  void render(const LayerRenderContext& ctx) const;

 private:
  template <class Layer>
  Layer& get_or_add(const std::string& name);
  std::vector<std::unique_ptr<ImageLayer>> m_layers;
  int m_structure_revision = 0;  ///< incremented when layers are added or removed
};

}  // namespace p2r::studio
