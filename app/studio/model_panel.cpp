// The Model panel: open a segmentation run folder, segment the shown volume, per-structure Dice
// of the prediction (or of its largest-component clean-up) against the ground truth; errors (corrupt or mismatched model) in red; then
// "Benchmark results" (results_panel.cpp).
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"
#include "viz/colormap.h"

namespace p2r::studio {
namespace {

void draw_dice_table(const DiceScores& dice) {
  if (!ImGui::BeginTable("##dice", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupColumn("structure");
  ImGui::TableSetupColumn("3D Dice");
  ImGui::TableHeadersRow();
  for (int c = 1; c < kNumClasses; ++c) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const auto rgb = viz::label_rgb(uint8_t(c));
    ImGui::ColorButton("##swatch", ImVec4(rgb[0] / 255.f, rgb[1] / 255.f, rgb[2] / 255.f, 1.f),
                       ImGuiColorEditFlags_NoTooltip, ImVec2(10, 10));
    ImGui::SameLine();
    ImGui::TextUnformatted(class_names()[c]);
    ImGui::TableNextColumn();
    if (dice.absent[c]) ImGui::TextDisabled("absent");
    else ImGui::Text("%.3f", dice.dice[c]);
  }
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("mean (RV, MYO, LV)");
  ImGui::TableNextColumn();
  ImGui::Text("%.3f", dice.mean_foreground());
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("background");
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%.3f", dice.dice[0]);
  ImGui::EndTable();
}

// The shown volume's prediction and its per-structure Dice.
void draw_prediction(StudioSession& session) {
  ModelState& model = session.model;
  const SliceSet* data = session.browser.data();
  if (!data || session.browser.slice_index() < 0) return;
  const VolumePrediction* p = model.prediction(session.browser.volume());
  if (!p) {
    if (model.has_model()) ImGui::TextDisabled("the shown volume has no prediction yet");
    return;
  }
  const VolumeRecord& record = data->volumes[p->volume];
  ImGui::Text("%s %s: %d slices in %s", record.subject.c_str(), phase_name(record.phase), record.slice_count,
              timing_text(p->seconds, 2, "s").c_str());
  if (!p->cleaned.empty()) {
    bool clean = model.clean();
    if (ImGui::Checkbox("largest piece of each structure", &clean)) model.set_clean(clean);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("keep the largest connected piece of the heart and of each structure (the benchmark's "
                        "'cleaned' scores, predict --clean)");
  }
  if (const auto& dice = p->shown_dice(model.clean())) draw_dice_table(*dice);
  else ImGui::TextDisabled("no ground truth for this volume: no Dice");
}

}  // namespace

void draw_model_panel(StudioSession& session) {
  static std::string path;
  ModelState& model = session.model;
  ImGui::SetNextItemWidth(-110);
  const bool enter = ImGui::InputTextWithHint("##model", "segmentation run folder", &path,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || enter) && !path.empty()) model.open(path);
  const std::string last = session.jobs.last_segmentation_dir();
  if (!last.empty()) {
    ImGui::SameLine();
    if (ImGui::Button("Last")) model.open(last);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("open %s", last.c_str());
  }
  if (model.has_model()) {
    ImGui::TextWrapped("%s", model.dir().c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", model.description().c_str());
    ImGui::PopStyleColor();
  } else if (!model.busy()) {
    ImGui::TextDisabled("no model open");
  }
  if (const Job* task = model.task()) {
    const ProgressSnapshot snap = task->progress().snapshot();
    ImGui::ProgressBar(std::max(float(snap.fraction()), 0.f), ImVec2(-1, 0), task->title().c_str());
  }
  const bool can_segment = model.has_model() && !model.busy() && session.ready();
  ImGui::BeginDisabled(!can_segment);
  if (ImGui::Button("Segment shown volume"))
    model.segment(session.browser.shared_data(), {session.browser.volume()});
  ImGui::SameLine();
  if (ImGui::Button("Segment subject") && session.browser.subject() >= 0)
    model.segment(session.browser.shared_data(),
                  session.browser.subjects()[session.browser.subject()].volumes);
  ImGui::EndDisabled();
  draw_dismissable_error(model.error, "dismiss##model");
  draw_prediction(session);
  draw_results_opener(session);
}

}  // namespace p2r::studio
