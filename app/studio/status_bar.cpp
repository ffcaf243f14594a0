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
    const ViewGrid& grid = session.grid;
    const SourceSlice* src = grid.native ? session.sources.current() : nullptr;
    int x = 0, y = 0, u = 0, v = 0;
    if (pixel.valid) grid.to_source(pixel.at, x, y);
    const bool in_prepared = pixel.valid && grid.to_prepared(pixel.at, u, v);
    if (pixel.valid && src && x >= 0 && y >= 0 && x < src->width && y < src->height) {
      // Native: the scanner value and source label of the source pixel, and the prepared pixel.
      const size_t offset = size_t(y) * size_t(src->width) + size_t(x);
      ImGui::Text("(%3d, %3d)  value %.1f  %s", x, y, src->values[offset],
                  src->labels.empty() ? "" : viz::label_name(src->labels[offset]).c_str());
      ImGui::SameLine(0, 16);
      if (in_prepared) ImGui::TextDisabled("prepared (%d, %d)", u, v);
      else ImGui::TextDisabled("outside the prepared crop");
    } else if (pixel.valid && !src && in_prepared) {
      const int64_t offset = int64_t(v) * data.size + u;
      const uint8_t label = data.label(i)[offset];
      ImGui::Text("(%3d, %3d)  value %.3f  %s", u, v, data.image(i)[offset],
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
