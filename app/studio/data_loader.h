#pragma once
// Opens data on a worker thread so the window stays responsive: the built-in demo (no path), a
// prepared file (.p2rs), a dataset folder (ACDC layout or plain NIfTI folder) or NIfTI files.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/jobs/job_progress.h"
#include "core/data/slice_set.h"

namespace p2r::studio {

/// The outcome of one load: data, or an error message for the window.
struct LoadResult {
  std::string source;                     ///< sources_description(paths)
  std::vector<std::string> paths;         ///< what was opened (none: the built-in demo)
  std::shared_ptr<const SliceSet> data;   ///< null on error
  std::string prepared_file;              ///< prepared_file_of(path) once loaded
  std::string error;                      ///< user-facing message when data is null
  double seconds = 0;
};

/// The prepared file (.p2rs) that holds exactly what load_slices(paths) gives: the one path itself,
/// the built-in demo's cache, or "" for data prepared in memory (a dataset folder, NIfTI files).
std::string prepared_file_of(const std::vector<std::string>& paths);

/// What paths name, for the window: "built-in demo", the path, or "FIRST and N more files".
std::string sources_description(const std::vector<std::string>& paths);

/// Loads synchronously (what the worker runs; also usable headless): no path = the built-in demo;
/// one prepared file or dataset folder; or one or more NIfTI files, each a subject (a 4D cine file
/// one frame per time point). Throws p2r::Error naming the file.
SliceSet load_slices(const std::vector<std::string>& paths, ProgressSink& progress);

class DataLoader {
 public:
  ~DataLoader();
  /// Starts loading paths (as load_slices) unless a load is running (returns false then).
  bool start(const std::vector<std::string>& paths);
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
