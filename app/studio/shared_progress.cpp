#include "app/studio/shared_progress.h"

namespace p2r::studio {

void SharedProgress::begin(const std::string& stage, int64_t total) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_stage = stage;
  m_note.clear();
  m_total = total;
  m_done = 0;
}

void SharedProgress::update(int64_t done, const std::string& note) {
  m_done = done;
  std::lock_guard<std::mutex> lock(m_mutex);
  m_note = note;
}

float SharedProgress::fraction() const {
  const int64_t total = m_total.load();
  return total > 0 ? float(m_done.load()) / float(total) : -1.f;
}

std::string SharedProgress::text() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_note.empty() ? m_stage : m_stage + ": " + m_note;
}

}  // namespace p2r::studio
