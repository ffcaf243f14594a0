// PCA and the Jacobi eigen solver recover known axes; PCA-to-RGB is in range and deterministic.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/analysis/pca.h"
#include "core/analysis/symmetric_eigen.h"
#include "core/common/error.h"

namespace p2r {
namespace {

// A random orthonormal basis [d, d] (rows) from Gram-Schmidt on Gaussian vectors.
std::vector<double> random_basis(int d, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0, 1);
  std::vector<double> q(size_t(d) * d);
  for (double& v : q) v = g(rng);
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < i; ++j) {
      double dot = 0;
      for (int t = 0; t < d; ++t) dot += q[i * d + t] * q[j * d + t];
      for (int t = 0; t < d; ++t) q[i * d + t] -= dot * q[j * d + t];
    }
    double nrm = 0;
    for (int t = 0; t < d; ++t) nrm += q[i * d + t] * q[i * d + t];
    for (int t = 0; t < d; ++t) q[i * d + t] /= std::sqrt(nrm);
  }
  return q;
}

// n points with standard deviation sd[a] along basis row a (other axes sd 0.05), offset by 3.
std::vector<float> anisotropic_points(int n, int d, const std::vector<double>& basis, const std::vector<double>& sd) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> g(0, 1);
  std::vector<float> x(size_t(n) * d);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < d; ++a) {
      const double s = (a < int(sd.size()) ? sd[a] : 0.05) * g(rng);
      for (int t = 0; t < d; ++t) x[size_t(i) * d + t] += float(s * basis[a * d + t]);
    }
  for (float& v : x) v += 3.f;
  return x;
}

TEST(JacobiEigen, DiagonalisesSymmetricMatrix) {
  const int n = 6;
  const std::vector<double> q = random_basis(n, 2);
  const std::vector<double> lam = {5, 3, 2, 1, 0.5, -1};
  std::vector<double> a(n * n, 0.0);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      for (int k = 0; k < n; ++k) a[r * n + c] += q[k * n + r] * lam[k] * q[k * n + c];
  const SymmetricEigen e = jacobi_eigen(a, n);
  for (int k = 0; k < n; ++k) {
    EXPECT_NEAR(e.values[k], lam[k], 1e-9);
    double dot = 0;
    for (int t = 0; t < n; ++t) dot += e.vectors[k * n + t] * q[k * n + t];
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-9);
  }
  EXPECT_THROW(jacobi_eigen(a, 5), Error);
}

void expect_recovers_axes(int d, int n) {
  const std::vector<double> basis = random_basis(d, 5);
  const std::vector<double> sd = {4.0, 2.0, 1.0};
  const std::vector<float> x = anisotropic_points(n, d, basis, sd);
  const Pca p = fit_pca(x.data(), n, d, 3);
  ASSERT_EQ(p.k, 3);
  for (int t = 0; t < d; ++t) EXPECT_NEAR(p.mean[t], 3.0, 0.3);
  for (int a = 0; a < 3; ++a) {
    double dot = 0;
    for (int t = 0; t < d; ++t) dot += p.components[a * d + t] * basis[a * d + t];
    EXPECT_GT(std::abs(dot), 0.99) << "component " << a << " of d=" << d;
    EXPECT_NEAR(p.variance[a], sd[a] * sd[a], 0.1 * sd[a] * sd[a]);
  }
  const std::vector<float> s = pca_project(p, x.data(), n);
  double var0 = 0;
  for (int i = 0; i < n; ++i) var0 += double(s[3 * i]) * s[3 * i];
  EXPECT_NEAR(var0 / n, p.variance[0], 0.05 * p.variance[0]);
}

TEST(Pca, RecoversKnownAxesSmallD) { expect_recovers_axes(8, 4000); }

TEST(Pca, RecoversKnownAxesLargeDSubspaceIteration) { expect_recovers_axes(300, 1500); }

TEST(Pca, RgbInUnitRangeAndDeterministic) {
  const int d = 16, n = 2000;
  const std::vector<float> x = anisotropic_points(n, d, random_basis(d, 9), {3.0, 2.0, 1.0});
  const std::vector<float> a = pca_rgb(x.data(), n, d), b = pca_rgb(x.data(), n, d);
  ASSERT_EQ(a.size(), size_t(3 * n));
  EXPECT_EQ(a, b);
  float lo = 1, hi = 0;
  for (float v : a) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_GE(lo, 0.f);
  EXPECT_LE(hi, 1.f);
  EXPECT_EQ(lo, 0.f);
  EXPECT_EQ(hi, 1.f);
  EXPECT_THROW(pca_rgb(x.data(), n, 2), Error);
  EXPECT_THROW(pca_rgb(x.data(), n, d, 50, 10), Error);
  EXPECT_THROW(fit_pca(x.data(), n, d, d + 1), Error);
}

}  // namespace
}  // namespace p2r
