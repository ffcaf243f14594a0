#include "core/analysis/pca.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/symmetric_eigen.h"
#include "core/common/error.h"

namespace p2r {
namespace {

// Sample covariance [d, d] (full, symmetric) of the strided rows of x around mean. Rows are summed
// in a fixed number of blocks, then the blocks in order, so the result does not depend on threads.
std::vector<double> covariance(const float* x, int64_t n, int d, int64_t stride, const std::vector<double>& mean,
                               int64_t* rows_used) {
  const int64_t m = (n + stride - 1) / stride;
  const int64_t budget = std::max<int64_t>(1, (int64_t(64) << 20) / (int64_t(d) * d * 8));
  const int64_t nblocks = std::clamp<int64_t>(std::min<int64_t>(m, 64), 1, budget);
  std::vector<double> partial(size_t(nblocks) * d * d, 0.0);
#pragma omp parallel
  {
    std::vector<double> row(d);
#pragma omp for schedule(dynamic, 1)
    for (int64_t blk = 0; blk < nblocks; ++blk) {
      double* local = partial.data() + size_t(blk) * d * d;
      const int64_t r0 = m * blk / nblocks, r1 = m * (blk + 1) / nblocks;
      for (int64_t r = r0; r < r1; ++r) {
        const float* xr = x + r * stride * d;
        for (int j = 0; j < d; ++j) row[j] = double(xr[j]) - mean[j];
        for (int a = 0; a < d; ++a) {
          const double ra = row[a];
          double* out = local + size_t(a) * d;
          for (int b = a; b < d; ++b) out[b] += ra * row[b];
        }
      }
    }
  }
  std::vector<double> cov(size_t(d) * d, 0.0);
  for (int64_t blk = 0; blk < nblocks; ++blk)
    for (size_t i = 0; i < cov.size(); ++i) cov[i] += partial[size_t(blk) * d * d + i];
  for (int a = 0; a < d; ++a)
    for (int b = a; b < d; ++b) {
      const double v = cov[size_t(a) * d + b] / double(std::max<int64_t>(m - 1, 1));
      cov[size_t(a) * d + b] = v;
      cov[size_t(b) * d + a] = v;
    }
  *rows_used = m;
  return cov;
}

// Orthonormalises the rows of q [k, d] in place (modified Gram-Schmidt).
void orthonormalise(std::vector<double>& q, int k, int d) {
  int restarts = 0;
  for (int i = 0; i < k; ++i) {
    double* qi = q.data() + size_t(i) * d;
    for (int j = 0; j < i; ++j) {
      const double* qj = q.data() + size_t(j) * d;
      double dot = 0;
      for (int t = 0; t < d; ++t) dot += qi[t] * qj[t];
      for (int t = 0; t < d; ++t) qi[t] -= dot * qj[t];
    }
    double norm = 0;
    for (int t = 0; t < d; ++t) norm += qi[t] * qi[t];
    norm = std::sqrt(norm);
    if (norm < 1e-300) {  // degenerate: restart this row from a unit axis
      std::fill(qi, qi + d, 0.0);
      qi[(i + restarts++) % d] = 1.0;
      --i;
      continue;
    }
    for (int t = 0; t < d; ++t) qi[t] /= norm;
  }
}

// Top-k eigenpairs of the symmetric cov [d, d] by subspace iteration and a Rayleigh-Ritz step.
SymmetricEigen top_eigen_subspace(const std::vector<double>& cov, int d, int k) {
  const int m = std::min(d, k + 8);
  std::vector<double> q(size_t(m) * d), z(size_t(m) * d);
  for (int i = 0; i < m; ++i)  // deterministic start: a smooth, well spread basis
    for (int t = 0; t < d; ++t) q[size_t(i) * d + t] = std::cos(0.37 * (i + 1) * (t + 1)) + (t == i ? 1.0 : 0.0);
  orthonormalise(q, m, d);
  std::vector<double> prev(k, 0.0);
  SymmetricEigen small;
  for (int it = 0; it < 1000; ++it) {
    for (int i = 0; i < m; ++i)  // z = q C  (C symmetric)
      for (int r = 0; r < d; ++r) {
        const double* cr = cov.data() + size_t(r) * d;
        const double* qi = q.data() + size_t(i) * d;
        double s = 0;
        for (int t = 0; t < d; ++t) s += cr[t] * qi[t];
        z[size_t(i) * d + r] = s;
      }
    // Rayleigh-Ritz: T = Q C Q^T [m, m]
    std::vector<double> tmat(size_t(m) * m);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) {
        double s = 0;
        for (int t = 0; t < d; ++t) s += q[size_t(i) * d + t] * z[size_t(j) * d + t];
        tmat[size_t(i) * m + j] = s;
      }
    small = jacobi_eigen(tmat, m);
    double change = 0, scale = std::abs(small.values[0]) + 1e-300;
    for (int i = 0; i < k; ++i) change = std::max(change, std::abs(small.values[i] - prev[i]) / scale);
    for (int i = 0; i < k; ++i) prev[i] = small.values[i];
    // Rotate Z into the Ritz basis, then orthonormalise for the next step.
    std::vector<double> rz(size_t(m) * d, 0.0);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) {
        const double w = small.vectors[size_t(i) * m + j];
        for (int t = 0; t < d; ++t) rz[size_t(i) * d + t] += w * z[size_t(j) * d + t];
      }
    if (it > 3 && change < 1e-12) {
      std::vector<double> rq(size_t(m) * d, 0.0);
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j) {
          const double w = small.vectors[size_t(i) * m + j];
          for (int t = 0; t < d; ++t) rq[size_t(i) * d + t] += w * q[size_t(j) * d + t];
        }
      q.swap(rq);
      break;
    }
    q.swap(rz);
    orthonormalise(q, m, d);
  }
  SymmetricEigen r;
  r.n = d;
  r.values.assign(small.values.begin(), small.values.begin() + k);
  r.vectors.assign(q.begin(), q.begin() + size_t(k) * d);
  orthonormalise(r.vectors, k, d);
  return r;
}

