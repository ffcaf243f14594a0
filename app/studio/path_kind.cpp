#include "app/studio/path_kind.h"

#include <filesystem>

namespace p2r::studio {

PathKind kind_of_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  if (paths.size() != 1) return PathKind::Data;
  const fs::path p = paths[0];
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) return p.filename() == "runs.csv" ? PathKind::Results : PathKind::Data;
  if (!fs::is_directory(p, ec)) return PathKind::Data;
  if (fs::is_regular_file(p / "segment.json", ec)) return PathKind::Model;
  if (fs::is_regular_file(p / "config.json", ec) && fs::is_regular_file(p / "checkpoint.pt", ec)) return PathKind::Backbone;
  if (fs::is_regular_file(p / "runs.csv", ec)) return PathKind::Results;
  return PathKind::Data;
}

}  // namespace p2r::studio
