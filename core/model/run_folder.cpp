#include "core/model/run_folder.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace p2r {
namespace fs = std::filesystem;

std::string checkpoint_path(const std::string& d) { return (fs::path(d) / "checkpoint.pt").string(); }
std::string config_path(const std::string& d) { return (fs::path(d) / "config.json").string(); }
std::string log_path(const std::string& d) { return (fs::path(d) / "log.csv").string(); }
std::string provenance_path(const std::string& d) { return (fs::path(d) / "provenance.json").string(); }
std::string run_data_path(const std::string& d) { return (fs::path(d) / "data.p2rs").string(); }
std::string run_workers_path(const std::string& d) { return (fs::path(d) / "workers").string(); }

std::string segment_model_path(const std::string& dir) { return (fs::path(dir) / "model.pt").string(); }
std::string segment_config_path(const std::string& dir) { return (fs::path(dir) / "segment.json").string(); }
std::string segment_log_path(const std::string& dir) { return (fs::path(dir) / "log.csv").string(); }

ModelConfig pretrained_model_config(const std::string& run_dir) {
  P2R_CHECK(fs::is_directory(run_dir), run_dir << ": pretraining run folder does not exist");
  const std::string path = config_path(run_dir);
  std::ifstream in(path);
  P2R_CHECK(in.good(), "cannot read config file " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  ModelConfig m;
  try {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(ss.str());
    } catch (const std::exception& e) {
      P2R_FAIL("config: malformed JSON: " << e.what());
    }
    P2R_CHECK(j.is_object(), "config: expected a JSON object");
    if (j.contains("model")) overlay_model_config(j["model"], ModelKeys::All, ModelConfigFile::RunConfig, m);
  } catch (const Error& e) {
    P2R_FAIL(path << ": " << e.message());
  }
  return m;
}

}  // namespace p2r
