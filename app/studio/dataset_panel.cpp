// The dataset panel: open data, see loading progress and errors, browse subjects, frames, slices.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {
namespace {

// More frames than this (a 4D cine file) get a slider instead of one button each.
constexpr int kMaxFrameButtons = 4;

void draw_source(StudioSession& session) {
  static char path[1024] = "";
  ImGui::TextDisabled("open");
  ImGui::SameLine();
  ImGui::TextUnformatted(session.source.empty() ? "(nothing yet)" : session.source.c_str());
  ImGui::SetNextItemWidth(-110);
  const bool enter = ImGui::InputTextWithHint("##path", "NIfTI file, .p2rs file or dataset folder", path,
                                              sizeof(path), ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || enter) && path[0]) session.open({path});
  ImGui::SameLine();
  if (ImGui::Button("Demo")) session.open({});
  if (session.loading()) {
    const JobProgress* progress = session.loader.progress();
    const ProgressSnapshot snap = progress ? progress->snapshot() : ProgressSnapshot();
    const float fraction = float(snap.fraction());
    const std::string text = "opening " + session.loader.source() +
                             (progress ? " - " + snap.stage + (snap.note.empty() ? "" : ": " + snap.note) : std::string());
    ImGui::ProgressBar(fraction < 0 ? 0.f : fraction, ImVec2(-1, 0),
                       fraction < 0 ? "working..." : nullptr);
    ImGui::TextWrapped("%s", text.c_str());
  }
  draw_dismissable_error(session.error, "dismiss");
}

void draw_subjects(DatasetBrowser& browser) {
  const auto& subjects = browser.subjects();
  ImGui::Text("%d subjects, %d slices", int(subjects.size()), browser.data()->slice_count());
  const float height = ImGui::GetContentRegionAvail().y - 6 * ImGui::GetFrameHeightWithSpacing();
  if (ImGui::BeginListBox("##subjects", ImVec2(-1, std::max(height, 80.f)))) {
    for (int i = 0; i < int(subjects.size()); ++i) {
      const SubjectEntry& s = subjects[i];
      char label[160];
      std::snprintf(label, sizeof(label), "%-14s %-5s %s", s.id.c_str(), s.group.c_str(),
                    s.split.c_str());
      const bool selected = i == browser.subject();
      if (ImGui::Selectable(label, selected)) browser.select_subject(i);
      if (selected && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
    }
    ImGui::EndListBox();
  }
}

void draw_frames_and_slice(DatasetBrowser& browser) {
  const SliceSet& data = *browser.data();
  const SubjectEntry& subject = browser.subjects()[browser.subject()];
  const int frames = int(subject.volumes.size());
  if (frames > kMaxFrameButtons) {  // a cine series: a slider over its frames
    int k = 0;
    while (k < frames && subject.volumes[k] != browser.volume()) ++k;
    int shown = k + 1;
    const std::string format = "frame %d of " + std::to_string(frames);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##frame", &shown, 1, frames, format.c_str())) browser.select_frame(shown - 1);
  }
  for (int k = 0; k < frames && frames <= kMaxFrameButtons; ++k) {
    const VolumeRecord& record = data.volumes[subject.volumes[k]];
    const char* phase = phase_name(record.phase);
    char label[64];
    if (record.frame > 0) std::snprintf(label, sizeof(label), "%s frame %d", phase[0] ? phase : "vol", record.frame);
    else std::snprintf(label, sizeof(label), "volume");  // a plain NIfTI file: no frame number
    if (k) ImGui::SameLine();
    if (ImGui::RadioButton(label, browser.volume() == subject.volumes[k])) browser.select_frame(k);
  }
  int position = browser.position();
  const int count = browser.slice_count();
  const SliceRef& ref = data.slices[browser.slice_index()];
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##slice", &position, 0, count - 1, "slice %d"))
    browser.select_position(position);
  const VolumeRecord& record = data.volume_of(browser.slice_index());
  ImGui::Text("z %d of %d, %s", ref.z, record.slice_count, record.has_label ? "labelled" : "no labels");
  ImGui::Text("spacing %.2f x %.2f x %.2f mm", record.geometry.spacing[0], record.geometry.spacing[1],
              record.geometry.spacing[2]);
  ImGui::Text("%s crop, %d x %d", crop_mode_name(data.config.crop), data.size, data.size);
}

}  // namespace

void draw_dataset_panel(StudioSession& session) {
  draw_source(session);
  ImGui::Separator();
  if (!session.browser.data()) {
    if (!session.loading()) ImGui::TextWrapped("Nothing open. File > Open, drop files on the window, type a path above, or open the demo.");
    return;
  }
  draw_subjects(session.browser);
  if (session.browser.subject() >= 0) draw_frames_and_slice(session.browser);
  if (const SourceSlice* src = session.grid.native ? session.sources.current() : nullptr)
    ImGui::Text("native view: source %d x %d, scanner values", src->width, src->height);
  else if (!session.native_problem.empty())
    ImGui::TextDisabled("prepared view (%s)", session.native_problem.c_str());
  draw_backbone_button(session);
}

}  // namespace p2r::studio
