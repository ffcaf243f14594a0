// The option helpers of figure kinds (figure_kinds.h): typed option values, lists, file records.
#include <filesystem>
#include <string>

#include "app/figures/figure_kinds.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r::figures {

const std::string& figure_arg(const FigureArgs& args, const std::string& name) {
  const auto it = args.find(name);
  P2R_CHECK(it != args.end() && !it->second.empty(), "--" << name << " is required");
  return it->second;
}

int figure_int(const FigureArgs& args, const std::string& name) {
  const std::string& v = figure_arg(args, name);
  try {
    size_t used = 0;
    const int x = std::stoi(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  P2R_FAIL("--" << name << " must be an integer, got '" << v << "'");
}

double figure_real(const FigureArgs& args, const std::string& name) {
  const std::string& v = figure_arg(args, name);
  try {
    size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  P2R_FAIL("--" << name << " must be a number, got '" << v << "'");
}

nlohmann::ordered_json file_record(const std::string& path) {
  P2R_CHECK(fs::is_regular_file(path), path << ": file does not exist");
  return {{"path", fs::absolute(path).lexically_normal().string()}, {"hash", hash_hex(hash_file(path))}};
}

}  // namespace p2r::figures
