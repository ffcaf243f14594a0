#include "app/studio/studio_settings.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r::studio {

namespace fs = std::filesystem;

void StudioSettings::remember(const std::vector<std::string>& paths) {
  if (paths.empty()) return;
  std::vector<std::string> absolute;
  for (const std::string& p : paths) absolute.push_back(fs::absolute(p).lexically_normal().string());
  recent.erase(std::remove(recent.begin(), recent.end(), absolute), recent.end());
  recent.insert(recent.begin(), absolute);
  if (recent.size() > kMaxRecent) recent.resize(kMaxRecent);
}

std::string studio_settings_path() {
  const auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value && *value ? value : "";
  };
  if (const std::string dir = env("P2R_CONFIG_DIR"); !dir.empty()) return (fs::path(dir) / "studio.json").string();
  if (const std::string dir = env("XDG_CONFIG_HOME"); !dir.empty())
    return (fs::path(dir) / "pix2rep" / "studio.json").string();
  if (const std::string home = env("HOME"); !home.empty())
    return (fs::path(home) / ".config" / "pix2rep" / "studio.json").string();
  return "";
}

StudioSettings load_studio_settings(const std::string& path, std::string& problem) {
  StudioSettings settings;
  problem.clear();
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return settings;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json j = nlohmann::json::parse(text.str());
    StudioSettings read;
    read.width = std::clamp(j.value("width", read.width), 320, 8192);
    read.height = std::clamp(j.value("height", read.height), 240, 8192);
    for (const auto& entry : j.value("recent", nlohmann::json::array()))
      if (read.recent.size() < StudioSettings::kMaxRecent) read.recent.push_back(entry.get<std::vector<std::string>>());
    return read;
  } catch (const nlohmann::json::exception& e) {
    problem = path + ": unreadable studio settings (" + e.what() + "); using the defaults";
    return settings;
  }
}

std::string save_studio_settings(const std::string& path, const StudioSettings& settings) {
  if (path.empty()) return "no configuration folder (HOME is not set); settings not saved";
  const nlohmann::json j = {{"width", settings.width}, {"height", settings.height}, {"recent", settings.recent}};
  try {
    ensure_directory(fs::path(path).parent_path().string());
    write_file_atomically(path, [&](const std::string& tmp) {
      std::ofstream out(tmp);
      out << j.dump(2) << "\n";
      P2R_CHECK(out.good(), path << ": cannot write the studio settings");
    });
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

}  // namespace p2r::studio
