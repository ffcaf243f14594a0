#include "app/studio/image_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "app/studio/screenshot.h"
#include "app/studio/shader_library.h"

namespace p2r::studio {
namespace {
constexpr float kBackground[3] = {0.08f, 0.08f, 0.09f};
}

void ImageView::draw(const ShaderLibrary& shaders) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const Vec2 view{std::max(avail.x, 1.f), std::max(avail.y, 1.f)};
  const Vec2 size = image.size();
  m_target.resize(int(view.x), int(view.y));
  // The mouse first (ImGui::Image only records the texture, filled below), so a pick or a pan
  // shows in this very frame.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  draw_target_and_input(view, size);
  if (m_picked.valid && on_pick) on_pick(m_picked);
  // Rendering the layers costs most of a frame on software GL: skip it when nothing changed.
  m_state.assign({float(m_target.width()), float(m_target.height()), transform.zoom, transform.pan.x,
                  transform.pan.y});
  image.append_state(m_state);
  if (m_state != m_rendered_state) {
    render_layers(shaders, size);
    m_rendered_state = m_state;
  }
  if (marker.valid && size.x > 0 && size.y > 0) draw_marker(view, size, {origin.x, origin.y});
  if (paint_mode && brush_radius > 0 && m_hovered.valid) draw_brush(view, size, {origin.x, origin.y});
}

void ImageView::render_layers(const ShaderLibrary& shaders, Vec2 size) {
  m_target.begin();
  glDisable(GL_SCISSOR_TEST);
  glClearColor(kBackground[0], kBackground[1], kBackground[2], 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (size.x > 0 && size.y > 0) {
    // Keep the shaders' pixel grid on whole screen pixels: the view size is integral.
    const Vec2 target{float(m_target.width()), float(m_target.height())};
    LayerRenderContext ctx{const_cast<ShaderLibrary&>(shaders), target,
                           transform.scale(target, size), transform.center(size)};
    image.render(ctx);
  }
  m_target.end();
}

viz::RgbaImage ImageView::render_native(const ShaderLibrary& shaders) {
  const Vec2 size = image.size();
  if (size.x <= 0 || size.y <= 0) return {};
  RenderTarget target;
  target.resize(int(size.x), int(size.y));
  target.begin();
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0.f, 0.f, 0.f, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  LayerRenderContext ctx{const_cast<ShaderLibrary&>(shaders), size, 1.f, {size.x * 0.5f, size.y * 0.5f}};
  image.render(ctx);
  viz::RgbaImage out = capture_framebuffer(int(size.x), int(size.y));
  target.end();
  return out;
}

void ImageView::draw_target_and_input(Vec2 view, Vec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // Render targets hold row 0 at the bottom: flip vertically for ImGui.
  ImGui::Image(reinterpret_cast<ImTextureID>(intptr_t(m_target.texture().id())),
               ImVec2(float(m_target.width()), float(m_target.height())), ImVec2(0, 1), ImVec2(1, 0));
  // An invisible button over the image takes the mouse (ImGui::Image is not interactive).
  ImGui::SetCursorScreenPos(origin);
  ImGui::InvisibleButton("##image_view", ImVec2(view.x, view.y),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                             ImGuiButtonFlags_MouseButtonMiddle);
  m_picked = {};
  if (size.x > 0 && size.y > 0) handle_input(view, size, {origin.x, origin.y});
}

void ImageView::handle_input(Vec2 view, Vec2 size, Vec2 origin) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsItemHovered();
  const Vec2 mouse{io.MousePos.x - origin.x, io.MousePos.y - origin.y};
  m_hovered = {};
  if (hovered) {
    const Vec2 p = transform.view_to_image(mouse, view, size);
    if (p.x >= 0 && p.y >= 0 && p.x < size.x && p.y < size.y)
      m_hovered = {true, int(std::floor(p.x)), int(std::floor(p.y)), p};
    if (io.MouseWheel != 0.f)
      transform.zoom_about(std::pow(1.2f, io.MouseWheel), mouse, view, size);
    if (!paint_mode && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) transform.reset();
  }
  const bool paint_drag = paint_mode && !io.KeyCtrl;
  const bool query_drag = !paint_mode && query_mode && !io.KeyCtrl;
  if (paint_drag && ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    m_paint_at = transform.view_to_image(mouse, view, size);
    m_painting = true;
    if (on_paint) on_paint(m_paint_at, false);
  } else if (m_painting) {  // released (or the drag ended otherwise): the stroke is done
    m_painting = false;
    if (on_paint) on_paint(m_paint_at, true);
  }
  if (ImGui::IsItemActive() && query_drag && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const Vec2 p = transform.view_to_image(mouse, view, size);  // clamped: a drag may leave the image
    const Vec2 inside{std::clamp(p.x, 0.f, std::nextafter(size.x, 0.f)), std::clamp(p.y, 0.f, std::nextafter(size.y, 0.f))};
    m_picked = {true, int(std::floor(inside.x)), int(std::floor(inside.y)), inside};
  }
  if (ImGui::IsItemActive() && !query_drag && !paint_drag && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.f))
    transform.pan_by({io.MouseDelta.x, io.MouseDelta.y}, view, size);
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.f))
    transform.pan_by({io.MouseDelta.x, io.MouseDelta.y}, view, size);
  // Right drag: horizontal moves the window width, vertical the level (centre), as in DICOM viewers.
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.f)) {
    if (auto* layer = dynamic_cast<ScalarLayer*>(image.find(window_layer))) {
      float level = 0.5f * (layer->style.low + layer->style.high);
      float width = layer->style.high - layer->style.low;
      const float unit = layer->value_range;  // normalised 0..1 data, or scanner units
      width = std::max(0.01f * unit, width + io.MouseDelta.x * 0.003f * unit);
      level -= io.MouseDelta.y * 0.003f * unit;
      layer->style.low = level - 0.5f * width;
      layer->style.high = level + 0.5f * width;
    }
  }
}

