#pragma once
// The job runner: a list of jobs, run one at a time in submission order (2 cores are shared with
// the GUI, so jobs queue rather than compete). Used by the studio and usable by the CLI.
#include <memory>
#include <vector>

#include "core/jobs/job.h"

namespace p2r {

class JobRunner {
 public:
  /// Cancels every unfinished job and waits for the running one.
  ~JobRunner();
  /// Adds a job; it starts now when nothing runs, else when poll() finds the runner idle. Returns
  /// the job (owned by the runner, alive until clear_finished() or destruction). Main thread.
  Job& submit(std::unique_ptr<Job> job);
  /// Once per frame (main thread): starts the next queued job when none runs.
  void poll();
  /// The running job, or nullptr.
  Job* active() const;
  /// True while a job runs or waits.
  bool busy() const;
  /// Every job, oldest first.
  const std::vector<std::unique_ptr<Job>>& jobs() const { return m_jobs; }
  /// The newest job of kind that succeeded, or nullptr.
  const Job* last_succeeded(const std::string& kind) const;
  /// Cancels queued jobs (they end as cancelled without running) and the running one.
  void cancel_all();
  /// Forgets finished jobs. Main thread.
  void clear_finished();

 private:
  std::vector<std::unique_ptr<Job>> m_jobs;
};

}  // namespace p2r
