#pragma once
// One piece of long work (pretraining, probing, prediction) on its own worker thread: state in an
// atomic, progress in a JobProgress, a cancel flag, and the exception it ended with as a message.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/jobs/job_progress.h"

namespace p2r {

/// Where a job is in its life. Queued -> Running -> one of the three final states.
enum class JobState { Queued, Running, Succeeded, Failed, Cancelled };
/// "queued", "running", "succeeded", "failed", "cancelled".
const char* job_state_name(JobState state);

class Job {
 public:
  /// The work: runs on the worker thread, reports to progress, polls progress.cancelled() between
  /// steps, returns a one-line summary; throws p2r::Error / p2r::Cancelled / anything to end early.
  using Work = std::function<std::string(JobProgress& progress)>;

  /// kind: short type ("pretrain", "probe", ...); title: what the user sees; out_dir: the folder
  /// the job writes (may be empty). Does not start the thread.
  Job(std::string kind, std::string title, std::string out_dir, Work work);
  /// Cancels and joins a running job (a pretraining run checkpoints first).
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  /// Starts the worker thread; a second call does nothing. Main thread.
  void start();
  /// Asks the work to stop at its next check (any thread).
  void cancel() { m_progress.cancel(); }
  /// Blocks until the worker ended (no-op when not started). Main thread.
  void wait();

  JobState state() const { return m_state.load(); }
  /// True in the three final states.
  bool finished() const;
  const std::string& kind() const { return m_kind; }
  const std::string& title() const { return m_title; }
  const std::string& out_dir() const { return m_out_dir; }
  /// The user-facing message of the exception that failed the job; empty otherwise (any thread).
  std::string error() const;
  /// The work's returned summary once succeeded; empty otherwise (any thread).
  std::string summary() const;
  /// Wall time from start to end, or so far (any thread).
  double seconds() const;
  const JobProgress& progress() const { return m_progress; }
  JobProgress& progress() { return m_progress; }

 private:
  void run();
  std::string m_kind, m_title, m_out_dir;
  Work m_work;
  JobProgress m_progress;
  std::atomic<JobState> m_state{JobState::Queued};
  std::atomic<double> m_start_s{0}, m_end_s{0};  // steady-clock seconds
  mutable std::mutex m_mutex;
  std::string m_error, m_summary;
  std::thread m_thread;
};

/// The message to show for an exception: p2r::Error's message, else what() cut before any
/// backtrace (LibTorch appends one). Pure function.
std::string describe_exception(const std::exception& e);

}  // namespace p2r
