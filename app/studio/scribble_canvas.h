#pragma once
// The studio's scribbles: class strokes painted on the original image grid of the open data's
// volumes (the grid of their scribble files, core/io/scribble_file.h), the brush settings, the
// class list (core/io/class_list.h: added, renamed, recoloured, removed), undo / redo, and the
// scribble folder they are saved to and loaded from (with its classes.json). No GL, no ImGui; main
// thread.
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
#include "core/io/class_list.h"
#include "core/io/volume.h"
#include "core/jobs/job.h"

namespace p2r::studio {

/// Scribbles of the open data by volume, each on its volume's original grid (values as in files).
using ScribbleVolumes = std::map<int, std::shared_ptr<const LabelVolume>>;

class ScribbleCanvas {
 public:
  int brush_class = kNumClasses - 1;  ///< index into classes() (LV at first)
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

  /// The classes the brush paints (class i is scribble value i + 1); the ACDC four at first.
  const ClassList& classes() const { return m_classes; }
  /// Adds a class at the end (a finished change). Returns "" or why not (an empty or taken name,
  /// kMaxClasses reached; nothing changes then).
  std::string add_class(const std::string& name, const std::array<uint8_t, 3>& rgb);
  /// Renames class i (a finished change). Returns "" or why not (empty or taken name).
  std::string rename_class(int i, const std::string& name);
  /// Recolours class i (a finished change).
  void recolour_class(int i, const std::array<uint8_t, 3>& rgb);
  /// Removes class i when no voxel holds it: later classes move down one value, the undo history
  /// starts over. Returns "" or why not (strokes of it, the background, kMinClasses left).
  std::string remove_class(int i);

  /// Incremented by every change (strokes, undo, redo, loading, classes); also while a stroke is painted.
  int revision() const { return m_revision; }
  /// Incremented by finished changes only (what training follows; class edits too).
  int committed_revision() const { return m_committed; }
  /// The scribbled volumes, shared read-only (a snapshot for workers: later edits copy first).
  ScribbleVolumes volumes() const;
  /// Scribbled voxels per class of classes() over every volume.
  std::vector<int64_t> class_voxels() const;
  /// RGBA (source width x height) of plane z of volume in the class colours, transparent where
  /// unscribbled; empty when that volume has no scribbles.
  std::vector<uint8_t> plane_rgba(int volume, int z) const;

  /// The classes' colours as text (layers drawn in them redraw when it changes).
  std::string colour_key() const;

  /// The folder Save / Load use (default: "scribbles" beside the data).
  std::string folder;
  /// True when changes were made since the last save or load.
  bool unsaved() const { return m_saved_revision != m_committed; }
  /// Writes every scribbled volume to folder as SUBJECT_frameFF_scribbles.nii.gz and the classes as
  /// folder/classes.json (created when missing). True when done (status says what); false with
  /// error set (unwritable folder, no scribbles).
  bool save();
  /// Replaces the scribbles and classes by folder's files (classes.json, or the ACDC four without
  /// it; grids and values checked against the data and classes). True when done; false with error
  /// naming the file and what differs, or an empty scribble set, and nothing changed.
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
  void commit_classes(ClassList classes);
  ClassList m_classes = acdc_classes();
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

/// Writes volumes (of data, values of classes) into dir as scribble files and classes as
/// dir/classes.json (dir created when missing); returns how many files. Throws p2r::Error for an
/// unwritable folder. Any thread (the autosave runs on a worker).
int write_scribble_volumes(const std::string& dir, const SliceSet& data, const ScribbleVolumes& volumes,
                           const ClassList& classes);

/// The default scribble folder of data opened from source (a prepared file or a folder): "scribbles"
/// in the folder, or beside the file.
std::string default_scribble_folder(const std::string& source);

}  // namespace p2r::studio
