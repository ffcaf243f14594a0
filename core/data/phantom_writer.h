#pragma once
// Writing the phantom as an ACDC-layout dataset on disk, and the studio's built-in demo data.
#include <cstdint>
#include <string>

#include "core/common/progress.h"
#include "core/data/slice_set.h"

namespace p2r {

/// Writes `count` phantom subjects under out_dir/training/patientNNN/ (Info.cfg, frame images as
/// int16 .nii.gz, labels as _gt.nii.gz; with cine also every frame of the cycle as the 4D
/// patientNNN_4d.nii.gz, as ACDC has). Every file is written atomically. Requires ITK.
void write_phantom_dataset(const std::string& out_dir, int count, uint64_t seed, ProgressSink& progress,
                           bool cine = false);

/// Folder of the built-in demo dataset ($PIX2REP_DEMO_DIR, else user_cache_root()/demo-v1),
/// written on first use (8 subjects, seed 2024); returns its path.
std::string ensure_demo_dataset(ProgressSink& progress);

/// Path of the demo's prepared-slices cache (DIR/demo.p2rs of ensure_demo_dataset; the file
/// exists once load_demo_slice_set ran and could write it).
std::string demo_prepared_file(ProgressSink& progress);

/// The demo dataset prepared with the default configuration (center crop, 128 x 128).
SliceSet load_demo_slice_set(ProgressSink& progress);

}  // namespace p2r
