#include "core/analysis/tsne_affinities.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/common/error.h"

namespace p2r {

namespace {

extern "C" void sgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
                       const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
                       const float* beta, float* c, const int* ldc);

// Exact k-NN by blocks: each thread takes a block of queries and streams the database in tiles
// whose inner products come from a single-threaded BLAS sgemm (the tile stays in cache), keeping
// candidates below a running k-th distance and pruning them with nth_element.
void exact_knn_blocked(const float* x, int64_t n, int d, int k, std::vector<int32_t>& idx, std::vector<float>& dist2) {
  constexpr int kQueryBlock = 256, kDbTile = 1024;
  std::vector<float> norms(n);
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int t = 0; t < d; ++t) s += double(x[i * d + t]) * x[i * d + t];
    norms[i] = float(s);
  }
  const int64_t nblocks = (n + kQueryBlock - 1) / kQueryBlock;
  const int cap = 2 * k;
  // Always a parallel region, even for a few points: OpenBLAS then runs each sgemm on one thread.
  // Called outside one it splits the product over omp_get_max_threads() threads, whose rounding
  // differs from the one-thread path on some CPUs (AMD Zen here): results would depend on the
  // thread count.
#pragma omp parallel
  {
    std::vector<float> tile(size_t(kQueryBlock) * kDbTile);
    std::vector<std::pair<float, int32_t>> cand(size_t(kQueryBlock) * cap);
    std::vector<int> count(kQueryBlock);
    std::vector<float> thresh(kQueryBlock);
#pragma omp for schedule(dynamic, 1)
    for (int64_t blk = 0; blk < nblocks; ++blk) {
      const int64_t q0 = blk * kQueryBlock;
      const int nq = int(std::min<int64_t>(kQueryBlock, n - q0));
      std::fill(count.begin(), count.end(), 0);
      std::fill(thresh.begin(), thresh.end(), INFINITY);
      for (int64_t j0 = 0; j0 < n; j0 += kDbTile) {
        const int nd = int(std::min<int64_t>(kDbTile, n - j0));
        // tile [nq, nd] row-major = Q X^T (column-major [nd, nq] = X_tile^T^T Q^T)
        const float one = 1.f, zero = 0.f;
        sgemm_("T", "N", &nd, &nq, &d, &one, x + j0 * d, &d, x + q0 * d, &d, &zero, tile.data(), &nd);
        for (int q = 0; q < nq; ++q) {
          const int64_t qi = q0 + q;
          const float nqi = norms[qi];
          const float* row = tile.data() + size_t(q) * nd;
          std::pair<float, int32_t>* cq = cand.data() + size_t(q) * cap;
          float th = thresh[q];
          int cnt = count[q];
          for (int j = 0; j < nd; ++j) {
            const float dist = nqi + norms[j0 + j] - 2.f * row[j];
            if (dist < th && j0 + j != qi) {
              cq[cnt++] = {dist, int32_t(j0 + j)};
              if (cnt == cap) {  // keep the k smallest; the k-th becomes the new bound
                std::nth_element(cq, cq + (k - 1), cq + cap);
                th = cq[k - 1].first;
                cnt = k;
              }
            }
          }
          thresh[q] = th;
          count[q] = cnt;
        }
      }
      for (int q = 0; q < nq; ++q) {
        std::pair<float, int32_t>* cq = cand.data() + size_t(q) * cap;
        const int cnt = count[q];
        std::partial_sort(cq, cq + std::min(k, cnt), cq + cnt);
        for (int t = 0; t < k; ++t) {
          const auto& c = cq[std::min(t, cnt - 1)];
          idx[size_t(q0 + q) * k + t] = c.second;
          dist2[size_t(q0 + q) * k + t] = std::max(0.f, c.first);
        }
      }
    }
  }
}

}  // namespace

void knn_search(const float* x, int64_t n, int d, int k, KnnMethod method, std::vector<int32_t>& idx,
                std::vector<float>& dist2, int64_t hnsw_threshold) {
  P2R_CHECK(n >= 2 && d >= 1, "knn_search: need n >= 2 points of dimension >= 1, got " << n << " x " << d);
  P2R_CHECK(k >= 1 && k < n, "knn_search: k=" << k << " neighbours needs more than k points, got " << n);
  if (method == KnnMethod::Auto) method = n > hnsw_threshold ? KnnMethod::Hnsw : KnnMethod::Exact;
  if (method == KnnMethod::Exact) {
    idx.assign(size_t(n) * k, 0);
    dist2.assign(size_t(n) * k, 0.f);
    exact_knn_blocked(x, n, d, k, idx, dist2);
    return;
  }
  std::unique_ptr<faiss::Index> index;
  if (method == KnnMethod::FaissFlat) {
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
