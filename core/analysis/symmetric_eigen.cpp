#include "core/analysis/symmetric_eigen.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/common/error.h"

namespace p2r {

SymmetricEigen jacobi_eigen(const std::vector<double>& a_in, int n, int max_sweeps) {
  P2R_CHECK(n > 0, "jacobi_eigen: matrix size must be positive, got " << n);
  P2R_CHECK(a_in.size() == size_t(n) * size_t(n),
            "jacobi_eigen: expected " << n << "x" << n << " values, got " << a_in.size());
  std::vector<double> a(a_in);
  for (int i = 0; i < n; ++i)  // symmetrise from the upper triangle
    for (int j = i + 1; j < n; ++j) a[size_t(j) * n + i] = a[size_t(i) * n + j];
  std::vector<double> v(size_t(n) * n, 0.0);  // columns accumulate the rotations
  for (int i = 0; i < n; ++i) v[size_t(i) * n + i] = 1.0;
  auto A = [&](int r, int c) -> double& { return a[size_t(r) * n + c]; };
  auto V = [&](int r, int c) -> double& { return v[size_t(r) * n + c]; };

  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    double off = 0, diag = 0;
    for (int i = 0; i < n; ++i) {
      diag += A(i, i) * A(i, i);
      for (int j = i + 1; j < n; ++j) off += A(i, j) * A(i, j);
    }
    if (off <= 1e-30 * std::max(diag, 1e-300)) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = A(p, q);
        if (std::abs(apq) < 1e-300) continue;
        // Rotation angle zeroing A(p,q): tan(2t) = 2 apq / (aqq - app).
        const double tau = (A(q, q) - A(p, p)) / (2.0 * apq);
        const double t = (tau >= 0 ? 1.0 : -1.0) / (std::abs(tau) + std::sqrt(1.0 + tau * tau));
        const double c = 1.0 / std::sqrt(1.0 + t * t), s = t * c;
        for (int k = 0; k < n; ++k) {  // A <- A J (columns p, q)
          const double akp = A(k, p), akq = A(k, q);
          A(k, p) = c * akp - s * akq;
          A(k, q) = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {  // A <- J^T A (rows p, q)
          const double apk = A(p, k), aqk = A(q, k);
          A(p, k) = c * apk - s * aqk;
          A(q, k) = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          const double vkp = V(k, p), vkq = V(k, q);
          V(k, p) = c * vkp - s * vkq;
          V(k, q) = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return A(x, x) > A(y, y); });
  SymmetricEigen r;
  r.n = n;
  r.values.resize(n);
  r.vectors.resize(size_t(n) * n);
  for (int o = 0; o < n; ++o) {
    const int c = order[o];
    r.values[o] = A(c, c);
    int arg = 0;
    for (int k = 1; k < n; ++k)
      if (std::abs(V(k, c)) > std::abs(V(arg, c)) + 1e-12) arg = k;
    const double sign = V(arg, c) < 0 ? -1.0 : 1.0;
    for (int k = 0; k < n; ++k) r.vectors[size_t(o) * n + k] = sign * V(k, c);
  }
  return r;
}

}  // namespace p2r
