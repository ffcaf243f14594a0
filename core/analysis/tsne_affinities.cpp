#include "core/analysis/tsne_affinities.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/common/error.h"

namespace p2r {

void knn_search(const float* x, int64_t n, int d, int k, KnnMethod method, std::vector<int32_t>& idx,
                std::vector<float>& dist2, int64_t hnsw_threshold) {
  P2R_CHECK(n >= 2 && d >= 1, "knn_search: need n >= 2 points of dimension >= 1, got " << n << " x " << d);
  P2R_CHECK(k >= 1 && k < n, "knn_search: k=" << k << " neighbours needs more than k points, got " << n);
  if (method == KnnMethod::Auto) method = n > hnsw_threshold ? KnnMethod::Hnsw : KnnMethod::Exact;
  std::unique_ptr<faiss::Index> index;
  if (method == KnnMethod::Exact) {
    index = std::make_unique<faiss::IndexFlatL2>(d);
  } else {
    auto h = std::make_unique<faiss::IndexHNSWFlat>(d, 32);
    h->hnsw.efConstruction = 80;
    h->hnsw.efSearch = std::max(2 * (k + 1), 64);
    index = std::move(h);
  }
  index->add(n, x);
  const int kk = k + 1;  // the point itself comes back first (unless duplicated)
  std::vector<faiss::Index::idx_t> labels(size_t(n) * kk);
  std::vector<float> d2(size_t(n) * kk);
  index->search(n, x, kk, d2.data(), labels.data());
  idx.assign(size_t(n) * k, 0);
  dist2.assign(size_t(n) * k, 0.f);
  for (int64_t i = 0; i < n; ++i) {
    int out = 0;
    for (int j = 0; j < kk && out < k; ++j) {
      const auto l = labels[size_t(i) * kk + j];
      if (l == i || l < 0) continue;
      idx[size_t(i) * k + out] = int32_t(l);
      dist2[size_t(i) * k + out] = std::max(0.f, d2[size_t(i) * kk + j]);
      ++out;
    }
    for (; out < k; ++out) {  // approximate search returned too few: repeat the farthest found
      idx[size_t(i) * k + out] = idx[size_t(i) * k + std::max(out - 1, 0)];
      dist2[size_t(i) * k + out] = dist2[size_t(i) * k + std::max(out - 1, 0)];
    }
  }
}

SparseAffinities joint_affinities(const std::vector<int32_t>& idx, const std::vector<float>& dist2, int64_t n, int k,
                                  double perplexity, ProgressSink& progress) {
  P2R_CHECK(perplexity > 0, "t-SNE: perplexity must be positive, got " << perplexity);
  P2R_CHECK(idx.size() == size_t(n) * k && dist2.size() == idx.size(), "joint_affinities: expected [n, k] inputs");
  std::vector<float> cond(size_t(n) * k);
  const double target = std::log(perplexity);
  const int64_t chunk = 4096;
  for (int64_t c0 = 0; c0 < n; c0 += chunk) {
    if (progress.cancelled()) throw Cancelled();
    const int64_t c1 = std::min(n, c0 + chunk);
#pragma omp parallel for schedule(static) if (c1 - c0 >= 1024)
    for (int64_t i = c0; i < c1; ++i) {
      const float* di = dist2.data() + size_t(i) * k;
      float* pi = cond.data() + size_t(i) * k;
      double dmin = di[0];
      for (int j = 1; j < k; ++j) dmin = std::min(dmin, double(di[j]));
      double beta = 1.0, lo = -INFINITY, hi = INFINITY;
      std::vector<double> p(k);
      for (int step = 0; step < 100; ++step) {
        double sum = 0, dsum = 0;
        for (int j = 0; j < k; ++j) {
          const double dd = double(di[j]) - dmin;  // shift: entropy and P are unchanged
          p[j] = std::exp(-dd * beta);
          sum += p[j];
          dsum += dd * p[j];
        }
        const double entropy = std::log(sum) + beta * dsum / sum;
        for (int j = 0; j < k; ++j) pi[j] = float(p[j] / sum);
        const double diff = entropy - target;
        if (std::abs(diff) <= 1e-5) break;
        if (diff > 0) {  // too flat: sharpen
          lo = beta;
          beta = std::isinf(hi) ? beta * 2 : 0.5 * (beta + hi);
        } else {
          hi = beta;
          beta = std::isinf(lo) ? beta / 2 : 0.5 * (beta + lo);
        }
      }
    }
  }
  // Symmetrise: P = C + C^T. Count entries per row (row i gets its own k plus reverse edges).
  std::vector<int64_t> count(n, k);
  for (int64_t i = 0; i < n; ++i)
    for (int j = 0; j < k; ++j) ++count[idx[size_t(i) * k + j]];
  std::vector<int64_t> start(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) start[i + 1] = start[i] + count[i];
  std::vector<int32_t> tcol(start[n]);
  std::vector<float> tval(start[n]);
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (int64_t i = 0; i < n; ++i)
    for (int j = 0; j < k; ++j) {
      const int32_t t = idx[size_t(i) * k + j];
      const float v = cond[size_t(i) * k + j];
      tcol[fill[i]] = t, tval[fill[i]++] = v;
      tcol[fill[t]] = int32_t(i), tval[fill[t]++] = v;
    }
  // Merge duplicate columns per row (sort by column, sum runs); then normalise by the total.
  SparseAffinities P;
  P.n = n;
  P.row_ptr.assign(n + 1, 0);
  std::vector<int64_t> out_count(n);
#pragma omp parallel if (n >= 4096)
  {
    std::vector<std::pair<int32_t, float>> row;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < n; ++i) {
      row.clear();
      for (int64_t e = start[i]; e < start[i + 1]; ++e) row.emplace_back(tcol[e], tval[e]);
      std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      int64_t w = start[i];
      for (size_t r = 0; r < row.size(); ++r) {
        if (r > 0 && row[r].first == row[r - 1].first) {
          tval[w - 1] += row[r].second;
        } else {
          tcol[w] = row[r].first, tval[w] = row[r].second;
          ++w;
        }
      }
      out_count[i] = w - start[i];
    }
  }
  for (int64_t i = 0; i < n; ++i) P.row_ptr[i + 1] = P.row_ptr[i] + out_count[i];
  P.col.resize(P.row_ptr[n]);
  P.val.resize(P.row_ptr[n]);
  double total = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t e = 0; e < out_count[i]; ++e) total += tval[start[i] + e];
  const double inv = 1.0 / std::max(total, 1e-300);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t e = 0; e < out_count[i]; ++e) {
      P.col[P.row_ptr[i] + e] = tcol[start[i] + e];
      P.val[P.row_ptr[i] + e] = float(tval[start[i] + e] * inv);
    }
  return P;
}

}  // namespace p2r
