#include "app/studio/embedding_state.h"

#include <sstream>

#include "app/studio/studio_jobs.h"
#include "app/studio/timing_text.h"
#include "core/analysis/embedding_cache.h"
#include "core/common/error.h"

namespace p2r::studio {

namespace {

// The job's progress with the cache's notices (the size of a build over 1 GB, an unwritable cache
// folder) before each stage name, so the status line shows them while the work runs.
class NoticedProgress : public ProgressSink {
 public:
  explicit NoticedProgress(JobProgress& job) : m_job(job) {}
  void notice(const std::string& text) {
    m_notices += text + "; ";
    m_job.begin(m_notices + m_stage, m_total);
  }
  void begin(const std::string& stage, int64_t total) override {
    m_stage = stage, m_total = total;
    m_job.begin(m_notices + stage, total);
  }
  void update(int64_t done, const std::string& note) override { m_job.update(done, note); }
  void end() override { m_job.end(); }
  bool cancelled() const override { return m_job.cancelled(); }
  /// "notice; notice; " of everything noticed so far ("" when nothing).
  const std::string& notices() const { return m_notices; }

 private:
  JobProgress& m_job;
  std::string m_notices, m_stage;
  int64_t m_total = 0;
};

}  // namespace

// What a finished computation hands back to the main thread.
struct EmbeddingState::Pending {
  EmbeddingStore store;
  const SliceSet* data = nullptr;
  std::string dir, description;
};

EmbeddingState::EmbeddingState() = default;
EmbeddingState::~EmbeddingState() = default;  // m_task's destructor cancels and joins

void EmbeddingState::open(const std::string& run_dir) {
  if (run_dir.empty()) {
    error = "no pretraining run folder given";
    return;
  }
  error.clear();
  m_requested = run_dir;
}

void EmbeddingState::start(const std::string& run_dir, std::shared_ptr<const SliceSet> data) {
  auto pending = std::make_shared<Pending>();
  m_pending = pending;
  m_dir = run_dir;
  m_task = std::make_unique<Job>("embed", "embedding with " + run_dir, run_dir, [run_dir, data, pending](JobProgress& job) {
    NoticedProgress progress(job);
    progress.begin("reading the run", 0);
    EmbedRequest request;
    request.run_dir = run_dir;
    request.shared_cache = true;  // the user's cache, shared with the CLI and figure exports
    request.notify = [&progress](const std::string& message) { progress.notice(message); };
    request.extract.threads = kStudioJobThreads;  // one core stays for the window
    const EmbedResult result = open_or_build_embeddings(request, *data, progress);
    std::ostringstream text;
    text.precision(2);
    text << std::fixed << result.store.dim() << " features, " << result.store.slice_count() << " slices, "
         << (result.reused ? "from cache" : "computed on " + result.device) << " in " << timing_text(result.seconds, 2, "s");
    if (const std::string& notices = progress.notices(); !notices.empty())
      text << "; " << notices.substr(0, notices.size() - 2);
    pending->store = result.store;
    pending->data = data.get();
    pending->dir = run_dir;
    pending->description = text.str();
    return pending->description;
  });
  m_task->start();
}

void EmbeddingState::update(const std::shared_ptr<const SliceSet>& data) {
  if (m_task && m_task->finished() && m_pending) {
    if (m_task->state() == JobState::Failed) {
      error = "cannot open embeddings of " + m_dir + ": " + m_task->error();
    } else if (m_task->state() == JobState::Succeeded && m_pending->data == data.get()) {
      m_store = m_pending->store;
      m_data = m_pending->data;
      m_description = m_pending->description;
      ++m_revision;
    } else if (m_task->state() == JobState::Succeeded && m_requested.empty()) {
      m_requested = m_pending->dir;  // the data changed meanwhile: embed what is shown now
    }
    m_pending.reset();
  }
  if (data.get() != m_data && !m_store.empty()) {
    // New data: the store embeds other slices. Recompute with the same run.
    if (m_requested.empty()) m_requested = m_dir;
    m_store = EmbeddingStore();
    m_data = nullptr;
    ++m_revision;
  }
  if (!m_requested.empty() && data && !m_pending) {
    const std::string dir = m_requested;
    m_requested.clear();
    start(dir, data);
  }
}

}  // namespace p2r::studio
