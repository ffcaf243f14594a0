#pragma once
// Layers of the image view, polyscope style: an image is registered, then layers are added to it
// (the slice, ground truth; later similarity maps, t-SNE / PCA colours, predictions). Each layer owns
// its texture and style, renders itself with its shader, and draws its own controls.
#include <cstdint>
#include <string>
#include <vector>

#include "app/studio/gl_texture.h"
#include "app/studio/view_transform.h"
#include "viz/compositing.h"

namespace p2r::studio {

class ShaderLibrary;

/// What a layer needs to draw itself into the current framebuffer.
struct LayerRenderContext {
  ShaderLibrary& shaders;
  Vec2 view_size;       ///< pixels
  float scale = 1.f;    ///< screen pixels per image pixel
  Vec2 center;          ///< image coordinate at the view centre
};

class ImageLayer {
 public:
  explicit ImageLayer(std::string name) : m_name(std::move(name)) {}
  virtual ~ImageLayer() = default;
  const std::string& name() const { return m_name; }
  /// Width / height of the layer's data in pixels.
  int width() const { return m_width; }
  int height() const { return m_height; }

  bool visible = true;
  float opacity = 1.f;  ///< 0..1
  /// Where the layer sits in the view's reference grid: its texture covers [origin, origin +
  /// extent]; extent 0 x 0 means its own width x height (every layer on one grid).
  Vec2 origin, extent;
  /// The rectangle's size: extent, or width x height when extent is unset.
  Vec2 view_extent() const {
    return extent.x > 0 && extent.y > 0 ? extent : Vec2{float(m_width), float(m_height)};
  }

  /// Draws the layer over what is already in the framebuffer (alpha blending on). Main thread.
  virtual void render(const LayerRenderContext& ctx) const = 0;
  /// Draws the layer's ImGui controls (style, window, colour map); returns true when changed.
  virtual bool draw_controls() = 0;
  /// "scalar", "labels", ...
  virtual const char* kind() const = 0;
  /// Appends every value that affects how the layer looks (data revision, visibility, style), so
  /// the view re-renders only when something changed.
  virtual void append_state(std::vector<float>& state) const {
    state.insert(state.end(), {float(m_data_revision), visible ? 1.f : 0.f, opacity, origin.x, origin.y, extent.x, extent.y});
  }

 protected:
  int m_width = 0, m_height = 0;
  int m_data_revision = 0;  ///< incremented whenever the layer's data is replaced

 private:
  std::string m_name;
};

/// A float image through a window and a colour map (the slice itself, similarity maps).
class ScalarLayer : public ImageLayer {
 public:
  using ImageLayer::ImageLayer;
  /// Replaces the values (width x height floats, row-major); keeps the style.
  void set_values(const float* values, int width, int height);
  viz::ScalarStyle style;
  bool smooth = false;  ///< linear instead of nearest sampling
  /// The values' usual range (1 for normalised slices, the 1-99 % span of scanner values): window
  /// and level drags move by shares of it.
  float value_range = 1.f;
  /// Window presets offered beside the window fields (name, low, high); none by default.
  struct WindowPreset {
    std::string name;
    float low = 0, high = 1;
  };
  std::vector<WindowPreset> presets;

  void render(const LayerRenderContext& ctx) const override;
  bool draw_controls() override;
  const char* kind() const override { return "scalar"; }
  void append_state(std::vector<float>& state) const override {
    ImageLayer::append_state(state);
    state.insert(state.end(), {style.low, style.high, float(style.colormap), smooth ? 1.f : 0.f});
  }

 private:
  GlTexture m_values;
  mutable GlTexture m_table;  // colour-map lookup, rebuilt when the map changes
  mutable int m_table_map = -1;
};

/// A label map (ACDC convention: 0 background drawn transparent) in the palette of viz::label_rgb.
class LabelLayer : public ImageLayer {
 public:
  explicit LabelLayer(std::string name) : ImageLayer(std::move(name)) { opacity = 0.5f; }
  /// Replaces the labels (width x height bytes, row-major).
  void set_labels(const uint8_t* labels, int width, int height);
  int only_label = -1;  ///< -1 shows every structure; otherwise just that label

  void render(const LayerRenderContext& ctx) const override;
  bool draw_controls() override;
  const char* kind() const override { return "labels"; }
  void append_state(std::vector<float>& state) const override {
    ImageLayer::append_state(state);
    state.push_back(float(only_label));
  }

 private:
  GlTexture m_labels;
};

/// A colour image (RGBA8; alpha 0 transparent): t-SNE / PCA colours, selection overlays.
class RgbaLayer : public ImageLayer {
 public:
  using ImageLayer::ImageLayer;
  /// Replaces the pixels (width x height x 4 bytes, row-major).
  void set_rgba(const uint8_t* rgba, int width, int height);
  void render(const LayerRenderContext& ctx) const override;
  bool draw_controls() override { return false; }
  const char* kind() const override { return "rgba"; }

 private:
  GlTexture m_rgba;
};

}  // namespace p2r::studio
