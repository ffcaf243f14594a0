#include "core/data/phantom_writer.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/user_cache.h"
#include "core/data/dataset_preparer.h"
#include "core/data/phantom.h"
#include "core/data/slice_cache.h"
#include "core/io/nifti.h"

namespace fs = std::filesystem;

namespace p2r {

namespace {
constexpr int kDemoSubjects = 8;
constexpr uint64_t kDemoSeed = 2024;

void write_info_cfg(const std::string& path, const PhantomSubject& s) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << "ED: " << s.frames[0].frame << "\nES: " << s.frames[1].frame << "\nGroup: " << s.group
        << "\nHeight: " << s.height_cm << "\nNbFrame: " << s.nb_frames << "\nWeight: " << s.weight_kg << "\n";
    P2R_CHECK(out.good(), path << ": write failed");
  });
}
}  // namespace

void write_phantom_dataset(const std::string& out_dir, int count, uint64_t seed, ProgressSink& progress, bool cine) {
  P2R_CHECK(count >= 1, "phantom subject count must be >= 1 (got " << count << ")");
  progress.begin("phantom", count);
  for (int i = 1; i <= count; ++i) {
    if (progress.cancelled()) {
      progress.end();
      throw Cancelled();
    }
    PhantomSubject s = generate_phantom_subject(seed, i, cine);
    fs::path dir = fs::path(out_dir) / "training" / s.id;
    ensure_directory(dir.string());
    for (const PhantomFrame& f : s.frames) {
      char stem[64];
      std::snprintf(stem, sizeof stem, "%s_frame%02d", s.id.c_str(), f.frame);
      write_nifti_int16((dir / (std::string(stem) + ".nii.gz")).string(), f.image);
      write_nifti((dir / (std::string(stem) + "_gt.nii.gz")).string(), f.labels);
    }
    if (cine) write_nifti_cine_int16((dir / (s.id + "_4d.nii.gz")).string(), s.cine);
    // Info.cfg last: a subject folder is complete once it exists.
    write_info_cfg((dir / "Info.cfg").string(), s);
    progress.update(i, s.id);
  }
  progress.end();
}

std::string ensure_demo_dataset(ProgressSink& progress) {
  fs::path dir;
  if (const char* env = std::getenv("PIX2REP_DEMO_DIR"); env && *env) {
    dir = env;
  } else {
    dir = fs::path(user_cache_root()) / "demo-v1";
  }
  fs::path done_marker = dir / ".complete";
  if (fs::exists(done_marker)) return dir.string();
  ensure_directory(dir.string());
  write_phantom_dataset(dir.string(), kDemoSubjects, kDemoSeed, progress);
  std::ofstream(done_marker) << "phantom subjects " << kDemoSubjects << " seed " << kDemoSeed << "\n";
  return dir.string();
}

std::string demo_prepared_file(ProgressSink& progress) {
  return (fs::path(ensure_demo_dataset(progress)) / "demo.p2rs").string();
}

SliceSet load_demo_slice_set(ProgressSink& progress) {
  // The prepared slices are cached as DIR/demo.p2rs: later launches read one file instead of
  // preparing 16 NIfTI volumes. A stale (other preparation settings), old or corrupt cache is rebuilt.
  const std::string cache = demo_prepared_file(progress);
  const std::string dir = fs::path(cache).parent_path().string();
  const PrepareConfig config;
  if (fs::exists(cache)) {
    try {
      SliceSet cached = load_slice_set(cache);
      const PrepareConfig& c = cached.config;
      if (c.crop == config.crop && c.fov_mm == config.fov_mm && c.margin_voxels == config.margin_voxels &&
          c.size == config.size && c.percentile_low == config.percentile_low &&
          c.percentile_high == config.percentile_high)
        return cached;
    } catch (const Error&) {
    }
  }
  SliceSet set = prepare_dataset(scan_dataset(dir, Layout::Acdc, Split::All), config, progress);
  try {
    save_slice_set(cache, set);
  } catch (const Error&) {
    // A read-only cache folder only costs the preparation next time.
  }
  return set;
}

}  // namespace p2r
