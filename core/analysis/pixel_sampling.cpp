#include "core/analysis/pixel_sampling.h"

#include <algorithm>
#include <random>

#include "core/analysis/half_float.h"
#include "core/common/error.h"

namespace p2r {

SamplingPolicy SamplingPolicy::parse(const std::string& text) {
  SamplingPolicy p;
  const auto colon = text.find(':');
  const std::string head = text.substr(0, colon);
  const std::string value = colon == std::string::npos ? "" : text.substr(colon + 1);
  try {
    if (head == "all" && value.empty()) {
      p.mode = SamplingMode::All;
      return p;
    }
    if (head == "stride" && !value.empty()) {
      p.mode = SamplingMode::Stride;
      p.stride = std::stoi(value);
      P2R_CHECK(p.stride >= 1, "");
      return p;
    }
    if (head == "budget" && !value.empty()) {
      p.mode = SamplingMode::Budget;
      p.budget = std::stoll(value);
      P2R_CHECK(p.budget >= 1, "");
      return p;
    }
  } catch (const std::exception&) {
  }
  P2R_FAIL("sampling '" << text << "' not understood (expected all, stride:S with S >= 1 or budget:N with N >= 1)");
}

std::string SamplingPolicy::describe() const {
  if (mode == SamplingMode::All) return "all";
  if (mode == SamplingMode::Stride) return "stride:" + std::to_string(stride);
  return "budget:" + std::to_string(budget);
}

int64_t pixel_id(const EmbeddingStore& store, const PixelRef& p) {
  return int64_t(p.slice) * store.pixels_per_slice() + int64_t(p.y) * store.width() + p.x;
}

PixelRef pixel_of_id(const EmbeddingStore& store, int64_t id) {
  const int64_t np = store.pixels_per_slice();
  const int64_t r = id % np;
  return {int(id / np), int(r % store.width()), int(r / store.width())};
}

std::vector<int64_t> sample_pixels(const EmbeddingStore& store, const SamplingPolicy& policy,
                                   const std::vector<int>& slices) {
  std::vector<int> list = slices;
  if (list.empty())
    for (int s = 0; s < store.slice_count(); ++s) list.push_back(s);
  for (int s : list) store.check_slice(s);
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  const int64_t np = store.pixels_per_slice();
  const int w = store.width(), h = store.height();
  std::vector<int64_t> ids;
  if (policy.mode == SamplingMode::All || policy.mode == SamplingMode::Stride) {
    const int st = policy.mode == SamplingMode::All ? 1 : policy.stride;
    P2R_CHECK(st >= 1, "sampling stride must be at least 1, got " << st);
    for (int s : list)
      for (int y = 0; y < h; y += st)
        for (int x = 0; x < w; x += st) ids.push_back(s * np + int64_t(y) * w + x);
    return ids;
  }
  P2R_CHECK(policy.budget >= 1, "sampling budget must be at least 1, got " << policy.budget);
  const int64_t total = int64_t(list.size()) * np;
  int64_t need = std::min(policy.budget, total);
  std::mt19937_64 rng(policy.seed * 0x9e3779b97f4a7c15ull + 12345);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  ids.reserve(size_t(need));
  // Selection sampling (Knuth's algorithm S): each pixel in order, kept with probability need/left.
  for (int64_t i = 0; i < total && need > 0; ++i) {
    if (double(total - i) * u(rng) < double(need)) {
      ids.push_back(list[size_t(i / np)] * np + i % np);
      --need;
    }
  }
  return ids;
}

std::vector<float> gather_rows(const EmbeddingStore& store, const std::vector<int64_t>& ids, bool unit) {
  const int d = store.dim();
  const int64_t np = store.pixels_per_slice();
  std::vector<float> rows(ids.size() * size_t(d));
  for (size_t i = 0; i < ids.size(); ++i) {
    const int s = int(ids[i] / np);
    const int64_t p = ids[i] % np;
    P2R_CHECK(s >= 0 && s < store.slice_count(), "pixel id " << ids[i] << " is outside the embeddings");
    const uint16_t* u = store.unit_half(s);
    const float scale = unit ? 1.f : store.norms(s)[p];
    float* row = rows.data() + i * d;
    for (int c = 0; c < d; ++c) row[c] = half_to_float(u[c * np + p]) * scale;
  }
  return rows;
}

}  // namespace p2r
