// The Export figure window (menu Export > Figure..., or the results window's Export buttons): a
// figure kind, the output file and formats, DPI and column width, then Export writes what the studio
// shows (figure_exporter.h) with its provenance sidecar; the written files or the reason nothing was
// written are shown.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {

namespace {

void draw_export_form(StudioSession& session) {
  FigureExporter& exporter = session.exporter;
  ExportSettings& s = exporter.settings;
  int kind = int(s.kind);
  const char* names[kExportKinds];
  for (int k = 0; k < kExportKinds; ++k) names[k] = export_kind_name(ExportKind(k));
  ImGui::SetNextItemWidth(-70);
  if (ImGui::Combo("kind", &kind, names, kExportKinds)) s.kind = ExportKind(kind);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("similarity: the query and its comparison grid\nembedding: the t-SNE view\n"
                      "segmentation: the shown slice with the open model\ndice, table: a benchmark's results\n"
                      "equivariance: the shown slice's equivariance and reversal errors");
  ImGui::SetNextItemWidth(-70);
  ImGui::InputTextWithHint("file", "figure.png / .pdf / .svg", &s.path);
  if (s.kind == ExportKind::Dice || s.kind == ExportKind::Table) {
    ImGui::SetNextItemWidth(-70);
    ImGui::InputTextWithHint("results", "benchmark folder or runs.csv", &s.results);
  }
  if (s.kind != ExportKind::Table) {
    ImGui::Checkbox("+PDF", &s.also_pdf);
    ImGui::SameLine();
    ImGui::Checkbox("+SVG", &s.also_svg);
    ImGui::SameLine();
    ImGui::Checkbox("2 columns", &s.double_column);
    ImGui::SetNextItemWidth(-70);
    if (ImGui::InputInt("DPI", &s.dpi, 50)) s.dpi = std::clamp(s.dpi, 10, 2400);
  }
  if (s.kind == ExportKind::Segmentation) ImGui::Checkbox("whole volume (one row per slice)", &s.whole_volume);
  ImGui::BeginDisabled(exporter.busy());
  if (ImGui::Button("Export")) exporter.start(session);
  ImGui::EndDisabled();
  if (const Job* task = exporter.task()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s...", task->title().c_str());
  }
  if (!exporter.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", exporter.error.c_str());
    ImGui::PopStyleColor();
  } else if (!exporter.last().outputs.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    for (const std::string& p : exporter.last().outputs) ImGui::TextWrapped("wrote %s", p.c_str());
    ImGui::TextWrapped("sidecar %s", exporter.last().sidecar.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace

void draw_export_window(StudioSession& session) {
  FigureExporter& exporter = session.exporter;
  if (!exporter.window_open) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.35f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(440, 0), ImGuiCond_Appearing);
  const bool shown = ImGui::Begin("Export figure", &exporter.window_open, ImGuiWindowFlags_NoSavedSettings |
                                                                             ImGuiWindowFlags_NoCollapse);
  if (shown) draw_export_form(session);
  ImGui::End();
}

}  // namespace p2r::studio
