// A panel's last error: red wrapped text and a "dismiss" button that clears it.
#include <imgui.h>

#include <string>

#include "app/studio/panels.h"

namespace p2r::studio {

void draw_dismissable_error(std::string& error, const char* dismiss_id) {
  if (error.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
  ImGui::TextWrapped("%s", error.c_str());
  ImGui::PopStyleColor();
  if (ImGui::SmallButton(dismiss_id)) error.clear();
}

}  // namespace p2r::studio
