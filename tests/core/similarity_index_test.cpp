// Similarity maps and nearest-pixel search against brute force: dense map, best match per slice,
// top-K, FAISS exact = brute force, approximate recall >= stated threshold, save/load, bad input.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "core/analysis/device_pixel_search.h"
#include "core/analysis/embedding_store.h"
#include "core/analysis/similarity_map.h"
#include "core/common/error.h"
#ifdef PIX2REP_HAS_FAISS
#include "core/analysis/nearest_sample.h"
#include "core/analysis/pixel_index.h"
#include "core/analysis/pixel_sampling.h"
#endif

namespace p2r {
namespace fs = std::filesystem;
namespace {

constexpr int kN = 6, kD = 16, kH = 24, kW = 20;

// Clustered embeddings (8 centres + noise) so that neighbourhoods are meaningful.
const std::vector<float>& raw() {
  static std::vector<float> x = [] {
    std::mt19937 rng(4);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> centres(8 * kD);
    for (auto& c : centres) c = g(rng);
    std::vector<float> v(size_t(kN) * kD * kH * kW);
    for (int s = 0; s < kN; ++s)
      for (int p = 0; p < kH * kW; ++p) {
        const int c = int(rng() % 8);
        const float scale = 0.5f + float(rng() % 100) / 50.f;
        for (int d = 0; d < kD; ++d) v[(size_t(s) * kD + d) * kH * kW + p] = scale * (centres[c * kD + d] + 0.4f * g(rng));
      }
    return v;
  }();
  return x;
}

const EmbeddingStore& store() {
  static EmbeddingStore s = EmbeddingStore::from_floats(raw().data(), kN, kD, kH, kW, {11, 22, 0, 0, 0, 0});
  return s;
}

// Brute-force fp32 cosine between raw pixel (s, p) and the query pixel.
double cosine(int qs, int qp, int s, int p) {
  double dot = 0, a = 0, b = 0;
  for (int d = 0; d < kD; ++d) {
    const double u = raw()[(size_t(qs) * kD + d) * kH * kW + qp], v = raw()[(size_t(s) * kD + d) * kH * kW + p];
    dot += u * v, a += u * u, b += v * v;
  }
  return dot / std::sqrt(a * b);
}

// Stated error of the fp16 fast path against fp32 brute force: 2e-3 in cosine.
constexpr double kCosTol = 2e-3;

TEST(SimilarityMap, EqualsBruteForceCosine) {
  const PixelRef q{2, 7, 11};
  const auto qv = query_vector(store(), q);
  for (int threads : {1, 2, 3}) {
    std::vector<float> map(kH * kW);
    for (int s = 0; s < kN; ++s) {
      similarity_map(store(), qv.data(), s, map.data(), threads);
      for (int p = 0; p < kH * kW; ++p) {
        ASSERT_NEAR(map[p], cosine(2, 11 * kW + 7, s, p), kCosTol) << s << " " << p;
        ASSERT_LE(std::fabs(map[p]), 1.f) << "cosines of rounded unit vectors are clamped to [-1, 1]";
      }
    }
  }
  std::vector<float> map(kH * kW);
  similarity_map(store(), qv.data(), 2, map.data());
  EXPECT_NEAR(map[11 * kW + 7], 1.0, kCosTol);
}

TEST(SimilarityMap, BestMatchAndTopKEqualBruteForce) {
  const PixelRef q{1, 3, 5};
  const auto qv = query_vector(store(), q);
  const auto best = best_match_per_slice(store(), qv.data(), {}, 2);
  ASSERT_EQ(best.size(), size_t(kN));
  std::vector<std::pair<double, int64_t>> all;
  for (int s = 0; s < kN; ++s) {
    double top = -2;
    for (int p = 0; p < kH * kW; ++p) {
      const double c = cosine(1, 5 * kW + 3, s, p);
      top = std::max(top, c);
      if (s != 1) all.push_back({c, int64_t(s) * kH * kW + p});
    }
    EXPECT_EQ(best[s].pixel.slice, s);
    // The chosen pixel is optimal up to the fp16 tolerance.
    EXPECT_NEAR(cosine(1, 5 * kW + 3, s, best[s].pixel.y * kW + best[s].pixel.x), top, 2 * kCosTol);
  }
  std::sort(all.rbegin(), all.rend());
  const int k = 25;
  const auto topk = top_k_matches(store(), qv.data(), k, {}, /*exclude_slice=*/1, 2);
  ASSERT_EQ(topk.size(), size_t(k));
  for (int i = 0; i < k; ++i) {
    EXPECT_NE(topk[i].pixel.slice, 1);
    EXPECT_NEAR(topk[i].score, all[i].first, 2 * kCosTol);
    if (i) {
      EXPECT_GE(topk[i - 1].score, topk[i].score);
    }
  }
  EXPECT_THROW(top_k_matches(store(), qv.data(), 0), Error);
  EXPECT_THROW(best_match_per_slice(store(), qv.data(), {kN}), Error);
  EXPECT_THROW(query_vector(store(), {0, kW, 0}), Error);
}

TEST(DevicePixelSearch, CpuMatmulTopkEqualsBruteForce) {
  const std::vector<int64_t> ids = [] {
    std::vector<int64_t> v;
    for (int64_t i = 0; i < int64_t(kN) * kH * kW; i += 3) v.push_back(i);
    return v;
  }();
  std::vector<float> rows(ids.size() * kD);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto p = PixelRef{int(ids[i] / (kH * kW)), int(ids[i] % kW), int(ids[i] % (kH * kW) / kW)};
    store().pixel(p, rows.data() + i * kD);
  }
  DevicePixelSearch search(rows.data(), int64_t(ids.size()), kD, "cpu");
  std::vector<float> scores;
  std::vector<int64_t> found;
  search.search(rows.data(), 4, 5, scores, found);
  for (int q = 0; q < 4; ++q) {
    EXPECT_EQ(found[q * 5], q);  // itself first
    for (int j = 0; j < 5; ++j) {
      double dot = 0;
      for (int d = 0; d < kD; ++d) dot += rows[q * kD + d] * rows[found[q * 5 + j] * kD + d];
      EXPECT_NEAR(scores[q * 5 + j], dot, 1e-5);
    }
  }
}

#ifdef PIX2REP_HAS_FAISS
TEST(PixelIndex, ExactEqualsBruteForce) {
  PixelIndexConfig c;
  c.kind = IndexKind::Flat;
  c.sampling = SamplingPolicy::parse("all");
  const PixelIndex index = PixelIndex::build(store(), c);
  EXPECT_EQ(index.size(), int64_t(kN) * kH * kW);
  EXPECT_DOUBLE_EQ(index.recall().recall, 1.0);
  const auto qv = query_vector(store(), {4, 10, 10});
  const auto fast = top_k_matches(store(), qv.data(), 10, {}, -1, 1);
  const auto hits = index.search(qv.data(), 1, 10)[0];
  ASSERT_EQ(hits.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_NEAR(hits[i].score, fast[i].score, 2 * kCosTol);
    EXPECT_LE(std::fabs(hits[i].score), 1.f);
  }
  EXPECT_EQ(hits[0].pixel.slice, 4);
  EXPECT_EQ(hits[0].pixel.x, 10);
  EXPECT_EQ(hits[0].pixel.y, 10);
}

// Stated thresholds: recall@10 >= 0.9 for HNSW (M 32, efSearch 64) and IVF (nprobe 16).
TEST(PixelIndex, ApproximateRecallAtLeastThreshold) {
  for (IndexKind kind : {IndexKind::Hnsw, IndexKind::IvfFlat}) {
    PixelIndexConfig c;
    c.kind = kind;
    c.sampling = SamplingPolicy::parse("all");
    c.nlist = 16;
    c.recall_queries = 200;
    const PixelIndex index = PixelIndex::build(store(), c);
    EXPECT_EQ(index.recall().k, 10);
    EXPECT_EQ(index.recall().queries, 200);
    EXPECT_GE(index.recall().recall, 0.9) << index_kind_name(kind);
  }
}

TEST(PixelIndex, SamplingPcaSaveLoadAndWrongDimension) {
  PixelIndexConfig c;
  c.kind = IndexKind::Hnsw;
  c.sampling = SamplingPolicy::parse("stride:2");
  c.pca_dim = 8;
  const PixelIndex index = PixelIndex::build(store(), c);
  EXPECT_EQ(index.size(), int64_t(kN) * (kH / 2) * (kW / 2));
  EXPECT_EQ(index.index_dim(), 8);
  const std::string path = (fs::temp_directory_path() / "p2r_pixel_index.p2ri").string();
  index.save(path);
  const PixelIndex loaded = PixelIndex::load(path, &store());
  const auto qv = query_vector(store(), {0, 4, 6});
  const auto a = index.search(qv.data(), 1, 5)[0], b = loaded.search(qv.data(), 1, 5)[0];
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].pixel.x + 100 * a[i].pixel.y, b[i].pixel.x + 100 * b[i].pixel.y);
  EXPECT_EQ(loaded.sampling(), "stride:2");
  // Another embedding dimension: refused with a clear message.
  std::vector<float> small(size_t(kN) * 4 * kH * kW, 1.f);
  const EmbeddingStore other = EmbeddingStore::from_floats(small.data(), kN, 4, kH, kW, {11, 22, 0, 0, 0, 0});
  try {
    PixelIndex::load(path, &other);
    ADD_FAILURE() << "index of another dimension accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("16-dimensional"), std::string::npos) << e.message();
  }
  // Truncated file: refused.
  fs::resize_file(path, fs::file_size(path) - 10);
  EXPECT_THROW(PixelIndex::load(path), Error);
  EXPECT_THROW(SamplingPolicy::parse("stride:0"), Error);
  EXPECT_THROW(SamplingPolicy::parse("every"), Error);
  c.pca_dim = 17;
  EXPECT_THROW(PixelIndex::build(store(), c), Error);
}

