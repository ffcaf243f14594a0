#include "core/data/phantom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/data/preprocess.h"

namespace p2r {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Shape of one subject's heart at end-diastole, in mm; ES and the apex are derived from it.
struct HeartShape {
  double cx, cy;              // centre offset from the image centre
  double lv_radius;           // endocardial radius at the base
  double wall;                // myocardial thickness
  double harmonic[2], phase[2];  // 2nd/3rd harmonic deformation of the contours
  double rv_angle, rv_scale;  // direction of the RV from the LV centre; RV size factor
  double thin_sector;         // angle of a thinned wall sector (MINF), NaN otherwise
  double es_lv, es_wall;      // ES factors of cavity radius and wall thickness
};

struct Appearance {
  double blood, myo, tissue, fat, lung, liver;  // tissue intensities before bias and noise
  double noise, bias[4], gain;
};

double contour(const HeartShape& h, double radius, double theta) {
  return radius * (1 + h.harmonic[0] * std::cos(2 * theta + h.phase[0]) + h.harmonic[1] * std::cos(3 * theta + h.phase[1]));
}

HeartShape make_shape(std::mt19937_64& rng, const std::string& group) {
  std::uniform_real_distribution<double> U(0, 1);
  auto uni = [&](double a, double b) { return a + (b - a) * U(rng); };
  HeartShape h;
  h.cx = uni(-15, 15);
  h.cy = uni(-15, 15);
  h.lv_radius = uni(22, 28);
  h.wall = uni(7, 10);
  h.harmonic[0] = uni(0, 0.08);
  h.harmonic[1] = uni(0, 0.05);
  h.phase[0] = uni(0, 2 * kPi);
  h.phase[1] = uni(0, 2 * kPi);
  h.rv_angle = kPi + uni(-0.35, 0.35);
  h.rv_scale = uni(0.9, 1.1);
  h.thin_sector = std::nan("");
  h.es_lv = uni(0.6, 0.7);
  h.es_wall = uni(1.35, 1.5);
  if (group == "DCM") {
    h.lv_radius *= 1.3, h.wall *= 0.75, h.es_lv = uni(0.85, 0.92), h.es_wall = 1.1;
  } else if (group == "HCM") {
    h.lv_radius *= 0.85, h.wall *= 1.6, h.es_lv = uni(0.45, 0.55);
  } else if (group == "MINF") {
    h.lv_radius *= 1.1, h.thin_sector = uni(0, 2 * kPi), h.es_lv = uni(0.78, 0.85), h.es_wall = 1.2;
  } else if (group == "RV") {
    h.rv_scale = uni(1.45, 1.7);
  }
  return h;
}

Appearance make_appearance(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> U(0, 1);
  auto uni = [&](double a, double b) { return a + (b - a) * U(rng); };
  Appearance a;
  a.blood = uni(0.75, 0.95);
  a.myo = uni(0.2, 0.35);
  a.tissue = uni(0.3, 0.45);
  a.fat = uni(0.6, 0.8);
  a.lung = uni(0.03, 0.1);
  a.liver = uni(0.4, 0.55);
  a.noise = uni(0.015, 0.05);
  for (double& b : a.bias) b = uni(-0.25, 0.25);
  a.gain = uni(600, 1400);
  return a;
}

bool in_ellipse(double x, double y, double cx, double cy, double a, double b) {
  double dx = (x - cx) / a, dy = (y - cy) / b;
  return dx * dx + dy * dy <= 1;
}

// Separable Gaussian blur of one plane (partial-volume smoothing), sigma in pixels.
void blur_plane(std::vector<double>& img, int nx, int ny, double sigma) {
  int r = int(std::ceil(3 * sigma));
  std::vector<double> k(2 * r + 1), tmp(img.size());
  double sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[i + r] = std::exp(-0.5 * i * i / (sigma * sigma));
  for (double& v : k) v /= sum;
  for (int y = 0; y < ny; ++y)
    for (int x = 0; x < nx; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i) s += k[i + r] * img[y * nx + std::clamp(x + i, 0, nx - 1)];
      tmp[y * nx + x] = s;
    }
  for (int y = 0; y < ny; ++y)
    for (int x = 0; x < nx; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i) s += k[i + r] * tmp[std::clamp(y + i, 0, ny - 1) * nx + x];
      img[y * nx + x] = s;
    }
}

