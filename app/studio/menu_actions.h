#pragma once
// The main menu's commands as a table ("Menu/Item" -> action), drawn by the menu bar and run by
// scripts (`menu File/Open demo`) through the same code. No ImGui.
#include <functional>
#include <string>
#include <vector>

namespace p2r::studio {

class StudioSession;

/// One menu item.
struct MenuAction {
  std::string menu, item;  ///< e.g. "File", "Open files..."
  std::string shortcut;    ///< shown beside the item ("" none; keys handled by the menu bar)
  std::function<bool(const StudioSession&)> enabled;   ///< null: always
  std::function<bool(const StudioSession&)> checked;   ///< null: not a toggle
  std::function<void(StudioSession&)> run;
  bool separator_before = false;
};

/// Every item in menu order (File, View, Jobs, Export); File's recent list is drawn apart.
const std::vector<MenuAction>& menu_actions();

/// Runs the item "Menu/Item" (e.g. "Export/Figure..."). Throws p2r::Error naming the path and the
/// known items when there is no such item, or when it is disabled now.
void run_menu_action(StudioSession& session, const std::string& path);

}  // namespace p2r::studio
