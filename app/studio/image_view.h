#pragma once
// The image view: a LayeredImage rendered offscreen by the layer shaders and shown in an ImGui
// window, with zoom (wheel), pan (left drag), window/level (right drag) and reset (double click).
#include <functional>
#include <string>
#include <vector>

#include "app/studio/layered_image.h"
#include "app/studio/render_target.h"
#include "app/studio/view_transform.h"
#include "viz/rgba_image.h"

namespace p2r::studio {

class ShaderLibrary;

/// The view pixel under the mouse, if any: x, y its whole coordinates, at the exact view point.
struct HoveredPixel {
  bool valid = false;
  int x = 0, y = 0;
  Vec2 at;
};

/// A crosshair over view coordinate at (the query pixel's centre) when valid.
struct ViewMarker {
  bool valid = false;
  Vec2 at;
};

class ImageView {
 public:
  LayeredImage image;
  ViewTransform transform;

  /// Draws the view into the current ImGui window's remaining content region (main thread).
  void draw(const ShaderLibrary& shaders);
  /// Renders the layers at the image's own resolution (one texel per pixel, no zoom or pan) and
  /// reads the result back: figure export, and the check that shaders match the CPU reference.
  viz::RgbaImage render_native(const ShaderLibrary& shaders);
  /// The pixel under the mouse during the last draw.
  const HoveredPixel& hovered() const { return m_hovered; }
  /// Name of the scalar layer that right-drag window/level edits.
  std::string window_layer = "image";
  /// Query mode (embeddings open): left click / drag picks pixels (picked()); middle drag or
  /// Ctrl + left drag pans.
  bool query_mode = false;
  /// The pixel picked by a left click or drag in query mode during the last draw, if any.
  const HoveredPixel& picked() const { return m_picked; }
  /// The crosshair over the query pixel.
  ViewMarker marker;
  /// Called during draw() with the picked pixel, before the layers render (they may change).
  std::function<void(const HoveredPixel&)> on_pick;
  /// Paint mode (scribbles; before query mode): left drag calls on_paint with each view coordinate
  /// the mouse passes (unclamped), then once with stroke_end when the button is released; middle
  /// drag or Ctrl + left drag pans.
  bool paint_mode = false;
  std::function<void(Vec2 at, bool stroke_end)> on_paint;
  /// Radius (view units) of the brush outline drawn at the mouse in paint mode; 0: none.
  float brush_radius = 0;

 private:
  void render_layers(const ShaderLibrary& shaders, Vec2 image_size);
  void draw_target_and_input(Vec2 view_size, Vec2 image_size);
  void handle_input(Vec2 view_size, Vec2 image_size, Vec2 origin);
  void draw_marker(Vec2 view_size, Vec2 image_size, Vec2 origin) const;
  void draw_brush(Vec2 view_size, Vec2 image_size, Vec2 origin) const;
  RenderTarget m_target;
  std::vector<float> m_rendered_state, m_state;  // re-render only when these differ
  HoveredPixel m_hovered, m_picked;
  bool m_painting = false;  // a paint drag is under way
  Vec2 m_paint_at;          // its last point
};

}  // namespace p2r::studio
