#pragma once
// The studio's fixed, tiled window layout (no docking in ImGui 1.86): dataset and layers panels on
// the left, the image view filling the rest, a status bar at the bottom.
#include <algorithm>
#include <cmath>

namespace p2r::studio {

struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct StudioLayout {
  PanelRect dataset, layers, image, status;
  PanelRect jobs, model;  ///< the right column; zero-sized when hidden
};

/// Tiles a display of width x height pixels; frame_height is ImGui's text line height with padding.
/// tools: also a right column with the Jobs (top) and Model (bottom) panels.
inline StudioLayout compute_layout(float width, float height, float frame_height, bool tools = false) {
  StudioLayout l;
  const float status_h = frame_height + 12.f;
  const float body_h = std::max(height - status_h, 1.f);
  const float left_w = std::clamp(width * 0.26f, 280.f, 400.f);
  const float dataset_h = std::floor(body_h * 0.58f);
  l.dataset = {0, 0, left_w, dataset_h};
  l.layers = {0, dataset_h, left_w, body_h - dataset_h};
  l.image = {left_w, 0, width - left_w, body_h};
  l.status = {0, body_h, width, status_h};
  if (tools) {
    const float right_w = std::clamp(width * 0.3f, 300.f, 460.f);
    const float jobs_h = std::floor(body_h * 0.64f);
    l.image.w = std::max(width - left_w - right_w, 1.f);
    l.jobs = {width - right_w, 0, right_w, jobs_h};
    l.model = {width - right_w, jobs_h, right_w, body_h - jobs_h};
  }
  return l;
}

}  // namespace p2r::studio