// Shape factor of a cardiac phase: 1 at end-diastole (c = 0), es_value at end-systole (c = 1),
// linear between (exact at both ends, so ED and ES frames do not depend on the cine).
double phase_factor(double es_value, double c) { return c == 0 ? 1.0 : c == 1 ? es_value : 1.0 + c * (es_value - 1.0); }

// Renders one frame at contraction c (0 end-diastole .. 1 end-systole).
PhantomFrame render_frame(const HeartShape& h, const Appearance& a, const Geometry& g, double c, std::mt19937_64& rng) {
  PhantomFrame f;
  f.image.geometry = f.labels.geometry = g;
  f.image.voxels.assign(g.voxel_count(), 0.f);
  f.labels.voxels.assign(g.voxel_count(), 0);
  std::normal_distribution<double> N(0, 1);
  const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
  const double sx = g.spacing[0], sy = g.spacing[1];
  const double fov_x = nx * sx, fov_y = ny * sy;
  std::vector<double> plane(size_t(nx) * ny);
  for (int z = 0; z < nz; ++z) {
    double t = nz > 1 ? double(z) / (nz - 1) : 0.0;  // 0 base .. 1 apex
    double taper = std::max(0.15, 1 - 0.75 * t * t);
    double lv = h.lv_radius * taper * phase_factor(h.es_lv, c);
    double wall = h.wall * phase_factor(h.es_wall, c) * (0.8 + 0.2 * taper);
    bool has_rv = t < 0.8;
    double rv_size = (h.lv_radius + h.wall) * h.rv_scale * (1 - 0.5 * t) * phase_factor(0.75, c);
    for (int y = 0; y < ny; ++y) {
      for (int x = 0; x < nx; ++x) {
        double px = (x + 0.5) * sx - fov_x / 2, py = (y + 0.5) * sy - fov_y / 2;  // mm from image centre
        double dx = px - h.cx, dy = py - h.cy;
        double r = std::hypot(dx, dy), theta = std::atan2(dy, dx);
        double endo = contour(h, lv, theta);
        double local_wall = wall;
        if (!std::isnan(h.thin_sector)) {
          double d = std::remainder(theta - h.thin_sector, 2 * kPi);
          if (std::fabs(d) < 0.6) local_wall *= 0.5;
        }
        double epi = endo + local_wall;
        uint8_t label = 0;
        double value;
        // Background anatomy: body, subcutaneous fat, lungs, liver.
        bool body = in_ellipse(px, py, 0, 0, 0.42 * fov_x, 0.34 * fov_y);
        bool inner = in_ellipse(px, py, 0, 0, 0.38 * fov_x, 0.30 * fov_y);
        value = !body ? 0.0 : !inner ? a.fat : a.tissue;
        if (inner && (in_ellipse(px, py, -0.2 * fov_x, -0.05 * fov_y, 0.11 * fov_x, 0.16 * fov_y) ||
                      in_ellipse(px, py, 0.22 * fov_x, -0.08 * fov_y, 0.09 * fov_x, 0.15 * fov_y)))
          value = a.lung;
        if (inner && in_ellipse(px, py, 0.12 * fov_x, 0.2 * fov_y, 0.14 * fov_x, 0.08 * fov_y)) value = a.liver;
        if (r < epi + 3) value = a.tissue;  // pericardial rim separates the heart from the lungs
        if (has_rv) {
          double ax = h.cx + std::cos(h.rv_angle) * (h.lv_radius + h.wall) * 0.9;
          double ay = h.cy + std::sin(h.rv_angle) * (h.lv_radius + h.wall) * 0.9;
          double c = std::cos(h.rv_angle), s = std::sin(h.rv_angle);
          double u = (px - ax) * c + (py - ay) * s, v = -(px - ax) * s + (py - ay) * c;
          if (in_ellipse(u, v, 0, 0, 0.65 * rv_size, 1.25 * rv_size) && r > epi + 2.5) {
            label = 1;
            value = a.blood;
          } else if (in_ellipse(u, v, 0, 0, 0.65 * rv_size + 2.5, 1.25 * rv_size + 2.5) && r > epi) {
            value = a.myo;  // thin RV free wall (unlabelled, as in ACDC)
          }
        }
        if (r < epi) {
          label = 2;
          value = a.myo;
        }
        if (r < endo) {
          label = 3;
          value = a.blood;
        }
        plane[size_t(y) * nx + x] = value;
        f.labels.voxels[g.index(x, y, z)] = label;
      }
    }
    blur_plane(plane, nx, ny, 0.8);
    for (int y = 0; y < ny; ++y) {
      for (int x = 0; x < nx; ++x) {
        double u = 2.0 * x / nx - 1, v = 2.0 * y / ny - 1;
        double bias = std::exp(a.bias[0] * u + a.bias[1] * v + a.bias[2] * u * v + a.bias[3] * (u * u - v * v));
        double clean = plane[size_t(y) * nx + x] * bias;
        // Rician noise, as in magnitude MR images.
        double re = clean + a.noise * N(rng), im = a.noise * N(rng);
        f.image.voxels[g.index(x, y, z)] = float(std::round(a.gain * std::sqrt(re * re + im * im)));
      }
    }
  }
  return f;
}

}  // namespace

