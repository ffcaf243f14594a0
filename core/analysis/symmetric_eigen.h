#pragma once
// Eigen-decomposition of small dense symmetric matrices (cyclic Jacobi rotations).
#include <vector>

namespace p2r {

/// Eigenvalues (descending) and matching unit eigenvectors of a symmetric n x n matrix.
struct SymmetricEigen {
  int n = 0;
  std::vector<double> values;   ///< [n], descending
  std::vector<double> vectors;  ///< [n, n] row-major; row r is the eigenvector of values[r]
};

/// Jacobi eigen-decomposition of the row-major symmetric matrix a [n, n] (only symmetric input is
/// meaningful; the upper triangle is used). O(n^3) per sweep: meant for n up to a few hundred.
/// Each eigenvector's sign is fixed so that its largest-magnitude entry is positive (deterministic).
/// Throws p2r::Error when n <= 0 or a.size() != n*n.
SymmetricEigen jacobi_eigen(const std::vector<double>& a, int n, int max_sweeps = 100);

}  // namespace p2r
