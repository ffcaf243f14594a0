#include "app/studio/studio_jobs.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/jobs/training_jobs.h"

namespace p2r::studio {
namespace fs = std::filesystem;
namespace {

const SegmentMode kModes[] = {SegmentMode::Probe, SegmentMode::Finetune, SegmentMode::Supervised};

// The pix2rep command-line program in the folder of this process's binary (built side by side).
std::string pix2rep_program() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path("pix2rep") : self.parent_path() / "pix2rep").string();
}

}  // namespace

std::vector<std::string> labelled_subjects(const SliceSet& data) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const VolumeRecord& v : data.volumes)
    if (v.has_label && seen.insert(v.subject).second) ids.push_back(v.subject);
  return ids;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
  }
  return out;
}

StudioJobs::StudioJobs() {
  const char* env = std::getenv("P2R_RUNS_DIR");
  runs_dir = env && *env ? env : "runs";
}

PretrainConfig StudioJobs::pretrain_config_from_form() const {
  const PretrainForm& f = pretrain_form;
  PretrainConfig c = pretrain_preset(f.preset, parse_method(pretrain_method_names().at(size_t(f.method))));
  c.epochs = f.epochs;
  c.batch = f.batch;
  c.lr = f.lr;
  c.max_slices = f.max_slices;
  c.out_dir = f.out_dir;
  return c;
}

SegmentConfig StudioJobs::segment_config_from_form(const SliceSet& data) const {
  const SegmentForm& f = segment_form;
  SegmentConfig c = segment_defaults(kModes[f.mode]);
  c.mean_teacher = f.mean_teacher && c.mode != SegmentMode::Probe;
  c.backbone_dir = f.backbone_dir.empty() ? last_pretraining_dir() : f.backbone_dir;
  c.subjects = split_list(f.subjects);
  if (c.subjects.empty()) {
    const auto all = labelled_subjects(data);
    c.subjects.assign(all.begin(), all.begin() + std::min<size_t>(2, all.size()));
  }
  c.epochs = f.epochs;
  c.batch = f.batch;
  c.out_dir = f.out_dir;
  return c;
}

Job* StudioJobs::submit(std::unique_ptr<Job> job) {
  launch_error.clear();
  Job& added = runner.submit(std::move(job));
  selected = -1;  // show the newest
  return &added;
}

Job* StudioJobs::launch_pretraining(PretrainConfig config, int workers, std::shared_ptr<const SliceSet> data,
                                    const std::string& prepared_file) {
  try {
    P2R_CHECK(workers >= 1, "workers " << workers << ": must be at least 1");
    config.threads = kStudioJobThreads;
    if (config.out_dir.empty()) config.out_dir = new_run_folder(runs_dir, "pretrain");
    if (data) config.data_path = data->source_root;
    std::optional<LocalRanks> ranks;
    if (workers > 1) ranks = LocalRanks{workers, pix2rep_program(), prepared_file};
    return submit(make_pretrain_job(config, std::move(data), ranks));
  } catch (const Error& e) {
    launch_error = e.message();
    return nullptr;
  }
}

Job* StudioJobs::launch_resume(const std::string& out_dir, int epochs, std::shared_ptr<const SliceSet> data) {
  try {
    return submit(make_resume_job(out_dir, std::move(data), epochs, kStudioJobThreads));
  } catch (const Error& e) {
    launch_error = e.message();
    return nullptr;
  }
}

Job* StudioJobs::launch_segmentation(SegmentConfig config, std::shared_ptr<const SliceSet> data) {
  try {
    config.threads = kStudioJobThreads;
    if (data) config.data_path = data->source_root;
    if (config.mode != SegmentMode::Supervised)
      P2R_CHECK(!config.backbone_dir.empty(),
                "no backbone: pretrain first or give a pretraining run folder as backbone");
    if (config.out_dir.empty()) config.out_dir = new_run_folder(runs_dir, segment_mode_name(config.mode));
    return submit(make_segment_job(config, std::move(data)));
  } catch (const Error& e) {
    launch_error = e.message();
    return nullptr;
  }
}

std::string StudioJobs::last_pretraining_dir() const {
  const Job* job = runner.last_succeeded("pretrain");
  return job ? job->out_dir() : std::string();
}

std::string StudioJobs::last_segmentation_dir() const {
  const Job* newest = nullptr;
  for (const auto& job : runner.jobs())
    if (job->kind() != "pretrain" && job->state() == JobState::Succeeded) newest = job.get();
  return newest ? newest->out_dir() : std::string();
}

Job* StudioJobs::shown_job() const {
  const auto& jobs = runner.jobs();
  if (jobs.empty()) return nullptr;
  if (selected >= 0 && selected < int(jobs.size())) return jobs[selected].get();
  return jobs.back().get();
}

}  // namespace p2r::studio
