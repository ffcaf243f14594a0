#include "core/io/scribble_file.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/common/error.h"
#include "core/io/nifti.h"

namespace p2r {
namespace {

std::string triple(const std::array<double, 3>& v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.6g,%.6g,%.6g", v[0], v[1], v[2]);
  return buf;
}

}  // namespace

std::string scribble_file_name(const std::string& subject, int frame) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_frame%02d_scribbles.nii.gz", frame);
  return subject + buf;
}

std::string scribble_values_text(const ClassList& classes) {
  std::string out = "0 unlabelled";
  for (size_t i = 0; i < classes.size(); ++i) out += ", " + std::to_string(i + 1) + " " + classes[i].name;
  return out;
}

std::string grid_difference(const Geometry& a, const Geometry& b) {
  std::ostringstream out;
  if (a.size != b.size) {
    out << "shape " << a.size[0] << "x" << a.size[1] << "x" << a.size[2] << " vs " << b.size[0] << "x" << b.size[1]
        << "x" << b.size[2];
    return out.str();
  }
  for (int i = 0; i < 3; ++i)
    if (std::abs(a.spacing[i] - b.spacing[i]) > 1e-4 * std::max(std::abs(a.spacing[i]), std::abs(b.spacing[i])))
      return "spacing " + triple(a.spacing) + " vs " + triple(b.spacing) + " mm";
  for (int i = 0; i < 3; ++i)
    if (std::abs(a.origin[i] - b.origin[i]) > 1e-3) return "origin " + triple(a.origin) + " vs " + triple(b.origin) + " mm";
  for (int i = 0; i < 9; ++i)
    if (std::abs(a.direction[i] - b.direction[i]) > 1e-4) {
      out << "direction (row " << i / 3 << ") " << triple({a.direction[i / 3 * 3], a.direction[i / 3 * 3 + 1],
                                                           a.direction[i / 3 * 3 + 2]})
          << " vs " << triple({b.direction[i / 3 * 3], b.direction[i / 3 * 3 + 1], b.direction[i / 3 * 3 + 2]});
      return out.str();
    }
  return "";
}

void write_scribble_file(const std::string& path, const LabelVolume& scribbles, const ClassList& classes) {
  for (uint8_t v : scribbles.voxels)
    P2R_CHECK(v <= classes.size(), path << ": scribble value " << int(v) << " has no class ("
                                        << scribble_values_text(classes) << ")");
  write_nifti(path, scribbles);
}

LabelVolume read_scribble_file(const std::string& path, const Geometry& image_grid, const std::string& image_path,
                               const ClassList& classes) {
  Volume v = read_nifti(path);
  const std::string difference = grid_difference(v.geometry, image_grid);
  P2R_CHECK(difference.empty(), path << ": scribbles are not on the grid of their image " << image_path << ": "
                                     << difference);
  LabelVolume out;
  out.geometry = v.geometry;
  out.voxels.resize(v.voxels.size());
  for (size_t i = 0; i < v.voxels.size(); ++i) {
    const float x = v.voxels[i];
    P2R_CHECK(x == std::floor(x) && x >= 0 && x <= float(classes.size()),
              path << ": scribble value " << x << " has no class (" << scribble_values_text(classes) << ")");
    out.voxels[i] = uint8_t(x);
  }
  return out;
}

}  // namespace p2r
