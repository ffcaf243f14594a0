#pragma once
// Scribble files: sparse class strokes on a volume's original image grid, stored as uint8 NIfTI
// label maps beside the data (ITK-SNAP and 3D Slicer open them as segmentations of the image).
//
// Values: 0 = unlabelled, v = class v - 1 of the folder's class list (core/io/class_list.h;
// without classes.json the ACDC four: 1 background, 2 RV, 3 MYO, 4 LV), so that a background
// stroke is distinguishable from no stroke. Names: one file per volume,
// SUBJECT_frameFF_scribbles.nii.gz (e.g. patient001_frame01_scribbles.nii.gz), in one folder.
#include <cstdint>
#include <string>

#include "core/io/class_list.h"
#include "core/io/volume.h"

namespace p2r {

/// Value of unscribbled voxels.
constexpr uint8_t kUnscribbled = 0;
/// Scribble value of class index cls (0..K-1 of a K-class list): cls + 1.
constexpr uint8_t scribble_value(int cls) { return uint8_t(cls + 1); }
/// Class index of a scribble value 1..K: value - 1.
constexpr int scribble_class(uint8_t value) { return int(value) - 1; }

/// "0 unlabelled, 1 background, 2 RV, 3 MYO, 4 LV": what each scribble value of classes means.
std::string scribble_values_text(const ClassList& classes);

/// "SUBJECT_frameFF_scribbles.nii.gz": the scribble file name of a volume.
std::string scribble_file_name(const std::string& subject, int frame);

/// "" when grids a and b agree (shape exactly; spacing, origin and direction within 1e-4 relative /
/// 1e-3 mm / 1e-4), else what differs first, e.g. "shape 216x256x10 vs 232x256x10".
std::string grid_difference(const Geometry& a, const Geometry& b);

/// Writes scribbles (values 0..classes.size()) as uint8 NIfTI on their grid and NIfTI header,
/// atomically. Throws p2r::Error for a value with no class or an unwritable path.
void write_scribble_file(const std::string& path, const LabelVolume& scribbles, const ClassList& classes);

/// Reads the scribble file at path made for the image at image_path (of grid image_grid), values
/// of classes. Throws p2r::Error naming both files and what differs when the grids differ, and
/// naming the file and the value for a voxel value with no class (not an integer in
/// 0..classes.size()).
LabelVolume read_scribble_file(const std::string& path, const Geometry& image_grid, const std::string& image_path,
                               const ClassList& classes);

}  // namespace p2r
