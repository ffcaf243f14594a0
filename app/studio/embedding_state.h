#pragma once
// The pixel embeddings of the open data under a pretraining run ("backbone"): computed (or read
// from the user's cache) by a job on a worker thread, handed to the main thread as an
// EmbeddingStore. Torch-free header; main thread only (the work runs on the job's thread).
#include <memory>
#include <string>

#include "core/analysis/embedding_store.h"
#include "core/data/slice_set.h"
#include "core/jobs/job.h"

namespace p2r::studio {

class EmbeddingState {
 public:
  EmbeddingState();
  ~EmbeddingState();  ///< cancels and joins a running computation

  /// Asks for the embeddings of the pretraining run folder run_dir (config.json + checkpoint.pt).
  /// They are computed once data is open (now, or when the current load finishes); the current
  /// store stays until the new one is ready. A failure sets error and keeps the current store.
  void open(const std::string& run_dir);
  /// Once per frame: starts a requested computation, takes a finished one, and recomputes for
  /// new data (embeddings always belong to the data shown).
  void update(const std::shared_ptr<const SliceSet>& data);

  /// True while a computation is requested or runs.
  bool busy() const { return !m_requested.empty() || (m_task && m_pending); }
  /// True when a store for the shown data is open.
  bool ready() const { return !m_store.empty(); }
  /// True when anything was asked for (the similarity column is shown then).
  bool active() const { return busy() || ready() || !error.empty(); }
  const EmbeddingStore& store() const { return m_store; }
  /// Run folder of the open store (or of the one being computed).
  const std::string& run_dir() const { return m_dir; }
  /// The running computation, or nullptr.
  const Job* task() const { return m_task && m_pending ? m_task.get() : nullptr; }
  /// Incremented whenever the store is replaced or dropped.
  int revision() const { return m_revision; }
  /// "16 features, 130 slices, from cache in 0.02 s" of the open store.
  const std::string& description() const { return m_description; }

  /// Last failure (not a run folder, corrupt checkpoint, data the model cannot take).
  std::string error;

 private:
  struct Pending;
  void start(const std::string& run_dir, std::shared_ptr<const SliceSet> data);
  std::string m_requested;  // run folder waiting for data
  std::unique_ptr<Job> m_task;
  std::shared_ptr<Pending> m_pending;
  EmbeddingStore m_store;
  const SliceSet* m_data = nullptr;  // the data the store embeds (identity only)
  std::string m_dir, m_description;
  int m_revision = 0;
};

}  // namespace p2r::studio
