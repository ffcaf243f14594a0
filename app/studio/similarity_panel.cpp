// The embedding controls (open a pretraining run as the backbone, in the Dataset panel) and the
// similarity column beside the image view: progress or error of the embeddings, the query and its
// range, and the grid of comparison slices with each one's best-matching pixel marked.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"
#include "core/io/dataset_layout.h"

namespace p2r::studio {
namespace {

void draw_cross(ImDrawList* draw, ImVec2 at, float r) {
  for (const auto& [colour, width] : {std::pair<ImU32, float>{IM_COL32(0, 0, 0, 200), 3.f},
                                      std::pair<ImU32, float>{IM_COL32(255, 255, 255, 255), 1.f}}) {
    draw->AddLine(ImVec2(at.x - r, at.y), ImVec2(at.x - 0.4f * r, at.y), colour, width);
    draw->AddLine(ImVec2(at.x + 0.4f * r, at.y), ImVec2(at.x + r, at.y), colour, width);
    draw->AddLine(ImVec2(at.x, at.y - r), ImVec2(at.x, at.y - 0.4f * r), colour, width);
    draw->AddLine(ImVec2(at.x, at.y + 0.4f * r), ImVec2(at.x, at.y + r), colour, width);
  }
}

// "patient002 ED z5"; short: "002 ED z5" (a subject id ending in digits keeps only them).
std::string slice_caption(const SliceSet& data, int slice, bool short_id = false) {
  const VolumeRecord& v = data.volume_of(slice);
  const char* phase = phase_name(v.phase);
  std::string id = v.subject;
  const size_t digits = id.find_last_not_of("0123456789");
  if (short_id && digits != std::string::npos && digits + 1 < id.size()) id = id.substr(digits + 1);
  char text[128];
  std::snprintf(text, sizeof(text), "%s %s z%d", id.c_str(), phase[0] ? phase : "", data.slices[slice].z);
  return text;
}

void draw_status(StudioSession& session) {
  EmbeddingState& e = session.embeddings;
  if (const Job* task = e.task()) {
    const ProgressSnapshot p = task->progress().snapshot();
    const double f = p.fraction();
    ImGui::ProgressBar(f < 0 ? 0.f : float(f), ImVec2(-1, 0), f < 0 ? "working..." : nullptr);
    ImGui::TextWrapped("embedding the data with %s (%s)", e.run_dir().c_str(), p.stage.c_str());
  } else if (e.ready()) {
    ImGui::TextWrapped("backbone %s: %s", e.run_dir().c_str(), e.description().c_str());
  }
  draw_dismissable_error(e.error, "dismiss##embeddings");
}

// The epoch slider over the backbone run's snapshots and the run itself ("end"); a move embeds with
// that backbone (a job; the shown maps stay until its embeddings are ready). Hidden without snapshots.
void draw_snapshot_slider(StudioSession& session) {
  BackboneSnapshots& snapshots = session.snapshots;
  if (!snapshots.available()) return;
  const std::vector<std::string> labels = snapshots.labels();
  int index = snapshots.selected();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##snapshot_epoch", &index, 0, int(labels.size()) - 1, labels[size_t(index)].c_str(),
                       ImGuiSliderFlags_AlwaysClamp) &&
      index != snapshots.selected())
    snapshots.select(index, session.embeddings);
}

// text shortened with ".." at the end to fit width pixels.
std::string fitted_text(std::string text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  while (!text.empty() && ImGui::CalcTextSize((text + "..").c_str()).x > width) text.pop_back();
  return text + "..";
}

// The grid's columns that give the largest cells in avail (cells square, a caption line under each).
int grid_columns(size_t cells, ImVec2 avail, float spacing, float caption) {
  int best = 1;
  float best_cell = 0;
  for (int columns = 1; columns <= 4; ++columns) {
    const int rows = (int(cells) + columns - 1) / columns;
    const float cell = std::min((avail.x - spacing * float(columns - 1)) / float(columns),
                                rows ? avail.y / float(rows) - caption : avail.x);
    if (cell > best_cell + 0.5f) best = columns, best_cell = cell;
  }
  return best;
}

