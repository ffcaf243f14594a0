#pragma once
// Zoom and pan of the image view: which image point sits at the view centre and how many screen
// pixels an image pixel covers. Pure arithmetic (no GL), shared by the shaders' uniforms and the
// mouse handling.
#include <algorithm>

namespace p2r::studio {

struct Vec2 {
  float x = 0, y = 0;
};

class ViewTransform {
 public:
  /// Zoom 1 fits the whole image in the view; larger zooms in.
  float zoom = 1.f;
  /// Offset of the view centre from the image centre, in image pixels.
  Vec2 pan;

  /// Screen pixels per image pixel for a view and image size (both in pixels).
  float scale(Vec2 view, Vec2 image) const {
    return std::min(view.x / image.x, view.y / image.y) * zoom;
  }
  /// Image coordinate (pixels) shown at the view centre.
  Vec2 center(Vec2 image) const { return {image.x * 0.5f + pan.x, image.y * 0.5f + pan.y}; }
  /// Image coordinate under a point of the view (pixels from the view's top-left corner).
  Vec2 view_to_image(Vec2 p, Vec2 view, Vec2 image) const {
    const float s = scale(view, image);
    const Vec2 c = center(image);
    return {(p.x - view.x * 0.5f) / s + c.x, (p.y - view.y * 0.5f) / s + c.y};
  }
  /// Moves the image by a screen-space delta (pixels).
  void pan_by(Vec2 delta, Vec2 view, Vec2 image) {
    const float s = scale(view, image);
    pan.x -= delta.x / s;
    pan.y -= delta.y / s;
  }
  /// Multiplies the zoom by factor, keeping the image point under view point p fixed.
  void zoom_about(float factor, Vec2 p, Vec2 view, Vec2 image) {
    const Vec2 before = view_to_image(p, view, image);
    zoom = std::clamp(zoom * factor, 0.1f, 64.f);
    const Vec2 after = view_to_image(p, view, image);
    pan.x += before.x - after.x;
    pan.y += before.y - after.y;
  }
  void reset() { *this = ViewTransform{}; }
};

}  // namespace p2r::studio
