#include "viz/figure/figure_text.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "viz/figure/figure.h"

namespace p2r::viz {
namespace {

void select_font(cairo_t* cr, const TextStyle& style) {
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                         style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, style.size_pt * kMmPerPoint);
}

TextStyle at_size(TextStyle style, double size_pt) {
  style.size_pt = size_pt;
  return style;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Words packed greedily into lines no wider than max_width; empty when a word alone is wider or
// more than max_lines lines are needed.
std::vector<std::string> wrapped(cairo_t* cr, const std::vector<std::string>& words, double max_width,
                                 const TextStyle& style, int max_lines) {
  std::vector<std::string> lines;
  for (const std::string& w : words) {
    if (!lines.empty() && text_width_mm(cr, lines.back() + " " + w, style) <= max_width) {
      lines.back() += " " + w;
      continue;
    }
    if (text_width_mm(cr, w, style) > max_width || int(lines.size()) == max_lines) return {};
    lines.push_back(w);
  }
  return lines;
}

// line as it is when it fits; else with whole UTF-8 characters dropped from its end, then "...",
// until it fits (or one character is left).
std::string elided(cairo_t* cr, std::string line, double max_width, const TextStyle& style) {
  if (text_width_mm(cr, line, style) <= max_width) return line;
  std::string out = line + "...";
  while (text_width_mm(cr, out, style) > max_width && line.size() > 1) {
    do line.pop_back();
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80);
    if (!line.empty() && (static_cast<unsigned char>(line.back()) & 0x80)) line.pop_back();  // lead byte
    out = line + "...";
  }
  return out;
}

}  // namespace

TextStyle centred_text(double size_pt, VAlign valign, double angle_deg) {
  TextStyle s;
  s.size_pt = size_pt, s.halign = HAlign::Center, s.valign = valign, s.angle_deg = angle_deg;
  return s;
}

void use_unhinted_text(cairo_t* cr) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

TextMeasure::TextMeasure()
    : m_surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)), m_cr(cairo_create(m_surface)) {
  P2R_CHECK(cairo_status(m_cr) == CAIRO_STATUS_SUCCESS, "cannot create a Cairo context to measure text");
  cairo_scale(m_cr, 300 / 25.4, 300 / 25.4);  // mm at 300 DPI; unhinted widths do not depend on it
  use_unhinted_text(m_cr);
}

TextMeasure::~TextMeasure() {
  cairo_destroy(m_cr);
  cairo_surface_destroy(m_surface);
}

double text_width_mm(cairo_t* cr, const std::string& text, const TextStyle& style) {
  cairo_save(cr);
  select_font(cr, style);
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_restore(cr);
  return e.x_advance;
}

double line_pitch_mm(double size_pt) {
  return size_pt * kMmPerPoint * 1.2;
}

double text_block_height_mm(size_t lines, double size_pt) {
  return size_pt * kMmPerPoint * 0.72 + double(lines - 1) * line_pitch_mm(size_pt);  // 0.72: capital height
}

void draw_text(cairo_t* cr, double x, double y, const std::string& text, const TextStyle& style) {
  if (text.empty()) return;
  cairo_save(cr);
  select_font(cr, style);
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  const double cap = text_block_height_mm(1, style.size_pt);
  double dx = 0, dy = 0;
  if (style.halign == HAlign::Center) dx = -e.x_advance / 2;
  if (style.halign == HAlign::Right) dx = -e.x_advance;
  if (style.valign == VAlign::Middle) dy = cap / 2;
  if (style.valign == VAlign::Top) dy = cap;
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -style.angle_deg * M_PI / 180.0);
  cairo_move_to(cr, dx, dy);
  cairo_set_source_rgb(cr, style.r, style.g, style.b);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

FittedText fit_text(cairo_t* cr, const std::string& text, double max_width_mm, const TextStyle& style, int max_lines,
                    double min_size_pt) {
  const double full = style.size_pt, least = std::min(min_size_pt, full), step = 0.25;
  if (text.empty()) return {{}, full};
  for (double s = full; s >= std::max(least, 0.85 * full) - 1e-9; s -= step)
    if (text_width_mm(cr, text, at_size(style, s)) <= max_width_mm) return {{text}, s};
  const std::vector<std::string> words = words_of(text);
  if (max_lines > 1)
    for (double s = full; s >= least - 1e-9; s -= step) {
      std::vector<std::string> lines = wrapped(cr, words, max_width_mm, at_size(style, s), max_lines);
      if (!lines.empty()) return {lines, s};
    }
  // At the smallest size: the first lines take whole words while they fit, the last the rest; each
  // line is elided where it does not fit.
  const TextStyle smallest = at_size(style, least);
  std::vector<std::string> lines(1);
  for (const std::string& w : words) {
    const std::string joined = lines.back().empty() ? w : lines.back() + " " + w;
    if (lines.back().empty() || text_width_mm(cr, joined, smallest) <= max_width_mm || int(lines.size()) == max_lines)
      lines.back() = joined;
    else lines.push_back(w);
  }
  for (std::string& line : lines) line = elided(cr, line, max_width_mm, smallest);
  return {lines, least};
}

void draw_fitted_text(cairo_t* cr, double x, double y, const FittedText& text, TextStyle style) {
  style.size_pt = text.size_pt;
  const double a = style.angle_deg * M_PI / 180.0, pitch = line_pitch_mm(text.size_pt);
  const double down_x = std::sin(a), down_y = std::cos(a);  // towards the next line, on the page
  const int n = int(text.lines.size());
  for (int i = 0; i < n; ++i) {
    const double k = style.valign == VAlign::Top ? i : i - (n - 1);
    draw_text(cr, x + k * pitch * down_x, y + k * pitch * down_y, text.lines[size_t(i)], style);
  }
}

void draw_text_fitted(cairo_t* cr, double x, double y, const std::string& text, double max_width_mm, TextStyle style,
                      double min_size_pt) {
  draw_fitted_text(cr, x, y, fit_text(cr, text, max_width_mm, style, 1, min_size_pt), style);
}

}  // namespace p2r::viz
