#include "core/common/file_paths.h"

#include <filesystem>

namespace p2r {
namespace fs = std::filesystem;

std::string recorded_path(const std::string& path) {
  if (path.empty() || path.find(':') != std::string::npos) return path;
  std::error_code ec;
  const fs::path canonical = fs::canonical(path, ec);
  if (!ec) return canonical.string();
  return fs::absolute(path).lexically_normal().string();
}

}  // namespace p2r
