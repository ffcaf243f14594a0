#include "app/studio/dataset_search.h"

#include <chrono>
#include <cstdio>

#include "app/studio/embedding_state.h"
#include "app/studio/studio_jobs.h"
#include "app/studio/timing_text.h"
#include "core/common/error.h"
#ifdef PIX2REP_HAS_FAISS
#include "core/analysis/slice_match_index.h"
#endif

namespace p2r::studio {

// What a finished build hands back to the main thread.
struct DatasetSearch::Pending {
  std::shared_ptr<const SliceMatchIndex> index;
  std::string description;
};

DatasetSearch::DatasetSearch() = default;

DatasetSearch::~DatasetSearch() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  if (m_worker.joinable()) m_worker.join();
}  // then m_task's destructor cancels and joins a build

bool DatasetSearch::available() {
#ifdef PIX2REP_HAS_FAISS
  return true;
#else
  return false;
#endif
}

void DatasetSearch::update(const EmbeddingState& embeddings, bool wanted) {
  if (m_task && m_task->finished() && m_pending) {
    if (m_task->state() == JobState::Succeeded) {
      m_index = m_pending->index;
      m_description = m_pending->description;
    } else if (m_task->state() == JobState::Failed && m_revision >= 0) {
      error = "cannot index the dataset: " + m_task->error();
      m_failed = true;
    }
    m_pending.reset();
    m_task.reset();
  }
  const int revision = embeddings.ready() ? embeddings.revision() : -1;
  if (revision != m_revision || (!wanted && m_failed)) {
    if (m_task) m_task->cancel();  // indexes a replaced store; taken (and dropped) when it ends
    m_index.reset();               // the memory of a replaced store's index goes before a new build
    m_description.clear();
    m_revision = -1;
    m_failed = false;  // a failed build is tried again once the mode is chosen again
  }
  if (!available() || !wanted || revision < 0 || m_revision == revision || m_pending) return;
#ifdef PIX2REP_HAS_FAISS
  error.clear();
  m_revision = revision;
  auto pending = std::make_shared<Pending>();
  m_pending = pending;
  const EmbeddingStore store = embeddings.store();
  m_task = std::make_unique<Job>("index", "indexing the dataset", "", [store, pending](JobProgress& progress) {
    auto index = std::make_shared<SliceMatchIndex>(
        SliceMatchIndex::build(store, SliceMatchConfig{}, kStudioJobThreads, progress));
    char text[96];
    std::snprintf(text, sizeof text, "indexed in %s, %.0f MB", timing_text(index->build_seconds(), 2, "s").c_str(),
                  double(index->memory_bytes()) / 1e6);
    pending->index = std::move(index);
    pending->description = text;
    return pending->description;
  });
  m_task->start();
#endif
}

void DatasetSearch::search(std::vector<float> query, std::vector<int> key) {
  P2R_CHECK(m_index, "dataset search: the index is not built");
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_request = Request{m_index, std::move(query), std::move(key)};
  }
  if (!m_worker.joinable()) m_worker = std::thread([this] { work(); });
  m_wake.notify_one();
}

std::optional<DatasetSearchResult> DatasetSearch::take() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_search_error.empty()) error = "dataset search failed: " + m_search_error;
  m_search_error.clear();
  std::optional<DatasetSearchResult> result = std::move(m_result);
  m_result.reset();
  return result;
}

bool DatasetSearch::searching() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_request.has_value() || m_running;
}

void DatasetSearch::work() {
  std::unique_lock<std::mutex> lock(m_mutex);
  for (;;) {
    m_wake.wait(lock, [this] { return m_stop || m_request.has_value(); });
    if (m_stop) return;
    Request request = std::move(*m_request);
    m_request.reset();
    m_running = true;
    lock.unlock();
    DatasetSearchResult result;
    std::string failure;
    try {
#ifdef PIX2REP_HAS_FAISS
      const auto start = std::chrono::steady_clock::now();
      result.matches = request.index->best_match_per_slice(request.query.data(), {}, /*threads=*/0);
      result.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
#endif
      result.key = std::move(request.key);
      result.query = std::move(request.query);
    } catch (const std::exception& e) {
      failure = describe_exception(e);
    }
    lock.lock();
    m_running = false;
    if (failure.empty()) m_result = std::move(result);
    else m_search_error = failure;
  }
}

}  // namespace p2r::studio
