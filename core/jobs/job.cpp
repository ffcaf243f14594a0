#include "core/jobs/job.h"

#include <chrono>

#include "core/common/error.h"

namespace p2r {
namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Succeeded: return "succeeded";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
  }
  return "?";
}

std::string describe_exception(const std::exception& e) {
  if (const auto* error = dynamic_cast<const Error*>(&e)) return error->message();
  std::string text = e.what();
  for (const char* marker : {"\nException raised from", "Exception raised from"}) {
    if (auto at = text.find(marker); at != std::string::npos) text.resize(at);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

Job::Job(std::string kind, std::string title, std::string out_dir, Work work)
    : m_kind(std::move(kind)), m_title(std::move(title)), m_out_dir(std::move(out_dir)), m_work(std::move(work)) {}

Job::~Job() {
  cancel();
  wait();
}

void Job::start() {
  if (m_thread.joinable() || state() != JobState::Queued) return;
  m_start_s = now_s();
  m_state = JobState::Running;
  m_thread = std::thread([this] { run(); });
}

void Job::wait() {
  if (m_thread.joinable()) m_thread.join();
}

bool Job::finished() const {
  const JobState s = state();
  return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Cancelled;
}

void Job::run() {
  JobState final_state = JobState::Succeeded;
  try {
    if (m_progress.cancelled()) throw Cancelled();  // cancelled while queued: never runs
    std::string summary = m_work(m_progress);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_summary = std::move(summary);
  } catch (const Cancelled&) {
    final_state = JobState::Cancelled;
  } catch (const std::exception& e) {
    final_state = JobState::Failed;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_error = describe_exception(e);
  } catch (...) {
    final_state = JobState::Failed;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_error = "unknown error";
  }
  m_end_s = now_s();
  m_progress.log(std::string(job_state_name(final_state)) +
                 (final_state == JobState::Failed ? ": " + error() : std::string()));
  m_state = final_state;
}

std::string Job::error() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_error;
}

std::string Job::summary() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_summary;
}

double Job::seconds() const {
  const JobState s = state();
  if (s == JobState::Queued) return 0;
  return (finished() ? m_end_s.load() : now_s()) - m_start_s.load();
}

}  // namespace p2r
