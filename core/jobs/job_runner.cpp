#include "core/jobs/job_runner.h"

#include <algorithm>

namespace p2r {

JobRunner::~JobRunner() { cancel_all(); }

Job& JobRunner::submit(std::unique_ptr<Job> job) {
  m_jobs.push_back(std::move(job));
  poll();
  return *m_jobs.back();
}

void JobRunner::poll() {
  if (active()) return;
  for (auto& job : m_jobs) {
    if (job->state() != JobState::Queued) continue;
    job->start();
    return;
  }
}

Job* JobRunner::active() const {
  for (const auto& job : m_jobs)
    if (job->state() == JobState::Running) return job.get();
  return nullptr;
}

bool JobRunner::busy() const {
  return std::any_of(m_jobs.begin(), m_jobs.end(), [](const auto& j) { return !j->finished(); });
}

const Job* JobRunner::last_succeeded(const std::string& kind) const {
  for (auto it = m_jobs.rbegin(); it != m_jobs.rend(); ++it)
    if ((*it)->kind() == kind && (*it)->state() == JobState::Succeeded) return it->get();
  return nullptr;
}

void JobRunner::cancel_all() {
  for (auto& job : m_jobs) {
    job->cancel();
    // A queued job's thread sees the flag before any work and ends cancelled.
    if (job->state() == JobState::Queued) job->start();
  }
  for (auto& job : m_jobs) job->wait();
}

void JobRunner::clear_finished() {
  m_jobs.erase(std::remove_if(m_jobs.begin(), m_jobs.end(), [](const auto& j) { return j->finished(); }),
               m_jobs.end());
}

}  // namespace p2r
