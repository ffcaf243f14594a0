#pragma once
// What the studio remembers between launches (window size, recently opened data), kept as JSON in
// the user's configuration folder. No GL, no ImGui.
#include <string>
#include <vector>

namespace p2r::studio {

/// Settings of the interactive studio; scripted runs neither read nor write them.
struct StudioSettings {
  int width = 1280, height = 800;                  ///< window size at the last exit
  std::vector<std::vector<std::string>> recent;    ///< paths of each recent open, newest first
  static constexpr size_t kMaxRecent = 10;

  /// Puts paths (made absolute; none = the built-in demo, not remembered) first in recent,
  /// removing an earlier identical entry and keeping at most kMaxRecent.
  void remember(const std::vector<std::string>& paths);
};

/// studio.json in $P2R_CONFIG_DIR, else $XDG_CONFIG_HOME/pix2rep, else ~/.config/pix2rep ("" when
/// none of them is set).
std::string studio_settings_path();

/// The settings stored at path; defaults when the file does not exist. A corrupt file gives the
/// defaults and a message naming it in problem.
StudioSettings load_studio_settings(const std::string& path, std::string& problem);

/// Writes settings to path atomically (creating its folder). Returns a message naming the file when
/// that fails, "" on success.
std::string save_studio_settings(const std::string& path, const StudioSettings& settings);

}  // namespace p2r::studio