void ImageView::draw_brush(Vec2 view, Vec2 size, Vec2 origin) const {
  const float s = transform.scale(view, size);
  const Vec2 c = transform.center(size);
  const ImVec2 at(origin.x + view.x * 0.5f + (m_hovered.at.x - c.x) * s,
                  origin.y + view.y * 0.5f + (m_hovered.at.y - c.y) * s);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddCircle(at, std::max(brush_radius * s, 2.f), IM_COL32(0, 0, 0, 200), 32, 3.f);
  draw->AddCircle(at, std::max(brush_radius * s, 2.f), IM_COL32(255, 255, 255, 255), 32, 1.f);
}

void ImageView::draw_marker(Vec2 view, Vec2 size, Vec2 origin) const {
  const float s = transform.scale(view, size);
  const Vec2 c = transform.center(size);
  const float px = origin.x + view.x * 0.5f + (marker.at.x - c.x) * s;
  const float py = origin.y + view.y * 0.5f + (marker.at.y - c.y) * s;
  const float r = std::max(6.f, s);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const std::pair<ImU32, float> strokes[] = {{IM_COL32(0, 0, 0, 200), 3.f}, {IM_COL32(255, 255, 255, 255), 1.f}};
  for (const auto& [colour, width] : strokes) {
    draw->AddLine(ImVec2(px - r, py), ImVec2(px - 0.5f * r, py), colour, width);
    draw->AddLine(ImVec2(px + 0.5f * r, py), ImVec2(px + r, py), colour, width);
    draw->AddLine(ImVec2(px, py - r), ImVec2(px, py - 0.5f * r), colour, width);
    draw->AddLine(ImVec2(px, py + 0.5f * r), ImVec2(px, py + r), colour, width);
  }
}

}  // namespace p2r::studio