TEST(PixelSampling, BudgetIsDeterministicAndSized) {
  const SamplingPolicy p = SamplingPolicy::parse("budget:100");
  const auto a = sample_pixels(store(), p), b = sample_pixels(store(), p);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(sample_pixels(store(), SamplingPolicy::parse("budget:100000")).size(), size_t(kN) * kH * kW);
}

// Every pixel's owner is the sample of largest inner product of fp16 unit embeddings (brute force).
TEST(NearestSamples, EveryPixelTakesTheMostSimilarSample) {
  const std::vector<int64_t> ids = sample_pixels(store(), SamplingPolicy::parse("stride:5"), {1, 3});
  const std::vector<float> rows = gather_rows(store(), ids, true);
  const int64_t n = int64_t(ids.size());
  const std::vector<int> slices{3, 1, 5};
  const std::vector<int64_t> owner = nearest_samples(store(), slices, rows.data(), n);
  ASSERT_EQ(owner.size(), slices.size() * size_t(kH * kW));
  std::vector<float> v(kD);
  for (size_t i = 0; i < slices.size(); ++i)
    for (int p = 0; p < kH * kW; ++p) {
      store().pixel({slices[i], p % kW, p / kW}, v.data(), true);
      auto dot = [&](int64_t k) {
        double sum = 0;
        for (int d = 0; d < kD; ++d) sum += double(v[d]) * rows[size_t(k) * kD + d];
        return sum;
      };
      double best = -2;
      for (int64_t k = 0; k < n; ++k) best = std::max(best, dot(k));
      const int64_t o = owner[i * kH * kW + p];
      ASSERT_TRUE(o >= 0 && o < n);
      EXPECT_NEAR(dot(o), best, 1e-5) << "slice " << slices[i] << " pixel " << p;
    }
  EXPECT_THROW(nearest_samples(store(), {kN}, rows.data(), n), Error);
  EXPECT_THROW(nearest_samples(store(), {0}, rows.data(), 0), Error);
}
#endif

}  // namespace
}  // namespace p2r
