// The equivariance figure kind: what a backbone learned about a spatial transform and intensity
// reversal on one slice (core/analysis/equivariance_error.h), drawn by viz/figure/equivariance_figure.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/figures/analysis_inputs.h"
#include "app/figures/figure_kinds.h"
#include "core/analysis/embedding_cache.h"
#include "core/analysis/equivariance_error.h"
#include "core/common/comma_list.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/data/slice_cache.h"
#include "viz/figure/equivariance_figure.h"

namespace fs = std::filesystem;

namespace p2r::figures {
namespace {

// Rounded so that a sidecar's provenance does not hang on the last bits of a forward pass.
double rounded(double v) { return std::isfinite(v) ? std::round(v * 1e4) / 1e4 : v; }

nlohmann::ordered_json summary_record(const ErrorSummary& s) {
  return {{"mean", rounded(s.mean)}, {"median", rounded(s.median)}, {"pixels", s.valid}};
}

std::string summary_caption(const ErrorSummary& s) {
  char text[96];
  std::snprintf(text, sizeof text, "mean %.3f, median %.3f", s.mean, s.median);
  return text;
}

FigureProduct make_equivariance(const FigureArgs& a) {
  FigureProduct out;
  const std::string run = figure_arg(a, "checkpoint"), data_path = figure_arg(a, "data");
  SpatialTransform phi;
  phi.rotation_deg = figure_real(a, "rotate");
  phi.scale = figure_real(a, "scale");
  phi.shift_x = figure_real(a, "shift-x");
  phi.shift_y = figure_real(a, "shift-y");
  const int flip = figure_int(a, "flip");
  P2R_CHECK(flip == 0 || flip == 1, "--flip must be 0 or 1, got " << flip);
  phi.flip = flip == 1;
  phi.validate();
  P2R_CHECK(fs::is_directory(run), run << ": pretraining run folder does not exist");
  P2R_CHECK(fs::is_regular_file(data_path), data_path << ": prepared file does not exist (make it with pix2rep prepare)");
  const SliceSet data = load_slice_set(data_path);
  const auto subject = a.find("subject");
  const auto frame = a.find("frame");
  const int s = find_slice(data, subject == a.end() ? "" : subject->second, frame == a.end() ? "" : frame->second,
                           figure_int(a, "slice"));
  out.provenance["checkpoint"] = {{"path", fs::absolute(run).string()},
                                  {"hash", hash_hex(embedding_key(run, data).checkpoint_hash)}};
  out.provenance["data"] = file_record(data_path);
  ExtractOptions options;
  options.device = figure_arg(a, "device");
  const EquivarianceMaps maps = backbone_equivariance_error(run, data.image(s), data.size, phi, options);

  viz::EquivarianceFigureData d;
  d.width = maps.width, d.height = maps.height;
  d.image_title = slice_title(data, s);
  d.image.assign(data.image(s), data.image(s) + data.pixels_per_slice());
  d.maps.push_back({phi.describe(), summary_caption(maps.spatial_summary), maps.spatial});
  d.maps.push_back({"intensity reversal", summary_caption(maps.reversal_summary), maps.reversal});
  d.column = viz::parse_column_width(figure_arg(a, "column").c_str());
  const std::string range = figure_arg(a, "range");
  if (range == "auto") {
    float hi = 0;
    for (const viz::ErrorPanel& p : d.maps)
      for (float v : p.error)
        if (std::isfinite(v)) hi = std::max(hi, v);
    d.low = 0, d.high = std::max(hi, 1e-3f);
  } else {
    const auto v = split_list(range);
    P2R_CHECK(v.size() == 2, "--range must be 'auto' or LOW,HIGH, got '" << range << "'");
    d.low = std::stof(v[0]), d.high = std::stof(v[1]);
  }
  const VolumeRecord& volume = data.volume_of(s);
  out.provenance["data"]["subjects"] = {volume.subject};
  out.provenance["slice"] = {{"index", s}, {"subject", volume.subject}, {"frame", volume.frame},
                             {"z", data.slices[size_t(s)].z}, {"title", d.image_title}};
  out.provenance["transform"] = {{"rotation_deg", phi.rotation_deg}, {"scale", phi.scale},
                                 {"shift_x", phi.shift_x}, {"shift_y", phi.shift_y}, {"flip", phi.flip}};
  out.provenance["spatial_error"] = summary_record(maps.spatial_summary);
  out.provenance["reversal_error"] = summary_record(maps.reversal_summary);
  out.figure = viz::make_equivariance_figure(d);
  return out;
}

}  // namespace

FigureKind equivariance_figure_kind() {
  FigureKind kind{"equivariance",
                  "a slice, the per-pixel equivariance error 1 - cos(f(phi x), phi f(x)) of a spatial transform phi "
                  "and the error under intensity reversal, with their means",
                  {{"checkpoint", "pretraining run folder", "", true},
                   {"data", "prepared file (.p2rs)", "", true},
                   {"device", "device of the backbone (cpu keeps figures reproducible)", "cpu", false},
                   {"slice", "slice: an index into the data, or with --subject the z of the subject's frame", "", true},
                   {"subject", "subject id (then --slice is a z of its frame)", "", false},
                   {"frame", "with --subject: ED, ES or a frame number (needed when the subject has several)", "",
                    false},
                   {"rotate", "rotation of phi's sampling grid, degrees", "", true},
                   {"scale", "side of the region phi samples relative to the image (< 1 zooms in)", "1", false},
                   {"shift-x", "translation of phi's sampling grid, pixels", "0", false},
                   {"shift-y", "translation of phi's sampling grid, pixels", "0", false},
                   {"flip", "1: phi flips horizontally", "0", false},
                   {"range", "error colour range: auto (0 to the largest) or LOW,HIGH", "auto", false},
                   {"column", "single or double column", "double", false}},
                  make_equivariance};
  return kind;
}

}  // namespace p2r::figures
