#include "core/data/prepared_folder_cache.h"

#include <filesystem>
#include <sstream>

#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/data/dataset_preparer.h"
#include "core/data/slice_cache.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

// "path size mtime" of a file the preparation reads.
void describe_file(std::ostream& out, const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto time = ec ? fs::file_time_type() : fs::last_write_time(path, ec);
  P2R_CHECK(!ec, path << ": cannot read its size and time for the prepared-folder cache: " << ec.message());
  out << path << ' ' << size << ' ' << time.time_since_epoch().count() << '\n';
}

}  // namespace

std::string prepared_folder_key(const Dataset& dataset, const PrepareConfig& config) {
  std::ostringstream text;
  text.precision(17);
  text << "pix2rep " << PIX2REP_VERSION << " prepared-file " << kSliceCacheVersion << " root " << dataset.root << " layout " << int(dataset.layout)
       << "\ncrop " << int(config.crop) << ' ' << config.fov_mm << ' ' << config.motion_margin_mm << ' '
       << config.motion_min_side_mm << ' ' << config.margin_voxels << " size " << config.size << " percentiles "
       << config.percentile_low << ' ' << config.percentile_high << '\n';
  for (const SubjectRecord& s : dataset.subjects) {
    text << s.id << ' ' << s.split << ' ' << s.group << ' ' << s.height_cm << ' ' << s.weight_kg << ' ' << s.nb_frames
         << '\n';
    for (const FrameRecord& f : s.frames) {
      text << f.frame << ' ' << int(f.phase) << '\n';
      describe_file(text, f.image_path);
      if (f.has_label()) describe_file(text, f.label_path);
    }
  }
  const std::string bytes = text.str();
  return hash_hex(hash_bytes(bytes.data(), bytes.size()));
}

PreparedFolder prepare_folder_cached(const std::string& path, const PrepareConfig& config, ProgressSink& progress,
                                     const CacheNotice& notice) {
  progress.begin("scanning " + path, 0);
  const Dataset dataset = scan_dataset(path);
  progress.end();
  const UserCacheEntry entry = user_cache_entry(kPreparedEntries, prepared_folder_key(dataset, config), notice);
  PreparedFolder result;
  result.cache_path = entry.path;
  std::error_code ec;
  if (!entry.path.empty() && fs::is_regular_file(entry.path, ec)) {
    try {
      progress.begin("reading the prepared copy of " + path, 0);
      result.slices = load_slice_set(entry.path);
      progress.end();
      touch_cache_entry(entry.path);
      result.reused = true;
      return result;
    } catch (const Error&) {
      progress.end();  // a damaged entry: prepare again and replace it
    }
  }
  result.slices = prepare_dataset(dataset, config, progress);
  if (entry.path.empty()) return result;
  try {
    save_slice_set(entry.path, result.slices);
    trim_user_cache(entry, notice);
  } catch (const Error& e) {
    result.cache_path.clear();
    if (notice) notice("prepared slices not cached: " + e.message());
  }
  return result;
}

}  // namespace p2r
