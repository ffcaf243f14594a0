#include "app/studio/line_plot.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

namespace p2r::studio {
namespace {

struct Range {
  double lo = DBL_MAX, hi = -DBL_MAX;
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool valid() const { return lo <= hi; }
};

// "%.3g" with a fixed width so the left margin does not jump while the range changes.
void format_value(char* buf, size_t size, double v) { std::snprintf(buf, size, "%.3g", v); }

}  // namespace

std::vector<double> smoothed(const std::vector<double>& y, double alpha) {
  std::vector<double> out(y.size());
  double ema = y.empty() ? 0 : y[0];
  for (size_t i = 0; i < y.size(); ++i) out[i] = ema = alpha * ema + (1 - alpha) * y[i];
  return out;
}

void draw_line_plot(const char* id, const std::vector<PlotCurve>& curves, const PlotAxes& axes, float height) {
  ImGui::PushID(id);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x, 60.f);
  ImGui::InvisibleButton("##plot", ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line_h = ImGui::GetTextLineHeight();

  Range xr, yr;
  for (const PlotCurve& c : curves) {
    if (!c.x || !c.y) continue;
    for (size_t i = 0; i < std::min(c.x->size(), c.y->size()); ++i) {
      xr.add((*c.x)[i]);
      yr.add((*c.y)[i]);
    }
  }
  if (axes.fixed_y) yr = {axes.y_min, axes.y_max};
  const float margin_left = ImGui::CalcTextSize("-0.000").x + 6.f;
  const ImVec2 p0(origin.x + margin_left, origin.y + 2.f);
  const ImVec2 p1(origin.x + width - 4.f, origin.y + height - line_h - 4.f);
  draw->AddRectFilled(p0, p1, IM_COL32(20, 22, 26, 255));
  draw->AddRect(p0, p1, IM_COL32(90, 90, 100, 255));
  if (!xr.valid() || !yr.valid() || p1.x - p0.x < 10 || p1.y - p0.y < 10) {
    draw->AddText(ImVec2(p0.x + 6, p0.y + 4), IM_COL32(140, 140, 140, 255), "no values yet");
    ImGui::PopID();
    return;
  }
  if (xr.hi == xr.lo) xr.hi = xr.lo + 1;
  if (yr.hi == yr.lo) {
    yr.lo -= 0.5 * std::max(std::abs(yr.lo), 1e-3);
    yr.hi += 0.5 * std::max(std::abs(yr.hi), 1e-3);
  } else if (!axes.fixed_y) {
    const double pad = 0.05 * (yr.hi - yr.lo);
    yr.lo -= pad;
    yr.hi += pad;
  }
  auto to_screen = [&](double x, double y) {
    return ImVec2(float(p0.x + (x - xr.lo) / (xr.hi - xr.lo) * (p1.x - p0.x)),
                  float(p1.y - (y - yr.lo) / (yr.hi - yr.lo) * (p1.y - p0.y)));
  };
  // Grid: quarter lines and y tick labels.
  char buf[32];
  for (int k = 0; k <= 4; ++k) {
    const double y = yr.lo + (yr.hi - yr.lo) * k / 4.0;
    const ImVec2 a = to_screen(xr.lo, y);
    if (k > 0 && k < 4) draw->AddLine(a, ImVec2(p1.x, a.y), IM_COL32(50, 52, 58, 255));
    if (k % 2 == 0) {
      format_value(buf, sizeof buf, y);
      const ImVec2 size = ImGui::CalcTextSize(buf);
      draw->AddText(ImVec2(p0.x - size.x - 4, std::clamp(a.y - line_h / 2, p0.y, p1.y - line_h)),
                    IM_COL32(170, 170, 170, 255), buf);
    }
  }
  format_value(buf, sizeof buf, xr.lo);
  draw->AddText(ImVec2(p0.x, p1.y + 2), IM_COL32(170, 170, 170, 255), buf);
  std::snprintf(buf, sizeof buf, "%s %.0f", axes.x_label.c_str(), xr.hi);
  draw->AddText(ImVec2(p1.x - ImGui::CalcTextSize(buf).x, p1.y + 2), IM_COL32(170, 170, 170, 255), buf);

  // Legend on the axis line, between the first x and the last x labels.
  format_value(buf, sizeof buf, xr.lo);
  float legend_x = p0.x + ImGui::CalcTextSize(buf).x + 16;
  for (const PlotCurve& c : curves) {
    if (!c.x || !c.y || c.y->empty()) continue;
    draw->AddLine(ImVec2(legend_x, p1.y + 2 + line_h / 2), ImVec2(legend_x + 12, p1.y + 2 + line_h / 2), c.color, 2.f);
    draw->AddText(ImVec2(legend_x + 15, p1.y + 2), c.color, c.label.c_str());
    legend_x += 27 + ImGui::CalcTextSize(c.label.c_str()).x;
  }
  draw->PushClipRect(p0, p1, true);
  for (const PlotCurve& c : curves) {
    if (!c.x || !c.y || c.y->empty()) continue;
    const size_t n = std::min(c.x->size(), c.y->size());
    // One min/max pair per pixel column keeps long step histories cheap to draw.
    std::vector<ImVec2> points;
    points.reserve(std::min<size_t>(n, size_t(2 * (p1.x - p0.x) + 2)));
    int column = INT32_MIN;
    float col_min = 0, col_max = 0;
    auto flush = [&] {
      if (column == INT32_MIN) return;
      points.emplace_back(float(column), col_min);
      if (col_max != col_min) points.emplace_back(float(column), col_max);
    };
    for (size_t i = 0; i < n; ++i) {
      const ImVec2 s = to_screen((*c.x)[i], (*c.y)[i]);
      if (!std::isfinite(s.y)) continue;
      const int col = int(std::floor(s.x));
      if (col != column) {
        flush();
        column = col;
        col_min = col_max = s.y;
      } else {
        col_min = std::min(col_min, s.y);
        col_max = std::max(col_max, s.y);
      }
      if (c.markers) draw->AddCircleFilled(s, 2.5f, c.color);
    }
    flush();
    if (points.size() >= 2) draw->AddPolyline(points.data(), int(points.size()), c.color, 0, c.thickness);
  }
  draw->PopClipRect();

  if (hovered) {
    const double mx = xr.lo + (ImGui::GetIO().MousePos.x - p0.x) / (p1.x - p0.x) * (xr.hi - xr.lo);
    draw->AddLine(ImVec2(ImGui::GetIO().MousePos.x, p0.y), ImVec2(ImGui::GetIO().MousePos.x, p1.y),
                  IM_COL32(200, 200, 200, 80));
    ImGui::BeginTooltip();
    ImGui::Text("%s %.0f", axes.x_label.c_str(), mx);
    for (const PlotCurve& c : curves) {
      if (!c.x || !c.y || c.x->empty()) continue;
      const auto it = std::lower_bound(c.x->begin(), c.x->end(), mx);
      const size_t i = std::min(size_t(it - c.x->begin()), c.x->size() - 1);
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(c.color), "%s %.4g (at %.0f)", c.label.c_str(),
                         (*c.y)[i], (*c.x)[i]);
    }
    ImGui::EndTooltip();
  }
  ImGui::PopID();
}

}  // namespace p2r::studio
