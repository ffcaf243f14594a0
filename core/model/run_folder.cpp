#include "core/model/run_folder.h"

#include <algorithm>
#include <cstdio>
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

namespace {
// epoch-NNNN: the name of a snapshot folder.
bool is_snapshot_name(const std::string& name) {
  return name.size() > 6 && name.rfind("epoch-", 0) == 0 && name.find_first_not_of("0123456789", 6) == std::string::npos;
}
}  // namespace

std::string snapshot_path(const std::string& d, int epoch) {
  char name[32];
  std::snprintf(name, sizeof name, "epoch-%04d", epoch);
  return (fs::path(d) / "snapshots" / name).string();
}

std::vector<std::string> snapshot_paths(const std::string& d) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(d) / "snapshots", ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && is_snapshot_name(name)) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());  // zero-padded epochs sort as numbers
  return out;
}

int snapshot_epoch(const std::string& snapshot_dir) {
  const std::string name = fs::path(snapshot_dir).filename().string();
  P2R_CHECK(is_snapshot_name(name), snapshot_dir << ": not a snapshot folder (epoch-NNNN)");
  return std::stoi(name.substr(6));
}

std::string snapshot_run(const std::string& dir) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(dir, ec);
  if (ec || p.parent_path().filename() != "snapshots" || !is_snapshot_name(p.filename().string())) return "";
  return p.parent_path().parent_path().string();
}

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
