#pragma once
// Scribbles simulated from ground-truth labels, as a user would paint them: a few strokes along the
// centre line (skeleton) of each structure and of a band of background around the heart, on chosen
// slices of chosen subjects. Reads ground truth: for benchmarks and tests, never for training.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/volume.h"

namespace p2r {

/// How strokes are drawn.
struct ScribbleSimulation {
  int strokes_per_structure = 1;    ///< strokes per heart structure present on a slice
  int background_strokes = 2;       ///< strokes in the background band around the heart
  double stroke_mm = 30;            ///< longest stroke, along the skeleton
  double band_near_mm = 4, band_far_mm = 15;  ///< background band: this far from the heart
  /// Throws p2r::Error naming the first invalid field.
  void validate() const;
};

/// Scribbles (io/scribble_file.h values) on the z planes `planes` of truth's grid, drawn by seed:
/// each stroke is a walk of up to stroke_mm along the skeleton of its structure's region, so every
/// stroke voxel of class c lies in truth's class c. Throws p2r::Error for planes out of range.
LabelVolume simulate_scribbles(const LabelVolume& truth, const std::vector<int>& planes,
                               const ScribbleSimulation& config, uint64_t seed);

/// (volume index, z) of up to count labelled slices of subject in set that show a heart structure,
/// drawn by seed; a smaller count gives a prefix of a larger one's draw (nested slice sets).
std::vector<std::pair<int, int>> choose_scribble_planes(const SliceSet& set, const std::string& subject, int count,
                                                        uint64_t seed);

/// One volume's simulated scribbles.
struct SimulatedScribbles {
  int volume = 0;        ///< index into the slice set
  LabelVolume scribbles; ///< on the volume's original grid
  int planes = 0;        ///< scribbled z planes
};

#ifdef PIX2REP_HAS_ITK
/// Scribbles on slices_per_subject slices (choose_scribble_planes) of each subject, simulated from
/// the volumes' label files (simulate_scribbles; each plane's strokes depend on seed, subject, frame
/// and z only). Throws p2r::Error naming a subject that is absent or unlabelled, or a label file
/// that is missing or of another shape than its image.
std::vector<SimulatedScribbles> simulate_subject_scribbles(const SliceSet& set, const std::vector<std::string>& subjects,
                                                           int slices_per_subject, const ScribbleSimulation& config,
                                                           uint64_t seed);
#endif

}  // namespace p2r
