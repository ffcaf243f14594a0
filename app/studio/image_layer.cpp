#include "app/studio/image_layer.h"

#include <imgui.h>

#include "app/studio/shader_library.h"
#include "viz/colormap.h"

namespace p2r::studio {
namespace {

void set_view_uniforms(const ShaderProgram& program, const LayerRenderContext& ctx, const ImageLayer& layer) {
  program.set("u_view_size", ctx.view_size.x, ctx.view_size.y);
  program.set("u_scale", ctx.scale);
  program.set("u_center", ctx.center.x, ctx.center.y);
  program.set("u_origin", layer.origin.x, layer.origin.y);
  const Vec2 extent = layer.view_extent();
  program.set("u_extent", extent.x, extent.y);
}

}  // namespace

// ---- ScalarLayer ----

void ScalarLayer::set_values(const float* values, int width, int height) {
  m_values.upload_r32f(values, width, height);
  m_values.set_smooth(smooth);
  ++m_data_revision;
  m_width = width;
  m_height = height;
}

void ScalarLayer::render(const LayerRenderContext& ctx) const {
  if (!m_values.valid()) return;
  if (m_table_map != int(style.colormap)) {
    const auto table = viz::colormap_table(style.colormap, 256);
    m_table.upload_rgba8(table.data(), 256, 1);
    m_table_map = int(style.colormap);
  }
  const ShaderProgram& program = ctx.shaders.scalar_layer();
  program.use();
  set_view_uniforms(program, ctx, *this);
  m_values.bind(0);
  m_table.bind(1);
  program.set("u_values", 0);
  program.set("u_colormap", 1);
  program.set("u_low", style.low);
  program.set("u_high", style.high);
  program.set("u_opacity", opacity);
  ctx.shaders.draw_view_quad();
}

bool ScalarLayer::draw_controls() {
  bool changed = false;
  ImGui::PushID(this);
  const bool normalised = value_range == 1.f;
  changed |= ImGui::DragFloatRange2("window", &style.low, &style.high, 0.005f * value_range,
                                    normalised ? -1.f : 0.f, normalised ? 2.f : 0.f,
                                    normalised ? "low %.3f" : "low %.0f", normalised ? "high %.3f" : "high %.0f");
  for (size_t k = 0; k < presets.size(); ++k) {
    if (k) ImGui::SameLine();
    if (ImGui::SmallButton(presets[k].name.c_str())) {
      style.low = presets[k].low;
      style.high = presets[k].high;
      changed = true;
    }
  }
  if (ImGui::BeginCombo("colour map", viz::colormap_name(style.colormap))) {
    for (viz::Colormap map : viz::all_colormaps()) {
      if (ImGui::Selectable(viz::colormap_name(map), map == style.colormap)) {
        style.colormap = map;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::Checkbox("smooth", &smooth)) {
    m_values.set_smooth(smooth);
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("reset window")) {  // the first preset, else the normalised range
    style.low = presets.empty() ? 0.f : presets.front().low;
    style.high = presets.empty() ? 1.f : presets.front().high;
    changed = true;
  }
  ImGui::PopID();
  return changed;
}

// ---- LabelLayer ----

void LabelLayer::set_labels(const uint8_t* labels, int width, int height) {
  m_labels.upload_r8(labels, width, height);
  ++m_data_revision;
  m_width = width;
  m_height = height;
}

void LabelLayer::render(const LayerRenderContext& ctx) const {
  if (!m_labels.valid()) return;
  float palette[viz::kLabelPaletteSize * 3];
  for (int i = 0; i < viz::kLabelPaletteSize; ++i) {
    const auto c = viz::label_rgb(uint8_t(i));
    for (int k = 0; k < 3; ++k) palette[i * 3 + k] = float(c[k]) / 255.f;
  }
  const ShaderProgram& program = ctx.shaders.label_layer();
  program.use();
  set_view_uniforms(program, ctx, *this);
  m_labels.bind(0);
  program.set("u_labels", 0);
  program.set_vec3_array("u_palette", palette, viz::kLabelPaletteSize);
  program.set("u_opacity", opacity);
  program.set("u_only_label", only_label);
  ctx.shaders.draw_view_quad();
}

bool LabelLayer::draw_controls() {
  bool changed = false;
  ImGui::PushID(this);
  const std::string current = only_label < 0 ? "all structures" : viz::label_name(uint8_t(only_label));
  if (ImGui::BeginCombo("show", current.c_str())) {
    if (ImGui::Selectable("all structures", only_label < 0)) {
      only_label = -1;
      changed = true;
    }
    for (int label = 1; label <= 3; ++label) {
      if (ImGui::Selectable(viz::label_name(uint8_t(label)).c_str(), only_label == label)) {
        only_label = label;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  // Legend: one coloured square per structure.
  for (int label = 1; label <= 3; ++label) {
    const auto c = viz::label_rgb(uint8_t(label));
    ImGui::ColorButton(viz::label_name(uint8_t(label)).c_str(),
                       ImVec4(c[0] / 255.f, c[1] / 255.f, c[2] / 255.f, 1.f),
                       ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
    ImGui::SameLine();
    ImGui::TextUnformatted(viz::label_name(uint8_t(label)).c_str());
    if (label < 3) ImGui::SameLine();
  }
  ImGui::PopID();
  return changed;
}

// ---- RgbaLayer ----

void RgbaLayer::set_rgba(const uint8_t* rgba, int width, int height) {
  m_rgba.upload_rgba8(rgba, width, height);
  ++m_data_revision;
  m_width = width;
  m_height = height;
}

void RgbaLayer::render(const LayerRenderContext& ctx) const {
  if (!m_rgba.valid()) return;
  const ShaderProgram& program = ctx.shaders.rgba_layer();
  program.use();
  set_view_uniforms(program, ctx, *this);
  m_rgba.bind(0);
  program.set("u_rgba", 0);
  program.set("u_opacity", opacity);
  ctx.shaders.draw_view_quad();
}

}  // namespace p2r::studio
