// The coarse-to-fine slice match index against exhaustive search: its kernels against naive loops,
// exact equality when every pixel is a candidate, recall@1 and exact scores at the default
// candidate counts on smooth embedding fields, thread-count independence, bad input.
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "core/analysis/half_float.h"
#include "core/analysis/match_index_kernel.h"
#include "core/analysis/similarity_map.h"
#include "core/analysis/slice_match_index.h"
#include "core/common/error.h"

namespace p2r {
namespace {

// Slices of smooth embedding fields: 10 latent fields (sums of random low-frequency waves) mixed
// into d channels, plus a little noise. Low-rank and smooth as learned embeddings are: matches
// form blobs with near-ties between neighbours.
EmbeddingStore smooth_store(int n, int d, int h, int w, uint64_t seed) {
  constexpr int kLatent = 10;
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> g(0.f, 1.f);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> mix(size_t(d) * kLatent);
  for (auto& m : mix) m = g(rng);
  std::vector<float> v(size_t(n) * d * h * w), latent(size_t(kLatent) * h * w);
  for (int s = 0; s < n; ++s) {
    for (int l = 0; l < kLatent; ++l) {
      float fx[3], fy[3], ph[3], a[3];
      for (int k = 0; k < 3; ++k)
        fx[k] = 0.05f + 0.25f * u(rng), fy[k] = 0.05f + 0.25f * u(rng), ph[k] = 6.2831853f * u(rng), a[k] = g(rng);
      for (int p = 0; p < h * w; ++p) {
        float e = 0;
        for (int k = 0; k < 3; ++k) e += a[k] * std::sin(fx[k] * float(p % w) + fy[k] * float(p / w) + ph[k]);
        latent[size_t(l) * h * w + p] = e;
      }
    }
    for (int c = 0; c < d; ++c)
      for (int p = 0; p < h * w; ++p) {
        float e = 0.02f * g(rng);
        for (int l = 0; l < kLatent; ++l) e += mix[size_t(c) * kLatent + l] * latent[size_t(l) * h * w + p];
        v[(size_t(s) * d + c) * h * w + p] = e;
      }
  }
  return EmbeddingStore::from_floats(v.data(), n, d, h, w);
}

bool same_match(const PixelMatch& a, const PixelMatch& b) {
  return a.pixel.slice == b.pixel.slice && a.pixel.x == b.pixel.x && a.pixel.y == b.pixel.y && a.score == b.score;
}

TEST(MatchIndexKernel, CoarseCandidatesAreTheExactIntegerScoresAtOrAboveTheThreshold) {
  std::mt19937 rng(3);
  const int64_t n = 8 * 37 + 5;  // a vector part and a tail
  std::vector<int8_t> codes(size_t(n) * kCoarseCodeBytes);
  for (auto& c : codes) c = int8_t(int(rng() % 255) - 127);
  for (int i = 0; i < kCoarseCodeBytes; ++i) codes[size_t(i)] = 127, codes[size_t(8 + i)] = -127;  // extremes
  for (int16_t extreme : {int16_t(kCoarseWeightMax), int16_t(-kCoarseWeightMax)}) {
    std::vector<int16_t> weights(kCoarseCodeBytes, extreme);
    weights[3] = int16_t(int(rng() % (2 * kCoarseWeightMax + 1)) - kCoarseWeightMax);
    std::vector<int32_t> naive(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      int64_t want = 0;
      for (int k = 0; k < kCoarseCodeBytes; ++k) want += int64_t(codes[size_t(i * kCoarseCodeBytes + k)]) * weights[k];
      ASSERT_EQ(coarse_score(codes.data() + i * kCoarseCodeBytes, weights.data()), want) << "pixel " << i;
      naive[size_t(i)] = int32_t(want);
    }
    for (int64_t at : {int64_t(0), n / 2, n - 1}) {  // everything, about half, the last pixel's score
      const int32_t threshold = at ? naive[size_t(at)] : std::numeric_limits<int32_t>::min() + 1;
      std::vector<int32_t> ids{-1}, scores{7}, want_ids{-1}, want_scores{7};  // appended after what is there
      coarse_candidates(codes.data(), n, weights.data(), threshold, ids, scores);
      for (int64_t i = 0; i < n; ++i)
        if (naive[size_t(i)] >= threshold) want_ids.push_back(int32_t(i)), want_scores.push_back(naive[size_t(i)]);
      EXPECT_EQ(ids, want_ids);
      EXPECT_EQ(scores, want_scores);
    }
  }
}

TEST(MatchIndexKernel, HalfConversionsMatchTheScalarOnes) {
  std::mt19937 rng(8);
  std::normal_distribution<float> g(0.f, 3.f);
  std::vector<float> x(29);
  for (auto& v : x) v = g(rng);
  x[0] = 0.f, x[1] = -2.5e-6f, x[2] = 70000.f;  // zero, a subnormal, overflow
  std::vector<uint16_t> h(x.size());
  std::vector<float> back(x.size());
  floats_to_halves(x.data(), int64_t(x.size()), h.data());
  halves_to_floats(h.data(), int64_t(h.size()), back.data());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(h[i], float_to_half(x[i])) << x[i];
    EXPECT_EQ(back[i], half_to_float(h[i])) << x[i];
  }
}

TEST(MatchIndexKernel, FineScoresMatchANaiveSum) {
  const EmbeddingStore store = smooth_store(1, kFineRowWidth, 4, 8, 5);  // 32 rows of 32 fp16 values
  std::vector<uint16_t> rows(size_t(32) * kFineRowWidth);
  for (int p = 0; p < 32; ++p)
    for (int k = 0; k < kFineRowWidth; ++k) rows[size_t(p) * kFineRowWidth + k] = store.unit_half(0)[size_t(k) * 32 + p];
  std::vector<float> query(kFineRowWidth);
  store.pixel({0, 1, 2}, query.data());
  const std::vector<int32_t> ids{31, 0, 7, 7, 18};
  std::vector<float> out(ids.size());
  fine_scores(rows.data(), ids.data(), int64_t(ids.size()), query.data(), out.data());
  for (size_t j = 0; j < ids.size(); ++j) {
    std::vector<float> x(kFineRowWidth);
    store.pixel({0, ids[j] % 8, ids[j] / 8}, x.data());
    double want = 0;
    for (int k = 0; k < kFineRowWidth; ++k) want += double(query[size_t(k)]) * x[size_t(k)];
    EXPECT_NEAR(out[j], want, 1e-5) << "row " << ids[j];
  }
}

TEST(SliceMatchIndex, EveryPixelACandidateEqualsExhaustiveSearch) {
  const EmbeddingStore store = smooth_store(5, 20, 12, 13, 7);  // D < 32, rows not a multiple of 8
  SliceMatchConfig config;
  config.coarse_candidates = config.fine_candidates = 12 * 13;
  const SliceMatchIndex index = SliceMatchIndex::build(store, config, 2);
  EXPECT_EQ(index.components(), 20);
  EXPECT_NEAR(index.explained_variance(), 1.0, 1e-6);
  for (const PixelRef q : {PixelRef{0, 0, 0}, PixelRef{3, 12, 11}, PixelRef{2, 5, 6}}) {
    const std::vector<float> qv = query_vector(store, q);
    const auto exact = best_match_per_slice(store, qv.data(), {}, 1);
    const auto fast = index.best_match_per_slice(qv.data(), {}, 2);
    ASSERT_EQ(fast.size(), exact.size());
    for (size_t s = 0; s < exact.size(); ++s)
      EXPECT_TRUE(same_match(fast[s], exact[s])) << "slice " << s << ": (" << fast[s].pixel.x << ", "
                                                 << fast[s].pixel.y << ") " << fast[s].score << " vs ("
                                                 << exact[s].pixel.x << ", " << exact[s].pixel.y << ") "
                                                 << exact[s].score;
  }
}

TEST(SliceMatchIndex, DefaultCandidatesFindTheExactBestAndScoreExactly) {
  const int n = 10, d = 48, h = 64, w = 64;
  const EmbeddingStore store = smooth_store(n, d, h, w, 11);
  const SliceMatchIndex index = SliceMatchIndex::build(store, {}, 2);
  EXPECT_EQ(index.components(), kFineRowWidth);
  EXPECT_EQ(index.memory_bytes(), uint64_t(n) * h * w * (2 * kFineRowWidth + kCoarseCodeBytes));
  std::mt19937 rng(2);
  int hits = 0, total = 0;
  std::vector<float> map(size_t(h) * w);
  for (int qi = 0; qi < 30; ++qi) {
    const PixelRef q{int(rng() % n), int(rng() % w), int(rng() % h)};
    const std::vector<float> qv = query_vector(store, q);
    const auto exact = best_match_per_slice(store, qv.data(), {}, 1);
    const auto fast = index.best_match_per_slice(qv.data(), {}, 2);
    for (int s = 0; s < n; ++s) {
      similarity_map(store, qv.data(), s, map.data());
      // The returned score is the exhaustive map's value at the returned pixel, never above the best.
      EXPECT_EQ(fast[size_t(s)].score, map[size_t(fast[size_t(s)].pixel.y * w + fast[size_t(s)].pixel.x)]);
      EXPECT_LE(fast[size_t(s)].score, exact[size_t(s)].score);
      hits += same_match(fast[size_t(s)], exact[size_t(s)]), ++total;
    }
  }
  EXPECT_GE(double(hits) / total, 0.95) << hits << " of " << total << " slices";
}

TEST(SliceMatchIndex, ResultsDoNotDependOnThreadsAndFollowTheSliceList) {
  const EmbeddingStore store = smooth_store(6, 40, 32, 24, 13);
  const SliceMatchIndex one = SliceMatchIndex::build(store, {}, 1), two = SliceMatchIndex::build(store, {}, 2);
  const std::vector<float> qv = query_vector(store, {4, 10, 20});
  const auto a = one.best_match_per_slice(qv.data(), {}, 1), b = two.best_match_per_slice(qv.data(), {}, 2);
  for (size_t s = 0; s < a.size(); ++s) EXPECT_TRUE(same_match(a[s], b[s])) << "slice " << s;
  const auto some = two.best_match_per_slice(qv.data(), {5, 0, 5}, 2);
  ASSERT_EQ(some.size(), 3u);
  EXPECT_TRUE(same_match(some[0], a[5]));
  EXPECT_TRUE(same_match(some[1], a[0]));
  EXPECT_TRUE(same_match(some[2], a[5]));
}

TEST(SliceMatchIndex, BadInputIsRefused) {
  const EmbeddingStore store = smooth_store(2, 8, 8, 8, 1);
  SliceMatchConfig bad;
  bad.fine_candidates = bad.coarse_candidates + 1;
  EXPECT_THROW(SliceMatchIndex::build(store, bad), Error);
  bad = {};
  bad.coarse_candidates = 0;
  EXPECT_THROW(SliceMatchIndex::build(store, bad), Error);
  EXPECT_THROW(SliceMatchIndex::build(EmbeddingStore{}), Error);
  const SliceMatchIndex index = SliceMatchIndex::build(store);
  const std::vector<float> qv = query_vector(store, {0, 1, 1});
  EXPECT_THROW(index.best_match_per_slice(qv.data(), {2}), Error);
  EXPECT_THROW(index.best_match_per_slice(qv.data(), {-1}), Error);
}

}  // namespace
}  // namespace p2r
