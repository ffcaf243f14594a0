#pragma once
// Opens data on a worker thread so the window stays responsive: the built-in demo (empty path), a
// prepared file (.p2rs) or a dataset folder (ACDC layout or plain NIfTI folder).
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/jobs/job_progress.h"
#include "core/data/slice_set.h"

namespace p2r::studio {

/// The outcome of one load: data, or an error message for the window.
struct LoadResult {
  std::string source;                     ///< path, or "built-in demo"
  std::shared_ptr<const SliceSet> data;   ///< null on error
  std::string prepared_file;              ///< prepared_file_of(path) once loaded
  std::string error;                      ///< user-facing message when data is null
  double seconds = 0;
};

/// The prepared file (.p2rs) that holds exactly what load_slices(path) gives: path itself, the
/// built-in demo's cache, or "" for data prepared in memory (a dataset folder).
std::string prepared_file_of(const std::string& path);

/// Loads synchronously (what the worker runs; also usable headless). Throws p2r::Error.
SliceSet load_slices(const std::string& path, ProgressSink& progress);

class DataLoader {
 public:
  ~DataLoader();
  /// Starts loading path ("" = built-in demo) unless a load is running (returns false then).
  bool start(const std::string& path);
  bool busy() const { return m_worker.joinable(); }
  /// Main thread, each frame: the finished load's result once, then nothing until the next start.
  std::optional<LoadResult> poll();
  const JobProgress* progress() const { return m_progress.get(); }
  /// What is being opened ("built-in demo" or the path).
  const std::string& source() const { return m_source; }

 private:
  std::thread m_worker;
  std::unique_ptr<JobProgress> m_progress;
  std::shared_ptr<LoadResult> m_result;  // written by the worker, read after m_done
  std::shared_ptr<std::atomic<bool>> m_done;
  std::string m_source;
};

}  // namespace p2r::studio
