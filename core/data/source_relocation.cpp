#include "core/data/source_relocation.h"

#include <filesystem>

#include "core/common/error.h"

namespace p2r {

namespace fs = std::filesystem;

namespace {

// path under old_root re-rooted under new_root; other paths (and "") unchanged.
std::string rerooted(const std::string& path, const fs::path& old_root, const fs::path& new_root) {
  if (path.empty() || old_root.empty()) return path;
  const fs::path relative = fs::path(path).lexically_relative(old_root);
  if (relative.empty() || *relative.begin() == "..") return path;
  return (new_root / relative).string();
}

}  // namespace

void relocate_sources(SliceSet& set, const std::string& new_root) {
  std::error_code ec;
  P2R_CHECK(fs::is_directory(new_root, ec), new_root << ": not a folder (--source takes the dataset's new folder)");
  const fs::path old_root = fs::path(set.source_root).lexically_normal(), root = fs::canonical(new_root);
  for (VolumeRecord& v : set.volumes) {
    v.image_path = rerooted(v.image_path, old_root, root);
    v.label_path = rerooted(v.label_path, old_root, root);
  }
  set.source_root = root.string();
  check_label_files_exist(set);
}

void check_label_files_exist(const SliceSet& set) {
  std::error_code ec;
  for (const VolumeRecord& v : set.volumes)
    P2R_CHECK(!v.has_label || v.label_path.empty() || fs::is_regular_file(v.label_path, ec),
              v.label_path << ": label file not found (if the source dataset moved, give its new folder with --source DIR)");
}

}  // namespace p2r
