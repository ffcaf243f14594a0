#pragma once
// Principal component analysis of N x D float points (covariance + symmetric eigen solver).
#include <cstdint>
#include <vector>

namespace p2r {

/// A fitted PCA: the mean and the top-k principal axes of the data it was fitted on.
struct Pca {
  int dim = 0;                    ///< D
  int k = 0;                      ///< number of components kept
  std::vector<double> mean;       ///< [D]
  std::vector<double> components; ///< [k, D] row-major, unit rows, by decreasing variance
  std::vector<double> variance;   ///< [k] variance along each component (sample, n-1)
};

/// Fits the top-k components of the row-major points x [n, d] (float32, CPU, read-only).
/// D up to ~1024: Jacobi on the D x D covariance for d <= 256, subspace iteration above.
/// At most max_rows rows (evenly strided) enter the covariance; 0 means all rows.
/// Component signs are fixed (largest-magnitude entry positive), so the result is deterministic.
/// Throws p2r::Error for n < 2, d < 1, k < 1 or k > d.
Pca fit_pca(const float* x, int64_t n, int d, int k, int64_t max_rows = 0);

/// Projects x [n, pca.dim] onto the components: returns [n, pca.k] row-major float scores.
std::vector<float> pca_project(const Pca& pca, const float* x, int64_t n);

/// PCA-to-RGB colouring: the first 3 component scores of x [n, d] (d >= 3), each mapped linearly
/// from its [lo_pct, hi_pct] percentiles to [0, 1] and clamped. Returns [n, 3] row-major floats.
/// Throws p2r::Error for d < 3, n < 2 or percentiles outside 0 <= lo < hi <= 100.
std::vector<float> pca_rgb(const float* x, int64_t n, int d, double lo_pct = 1.0, double hi_pct = 99.0);

}  // namespace p2r
