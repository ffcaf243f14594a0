#pragma once
// The similarity grid's dataset mode: the best match of the query in every slice of the open data,
// from a SliceMatchIndex (core/analysis/slice_match_index.h) of the open store. The index is built
// by a job on a worker thread (1 thread) when asked for and rebuilt when the store changes; searches
// run on a worker of their own, a newer one superseding one not yet started, and the last finished
// result is handed to the main thread. Needs the FAISS part of the core (PIX2REP_HAS_FAISS);
// without it available() is false. Main thread only, except where noted.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/analysis/similarity_map.h"
#include "core/jobs/job.h"

namespace p2r {
class SliceMatchIndex;
}

namespace p2r::studio {

class EmbeddingState;

/// A finished search: each slice's best match for the query asked with key.
struct DatasetSearchResult {
  std::vector<int> key;             ///< what the caller asked with (its query and store revisions)
  std::vector<float> query;         ///< the unit query searched [D]
  std::vector<PixelMatch> matches;  ///< one per slice of the store, in slice order
  double ms = 0;                    ///< the search's wall time
};

class DatasetSearch {
 public:
  DatasetSearch();
  ~DatasetSearch();  ///< cancels a build, stops the search worker and joins both
  DatasetSearch(const DatasetSearch&) = delete;
  DatasetSearch& operator=(const DatasetSearch&) = delete;

  /// True when this build can index the dataset (the core has its FAISS part).
  static bool available();

  /// Once per frame: takes a finished build; when wanted and the embeddings are ready, starts
  /// indexing a store that has no index yet (dropping the index of a replaced store first).
  /// A failed build sets error; it is tried again when wanted again after a frame without.
  void update(const EmbeddingState& embeddings, bool wanted);
  /// True when the index of the embeddings' current store is built.
  bool ready() const { return m_index != nullptr; }
  /// The running build, or nullptr.
  const Job* task() const { return m_task && !m_task->finished() ? m_task.get() : nullptr; }
  bool building() const { return task() != nullptr; }
  /// "indexed in 0.41 s, 21 MB" of the ready index ("" when none).
  const std::string& description() const { return m_description; }

  /// Searches the unit query [D] of the index's store on the worker, tagged with key; replaces a
  /// search asked for earlier that has not started. Requires ready().
  void search(std::vector<float> query, std::vector<int> key);
  /// The last search finished since the previous call, if any (a failed one sets error).
  std::optional<DatasetSearchResult> take();
  /// True while a search is asked for or runs.
  bool searching() const;

  /// Last failure of a build or a search (out of memory, ...), shown in the similarity column.
  std::string error;

 private:
  struct Pending;
  struct Request {
    std::shared_ptr<const SliceMatchIndex> index;
    std::vector<float> query;
    std::vector<int> key;
  };
  void work();
  // The index and the build.
  std::shared_ptr<const SliceMatchIndex> m_index;
  std::unique_ptr<Job> m_task;
  std::shared_ptr<Pending> m_pending;
  int m_revision = -1;    // store revision of the index (or of its build, or of a failed one); -1: none
  bool m_failed = false;  // the build for m_revision failed
  std::string m_description;
  // The search worker: at most one request waiting, one running, one result waiting.
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::optional<Request> m_request;
  std::optional<DatasetSearchResult> m_result;
  std::string m_search_error;
  bool m_running = false, m_stop = false;
  std::thread m_worker;
};

}  // namespace p2r::studio
