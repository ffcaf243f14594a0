#pragma once
// NIfTI reading and writing through ITK. The only part of the project that includes ITK headers.
#include <string>

#include "core/io/volume.h"

namespace p2r {

/// Reads a 3D NIfTI volume (any scalar type: int16, uint8, float32, ...) as float with spacing from
/// pixdim, origin and direction. A 4D file with more than one time point is refused. Throws
/// p2r::Error naming the file for a missing, truncated, non-NIfTI or non-finite-valued file.
Volume read_nifti(const std::string& path);

/// Reads a 3D NIfTI label map; every voxel must be an integer in 0..3 (ACDC convention).
/// Throws p2r::Error naming the file and the offending value otherwise.
LabelVolume read_nifti_labels(const std::string& path);

/// Writes volume as float32 NIfTI (.nii or .nii.gz by extension), geometry preserved, atomically
/// (temporary file in the same folder, then rename). Throws p2r::Error when the path is unwritable.
void write_nifti(const std::string& path, const Volume& volume);

/// Writes a label map as uint8 NIfTI, geometry preserved, atomically.
void write_nifti(const std::string& path, const LabelVolume& labels);

/// Writes an intensity volume as int16 NIfTI after rounding (how scanners store MR), atomically.
void write_nifti_int16(const std::string& path, const Volume& volume);

}  // namespace p2r
