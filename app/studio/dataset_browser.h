#pragma once
// What the dataset panel browses: subjects of a SliceSet, their frames (volumes) and slices, and the
// current selection. No GL, no ImGui: the panel and the script runner drive it.
#include <memory>
#include <string>
#include <vector>

#include "core/data/slice_set.h"

namespace p2r::studio {

/// One subject and its volumes (frames), ED before ES.
struct SubjectEntry {
  std::string id, group, split;
  std::vector<int> volumes;  ///< indices into SliceSet::volumes
};

class DatasetBrowser {
 public:
  /// Browses data (may be null: nothing open). Selects the first subject, frame and middle slice.
  void set_data(std::shared_ptr<const SliceSet> data);
  const SliceSet* data() const { return m_data.get(); }
  const std::shared_ptr<const SliceSet>& shared_data() const { return m_data; }
  const std::vector<SubjectEntry>& subjects() const { return m_subjects; }

  int subject() const { return m_subject; }
  int volume() const { return m_volume; }
  /// Position of the slice inside the current volume (0 .. slice_count-1).
  int position() const { return m_position; }
  /// Index into the SliceSet of the shown slice, -1 when nothing is open.
  int slice_index() const;
  /// Number of slices of the current volume.
  int slice_count() const;

  /// Selects subject i (its first frame, middle slice). Throws p2r::Error when out of range.
  void select_subject(int i);
  /// Selects a subject by id; throws p2r::Error naming the id and the available ones when unknown.
  void select_subject(const std::string& id);
  /// Selects the k-th frame of the current subject (keeps the relative slice position).
  void select_frame(int k);
  /// Selects the frame of the given phase ("ED"/"ES") or frame number ("1", "12"); throws if absent.
  void select_frame(const std::string& phase_or_number);
  /// Clamps and selects the slice position in the current volume.
  void select_position(int position);
  /// Incremented whenever the shown slice changes (the view re-uploads textures then).
  int generation() const { return m_generation; }

 private:
  std::shared_ptr<const SliceSet> m_data;
  std::vector<SubjectEntry> m_subjects;
  int m_subject = -1, m_volume = -1, m_position = 0;
  int m_generation = 0;
};

}  // namespace p2r::studio
