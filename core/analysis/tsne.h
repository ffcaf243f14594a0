#pragma once
// t-SNE (van der Maaten 2014 Barnes-Hut variant) of N x D float points into 2D, with the optimiser
// settings of scikit-learn's TSNE so that results and KL divergences are comparable.
#include <cstdint>
#include <utility>
#include <vector>

#include "core/analysis/tsne_affinities.h"
#include "core/common/progress.h"

namespace p2r {

/// Settings of one t-SNE run; validate(n) checks them against the number of points.
struct TsneConfig {
  double perplexity = 30.0;           ///< effective neighbours; needs 3 * perplexity < n
  int iterations = 1000;              ///< total gradient steps, early exaggeration included
  int exaggeration_iterations = 250;  ///< steps with P multiplied by early_exaggeration
  double early_exaggeration = 12.0;
  double learning_rate = 0.0;         ///< <= 0: 'auto' = max(n / early_exaggeration / 4, 50)
  double theta = 0.5;                 ///< Barnes-Hut opening angle; 0 = exact O(n^2) repulsion
  double momentum_early = 0.5, momentum_late = 0.8;
  double min_gain = 0.01;
  bool pca_init = true;               ///< PCA init scaled to std 1e-4 (else Gaussian(0, 1e-4) from seed)
  uint64_t seed = 0;
  int threads = 0;                    ///< OpenMP threads; 0 = current OpenMP default
  KnnMethod knn = KnnMethod::Exact;
  int kl_every = 50;                  ///< record the (Barnes-Hut) KL every this many steps; 0 = never
  bool exact_final_kl = true;         ///< final KL with the exact O(n^2) normalisation Z

  /// Throws p2r::Error naming the bad setting (e.g. perplexity too large for n points).
  void validate(int64_t n, int d) const;
};

/// Settings of a t-SNE of `iterations` steps for viewing: early exaggeration for
/// min(250, iterations / 2) of them, no intermediate KL. The studio's t-SNE view and
/// `pix2rep figure embedding` both use it, so an exported figure shows the studio's coordinates.
TsneConfig view_tsne_config(double perplexity, int iterations, uint64_t seed, int threads);

/// Output of run_tsne.
struct TsneResult {
  std::vector<float> coords;                          ///< [n, 2] row-major embedding
  double kl = 0.0;                                    ///< final KL(P || Q) on the sparse P
  std::vector<std::pair<int, double>> kl_history;     ///< (step, KL) every kl_every steps, unexaggerated P
  double seconds_affinities = 0.0, seconds_optimise = 0.0;
};

/// Embeds x [n, d] (row-major float32, CPU, read-only) in 2D. Deterministic for a given config,
/// input and thread count. Reports progress on `progress`, polls cancelled() between steps and
/// throws p2r::Cancelled; throws p2r::Error on invalid settings.
TsneResult run_tsne(const float* x, int64_t n, int d, const TsneConfig& config,
                    ProgressSink& progress = null_progress());

/// KL(P || Q) over the non-zeros of P, q_ij = w_ij / z with w_ij = 1 / (1 + |y_i - y_j|^2)
/// (terms clamped at FLT_MIN as scikit-learn does). y is [n, 2].
double tsne_kl(const SparseAffinities& p, const double* y, double z);

/// Exact normalisation Z = sum_{i != j} 1 / (1 + |y_i - y_j|^2) for y [n, 2]; O(n^2), threaded.
double tsne_exact_z(const double* y, int64_t n, int threads);

}  // namespace p2r
