#pragma once
// The studio's fixed, tiled window layout (no docking in ImGui 1.86): a menu bar on top, dataset and
// layers panels on the left (hideable), the image view filling the rest, a status bar at the bottom.
#include <algorithm>
#include <cmath>

namespace p2r::studio {

struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct StudioLayout {
  PanelRect dataset, layers, image, status;
  PanelRect scribbles;    ///< below Layers while scribbling; zero-sized otherwise
  PanelRect jobs, model;  ///< the right column; zero-sized when hidden
};

/// Tiles a display of width x height pixels below a menu bar of menu_h pixels; frame_height is
/// ImGui's text line height with padding. side: the left column (Dataset, Layers); tools: a right
/// column with the Jobs (top) and Model (bottom) panels; scribbles: the Scribbles panel under Layers
/// (with side). Hidden panels are zero-sized.
inline StudioLayout compute_layout(float width, float height, float frame_height, bool tools = false, bool side = true,
                                   float menu_h = 0, bool scribbles = false) {
  StudioLayout l;
  const float status_h = frame_height + 12.f;
  const float body_h = std::max(height - status_h - menu_h, 1.f);
  const float left_w = side ? std::clamp(width * 0.26f, 280.f, 400.f) : 0.f;
  const float dataset_h = std::floor(body_h * (scribbles ? 0.4f : 0.58f));
  const float layers_h = scribbles ? std::floor(body_h * 0.2f) : body_h - dataset_h;
  if (side) {
    l.dataset = {0, menu_h, left_w, dataset_h};
    l.layers = {0, menu_h + dataset_h, left_w, layers_h};
    if (scribbles) l.scribbles = {0, menu_h + dataset_h + layers_h, left_w, body_h - dataset_h - layers_h};
  }
  l.image = {left_w, menu_h, width - left_w, body_h};
  l.status = {0, menu_h + body_h, width, status_h};
  if (tools) {
    const float right_w = std::clamp(width * 0.3f, 300.f, 460.f);
    const float jobs_h = std::floor(body_h * 0.64f);
    l.image.w = std::max(width - left_w - right_w, 1.f);
    l.jobs = {width - right_w, menu_h, right_w, jobs_h};
    l.model = {width - right_w, menu_h + jobs_h, right_w, body_h - jobs_h};
  }
  return l;
}

}  // namespace p2r::studio
