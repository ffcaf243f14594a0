// t-SNE: Barnes-Hut vs brute force, neighbourhoods kept on separated clusters, KL decreasing,
// determinism, bad settings and cancellation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "core/analysis/barnes_hut.h"
#include "core/analysis/tsne.h"
#include "core/common/error.h"

namespace p2r {
namespace {

// n points in d dims around `clusters` centres spread far apart; labels returned.
std::vector<float> gaussian_clusters(int n, int d, int clusters, std::vector<int>* labels, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0.f, 1.f);
  std::vector<float> centres(size_t(clusters) * d);
  for (float& c : centres) c = 8.f * g(rng);
  std::vector<float> x(size_t(n) * d);
  labels->resize(n);
  for (int i = 0; i < n; ++i) {
    const int c = i % clusters;
    (*labels)[i] = c;
    for (int t = 0; t < d; ++t) x[size_t(i) * d + t] = centres[size_t(c) * d + t] + g(rng);
  }
  return x;
}

// Indices of the k nearest neighbours of i (self excluded) among rows of x [n, d], by brute force.
std::vector<int> brute_knn(const float* x, int n, int d, int i, int k) {
  std::vector<std::pair<double, int>> dist;
  for (int j = 0; j < n; ++j) {
    if (j == i) continue;
    double s = 0;
    for (int t = 0; t < d; ++t) s += double(x[size_t(i) * d + t] - x[size_t(j) * d + t]) * (x[size_t(i) * d + t] - x[size_t(j) * d + t]);
    dist.emplace_back(s, j);
  }
  std::partial_sort(dist.begin(), dist.begin() + k, dist.end());
  std::vector<int> out(k);
  for (int t = 0; t < k; ++t) out[t] = dist[t].second;
  return out;
}

TEST(BarnesHut, ThetaZeroEqualsBruteForceAndHalfIsClose) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g(0, 5);
  const int n = 700;
  std::vector<double> y(2 * n);
  for (double& v : y) v = g(rng);
  std::vector<double> fx(2 * n, 0.0);
  double z = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const double w = 1.0 / (1.0 + dx * dx + dy * dy);
      z += w;
      fx[2 * i] += w * w * dx, fx[2 * i + 1] += w * w * dy;
    }
  BarnesHutRepulsion bh;
  std::vector<double> rep(2 * n);
  const double z0 = bh.compute(y.data(), n, 0.0, rep.data(), 2);
  EXPECT_NEAR(z0, z, 1e-4 * z);
  double fnorm = 0;
  for (int t = 0; t < 2 * n; ++t) fnorm = std::max(fnorm, std::abs(fx[t]));
  for (int t = 0; t < 2 * n; ++t) EXPECT_NEAR(rep[t], fx[t], 1e-4 * fnorm);
  const double z5 = bh.compute(y.data(), n, 0.5, rep.data(), 2);
  EXPECT_NEAR(z5, z, 0.01 * z);
  double err = 0, ref = 0;
  for (int t = 0; t < 2 * n; ++t) err += (rep[t] - fx[t]) * (rep[t] - fx[t]), ref += fx[t] * fx[t];
  EXPECT_LT(std::sqrt(err / ref), 0.05);
  EXPECT_NEAR(tsne_exact_z(y.data(), n, 2), z, 1e-4 * z);
}

TEST(TsneKnn, BlockedExactEqualsFaissFlat) {
  std::vector<int> labels;
  const int n = 2500, d = 12, k = 15;
  const std::vector<float> x = gaussian_clusters(n, d, 4, &labels, 21);
  std::vector<int32_t> ia, ib;
  std::vector<float> da, db;
  knn_search(x.data(), n, d, k, KnnMethod::Exact, ia, da);
  knn_search(x.data(), n, d, k, KnnMethod::FaissFlat, ib, db);
  ASSERT_EQ(ia.size(), size_t(n) * k);
  int64_t same = 0;
  for (size_t t = 0; t < ia.size(); ++t) {
    EXPECT_NEAR(da[t], db[t], 1e-3f * (1.f + db[t]));
    same += ia[t] == ib[t];
  }
  EXPECT_GT(double(same) / double(ia.size()), 0.999);  // ties may swap order
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < k; ++t) ASSERT_NE(ia[size_t(i) * k + t], i) << "self is excluded";
  const std::vector<int> brute = brute_knn(x.data(), n, d, 17, k);
  for (int t = 0; t < k; ++t) EXPECT_EQ(ia[size_t(17) * k + t], brute[t]);
  EXPECT_THROW(knn_search(x.data(), 10, d, 10, KnnMethod::Exact, ia, da), Error);
}

