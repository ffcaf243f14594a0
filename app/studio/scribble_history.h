#pragma once
// Undo / redo of scribble edits: each finished stroke (or erase) is one edit, the voxels it changed
// with their values before and after. No GL, no ImGui.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace p2r::studio {

/// One voxel changed by an edit.
struct VoxelChange {
  int64_t index = 0;  ///< into the volume's voxels
  uint8_t before = 0, after = 0;
};

/// What one stroke changed in one volume.
struct ScribbleEdit {
  int volume = -1;  ///< index into the data's volumes
  std::vector<VoxelChange> changes;
};

/// A linear history: undo steps back, redo forward, a new edit drops what was undone.
class ScribbleHistory {
 public:
  /// Records edit as the newest (edits without changes are ignored) and drops the redo side.
  void push(ScribbleEdit edit);
  bool can_undo() const { return m_done > 0; }
  bool can_redo() const { return m_done < m_edits.size(); }
  /// The edit to revert (apply each change's `before`), stepping back; nullptr when none.
  const ScribbleEdit* undo();
  /// The edit to apply again (each change's `after`), stepping forward; nullptr when none.
  const ScribbleEdit* redo();
  /// Forgets every edit (other data, scribbles loaded from files).
  void clear();

 private:
  std::vector<ScribbleEdit> m_edits;
  size_t m_done = 0;  ///< edits applied: m_edits[0 .. m_done)
};

}  // namespace p2r::studio
