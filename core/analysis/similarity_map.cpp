#include "core/analysis/similarity_map.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <thread>

#include "core/analysis/similarity_kernel.h"
#include "core/common/error.h"
#include "core/common/thread_count.h"

namespace p2r {
namespace {

// Runs fn(begin, end, worker) on `workers` contiguous parts of [0, n); the caller runs part 0.
void parallel_parts(int64_t n, int workers, const std::function<void(int64_t, int64_t, int)>& fn) {
  workers = int(std::max<int64_t>(1, std::min<int64_t>(workers, n)));
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(fn, n * w / workers, n * (w + 1) / workers, w);
  fn(0, n / workers, 0);
  for (auto& t : pool) t.join();
}

std::vector<int> all_or(const EmbeddingStore& store, const std::vector<int>& slices) {
  if (!slices.empty()) {
    for (int s : slices) store.check_slice(s);
    return slices;
  }
  std::vector<int> all(size_t(store.slice_count()));
  for (int s = 0; s < store.slice_count(); ++s) all[s] = s;
  return all;
}

bool better(const PixelMatch& a, const PixelMatch& b) { return a.score > b.score; }

// Cosines of the unit query with pixels [p0, p1) of fp16 unit columns (see dot_half_columns).
void cosine_columns(const uint16_t* columns, int64_t stride, int d, const float* query, int64_t p0, int64_t p1,
                    float* out) {
  dot_half_columns(columns, stride, d, query, p0, p1, out);
  for (int64_t i = 0; i < p1 - p0; ++i) out[i] = clamp_cosine(out[i]);
}

}  // namespace

std::vector<float> query_vector(const EmbeddingStore& store, const PixelRef& p) {
  std::vector<float> q(size_t(store.dim()));
  store.pixel(p, q.data(), /*unit=*/true);
  double s = 0;  // re-normalise the decoded fp16 vector so that |q| = 1 in fp32
  for (float v : q) s += double(v) * v;
  if (s > 0)
    for (float& v : q) v = float(v / std::sqrt(s));
  return q;
}

void similarity_map(const EmbeddingStore& store, const float* query, int s, float* out, int threads) {
  store.check_slice(s);
  const int64_t np = store.pixels_per_slice();
  const uint16_t* cols = store.unit_half(s);
  const int workers = np >= 65536 ? thread_count(threads) : 1;  // 128 x 128 takes ~0.2 ms: threads cost more
  // Parts aligned to 64 pixels so that workers never share a cache line of out.
  const int64_t blocks = (np + 63) / 64;
  parallel_parts(blocks, workers, [&](int64_t b0, int64_t b1, int) {
    const int64_t p0 = b0 * 64, p1 = std::min(np, b1 * 64);
    if (p1 > p0) cosine_columns(cols, np, store.dim(), query, p0, p1, out + p0);
  });
}

PixelMatch best_pixel(const float* map, int64_t count, int width, int s) {
  const int64_t arg = std::max_element(map, map + count) - map;
  return {{s, int(arg % width), int(arg / width)}, map[arg]};
}

std::vector<PixelMatch> best_match_per_slice(const EmbeddingStore& store, const float* query,
                                             const std::vector<int>& slices, int threads) {
  const std::vector<int> list = all_or(store, slices);
  std::vector<PixelMatch> best(list.size());
  const int64_t np = store.pixels_per_slice();
  const int w = store.width();
  parallel_parts(int64_t(list.size()), thread_count(threads), [&](int64_t i0, int64_t i1, int) {
    std::vector<float> map(static_cast<size_t>(np));
    for (int64_t i = i0; i < i1; ++i) {
      cosine_columns(store.unit_half(list[i]), np, store.dim(), query, 0, np, map.data());
      best[i] = best_pixel(map.data(), np, w, list[i]);
    }
  });
  return best;
}

std::vector<PixelMatch> top_k_matches(const EmbeddingStore& store, const float* query, int k,
                                      const std::vector<int>& slices, int exclude_slice, int threads) {
  P2R_CHECK(k >= 1, "top-k: k must be at least 1, got " << k);
  std::vector<int> list = all_or(store, slices);
  list.erase(std::remove(list.begin(), list.end(), exclude_slice), list.end());
  const int64_t np = store.pixels_per_slice();
  const int w = store.width();
  const int workers = thread_count(threads);
  std::vector<std::vector<PixelMatch>> heaps(static_cast<size_t>(workers));  // min-heaps (worst on top)
  auto cmp = [](const PixelMatch& a, const PixelMatch& b) { return a.score > b.score; };
  parallel_parts(int64_t(list.size()), workers, [&](int64_t i0, int64_t i1, int worker) {
    std::vector<float> map(static_cast<size_t>(np));
    auto& heap = heaps[worker];
    for (int64_t i = i0; i < i1; ++i) {
      cosine_columns(store.unit_half(list[i]), np, store.dim(), query, 0, np, map.data());
      for (int64_t p = 0; p < np; ++p) {
        if (int(heap.size()) == k && map[p] <= heap.front().score) continue;
        heap.push_back({{list[i], int(p % w), int(p / w)}, map[p]});
        std::push_heap(heap.begin(), heap.end(), cmp);
        if (int(heap.size()) > k) std::pop_heap(heap.begin(), heap.end(), cmp), heap.pop_back();
      }
    }
  });
  std::vector<PixelMatch> all;
  for (auto& h : heaps) all.insert(all.end(), h.begin(), h.end());
  std::stable_sort(all.begin(), all.end(), better);
  if (int(all.size()) > k) all.resize(size_t(k));
  return all;
}

}  // namespace p2r
