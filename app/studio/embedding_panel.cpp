// The Embedding section below the similarity column: "Compute t-SNE" of the shown volume's sampled
// pixels (the plan shown), progress, and the scatter (ImDrawList) coloured by ground truth or by
// the 2D reference colour map; dragging a rectangle selects points (-> "t-SNE selection" layer),
// the queried pixel's point is ringed.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"
#include "viz/colormap.h"

namespace p2r::studio {
namespace {

ImU32 point_colour(const TsneSample& r, int i, bool by_label) {
  if (by_label) {
    if (r.labels[size_t(i)] == 0) return IM_COL32(120, 120, 120, 200);
    const auto c = viz::label_rgb(r.labels[size_t(i)]);
    return IM_COL32(c[0], c[1], c[2], 255);
  }
  const float* c = &r.colours[size_t(i) * 3];
  return IM_COL32(int(c[0] * 255.f), int(c[1] * 255.f), int(c[2] * 255.f), 255);
}

void draw_scatter(TsneView& tsne, float side) {
  const TsneSample& r = *tsne.result();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##tsne_plot", ImVec2(side, side));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, ImVec2(p0.x + side, p0.y + side), IM_COL32(20, 20, 24, 255));
  const float m = 6.f, inner = side - 2 * m;
  const float sx = std::max(r.max_x - r.min_x, 1e-6f), sy = std::max(r.max_y - r.min_y, 1e-6f);
  auto to_screen = [&](int i) {
    return ImVec2(p0.x + m + (r.coords[2 * size_t(i)] - r.min_x) / sx * inner,
                  p0.y + m + (1.f - (r.coords[2 * size_t(i) + 1] - r.min_y) / sy) * inner);
  };
  const float h = side > 300 ? 1.5f : 1.f;
  // Background first, so structures stay visible on top.
  for (int pass = 0; pass < 2; ++pass)
    for (int i = 0; i < r.size(); ++i) {
      if ((r.labels[size_t(i)] != 0) != (pass == 1) && tsne.colour_by_label) continue;
      if (!tsne.colour_by_label && pass == 1) break;
      const ImVec2 c = to_screen(i);
      draw->AddRectFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), point_colour(r, i, tsne.colour_by_label));
    }
  if (tsne.selected_count() > 0)
    for (int i = 0; i < r.size(); ++i)
      if (tsne.selected()[size_t(i)]) {
        const ImVec2 c = to_screen(i);
        draw->AddRect(ImVec2(c.x - h - 1, c.y - h - 1), ImVec2(c.x + h + 1, c.y + h + 1), IM_COL32(255, 230, 0, 255));
      }
  if (tsne.highlighted() >= 0) {
    const ImVec2 c = to_screen(tsne.highlighted());
    draw->AddCircle(c, 7.f, IM_COL32(0, 0, 0, 220), 0, 3.f);
    draw->AddCircle(c, 7.f, IM_COL32(255, 255, 255, 255), 0, 1.5f);
  }
  // Drag a rectangle to select; a click without a drag clears the selection.
  const ImGuiIO& io = ImGui::GetIO();
  auto unit = [&](ImVec2 s) { return ImVec2((s.x - p0.x - m) / inner, (s.y - p0.y - m) / inner); };
  if (ImGui::IsItemActive()) {
    const ImVec2 a = io.MouseClickedPos[0], b = io.MousePos;
    draw->AddRect(ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x), std::max(a.y, b.y)),
                  IM_COL32(255, 230, 0, 255));
  }
  if (ImGui::IsItemDeactivated()) {
    const ImVec2 a = unit(io.MouseClickedPos[0]), b = unit(io.MousePos);
    tsne.select(a.x, a.y, b.x, b.y);
  }
}

// A saved layout (tsne_points.csv): typed path, "Open" shows it instead of computing, "Save" writes
// the shown one.
void draw_layout_row(TsneView& tsne, StudioSession& session) {
  static char path[512] = "";
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - 150.f, 80.f));
  ImGui::InputTextWithHint("##tsne_layout", "layout file (tsne_points.csv)", path, sizeof path);
  ImGui::SameLine();
  ImGui::BeginDisabled(tsne.busy() || path[0] == 0);
  if (ImGui::SmallButton("Open layout")) {
    try {
      tsne.start(session.embeddings, session.browser, path);
    } catch (const std::exception& e) {
      tsne.error = e.what();
    }
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!tsne.ready());
  if (ImGui::SmallButton("Save")) {
    try {
      tsne.save_layout(path);
    } catch (const std::exception& e) {
      tsne.error = e.what();
    }
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
}

}  // namespace

void draw_embedding_panel(StudioSession& session) {
  TsneView& tsne = session.tsne;
  ImGui::TextUnformatted("Embedding (t-SNE)");
  ImGui::BeginDisabled(tsne.busy());
  if (ImGui::Button("Compute t-SNE")) {
    try {
      tsne.start(session.embeddings, session.browser);
    } catch (const std::exception& e) {
      tsne.error = e.what();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("%s, %d it.", tsne.plan(session.embeddings, session.browser).c_str(), tsne.settings.iterations);
  draw_layout_row(tsne, session);
  if (const Job* task = tsne.task()) {
    const ProgressSnapshot p = task->progress().snapshot();
    const double f = p.fraction();
    ImGui::ProgressBar(f < 0 ? 0.f : float(f), ImVec2(-1, 0), f < 0 ? p.stage.c_str() : nullptr);
  }
  if (!tsne.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", tsne.error.c_str());
    ImGui::PopStyleColor();
  }
  const TsneSample* r = tsne.result();
  if (!r) return;
  int mode = tsne.colour_by_label ? 0 : 1;
  ImGui::RadioButton("ground truth", &mode, 0);
  ImGui::SameLine();
  ImGui::RadioButton("2D colour map", &mode, 1);
  tsne.colour_by_label = mode == 0;
  ImGui::SameLine();
  ImGui::TextDisabled("%d pts, %s, %d selected", r->size(), timing_text(r->seconds_tsne, 1, "s").c_str(),
                      tsne.selected_count());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(std::min(avail.x, avail.y), 40.f);
  draw_scatter(tsne, side);
}

}  // namespace p2r::studio
