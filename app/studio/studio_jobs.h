#pragma once
// The studio's training jobs: the job runner, the settings the Jobs panel edits, and launching
// pretraining, resumes and segmentation training on the open data. Main thread (jobs run on workers).
#include <memory>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/jobs/job_runner.h"
#include "core/train/pretrain_config.h"
#include "core/train/segment_config.h"

namespace p2r::studio {

/// Torch intra-op threads of jobs started from the studio: one core stays for the window.
inline constexpr int kStudioJobThreads = 1;

/// What the "pretrain" form holds (the rest comes from the preset).
struct PretrainForm {
  int method = 0;              ///< index into pretrain_method_names()
  std::string preset = "cpu-small";  ///< one of pretrain_preset_names()
  int epochs = 5;
  int batch = 8;
  float lr = 5e-4f;
  int max_slices = 0;          ///< 0: every training slice
  int workers = 1;             ///< data-parallel processes (pix2rep, pix2rep-v2); 1: the job's thread alone
  std::string out_dir;         ///< "" = a new folder under runs_dir
  std::string resume_dir;      ///< run folder the Resume button continues
  int resume_epochs = 0;       ///< 0 = as planned
};

/// What the "segment" form holds.
struct SegmentForm {
  int mode = 0;                ///< index into {probe, finetune, supervised}
  std::string backbone_dir;    ///< "" = the last pretraining run of this session
  bool mean_teacher = false;   ///< finetune / supervised: add the Mean Teacher consistency loss
  std::string subjects;        ///< comma-separated ids; "" = the first two labelled subjects
  int epochs = 20;
  int batch = 8;
  std::string out_dir;         ///< "" = a new folder under runs_dir
};

class StudioJobs {
 public:
  StudioJobs();
  JobRunner runner;
  PretrainForm pretrain_form;
  SegmentForm segment_form;
  /// Parent folder of new run folders: $P2R_RUNS_DIR, else "runs" (relative to the working folder).
  std::string runs_dir;
  /// The job the panel details (index into runner.jobs()), -1 = the newest.
  int selected = -1;
  /// Why the last launch was refused (bad settings, nothing open); shown in the panel.
  std::string launch_error;
  /// The Jobs panel's tab to bring to the front on the next frame (a launch, the Jobs menu).
  enum class Tab { None, Jobs, Pretrain, Segment } show_tab = Tab::None;

  /// The pretraining config the form describes (preset, then the form's fields, threads).
  PretrainConfig pretrain_config_from_form() const;
  /// The segmentation config the form describes for data (subjects defaulted from data).
  SegmentConfig segment_config_from_form(const SliceSet& data) const;

  /// Launch on data; each returns the job, or nullptr with launch_error set (p2r::Error caught).
  /// Every config gets threads = kStudioJobThreads and an out_dir (a new one when empty).
  /// Pretraining with workers > 1 runs as that many local processes sharing those threads: rank 0
  /// in the job, the others the pix2rep program beside this one's binary, reading prepared_file
  /// (the file holding data; "": data is written into the run folder).
  Job* launch_pretraining(PretrainConfig config, int workers, std::shared_ptr<const SliceSet> data,
                          const std::string& prepared_file);
  Job* launch_resume(const std::string& out_dir, int epochs, std::shared_ptr<const SliceSet> data);
  Job* launch_segmentation(SegmentConfig config, std::shared_ptr<const SliceSet> data);

  /// Out folder of the newest succeeded pretraining / segmentation job, "" when none.
  std::string last_pretraining_dir() const;
  std::string last_segmentation_dir() const;
  /// The job to detail: the selected one, else the newest; nullptr without jobs.
  Job* shown_job() const;
  bool busy() const { return runner.busy(); }

 private:
  Job* submit(std::unique_ptr<Job> job);
};

/// Ids of the labelled subjects of data, in order.
std::vector<std::string> labelled_subjects(const SliceSet& data);
/// Splits "a, b,c" into {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& text);

}  // namespace p2r::studio
