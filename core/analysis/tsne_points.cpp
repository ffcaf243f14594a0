#include "core/analysis/tsne_points.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r {
namespace {
constexpr const char* kHeader = "slice,x,y,tsne_x,tsne_y,r,g,b";
}

void write_tsne_points(const std::string& path, const TsnePoints& points) {
  const size_t n = points.pixels.size();
  P2R_CHECK(points.coords.size() == 2 * n && points.colours.size() == 3 * n,
            path << ": " << n << " pixels but " << points.coords.size() / 2 << " coordinates and "
                 << points.colours.size() / 3 << " colours");
  std::string csv = std::string(kHeader) + "\n";
  csv.reserve(n * 64);
  char line[160];
  for (size_t i = 0; i < n; ++i) {
    const PixelRef& p = points.pixels[i];
    std::snprintf(line, sizeof line, "%d,%d,%d,%.5f,%.5f,%.4f,%.4f,%.4f\n", p.slice, p.x, p.y, points.coords[2 * i],
                  points.coords[2 * i + 1], points.colours[3 * i], points.colours[3 * i + 1],
                  points.colours[3 * i + 2]);
    csv += line;
  }
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f << csv;
    P2R_CHECK(f, tmp << ": write failed");
  });
}

TsnePoints read_tsne_points(const std::string& path) {
  std::ifstream f(path);
  P2R_CHECK(f, path << ": cannot open the t-SNE points file");
  std::string line;
  P2R_CHECK(std::getline(f, line), path << ": empty file (expected the header '" << kHeader << "')");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  P2R_CHECK(line == kHeader, path << ": not a t-SNE points file (header '" << line.substr(0, 60) << "', expected '"
                                  << kHeader << "')");
  TsnePoints points;
  for (int number = 2; std::getline(f, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    PixelRef p;
    float v[5];
    char tail = 0;
    const int got = std::sscanf(line.c_str(), "%d,%d,%d,%f,%f,%f,%f,%f%c", &p.slice, &p.x, &p.y, &v[0], &v[1], &v[2],
                                &v[3], &v[4], &tail);
    P2R_CHECK(got == 8, path << ":" << number << ": expected 8 numbers (" << kHeader << "), got '"
                             << line.substr(0, 80) << "'");
    P2R_CHECK(p.slice >= 0 && p.x >= 0 && p.y >= 0, path << ":" << number << ": negative slice or pixel");
    for (float value : v) P2R_CHECK(std::isfinite(value), path << ":" << number << ": non-finite value");
    points.pixels.push_back(p);
    points.coords.insert(points.coords.end(), {v[0], v[1]});
    points.colours.insert(points.colours.end(), {v[2], v[3], v[4]});
  }
  P2R_CHECK(!points.pixels.empty(), path << ": no points");
  return points;
}

void check_points_fit(const TsnePoints& points, const EmbeddingStore& store, const std::string& source) {
  for (int i = 0; i < points.size(); ++i) {
    const PixelRef& p = points.pixels[size_t(i)];
    P2R_CHECK(p.slice < store.slice_count() && p.x < store.width() && p.y < store.height(),
              source << ": point " << i + 1 << " (slice " << p.slice << ", pixel " << p.x << ", " << p.y
                     << ") is outside the embeddings (" << store.slice_count() << " slices of " << store.width()
                     << " x " << store.height() << ")");
  }
}

}  // namespace p2r