void draw_grid(StudioSession& session) {
  const SimilarityQuery& q = session.query;
  const SliceSet& data = *session.browser.data();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float caption = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int columns = grid_columns(q.grid().size(), avail, spacing, caption);
  const int rows = (int(q.grid().size()) + columns - 1) / columns;
  const float cell = std::floor(std::min((avail.x - spacing * float(columns - 1)) / float(columns),
                                         rows ? avail.y / float(rows) - caption : avail.x));
  if (cell < 16) return;
  for (size_t i = 0; i < q.grid().size(); ++i) {
    const GridCell& c = q.grid()[i];
    if (i % columns) ImGui::SameLine();
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Image(reinterpret_cast<ImTextureID>(intptr_t(c.texture.id())), ImVec2(cell, cell));
    const float s = cell / float(std::max(c.texture.width(), 1));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(at, ImVec2(at.x + cell, at.y + cell), true);  // the marker stays on its slice
    draw_cross(draw, ImVec2(at.x + (float(c.best.pixel.x) + 0.5f) * s, at.y + (float(c.best.pixel.y) + 0.5f) * s),
               std::max(5.f, 1.5f * s));
    draw->PopClipRect();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\nbest match (%d, %d), cosine %.3f", slice_caption(data, c.slice).c_str(), c.best.pixel.x,
                        c.best.pixel.y, c.best.score);
    char score[16];
    std::snprintf(score, sizeof(score), " %.2f", c.best.score);
    // The caption fits its cell, so columns never push each other out of the panel.
    const float room = cell - ImGui::CalcTextSize(score).x;
    std::string caption = slice_caption(data, c.slice);
    if (ImGui::CalcTextSize(caption.c_str()).x > room) caption = fitted_text(slice_caption(data, c.slice, true), room);
    ImGui::TextUnformatted((caption + score).c_str());
    ImGui::EndGroup();
  }
}

// The dataset index's progress while it builds, and its error or a search's.
void draw_index_status(SimilarityQuery& q) {
  if (const Job* task = q.dataset().task()) {
    const double f = task->progress().snapshot().fraction();
    ImGui::ProgressBar(f < 0 ? 0.f : float(f), ImVec2(-1, 0), "indexing the dataset");
  }
  draw_dismissable_error(q.dataset().error, "dismiss##dataset_index");
}

// "Compare with:" the grid's mode (the dataset mode is disabled in builds without the index).
void draw_grid_mode(SimilarityQuery& q) {
  static const char* const kModes[] = {"same position in other subjects", "best matches in the dataset"};
  ImGui::TextUnformatted("Compare with:");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##grid_mode", kModes[int(q.grid_mode)])) {
    for (int mode = 0; mode < 2; ++mode) {
      const bool enabled = mode == int(GridMode::Position) || DatasetSearch::available();
      if (ImGui::Selectable(kModes[mode], mode == int(q.grid_mode), enabled ? 0 : ImGuiSelectableFlags_Disabled))
        q.grid_mode = GridMode(mode);
    }
    ImGui::EndCombo();
  }
}

}  // namespace

void draw_backbone_button(StudioSession& session) {
  if (ImGui::Button("Open backbone...")) ImGui::OpenPopup("Open backbone (pretraining run)");
  if (session.embeddings.ready()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", session.embeddings.run_dir().c_str());
  }
  if (ImGui::BeginPopup("Open backbone (pretraining run)")) {
    static char path[1024] = "";
    ImGui::TextUnformatted("Pretraining run folder (config.json + checkpoint.pt):");
    ImGui::SetNextItemWidth(360);
    const bool enter = ImGui::InputTextWithHint("##backbone", "runs/pretrain-...", path, sizeof(path),
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    if ((ImGui::Button("Open") || enter) && path[0]) {
      session.embeddings.open(path);
      ImGui::CloseCurrentPopup();
    }
    const std::string last = session.jobs.last_pretraining_dir();
    if (!last.empty()) {
      ImGui::SameLine();
      if (ImGui::Button("Last pretraining run")) {
        session.embeddings.open(last);
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::EndPopup();
  }
}

void draw_similarity_panel(StudioSession& session) {
  draw_status(session);
  draw_snapshot_slider(session);
  if (!session.embeddings.ready()) return;
  draw_equivariance_controls(session);
  SimilarityQuery& q = session.query;
  draw_index_status(q);
  if (!q.active()) {
    ImGui::TextWrapped("Click or drag on the image to query a pixel (Ctrl + drag or middle drag pans).");
    return;
  }
  const SliceSet& data = *session.browser.data();
  ImGui::Text("query (%d, %d) of %s", q.query().x, q.query().y, slice_caption(data, q.query().slice).c_str());
  ImGui::Text("cosine %.2f .. %.2f, map %s, grid %s", q.low(), q.high(), timing_text(q.map_ms(), 2, "ms").c_str(),
              timing_text(q.grid_ms(), 1, "ms").c_str());
  if (q.grid_from_dataset()) ImGui::Text("dataset search %s", timing_text(q.search_ms(), 0, "ms").c_str());
  ImGui::Checkbox("auto range", &q.auto_range);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderInt("##grid", &q.grid_size, 0, 16, "%d slices");
  draw_grid_mode(q);
  ImGui::Separator();
  draw_grid(session);
}

}  // namespace p2r::studio