TEST(Tsne, SeparatedClustersKeepNeighbourhoodsAndKlDecreases) {
  const int n = 600, d = 10, k = 10;
  std::vector<int> labels;
  const std::vector<float> x = gaussian_clusters(n, d, 5, &labels);
  TsneConfig c;
  c.perplexity = 20;
  c.iterations = 500;
  c.threads = 2;
  c.kl_every = 25;
  const TsneResult r = run_tsne(x.data(), n, d, c);
  ASSERT_EQ(r.coords.size(), size_t(2 * n));
  for (float v : r.coords) ASSERT_TRUE(std::isfinite(v));
  // 10-NN preservation and same-cluster rate of the 2D neighbours.
  double kept = 0, same = 0;
  for (int i = 0; i < n; ++i) {
    const std::vector<int> hi = brute_knn(x.data(), n, d, i, k), lo = brute_knn(r.coords.data(), n, 2, i, k);
    for (int a : lo) {
      kept += std::count(hi.begin(), hi.end(), a);
      same += labels[a] == labels[i];
    }
  }
  kept /= double(n) * k;
  same /= double(n) * k;
  EXPECT_GT(same, 0.99) << "2D neighbours from the same cluster";
  EXPECT_GT(kept, 0.30) << "10-NN preservation";
  // KL (unexaggerated P) decreases after the early-exaggeration phase, and the final KL is sane.
  double after_exag = -1, last = -1;
  for (const auto& [step, kl] : r.kl_history) {
    if (step == 275) after_exag = kl;
    last = kl;
  }
  ASSERT_GT(after_exag, 0);
  EXPECT_LT(last, after_exag);
  EXPECT_GT(r.kl_history.front().second, last);
  EXPECT_NEAR(r.kl, last, 0.05 * last);
  EXPECT_GT(r.kl, 0.0);
}

TEST(Tsne, DeterministicAcrossRunsAndThreadCounts) {
  std::vector<int> labels;
  const std::vector<float> x = gaussian_clusters(300, 8, 3, &labels, 7);
  TsneConfig c;
  c.perplexity = 10;
  c.iterations = 300;
  c.threads = 1;
  const TsneResult a = run_tsne(x.data(), 300, 8, c);
  const TsneResult b = run_tsne(x.data(), 300, 8, c);
  EXPECT_EQ(a.coords, b.coords);
  c.threads = 2;
  const TsneResult t2 = run_tsne(x.data(), 300, 8, c);
  EXPECT_EQ(a.coords, t2.coords);
  c.pca_init = false;
  c.seed = 5;
  const TsneResult s1 = run_tsne(x.data(), 300, 8, c), s2 = run_tsne(x.data(), 300, 8, c);
  EXPECT_EQ(s1.coords, s2.coords);
}

TEST(Tsne, RefusesBadSettings) {
  std::vector<int> labels;
  const std::vector<float> x = gaussian_clusters(30, 4, 2, &labels);
  TsneConfig c;
  c.perplexity = 10;  // 3 * 10 = 30 is not < 30
  try {
    run_tsne(x.data(), 30, 4, c);
    FAIL() << "perplexity too large was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("perplexity"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("30 points"), std::string::npos) << e.message();
  }
  c.perplexity = 5;
  c.iterations = 0;
  EXPECT_THROW(run_tsne(x.data(), 30, 4, c), Error);
  c.iterations = 10;
  c.perplexity = -1;
  EXPECT_THROW(run_tsne(x.data(), 30, 4, c), Error);
  c.perplexity = 5;
  c.theta = -0.1;
  EXPECT_THROW(run_tsne(x.data(), 30, 4, c), Error);
}

class CancelAfter : public ProgressSink {
 public:
  void begin(const std::string&, int64_t) override {}
  void update(int64_t done, const std::string&) override { m_done = done; }
  void end() override {}
  bool cancelled() const override { return m_done >= 20; }
  int64_t m_done = 0;
};

TEST(Tsne, CancelsBetweenIterations) {
  std::vector<int> labels;
  const std::vector<float> x = gaussian_clusters(200, 6, 3, &labels);
  TsneConfig c;
  c.perplexity = 10;
  CancelAfter sink;
  EXPECT_THROW(run_tsne(x.data(), 200, 6, c, sink), Cancelled);
  EXPECT_LT(sink.m_done, 100);
}

}  // namespace
}  // namespace p2r
