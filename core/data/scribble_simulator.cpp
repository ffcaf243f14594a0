#include "core/data/scribble_simulator.h"

#include <algorithm>
#include <deque>
#include <map>
#include <random>

#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/common/seeded_shuffle.h"
#include "core/io/scribble_file.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace p2r {
namespace {

// Seed of a sub-stream: the same (seed, key) gives the same value on every platform.
uint64_t derived_seed(uint64_t seed, uint64_t key) { return hash_bytes(&key, sizeof key, seed); }
uint64_t derived_seed(uint64_t seed, const std::string& key) { return hash_bytes(key.data(), key.size(), seed); }

// 8-neighbourhood offsets clockwise from north (Zhang-Suen's P2..P9).
constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
constexpr int kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

// Zhang-Suen thinning of the binary mask m (w x h) to its one-pixel skeleton, in place.
void thin(std::vector<uint8_t>& m, int w, int h) {
  auto at = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < h && m[y * w + x]; };
  std::vector<int> removed;
  for (bool changed = true; changed;) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {
      removed.clear();
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          if (!m[y * w + x]) continue;
          int p[8], count = 0, transitions = 0;
          for (int k = 0; k < 8; ++k) count += p[k] = at(x + kDx[k], y + kDy[k]);
          for (int k = 0; k < 8; ++k) transitions += !p[k] && p[(k + 1) % 8];
          if (count < 2 || count > 6 || transitions != 1) continue;
          // p[0] N, p[2] E, p[4] S, p[6] W
          const bool keep = pass == 0 ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6])
                                      : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]);
          if (!keep) removed.push_back(y * w + x);
        }
      for (int i : removed) m[i] = 0;
      changed |= !removed.empty();
    }
  }
}

// Chessboard distance (voxels) of every voxel to the nearest voxel with fg set; w + h where none.
std::vector<int> distance_to(const std::vector<uint8_t>& fg, int w, int h) {
  std::vector<int> d(fg.size(), w + h);
  std::deque<int> queue;
  for (int i = 0; i < int(fg.size()); ++i)
    if (fg[i]) d[i] = 0, queue.push_back(i);
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop_front();
    for (int k = 0; k < 8; ++k) {
      const int x = i % w + kDx[k], y = i / w + kDy[k];
      if (x < 0 || y < 0 || x >= w || y >= h || d[y * w + x] <= d[i] + 1) continue;
      d[y * w + x] = d[i] + 1;
      queue.push_back(y * w + x);
    }
  }
  return d;
}

// Paints `strokes` walks of up to length voxels along the skeleton of region with value.
void paint_strokes(std::vector<uint8_t> region, int w, int h, int strokes, int length, uint8_t value,
                   std::mt19937_64& rng, uint8_t* out) {
  std::vector<uint8_t> skeleton = region;
  thin(skeleton, w, h);
  std::vector<int> points;
  for (int i = 0; i < w * h; ++i)
    if (skeleton[i]) points.push_back(i);
  if (points.empty()) {  // thinning can erase a 2 x 2 region entirely: paint the region itself
    skeleton = region;
    for (int i = 0; i < w * h; ++i)
      if (skeleton[i]) points.push_back(i);
  }
  if (points.empty()) return;
  for (int s = 0; s < strokes; ++s) {
    int at = points[rng() % points.size()];
    std::vector<uint8_t> visited(size_t(w) * h, 0);
    for (int step = 0; step < length; ++step) {
      out[at] = value;
      visited[at] = 1;
      int next = -1;
      for (int k = 0; k < 8 && next < 0; ++k) {
        const int x = at % w + kDx[k], y = at / w + kDy[k];
        if (x >= 0 && y >= 0 && x < w && y < h && skeleton[y * w + x] && !visited[y * w + x]) next = y * w + x;
      }
      if (next < 0) break;
      at = next;
    }
  }
}

}  // namespace

void ScribbleSimulation::validate() const {
  P2R_CHECK(strokes_per_structure >= 0 && background_strokes >= 0 && strokes_per_structure + background_strokes > 0,
            "scribble simulation needs at least one stroke (structure strokes " << strokes_per_structure
                                                                               << ", background " << background_strokes
                                                                               << ")");
  P2R_CHECK(stroke_mm > 0, "stroke length must be > 0 mm (got " << stroke_mm << ")");
  P2R_CHECK(band_near_mm >= 0 && band_far_mm > band_near_mm,
            "background band must satisfy 0 <= near < far (got " << band_near_mm << ", " << band_far_mm << " mm)");
}

