// Benchmark results: "Open results" at the bottom of the Model panel, and the "Benchmark results"
// window with the paper-style table (mean +- std over runs, best of each column highlighted) and
// the Dice-against-|Xtr| plot of the shown metric and space; Export hands the folder, metric and
// space to the Export section (dice plot or tables).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "app/studio/line_plot.h"
#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "viz/figure/figure_palette.h"

namespace p2r::studio {
namespace {

unsigned method_colour(int i) {
  const viz::Rgb c = viz::okabe_ito(i);  // the colours of `pix2rep figure dice`
  return IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), 255);
}

void draw_choices(BenchmarkResults& results) {
  const auto& metrics = benchmark_metrics();
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("metric", benchmark_metric_title(results.metric()))) {
    for (const std::string& m : metrics)
      if (ImGui::Selectable(benchmark_metric_title(m), m == results.metric())) results.set_metric(m);
    ImGui::EndCombo();
  }
  for (const std::string& space : results.spaces()) {
    ImGui::SameLine();
    if (ImGui::RadioButton(space.c_str(), space == results.space())) results.set_space(space);
  }
}

void draw_table(const ResultTable& table) {
  const int columns = int(table.column_names.size()) + 1;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("##results", columns, flags)) return;
  ImGui::TableSetupColumn(table.corner.c_str());
  for (const std::string& c : table.column_names) ImGui::TableSetupColumn(c.c_str());
  ImGui::TableHeadersRow();
  std::vector<int> best;
  for (int c = 0; c < int(table.column_names.size()); ++c) best.push_back(table.best_row(c));
  for (int r = 0; r < int(table.row_names.size()); ++r) {
    if (r < int(table.row_groups.size()) && (r == 0 || table.row_groups[r] != table.row_groups[r - 1])) {
      ImGui::TableNextRow();  // the paper's groups: fully supervised, semi-supervised, ...
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", table.row_groups[r].c_str());
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::ColorButton("##swatch", ImGui::ColorConvertU32ToFloat4(method_colour(r)), ImGuiColorEditFlags_NoTooltip,
                       ImVec2(10, 10));
    ImGui::SameLine();
    ImGui::TextUnformatted(table.row_names[r].c_str());
    for (int c = 0; c < int(table.column_names.size()); ++c) {
      ImGui::TableNextColumn();
      const auto& cell = table.cells[r][c];
      if (!cell) {
        ImGui::TextDisabled("-");
        continue;
      }
      char text[64];
      std::snprintf(text, sizeof text, "%.3f +- %.3f (%d)", cell->mean, cell->std, cell->count);
      if (best[c] == r) ImGui::TextColored(ImVec4(0.55f, 0.95f, 0.55f, 1.f), "%s", text);
      else ImGui::TextUnformatted(text);
    }
  }
  ImGui::EndTable();
}

void draw_plot(const BenchmarkResults& results, float height) {
  std::vector<std::vector<double>> xs, ys;
  for (const MethodCurve& c : results.curves()) {
    xs.emplace_back(c.n_labelled.begin(), c.n_labelled.end());
    ys.emplace_back();
    for (const MeanStd& v : c.values) ys.back().push_back(v.mean);
  }
  std::vector<PlotCurve> curves;
  for (size_t i = 0; i < xs.size(); ++i)
    curves.push_back({results.curves()[i].method, &xs[i], &ys[i], method_colour(int(i)), 2.f, true});
  draw_line_plot("results_plot", curves, {"labelled subjects |Xtr|", true, 0.0, 1.0}, height);
}

void export_results(StudioSession& session, ExportKind kind) {
  ExportSettings& s = session.exporter.settings;
  s.kind = kind;
  s.results = session.results.path();
  if (kind == ExportKind::Table) s.path = "table.md";
  else if (s.path == "table.md") s.path = "dice.png";
  session.exporter.window_open = true;
}

}  // namespace

void draw_results_opener(StudioSession& session) {
  static std::string path;
  BenchmarkResults& results = session.results;
  ImGui::Separator();
  ImGui::TextUnformatted("Benchmark results");
  ImGui::SetNextItemWidth(-110);
  const bool enter = ImGui::InputTextWithHint("##results", "benchmark folder or runs.csv", &path,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open##results") || enter) && results.open(path)) results.show_window = true;
  if (results.has_results() && !results.show_window) {
    ImGui::SameLine();
    if (ImGui::Button("Show")) results.show_window = true;
  }
  draw_dismissable_error(results.error, "dismiss##results");
}

void draw_results_window(StudioSession& session) {
  BenchmarkResults& results = session.results;
  if (!results.show_window || !results.has_results()) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImVec2 size(std::min(620.f, display.x * 0.6f), std::min(520.f, display.y * 0.7f));
  ImGui::SetNextWindowPos(ImVec2((display.x - size.x) * 0.5f, (display.y - size.y) * 0.35f), ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
  if (ImGui::Begin("Benchmark results", &results.show_window, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::TextDisabled("%s (%d rows)", benchmark_runs_path(results.path()).c_str(), results.row_count());
    draw_choices(results);
    const ResultTable table = results.table();
    ImGui::TextUnformatted("mean +- std over runs (runs); best of each column in green");
    draw_table(table);
    draw_plot(results, std::max(ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() - 4.f, 120.f));
    if (ImGui::Button("Export plot...")) export_results(session, ExportKind::Dice);
    ImGui::SameLine();
    if (ImGui::Button("Export tables...")) export_results(session, ExportKind::Table);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("CSV, Markdown and LaTeX, via the Export section");
  }
  ImGui::End();
}

}  // namespace p2r::studio
