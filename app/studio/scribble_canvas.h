#pragma once
// The studio's scribbles: class strokes painted on the original image grid of the open data's
// volumes (the grid of their scribble files, core/io/scribble_file.h), the brush settings, the
// classes' names and colours, undo / redo, and the scribble folder they are saved to and loaded
// from. No GL, no ImGui; main thread.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/studio/scribble_history.h"
#include "app/studio/view_transform.h"
#include "core/data/slice_set.h"
#include "core/io/volume.h"
#include "core/jobs/job.h"

namespace p2r::studio {

/// A scribble class: class index i is scribble value i + 1 (0 background, 1 RV, 2 MYO, 3 LV).
struct ScribbleClass {
  std::string name;
  std::array<uint8_t, 3> colour{};
};

/// BG (light blue), RV, MYO, LV (the label layer's colours, viz::label_rgb).
std::vector<ScribbleClass> default_scribble_classes();

/// Scribbles of the open data by volume, each on its volume's original grid (values as in files).
using ScribbleVolumes = std::map<int, std::shared_ptr<const LabelVolume>>;

class ScribbleCanvas {
 public:
  /// The classes the brush paints (names and colours editable; kNumClasses of them).
  std::vector<ScribbleClass> classes = default_scribble_classes();
  int brush_class = kNumClasses - 1;  ///< index into classes (LV at first)
  bool eraser = false;                ///< the brush clears instead
  float brush_size = 3.f;             ///< diameter in source pixels

  ScribbleCanvas() = default;
  ~ScribbleCanvas();  ///< writes a due autosave
  ScribbleCanvas(const ScribbleCanvas&) = delete;
  ScribbleCanvas& operator=(const ScribbleCanvas&) = delete;

  /// Starts over on data (nullptr: none) with its scribble folder: no scribbles, no history (a due
  /// autosave of the previous data is written first).
  void reset(std::shared_ptr<const SliceSet> data, const std::string& folder);
  const SliceSet* data() const { return m_data.get(); }

  /// Starts a stroke on plane z of volume at source point p (source pixels), painting the brush
  /// class (or erasing) at once.
  void begin_stroke(int volume, int z, Vec2 p);
  /// Extends the stroke to p (a segment from the last point).
  void extend_stroke(Vec2 p);
  /// Ends the stroke; true when it changed voxels (then one undo step, revision() incremented).
  bool end_stroke();
  bool stroking() const { return m_stroke_volume >= 0; }
  /// Undo / redo one stroke; false when there is none.
  bool undo();
  bool redo();
  bool can_undo() const { return m_history.can_undo(); }
  bool can_redo() const { return m_history.can_redo(); }

  /// Incremented by every change (strokes, undo, redo, loading); also while a stroke is painted.
  int revision() const { return m_revision; }
  /// Incremented by finished changes only (what training follows).
  int committed_revision() const { return m_committed; }
  /// The scribbled volumes, shared read-only (a snapshot for workers: later edits copy first).
  ScribbleVolumes volumes() const;
  /// Scribbled voxels per class over every volume.
  std::array<int64_t, kNumClasses> class_voxels() const;
  /// RGBA (source width x height) of plane z of volume in the class colours, transparent where
  /// unscribbled; empty when that volume has no scribbles.
  std::vector<uint8_t> plane_rgba(int volume, int z) const;

  /// The classes' colours as text (layers drawn in them redraw when it changes).
  std::string colour_key() const;

  /// The folder Save / Load use (default: "scribbles" beside the data).
  std::string folder;
  /// True when changes were made since the last save or load.
  bool unsaved() const { return m_saved_revision != m_committed; }
  /// Writes every scribbled volume to folder as SUBJECT_frameFF_scribbles.nii.gz (created when
  /// missing). True when done (status says what); false with error set (unwritable folder, no
  /// scribbles).
  bool save();
  /// Replaces the scribbles by folder's files (grids and values checked against the data). True
  /// when done; false with error naming the file and what differs, or an empty scribble set, and
  /// nothing changed.
  bool load();

  /// Once per frame: when the committed scribbles changed since the last save, load or autosave,
  /// writes them to autosave_folder() on a worker (never without a folder) (one write at a time; failures in
  /// autosave_error).
  void autosave();
  /// Writes a due autosave now (other data opens, the studio closes).
  void flush_autosave();
  /// folder/autosave: where unsaved scribbles are kept.
  std::string autosave_folder() const;
  /// Why the last autosave failed; empty when it did not.
  std::string autosave_error;
  /// The last save / load: what it did, or why it failed (shown in the Scribbles panel).
  std::string status, error;

 private:
  std::string save_files();
  std::string load_files();
  // Runs action: its summary into status, or "WHAT: message" into error.
  bool record(const std::string& what, const std::function<std::string()>& action);
  LabelVolume& writable(int volume);
  void paint_segment(Vec2 from, Vec2 to);
  void apply(const ScribbleEdit& edit, bool forward);
  std::shared_ptr<const SliceSet> m_data;
  std::map<int, std::shared_ptr<LabelVolume>> m_volumes;
  ScribbleHistory m_history;
  int m_revision = 0, m_committed = 0, m_saved_revision = 0, m_autosaved = 0;
  std::unique_ptr<Job> m_autosave;
  // The stroke being painted: its plane, last point and changes (first change per voxel).
  int m_stroke_volume = -1, m_stroke_z = 0;
  Vec2 m_last;
  std::map<int64_t, VoxelChange> m_stroke;
};

/// Writes volumes (of data) into dir as scribble files (dir created when missing); returns how
/// many. Throws p2r::Error for an unwritable folder. Any thread (the autosave runs on a worker).
int write_scribble_volumes(const std::string& dir, const SliceSet& data, const ScribbleVolumes& volumes);

/// The default scribble folder of data opened from source (a prepared file or a folder): "scribbles"
/// in the folder, or beside the file.
std::string default_scribble_folder(const std::string& source);

}  // namespace p2r::studio
