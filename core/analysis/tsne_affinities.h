#pragma once
// t-SNE input affinities: perplexity-calibrated Gaussian conditionals on k nearest neighbours
// (FAISS), symmetrised into a sparse joint distribution P.
#include <cstdint>
#include <vector>

#include "core/common/progress.h"

namespace p2r {

/// Symmetric sparse matrix in CSR form; rows sum (over all rows) to 1 for a joint P.
struct SparseAffinities {
  int64_t n = 0;
  std::vector<int64_t> row_ptr;  ///< [n + 1]
  std::vector<int32_t> col;      ///< [nnz] neighbour index
  std::vector<float> val;        ///< [nnz] p_ij
};

/// How nearest neighbours are found.
enum class KnnMethod { Auto, Exact, FaissFlat, Hnsw };

/// k nearest neighbours (self excluded) of every row of x [n, d] (float32, CPU): indices [n, k] and
/// squared Euclidean distances [n, k], ascending. Exact is a blocked brute force (BLAS sgemm tiles
/// per thread, cache-resident); FaissFlat is faiss::IndexFlatL2 (same result, slower for large k);
/// Hnsw is faiss::IndexHNSWFlat (approximate); Auto picks Hnsw above hnsw_threshold points.
/// Throws p2r::Error if k >= n.
void knn_search(const float* x, int64_t n, int d, int k, KnnMethod method, std::vector<int32_t>& idx,
                std::vector<float>& dist2, int64_t hnsw_threshold = 500000);

/// Row-wise binary search (on the Gaussian precision) so that each conditional distribution over
/// the point's k neighbours has the given perplexity (entropy log(perplexity), tolerance 1e-5),
/// then P = (P_cond + P_cond^T) / sum. dist2 is [n, k] squared distances with idx [n, k].
/// Polls progress.cancelled() and throws p2r::Cancelled.
SparseAffinities joint_affinities(const std::vector<int32_t>& idx, const std::vector<float>& dist2, int64_t n, int k,
                                  double perplexity, ProgressSink& progress);

}  // namespace p2r
