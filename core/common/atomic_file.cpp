#include "core/common/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r {

namespace {
// ".nii.gz" for "a/b.nii.gz", ".p2rs" for "x.p2rs", "" when none.
std::string full_extension(const fs::path& p) {
  std::string name = p.filename().string();
  auto dot = name.find('.', 1);
  return dot == std::string::npos ? std::string() : name.substr(dot);
}
}  // namespace

void ensure_directory(const std::string& folder) {
  if (folder.empty()) return;
  std::error_code ec;
  fs::create_directories(folder, ec);
  P2R_CHECK(!ec && fs::is_directory(folder), "cannot create folder '" << folder << "': " << ec.message());
}

void write_file_atomically(const std::string& path, const std::function<void(const std::string&)>& writer) {
  static std::atomic<int> counter{0};
  fs::path target(path);
  fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  P2R_CHECK(fs::is_directory(folder), "cannot write '" << path << "': folder '" << folder.string() << "' does not exist");
  P2R_CHECK(::access(folder.c_str(), W_OK) == 0, "cannot write '" << path << "': folder '" << folder.string()
                                                                    << "' is not writable");
  std::string stem = target.filename().string();
  std::string ext = full_extension(target);
  stem = stem.substr(0, stem.size() - ext.size());
  fs::path tmp = folder / ("." + stem + ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ext);
  try {
    writer(tmp.string());
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    P2R_FAIL("cannot write '" << path << "': rename failed: " << ec.message());
  }
}

}  // namespace p2r