LabelVolume simulate_scribbles(const LabelVolume& truth, const std::vector<int>& planes,
                               const ScribbleSimulation& config, uint64_t seed) {
  config.validate();
  const Geometry& g = truth.geometry;
  const int w = g.size[0], h = g.size[1];
  const double pixel_mm = std::min(g.spacing[0], g.spacing[1]);
  const int length = std::max(2, int(config.stroke_mm / pixel_mm));
  LabelVolume out;
  out.geometry = g;
  out.voxels.assign(truth.voxels.size(), kUnscribbled);
  for (int z : planes) {
    P2R_CHECK(z >= 0 && z < g.size[2], "scribble plane " << z << " outside 0.." << g.size[2] - 1);
    const uint8_t* labels = truth.voxels.data() + int64_t(z) * w * h;
    uint8_t* dst = out.voxels.data() + int64_t(z) * w * h;
    std::mt19937_64 rng(derived_seed(seed, uint64_t(z)));
    std::vector<uint8_t> heart(size_t(w) * h);
    for (int i = 0; i < w * h; ++i) heart[i] = labels[i] > 0;
    for (int c = 1; c < kNumClasses; ++c) {
      std::vector<uint8_t> region(size_t(w) * h);
      for (int i = 0; i < w * h; ++i) region[i] = labels[i] == c;
      paint_strokes(std::move(region), w, h, config.strokes_per_structure, length, scribble_value(c), rng, dst);
    }
    const std::vector<int> distance = distance_to(heart, w, h);
    std::vector<uint8_t> band(size_t(w) * h);
    for (int i = 0; i < w * h; ++i)
      band[i] = labels[i] == 0 && distance[i] * pixel_mm >= config.band_near_mm &&
                distance[i] * pixel_mm <= config.band_far_mm;
    paint_strokes(std::move(band), w, h, config.background_strokes, length, scribble_value(0), rng, dst);
  }
  return out;
}

std::vector<std::pair<int, int>> choose_scribble_planes(const SliceSet& set, const std::string& subject, int count,
                                                        uint64_t seed) {
  std::vector<std::pair<int, int>> candidates;
  bool found = false, labelled = false;
  for (int vi = 0; vi < int(set.volumes.size()); ++vi) {
    const VolumeRecord& v = set.volumes[vi];
    if (v.subject != subject) continue;
    found = true;
    if (!v.has_label) continue;
    labelled = true;
    for (int s = 0; s < v.slice_count; ++s) {
      const uint8_t* l = set.label(v.first_slice + s);
      if (std::any_of(l, l + set.pixels_per_slice(), [](uint8_t x) { return x > 0; }))
        candidates.emplace_back(vi, set.slices[v.first_slice + s].z);
    }
  }
  P2R_CHECK(found, "subject '" << subject << "' is not in the prepared data");
  P2R_CHECK(labelled, subject << " has no labels to simulate scribbles from");
  std::mt19937_64 rng(derived_seed(seed, subject));
  shuffle_seeded(candidates, rng);
  candidates.resize(std::min<size_t>(candidates.size(), size_t(std::max(count, 0))));
  return candidates;
}

#ifdef PIX2REP_HAS_ITK
std::vector<SimulatedScribbles> simulate_subject_scribbles(const SliceSet& set, const std::vector<std::string>& subjects,
                                                           int slices_per_subject, const ScribbleSimulation& config,
                                                           uint64_t seed) {
  P2R_CHECK(slices_per_subject > 0, "scribbled slices per subject must be > 0 (got " << slices_per_subject << ")");
  std::vector<SimulatedScribbles> out;
  for (const std::string& subject : subjects) {
    std::map<int, std::vector<int>> planes;  // volume -> z
    for (auto [vi, z] : choose_scribble_planes(set, subject, slices_per_subject, seed)) planes[vi].push_back(z);
    for (const auto& [vi, zs] : planes) {
      const VolumeRecord& rec = set.volumes[vi];
      P2R_CHECK(!rec.label_path.empty(), subject << " frame " << rec.frame << ": no label file recorded");
      LabelVolume truth = read_nifti_labels(rec.label_path);
      P2R_CHECK(truth.geometry.size == rec.geometry.size, rec.label_path << ": label file has shape "
                                                                          << truth.geometry.describe() << " but image "
                                                                          << rec.image_path << " has "
                                                                          << rec.geometry.describe());
      truth.geometry = rec.geometry;  // scribbles carry the image's grid and NIfTI header
      SimulatedScribbles s;
      s.volume = vi;
      s.planes = int(zs.size());
      s.scribbles = simulate_scribbles(truth, zs, config, derived_seed(derived_seed(seed, subject), uint64_t(rec.frame)));
      out.push_back(std::move(s));
    }
  }
  return out;
}
#endif

}  // namespace p2r