double percentile(std::vector<float> v, double pct) {
  const size_t idx = size_t(std::llround(pct / 100.0 * double(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + idx, v.end());
  return v[idx];
}

}  // namespace

Pca fit_pca(const float* x, int64_t n, int d, int k, int64_t max_rows) {
  P2R_CHECK(x != nullptr || n == 0, "fit_pca: null data");
  P2R_CHECK(n >= 2, "fit_pca: need at least 2 points, got " << n);
  P2R_CHECK(d >= 1, "fit_pca: dimension must be positive, got " << d);
  P2R_CHECK(k >= 1 && k <= d, "fit_pca: components k=" << k << " must be in [1, " << d << "]");
  P2R_CHECK(max_rows >= 0, "fit_pca: max_rows must be >= 0, got " << max_rows);
  int64_t stride = 1;
  if (max_rows > 1 && n > max_rows) stride = (n + max_rows - 1) / max_rows;
  const int64_t m = (n + stride - 1) / stride;
  Pca p;
  p.dim = d;
  p.k = k;
  p.mean.assign(d, 0.0);
  for (int64_t r = 0; r < m; ++r)
    for (int j = 0; j < d; ++j) p.mean[j] += x[r * stride * d + j];
  for (double& v : p.mean) v /= double(m);
  int64_t used = 0;
  const std::vector<double> cov = covariance(x, n, d, stride, p.mean, &used);
  SymmetricEigen e = d <= 256 ? jacobi_eigen(cov, d) : top_eigen_subspace(cov, d, k);
  p.variance.assign(e.values.begin(), e.values.begin() + k);
  p.components.assign(e.vectors.begin(), e.vectors.begin() + size_t(k) * d);
  for (int i = 0; i < k; ++i) {  // sign convention: largest-magnitude entry positive
    double* c = p.components.data() + size_t(i) * d;
    int arg = 0;
    for (int t = 1; t < d; ++t)
      if (std::abs(c[t]) > std::abs(c[arg]) + 1e-12) arg = t;
    if (c[arg] < 0)
      for (int t = 0; t < d; ++t) c[t] = -c[t];
  }
  return p;
}

std::vector<float> pca_project(const Pca& pca, const float* x, int64_t n) {
  P2R_CHECK(pca.dim > 0 && pca.k > 0, "pca_project: PCA is not fitted");
  const int d = pca.dim, k = pca.k;
  std::vector<float> out(size_t(n) * k);
#pragma omp parallel for schedule(static) if (n >= 4096)
  for (int64_t i = 0; i < n; ++i) {
    const float* xi = x + i * d;
    for (int c = 0; c < k; ++c) {
      const double* w = pca.components.data() + size_t(c) * d;
      double s = 0;
      for (int t = 0; t < d; ++t) s += (double(xi[t]) - pca.mean[t]) * w[t];
      out[size_t(i) * k + c] = float(s);
    }
  }
  return out;
}

std::vector<float> pca_rgb(const float* x, int64_t n, int d, double lo_pct, double hi_pct) {
  P2R_CHECK(d >= 3, "pca_rgb: need at least 3 feature dimensions, got " << d);
  P2R_CHECK(n >= 2, "pca_rgb: need at least 2 points, got " << n);
  P2R_CHECK(lo_pct >= 0 && lo_pct < hi_pct && hi_pct <= 100,
            "pca_rgb: percentiles must satisfy 0 <= lo < hi <= 100, got " << lo_pct << ", " << hi_pct);
  const Pca pca = fit_pca(x, n, d, 3, 200000);
  std::vector<float> s = pca_project(pca, x, n);  // [n, 3]
  const int64_t step = std::max<int64_t>(1, n / 100000);  // percentiles from at most ~100k samples
  for (int c = 0; c < 3; ++c) {
    std::vector<float> col;
    for (int64_t i = 0; i < n; i += step) col.push_back(s[size_t(i) * 3 + c]);
    const double lo = percentile(col, lo_pct), hi = percentile(col, hi_pct);
    const double scale = hi > lo ? 1.0 / (hi - lo) : 0.0;
    for (int64_t i = 0; i < n; ++i) {
      float& v = s[size_t(i) * 3 + c];
      v = scale > 0 ? float(std::clamp((double(v) - lo) * scale, 0.0, 1.0)) : 0.5f;
    }
  }
  return s;
}

}  // namespace p2r
