// The Scribbles panel: the brush (class, eraser, size), undo / redo, the classes (add, rename,
// recolour, remove), the scribble folder, and the live classifier (its state, save, open, apply).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"
#include "viz/colormap.h"

namespace p2r::studio {
namespace {

// Width left for a field followed on its line by buttons with these labels.
float field_width(std::initializer_list<const char*> buttons) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float used = 0;
  for (const char* label : buttons) used += ImGui::CalcTextSize(label).x + 2 * style.FramePadding.x + style.ItemSpacing.x;
  return std::max(ImGui::GetContentRegionAvail().x - used, 40.f);
}

std::array<uint8_t, 3> to_rgb(const float rgb[3]) {
  return {uint8_t(rgb[0] * 255.f + 0.5f), uint8_t(rgb[1] * 255.f + 0.5f), uint8_t(rgb[2] * 255.f + 0.5f)};
}

// Rename (Enter), remove, and add a class (a name and a colour: the label palette's next at first).
void draw_class_editor(ScribbleCanvas& c) {
  for (int i = 0; i < int(c.classes().size()); ++i) {
    ImGui::PushID(i);
    std::string name = c.classes()[size_t(i)].name;
    ImGui::SetNextItemWidth(field_width({"Remove"}));
    if (ImGui::InputText("##name", &name, ImGuiInputTextFlags_EnterReturnsTrue)) c.error = c.rename_class(i, name);
    ImGui::SameLine();
    if (ImGui::Button("Remove")) c.error = c.remove_class(i);
    ImGui::PopID();
  }
  static std::string new_name;
  static float new_rgb[3];
  static size_t coloured_for = 0;  // the class count the proposed colour was picked for
  if (coloured_for != c.classes().size()) {
    coloured_for = c.classes().size();
    const auto rgb = viz::label_rgb(uint8_t(coloured_for));
    for (int j = 0; j < 3; ++j) new_rgb[j] = rgb[size_t(j)] / 255.f;
  }
  ImGui::ColorEdit3("##new_colour", new_rgb, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field_width({"Add class"}) - ImGui::GetFrameHeight());
  ImGui::InputTextWithHint("##new_name", "new class name", &new_name);
  ImGui::SameLine();
  if (ImGui::Button("Add class")) {
    c.error = c.add_class(new_name, to_rgb(new_rgb));
    if (c.error.empty()) new_name.clear();
  }
}

void draw_brush(ScribbleCanvas& c) {
  const ClassList& classes = c.classes();
  for (int i = 0; i < int(classes.size()); ++i) {
    ImGui::PushID(i);
    const auto& k = classes[size_t(i)].rgb;
    float rgb[3] = {k[0] / 255.f, k[1] / 255.f, k[2] / 255.f};
    if (ImGui::ColorEdit3("##colour", rgb, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel))
      c.recolour_class(i, to_rgb(rgb));
    ImGui::SameLine();
    if (ImGui::RadioButton(classes[size_t(i)].name.c_str(), !c.eraser && c.brush_class == i))
      c.brush_class = i, c.eraser = false;
    ImGui::PopID();
    if (i + 1 < int(classes.size())) {  // the next class on this line when it fits
      const ImGuiStyle& style = ImGui::GetStyle();
      const float next = 2 * ImGui::GetFrameHeight() + style.ItemSpacing.x + style.ItemInnerSpacing.x +
                         ImGui::CalcTextSize(classes[size_t(i) + 1].name.c_str()).x;
      if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    }
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
  ImGui::TextDisabled("voxels: %s", class_counts_text(classes, c.class_voxels()).c_str());
  if (ImGui::TreeNode("classes")) {
    draw_class_editor(c);
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
