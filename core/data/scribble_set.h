#pragma once
// Scribbles in the prepared space of a slice set: the original-grid scribbles of its volumes
// (core/io/scribble_file.h) mapped through each volume's crop box onto its S x S slices.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/class_list.h"
#include "core/io/volume.h"

namespace p2r {

/// Scribbled slices of one slice set, values as in scribble files (0 unlabelled, class + 1).
struct ScribbleSet {
  ClassList classes = acdc_classes();  ///< the classes of the values (set before adding scribbles)
  int size = 0;                    ///< slices are size x size (the slice set's)
  std::vector<int> slices;         ///< indices into the slice set, each once
  std::vector<uint8_t> values;     ///< slices.size() * size * size
  std::vector<int64_t> class_pixels = std::vector<int64_t>(kNumClasses, 0);  ///< scribbled prepared pixels per class
  int64_t lost_outside_crop = 0;   ///< scribbled original voxels outside their volume's crop box
  std::vector<std::string> files;  ///< scribble files read (load_scribble_folder)
  std::vector<std::string> unmatched_files;  ///< *_scribbles.nii.gz of the folder naming no volume

  /// Scribbled prepared pixels of every class.
  int64_t pixel_count() const;
  /// Values of the j-th scribbled slice (size * size). No bounds check.
  const uint8_t* slice_values(size_t j) const { return values.data() + j * size_t(size) * size; }
  /// Ordered unique subjects of the scribbled slices of set.
  std::vector<std::string> subjects(const SliceSet& set) const;
};

/// Maps scribbles on the original grid of set's volume volume_index into its prepared slices and
/// adds the slices holding a scribbled pixel to out: the inverse of labels_to_original_space.
/// Each prepared pixel takes the value of the original voxel at its centre (nearest, as labels are
/// prepared); a scribbled voxel whose pixel got no value that way (strokes thinner than a pixel)
/// gives it its value. Voxels outside the crop box are counted in lost_outside_crop. Throws
/// p2r::Error when the scribbles' shape differs from the volume's or a value has no class of
/// out.classes.
void add_volume_scribbles(const SliceSet& set, int volume_index, const LabelVolume& scribbles, ScribbleSet& out);

#ifdef PIX2REP_HAS_ITK
/// The scribble files of a folder on their volumes' original grids.
struct ScribbleFolder {
  ClassList classes;                         ///< DIR/classes.json, or the ACDC four without one
  std::vector<int> volumes;                  ///< indices into the slice set's volumes
  std::vector<LabelVolume> scribbles;        ///< one per volume, on its original grid
  std::vector<std::string> files;            ///< the files read, one per volume
  std::vector<std::string> unmatched_files;  ///< *_scribbles.nii.gz of the folder naming no volume
};

/// Reads DIR/classes.json (io/class_list.h) and DIR/SUBJECT_frameFF_scribbles.nii.gz of every
/// volume of set that has one (grid and values checked against the classes, io/scribble_file.h).
/// Throws p2r::Error naming dir when it is not a folder or holds no scribble file of set's volumes,
/// and naming the file for a bad class list.
ScribbleFolder read_scribble_folder(const std::string& dir, const SliceSet& set);

/// read_scribble_folder into prepared space (with the folder's classes). Throws p2r::Error naming dir when it is not a
/// folder, holds no scribble file of set's volumes, or its files hold no scribble inside the crops.
ScribbleSet load_scribble_folder(const std::string& dir, const SliceSet& set);
#endif

}  // namespace p2r
