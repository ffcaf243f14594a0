#include "app/studio/dataset_browser.h"

#include <algorithm>
#include <map>

#include "core/common/error.h"

namespace p2r::studio {

void DatasetBrowser::set_data(std::shared_ptr<const SliceSet> data) {
  m_data = std::move(data);
  m_subjects.clear();
  m_subject = m_volume = -1;
  m_position = 0;
  ++m_generation;
  if (!m_data) return;
  std::map<std::string, int> by_id;
  for (int v = 0; v < int(m_data->volumes.size()); ++v) {
    const VolumeRecord& record = m_data->volumes[v];
    if (record.slice_count <= 0) continue;
    auto [it, inserted] = by_id.emplace(record.subject, int(m_subjects.size()));
    if (inserted) m_subjects.push_back({record.subject, record.group, record.split, {}});
    m_subjects[it->second].volumes.push_back(v);
  }
  std::sort(m_subjects.begin(), m_subjects.end(),
            [](const SubjectEntry& a, const SubjectEntry& b) { return a.id < b.id; });
  for (SubjectEntry& subject : m_subjects)
    std::stable_sort(subject.volumes.begin(), subject.volumes.end(), [&](int a, int b) {
      const VolumeRecord &ra = m_data->volumes[a], &rb = m_data->volumes[b];
      return std::make_pair(int(ra.phase), ra.frame) < std::make_pair(int(rb.phase), rb.frame);
    });
  if (!m_subjects.empty()) select_subject(0);
}

int DatasetBrowser::slice_index() const {
  if (!m_data || m_volume < 0) return -1;
  return m_data->volumes[m_volume].first_slice + m_position;
}

int DatasetBrowser::slice_count() const {
  return (m_data && m_volume >= 0) ? m_data->volumes[m_volume].slice_count : 0;
}

void DatasetBrowser::select_subject(int i) {
  P2R_CHECK(i >= 0 && i < int(m_subjects.size()),
            "subject number " << i << " out of range (" << m_subjects.size() << " subjects)");
  m_subject = i;
  m_volume = m_subjects[i].volumes.front();
  m_position = slice_count() / 2;
  ++m_generation;
}

void DatasetBrowser::select_subject(const std::string& id) {
  std::string known;
  for (int i = 0; i < int(m_subjects.size()); ++i) {
    if (m_subjects[i].id == id) return select_subject(i);
    if (i < 8) known += (i ? ", " : "") + m_subjects[i].id;
  }
  if (m_subjects.size() > 8) known += ", ...";
  P2R_FAIL("no subject '" << id << "' in the open data (" << (known.empty() ? "none" : known) << ")");
}

void DatasetBrowser::select_frame(int k) {
  P2R_CHECK(m_subject >= 0, "no subject selected");
  const auto& volumes = m_subjects[m_subject].volumes;
  P2R_CHECK(k >= 0 && k < int(volumes.size()),
            "frame number " << k << " out of range (" << volumes.size() << " frames)");
  const float relative = slice_count() > 1 ? float(m_position) / float(slice_count() - 1) : 0.5f;
  m_volume = volumes[k];
  m_position = int(relative * float(std::max(slice_count() - 1, 0)) + 0.5f);
  ++m_generation;
}

void DatasetBrowser::select_frame(const std::string& phase_or_number) {
  P2R_CHECK(m_subject >= 0, "no subject selected");
  const auto& volumes = m_subjects[m_subject].volumes;
  for (int k = 0; k < int(volumes.size()); ++k) {
    const VolumeRecord& record = m_data->volumes[volumes[k]];
    if (phase_or_number == phase_name(record.phase) ||
        phase_or_number == std::to_string(record.frame))
      return select_frame(k);
  }
  P2R_FAIL("subject " << m_subjects[m_subject].id << " has no frame '" << phase_or_number << "'");
}

void DatasetBrowser::select_position(int position) {
  if (m_volume < 0) return;
  const int clamped = std::clamp(position, 0, std::max(slice_count() - 1, 0));
  if (clamped == m_position) return;
  m_position = clamped;
  ++m_generation;
}

}  // namespace p2r::studio
