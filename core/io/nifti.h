#pragma once
// NIfTI reading and writing through ITK. The only part of the project that includes ITK headers.
#include <string>
#include <vector>

#include "core/io/volume.h"

namespace p2r {

/// Reads a 3D NIfTI volume (any scalar type: int16, uint8, float32, ...) as float with spacing from
/// pixdim, origin and direction, and the header's spatial fields (geometry.nifti, NIfTI-1 files). A
/// 4D file with more than one time point is refused. Throws p2r::Error naming the file for a
/// missing, truncated, non-NIfTI, non-scalar (RGB, complex) or non-finite-valued file.
Volume read_nifti(const std::string& path);

/// Reads every time point of a 4D cine NIfTI file as 3D volumes (each with the file's spatial
/// geometry and header); a 3D file gives one volume. Throws p2r::Error as read_nifti does.
std::vector<Volume> read_nifti_frames(const std::string& path);

/// Reads a 3D NIfTI label map; every voxel must be an integer in 0..3 (ACDC convention).
/// Throws p2r::Error naming the file and the offending value otherwise.
LabelVolume read_nifti_labels(const std::string& path);

/// Writes volume as float32 NIfTI (.nii or .nii.gz by extension), geometry preserved, atomically
/// (temporary file in the same folder, then rename). When geometry.nifti is set (a grid read from,
/// or regridded from, a NIfTI file) the header carries its sform and qform (matrices and codes),
/// pixdim and units exactly; otherwise ITK derives them from spacing, origin and direction. Throws
/// p2r::Error when the path is unwritable.
void write_nifti(const std::string& path, const Volume& volume);

/// Writes a label map as uint8 NIfTI, geometry (and header geometry) preserved, atomically.
void write_nifti(const std::string& path, const LabelVolume& labels);

/// Writes an intensity volume as int16 NIfTI after rounding (how scanners store MR), atomically.
void write_nifti_int16(const std::string& path, const Volume& volume);

/// Writes frames (one grid) as a 4D int16 cine NIfTI file (ACDC's patientNNN_4d), atomically.
void write_nifti_cine_int16(const std::string& path, const std::vector<Volume>& frames);

}  // namespace p2r
