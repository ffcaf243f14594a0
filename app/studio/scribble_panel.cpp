// The Scribbles panel: the brush (class, eraser, size), undo / redo, the classes' names and
// colours, the scribble folder, and the live classifier (its state, save, open, apply).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <initializer_list>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"

namespace p2r::studio {
namespace {

// Width left for a field followed on its line by buttons with these labels.
float field_width(std::initializer_list<const char*> buttons) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float used = 0;
  for (const char* label : buttons) used += ImGui::CalcTextSize(label).x + 2 * style.FramePadding.x + style.ItemSpacing.x;
  return std::max(ImGui::GetContentRegionAvail().x - used, 40.f);
}

void draw_brush(ScribbleCanvas& c) {
  for (int i = 0; i < int(c.classes.size()); ++i) {
    ScribbleClass& k = c.classes[size_t(i)];
    ImGui::PushID(i);
    float rgb[3] = {k.colour[0] / 255.f, k.colour[1] / 255.f, k.colour[2] / 255.f};
    if (ImGui::ColorEdit3("##colour", rgb, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel))
      for (int j = 0; j < 3; ++j) k.colour[size_t(j)] = uint8_t(rgb[j] * 255.f + 0.5f);
    ImGui::SameLine();
    if (ImGui::RadioButton(k.name.c_str(), !c.eraser && c.brush_class == i)) c.brush_class = i, c.eraser = false;
    ImGui::PopID();
    if (i + 1 < int(c.classes.size())) ImGui::SameLine();
  }
  if (ImGui::RadioButton("eraser", c.eraser)) c.eraser = true;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.35f);
  ImGui::SliderFloat("size", &c.brush_size, 1.f, 30.f, "%.0f px");
  ImGui::SameLine();
  ImGui::BeginDisabled(!c.can_undo());
  if (ImGui::Button("Undo")) c.undo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!c.can_redo());
  if (ImGui::Button("Redo")) c.redo();
  ImGui::EndDisabled();
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && !io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z))) c.undo();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Y))) c.redo();
  }
  const auto voxels = c.class_voxels();
  std::string counts;
  for (size_t i = 0; i < c.classes.size() && i < voxels.size(); ++i)
    counts += (i ? "  " : "") + c.classes[i].name + " " + std::to_string(voxels[i]);
  ImGui::TextDisabled("voxels: %s", counts.c_str());
  if (ImGui::TreeNode("class names")) {
    for (size_t i = 0; i < c.classes.size(); ++i) {
      ImGui::PushID(int(i));
      ImGui::InputText("##name", &c.classes[i].name);
      ImGui::PopID();
    }
    ImGui::TreePop();
  }
}

void draw_files(ScribbleCanvas& c) {
  ImGui::SetNextItemWidth(field_width({"Save", "Load"}));
  ImGui::InputTextWithHint("##folder", "scribble folder", &c.folder);
  ImGui::SameLine();
  if (ImGui::Button("Save")) c.save();
  ImGui::SameLine();
  if (ImGui::Button("Load")) c.load();
  if (c.unsaved()) ImGui::TextDisabled("unsaved: autosaved to %s", c.autosave_folder().c_str());
  else if (!c.status.empty()) ImGui::TextDisabled("%s", c.status.c_str());
  draw_dismissable_error(c.error, "dismiss##scribble_files");
  draw_dismissable_error(c.autosave_error, "dismiss##scribble_autosave");
}

void draw_classifier(StudioSession& session) {
  ScribbleTraining& t = session.scribble_training;
  const std::string data_path = !session.prepared_file.empty() ? session.prepared_file : session.source;
  if (session.embeddings.run_dir().empty()) {
    ImGui::TextWrapped("Open a backbone (Dataset panel) to train a classifier on the strokes.");
  } else {
    int head = t.config.head == ScribbleHead::Mlp ? 1 : 0;
    ImGui::SetNextItemWidth(90.f);
    if (ImGui::Combo("head", &head, "linear\0mlp\0")) t.config.head = head ? ScribbleHead::Mlp : ScribbleHead::Linear;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80.f);
    if (ImGui::InputInt("steps", &t.config.steps)) t.config.steps = std::max(t.config.steps, 1);
    if (const Job* task = t.task()) {
      const ProgressSnapshot p = task->progress().snapshot();
      ImGui::ProgressBar(p.fraction() < 0 ? 0.f : float(p.fraction()), ImVec2(-1, 0), task->title().c_str());
    }
    if (!t.status.empty()) ImGui::TextWrapped("%s", t.status.c_str());
    if (!t.slice_latencies_ms().empty())
      ImGui::TextDisabled(
          "stroke -> slice %s, -> volume %s", timing_text(t.slice_latencies_ms().back(), 0, "ms").c_str(),
          t.volume_latencies_ms().empty() ? "--" : timing_text(t.volume_latencies_ms().back(), 0, "ms").c_str());
  }
  draw_dismissable_error(t.error, "dismiss##scribble_training");
  ImGui::SetNextItemWidth(field_width({"Save classifier", "Open"}));
  ImGui::InputTextWithHint("##model", "classifier folder", &t.classifier_dir);
  ImGui::SameLine();
  ImGui::BeginDisabled(!t.has_classifier());
  if (ImGui::Button("Save classifier")) t.save_classifier(t.classifier_dir, data_path);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Open")) t.open_classifier(t.classifier_dir);
  ImGui::SetNextItemWidth(field_width({"Apply to dataset"}));
  ImGui::InputTextWithHint("##apply", "predictions folder", &t.predictions_dir);
  ImGui::SameLine();
  ImGui::BeginDisabled(!t.has_classifier());
  if (ImGui::Button("Apply to dataset")) t.apply_to_dataset(t.predictions_dir, data_path);
  ImGui::EndDisabled();
}

}  // namespace

void draw_scribble_panel(StudioSession& session) {
  if (!session.browser.data()) {
    ImGui::TextDisabled("no data open");
    return;
  }
  draw_brush(session.scribbles);
  ImGui::TextDisabled("left drag: paint  Ctrl+drag: pan");
  ImGui::Separator();
  draw_files(session.scribbles);
  ImGui::Separator();
  draw_classifier(session);
}

}  // namespace p2r::studio