PhantomSubject generate_phantom_subject(uint64_t seed, int index, bool cine) {
  static const char* groups[] = {"DCM", "HCM", "MINF", "NOR", "RV"};
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + uint64_t(index));
  std::uniform_real_distribution<double> U(0, 1);
  std::uniform_int_distribution<int> size_dist(150, 220), depth_dist(7, 10), es_dist(9, 14);
  PhantomSubject s;
  char id[32];
  std::snprintf(id, sizeof id, "patient%03d", index);
  s.id = id;
  s.group = groups[(index - 1) % 5];
  s.height_cm = std::round(150 + 40 * U(rng));
  s.weight_kg = std::round(50 + 50 * U(rng));
  s.nb_frames = 25 + int(6 * U(rng));
  Geometry g;
  g.size = {size_dist(rng), 0, depth_dist(rng)};
  g.size[1] = g.size[0] + 8 * int(4 * U(rng));
  double spacing = 1.35 + 0.4 * U(rng);
  g.spacing = {spacing, spacing, 10.0};
  HeartShape shape = make_shape(rng, s.group);
  Appearance look = make_appearance(rng);
  int es_frame = es_dist(rng);
  PhantomFrame ed = render_frame(shape, look, g, 0.0, rng);
  ed.frame = 1;
  ed.phase = Phase::ED;
  PhantomFrame es = render_frame(shape, look, g, 1.0, rng);
  es.frame = es_frame;
  es.phase = Phase::ES;
  s.frames.push_back(std::move(ed));
  s.frames.push_back(std::move(es));
  if (cine) {
    // Contraction rises as a half cosine from ED (frame 1) to ES, then falls back over the
    // remaining frames; each in-between frame has its own noise (seeded by its number).
    for (int t = 1; t <= s.nb_frames; ++t) {
      if (t == 1 || t == es_frame) {
        s.cine.push_back(s.frames[t == 1 ? 0 : 1].image);
        continue;
      }
      const double c = t < es_frame ? 0.5 - 0.5 * std::cos(kPi * (t - 1) / (es_frame - 1))
                                    : 0.5 + 0.5 * std::cos(kPi * (t - es_frame) / (s.nb_frames + 1 - es_frame));
      std::mt19937_64 frame_rng(rng() + uint64_t(t));
      s.cine.push_back(render_frame(shape, look, g, c, frame_rng).image);
    }
  }
  return s;
}

SliceSet make_phantom_slice_set(int count, uint64_t seed, const PrepareConfig& config) {
  SliceSet set;
  set.config = config;
  set.size = config.size;
  set.source_root = "phantom:" + std::to_string(seed);
  for (int i = 1; i <= count; ++i) {
    PhantomSubject subject = generate_phantom_subject(seed, i);
    for (const PhantomFrame& f : subject.frames) {
      VolumeRecord base;
      base.subject = subject.id;
      base.group = subject.group;
      base.split = "training";
      base.frame = f.frame;
      base.phase = f.phase;
      append_prepared_volume(set, prepare_volume(f.image, &f.labels, config, base));
    }
  }
  return set;
}

}  // namespace p2r
