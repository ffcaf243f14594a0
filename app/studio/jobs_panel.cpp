// The Jobs panel: launch pretraining, resumes and segmentation training on the open data; the
// selected job's progress with ETA, live training curves, cancel / resume, errors; the job list.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>
#include <string>

#include "app/studio/line_plot.h"
#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "app/studio/timing_text.h"
#include "core/train/pretrainer.h"

namespace p2r::studio {
namespace {


ImVec4 state_color(JobState state) {
  switch (state) {
    case JobState::Running: return {0.45f, 0.75f, 1.f, 1.f};
    case JobState::Succeeded: return {0.45f, 0.85f, 0.45f, 1.f};
    case JobState::Failed: return {1.f, 0.45f, 0.4f, 1.f};
    case JobState::Cancelled: return {0.95f, 0.75f, 0.35f, 1.f};
    default: return {0.7f, 0.7f, 0.7f, 1.f};
  }
}

const MetricSeries* find_series(const std::vector<MetricSeries>& all, const char* name) {
  for (const auto& s : all)
    if (s.name == name) return &s;
  return nullptr;
}

void draw_curves(const Job& job) {
  const std::vector<MetricSeries> series = job.progress().series();
  if (series.empty()) return;  // nothing reported (yet): no empty plot
  const MetricSeries* loss = find_series(series, "loss");
  const float height = std::max(ImGui::GetContentRegionAvail().y * 0.5f, 110.f);
  if (job.kind() == "pretrain") {
    const MetricSeries* val = find_series(series, "val");
    std::vector<double> ema;
    std::vector<PlotCurve> curves;
    if (loss) {
      ema = smoothed(loss->y, 0.9);
      curves.push_back({"loss", &loss->x, &loss->y, IM_COL32(110, 150, 200, 150), 1.f});
      curves.push_back({"smoothed", &loss->x, &ema, IM_COL32(120, 200, 255, 255), 2.f});
    }
    if (val) curves.push_back({"val", &val->x, &val->y, IM_COL32(255, 170, 80, 255), 2.f, true});
    draw_line_plot("pretrain_loss", curves, {"step"}, height);
    return;
  }
  const MetricSeries* dice = find_series(series, "Dice");
  std::vector<PlotCurve> loss_curves, dice_curves;
  if (loss) loss_curves.push_back({"train loss", &loss->x, &loss->y, IM_COL32(120, 200, 255, 255), 2.f, true});
  if (dice) dice_curves.push_back({"val Dice", &dice->x, &dice->y, IM_COL32(120, 220, 120, 255), 2.f, true});
  draw_line_plot("segment_loss", loss_curves, {"epoch"}, height * 0.5f);
  PlotAxes dice_axes{"epoch", true, 0.0, 1.0};
  draw_line_plot("segment_dice", dice_curves, dice_axes, height * 0.5f);
}

void draw_job_details(StudioSession& session, Job& job) {
  const JobState state = job.state();
  const ProgressSnapshot snap = job.progress().snapshot();
  ImGui::TextColored(state_color(state), "%s", job_state_name(state));
  ImGui::SameLine();
  ImGui::TextUnformatted(job.title().c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s", duration_text(job.seconds()).c_str());

  char overlay[96];
  if (snap.total > 0 && state == JobState::Running)
    std::snprintf(overlay, sizeof overlay, "%lld/%lld  ETA %s", (long long)snap.done, (long long)snap.total,
                  duration_text(snap.eta_s).c_str());
  else if (snap.total > 0)
    std::snprintf(overlay, sizeof overlay, "%lld/%lld", (long long)snap.done, (long long)snap.total);
  else
    std::snprintf(overlay, sizeof overlay, "%s", state == JobState::Running ? "starting..." : "");
  const double fraction = state == JobState::Succeeded ? 1.0 : std::max(snap.fraction(), 0.0);
  ImGui::ProgressBar(float(fraction), ImVec2(-1, 0), overlay);
  if (!snap.note.empty()) ImGui::TextDisabled("%s", snap.note.c_str());

  if (!job.finished() && ImGui::Button("Cancel")) job.cancel();
  if (job.finished() && job.kind() == "pretrain" && !job.out_dir().empty() &&
      state != JobState::Succeeded && ImGui::Button("Resume")) {
    session.jobs.launch_resume(job.out_dir(), 0, session.browser.shared_data());
  }
  if (state == JobState::Succeeded && job.kind() != "pretrain" && ImGui::Button("Open as model"))
    session.model.open(job.out_dir());
  if (state == JobState::Succeeded && job.kind() == "pretrain" && ImGui::Button("Use as backbone"))
    session.jobs.segment_form.backbone_dir = job.out_dir();

  if (state == JobState::Failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", job.error().c_str());
    ImGui::PopStyleColor();
  } else if (state == JobState::Succeeded) {
    ImGui::TextWrapped("%s", job.summary().c_str());
  }
  if (!job.out_dir().empty()) ImGui::TextDisabled("folder %s", job.out_dir().c_str());
  draw_curves(job);
}

void draw_job_list(StudioSession& session) {
  StudioJobs& jobs = session.jobs;
  const auto& all = jobs.runner.jobs();
  const Job* shown = jobs.shown_job();
  for (int i = int(all.size()) - 1; i >= 0; --i) {
    const Job& job = *all[i];
    ImGui::PushID(i);
    char label[200];
    std::snprintf(label, sizeof label, "%-9s %s", job_state_name(job.state()), job.title().c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, state_color(job.state()));
    if (ImGui::Selectable(label, &job == shown)) jobs.selected = i;
    ImGui::PopStyleColor();
    ImGui::PopID();
  }
  if (ImGui::SmallButton("clear finished")) {
    jobs.runner.clear_finished();
    jobs.selected = -1;
  }
}

void draw_launch_error(const StudioJobs& jobs) {
  if (jobs.launch_error.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
  ImGui::TextWrapped("%s", jobs.launch_error.c_str());
  ImGui::PopStyleColor();
}

void draw_pretrain_form(StudioSession& session) {
  StudioJobs& jobs = session.jobs;
  PretrainForm& f = jobs.pretrain_form;
  ImGui::PushItemWidth(-110);
  const auto& methods = pretrain_method_names();
  if (ImGui::BeginCombo("method", methods.at(size_t(f.method)).c_str())) {
    for (size_t i = 0; i < methods.size(); ++i)
      if (ImGui::Selectable(methods[i].c_str(), int(i) == f.method)) f.method = int(i);
    ImGui::EndCombo();
  }
  if (ImGui::BeginCombo("preset", f.preset.c_str())) {
    for (const std::string& name : pretrain_preset_names())
      if (ImGui::Selectable(name.c_str(), name == f.preset)) f.preset = name;
    ImGui::EndCombo();
  }
  ImGui::InputInt("epochs", &f.epochs);
  ImGui::InputInt("batch", &f.batch);
  ImGui::InputFloat("lr", &f.lr, 0, 0, "%.2e");
  ImGui::InputInt("max slices", &f.max_slices);
  // Data-parallel processes: the methods whose loss is split over ranks only (docs/distributed.md).
  ImGui::BeginDisabled(!data_parallel_method(parse_method(methods.at(size_t(f.method)))));
  ImGui::InputInt("workers", &f.workers);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("processes of a data-parallel run on this machine (pix2rep, pix2rep-v2); 1: one process");
  ImGui::InputTextWithHint("out folder", ("new folder in " + jobs.runs_dir).c_str(), &f.out_dir);
  ImGui::PopItemWidth();
  ImGui::BeginDisabled(!session.ready());
  if (ImGui::Button("Start pretraining") &&
      jobs.launch_pretraining(jobs.pretrain_config_from_form(), f.workers, session.browser.shared_data(),
                              session.prepared_file))
    jobs.show_tab = StudioJobs::Tab::Jobs;
  ImGui::EndDisabled();
  ImGui::Separator();
  ImGui::TextDisabled("resume a run (same data)");
  ImGui::PushItemWidth(-110);
  ImGui::InputTextWithHint("run folder", "runs/pretrain-...", &f.resume_dir);
  ImGui::InputInt("total epochs", &f.resume_epochs);
  ImGui::PopItemWidth();
  ImGui::BeginDisabled(!session.ready() || f.resume_dir.empty());
  if (ImGui::Button("Resume") &&
      jobs.launch_resume(f.resume_dir, f.resume_epochs, session.browser.shared_data()))
    jobs.show_tab = StudioJobs::Tab::Jobs;
  ImGui::EndDisabled();
  draw_launch_error(jobs);
}

void draw_segment_form(StudioSession& session) {
  StudioJobs& jobs = session.jobs;
  SegmentForm& f = jobs.segment_form;
  ImGui::PushItemWidth(-110);
  ImGui::Combo("mode", &f.mode, "probe\0finetune\0supervised\0");
  if (f.mode != 0) ImGui::Checkbox("Mean Teacher (unlabelled slices too)", &f.mean_teacher);
  const std::string last = jobs.last_pretraining_dir();
  ImGui::InputTextWithHint("backbone", last.empty() ? "pretraining run folder" : last.c_str(), &f.backbone_dir);
  ImGui::InputTextWithHint("subjects", "first two labelled", &f.subjects);
  ImGui::InputInt("epochs", &f.epochs);
  ImGui::InputInt("batch", &f.batch);
  ImGui::InputTextWithHint("out folder", ("new folder in " + jobs.runs_dir).c_str(), &f.out_dir);
  ImGui::PopItemWidth();
  if (session.ready() && ImGui::SmallButton("use the shown subject")) {
    const SliceSet& data = *session.browser.data();
    f.subjects = data.volume_of(session.browser.slice_index()).subject;
  }
  ImGui::BeginDisabled(!session.ready());
  if (ImGui::Button("Start training") && session.ready() &&
      jobs.launch_segmentation(jobs.segment_config_from_form(*session.browser.data()),
                               session.browser.shared_data()))
    jobs.show_tab = StudioJobs::Tab::Jobs;
  ImGui::EndDisabled();
  draw_launch_error(jobs);
}

}  // namespace

void draw_jobs_panel(StudioSession& session) {
  if (!ImGui::BeginTabBar("##jobs_tabs")) return;
  const auto flags = [&](StudioJobs::Tab tab) {
    return session.jobs.show_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
  };
  const ImGuiTabItemFlags jobs_flags = flags(StudioJobs::Tab::Jobs), pretrain_flags = flags(StudioJobs::Tab::Pretrain),
                          segment_flags = flags(StudioJobs::Tab::Segment);
  session.jobs.show_tab = StudioJobs::Tab::None;
  if (ImGui::BeginTabItem("Jobs", nullptr, jobs_flags)) {
    if (Job* job = session.jobs.shown_job()) {
      draw_job_details(session, *job);
      ImGui::Separator();
      draw_job_list(session);
    } else {
      ImGui::TextWrapped("No jobs yet. Start pretraining or segmentation training in the next tabs; "
                         "jobs run one at a time on a worker thread.");
    }
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Pretrain", nullptr, pretrain_flags)) {
    draw_pretrain_form(session);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Segment", nullptr, segment_flags)) {
    draw_segment_form(session);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

}  // namespace p2r::studio
