// The image panel: the layered slice view, with arrow keys stepping through slices.
#include <imgui.h>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {

void draw_image_panel(StudioSession& session, const ShaderLibrary& shaders) {
  if (!session.browser.data()) {
    ImGui::TextDisabled(session.loading() ? "opening..." : "no data open");
    return;
  }
  if (ImGui::IsWindowFocused()) {
    const int step = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))     ? 1
                     : ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow)) ? -1
                                                                                   : 0;
    if (step) session.browser.select_position(session.browser.position() + step);
  }
  session.view.draw(shaders);
}

}  // namespace p2r::studio
