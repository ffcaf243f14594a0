#pragma once
// Synthetic short-axis cardiac phantom: LV cavity, myocardial ring, RV crescent, surrounding tissue,
// with varying shape, size, position, contrast, noise and bias field; ACDC label convention.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/volume.h"
#include "core/io/dataset_layout.h"

namespace p2r {

/// One frame of a phantom subject: intensities (int16-like range) and labels on the same grid.
struct PhantomFrame {
  int frame = 1;
  Phase phase = Phase::ED;
  Volume image;
  LabelVolume labels;
};

/// A phantom subject: ACDC-like metadata and its ED and ES frames.
struct PhantomSubject {
  std::string id;      ///< "patientNNN"
  std::string group;   ///< DCM, HCM, MINF, NOR or RV, cycling with the index
  double height_cm = 0, weight_kg = 0;
  int nb_frames = 0;
  std::vector<PhantomFrame> frames;
  /// With cine: the image of every frame 1..nb_frames of the cardiac cycle (frames 1 and ES are
  /// the ED and ES images above), as ACDC's patientNNN_4d files hold them; empty otherwise.
  std::vector<Volume> cine;
};

/// Generates subject number index (1-based) deterministically from (seed, index); its ED and ES
/// frames do not depend on cine.
PhantomSubject generate_phantom_subject(uint64_t seed, int index, bool cine = false);

/// Generates subjects 1..count and prepares their slices in memory (no files, no ITK).
SliceSet make_phantom_slice_set(int count, uint64_t seed, const PrepareConfig& config = PrepareConfig());

}  // namespace p2r
