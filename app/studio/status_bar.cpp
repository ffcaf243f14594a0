// The status bar: pixel under the mouse, zoom, what is open.
#include <imgui.h>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"
#include "viz/colormap.h"

namespace p2r::studio {

void draw_status_bar(const StudioSession& session, bool show_fps) {
  const DatasetBrowser& browser = session.browser;
  const HoveredPixel& pixel = session.view.hovered();
  if (browser.data() && browser.slice_index() >= 0) {
    const SliceSet& data = *browser.data();
    const int i = browser.slice_index();
    const VolumeRecord& record = data.volume_of(i);
    ImGui::Text("%s %s z=%d", record.subject.c_str(), phase_name(record.phase), data.slices[i].z);
    ImGui::SameLine(0, 24);
    if (pixel.valid) {
      const int64_t offset = int64_t(pixel.y) * data.size + pixel.x;
      const uint8_t label = data.label(i)[offset];
      ImGui::Text("(%3d, %3d)  value %.3f  %s", pixel.x, pixel.y, data.image(i)[offset],
                  data.has_label(i) ? viz::label_name(label).c_str() : "");
    } else {
      ImGui::TextDisabled("(move over the image)");
    }
    ImGui::SameLine(0, 24);
    ImGui::Text("zoom %.0f%%", session.view.transform.zoom * 100.f);
  } else {
    ImGui::TextUnformatted(session.loading() ? "opening..." : "nothing open");
  }
  if (show_fps) {
    ImGui::SameLine(ImGui::GetWindowWidth() - 110);
    ImGui::TextDisabled("%.0f fps", ImGui::GetIO().Framerate);
  }
}

}  // namespace p2r::studio
