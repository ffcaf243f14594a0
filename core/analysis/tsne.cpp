#include "core/analysis/tsne.h"

#include <omp.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/analysis/barnes_hut.h"
#include "core/analysis/pca.h"
#include "core/common/error.h"

namespace p2r {

void TsneConfig::validate(int64_t n, int d) const {
  P2R_CHECK(n >= 2, "t-SNE needs at least 2 points, got " << n);
  P2R_CHECK(d >= 1, "t-SNE needs points of dimension >= 1, got " << d);
  P2R_CHECK(n < (int64_t(1) << 31), "t-SNE supports fewer than 2^31 points, got " << n);
  P2R_CHECK(std::isfinite(perplexity) && perplexity > 0, "t-SNE perplexity must be positive, got " << perplexity);
  P2R_CHECK(3.0 * perplexity < double(n), "t-SNE perplexity " << perplexity << " is too large for " << n
                                                               << " points (needs 3 * perplexity < number of points;"
                                                               << " use perplexity < " << double(n) / 3.0 << ")");
  P2R_CHECK(iterations > 0, "t-SNE iterations must be positive, got " << iterations);
  P2R_CHECK(exaggeration_iterations >= 0, "t-SNE exaggeration iterations must be >= 0, got " << exaggeration_iterations);
  P2R_CHECK(early_exaggeration >= 1, "t-SNE early exaggeration must be >= 1, got " << early_exaggeration);
  P2R_CHECK(std::isfinite(learning_rate), "t-SNE learning rate must be finite");
  P2R_CHECK(theta >= 0 && theta <= 1.5, "t-SNE theta must be in [0, 1.5], got " << theta);
  P2R_CHECK(momentum_early >= 0 && momentum_early < 1 && momentum_late >= 0 && momentum_late < 1,
            "t-SNE momentum must be in [0, 1)");
  P2R_CHECK(min_gain > 0 && min_gain <= 1, "t-SNE min gain must be in (0, 1], got " << min_gain);
  P2R_CHECK(threads >= 0, "t-SNE threads must be >= 0, got " << threads);
  P2R_CHECK(kl_every >= 0, "t-SNE kl_every must be >= 0, got " << kl_every);
}

double tsne_kl(const SparseAffinities& p, const double* y, double z) {
  double kl = 0;
  const double inv_z = 1.0 / z;
#pragma omp parallel for schedule(static) reduction(+ : kl) if (p.n >= 4096)
  for (int64_t i = 0; i < p.n; ++i) {
    double row = 0;
    for (int64_t e = p.row_ptr[i]; e < p.row_ptr[i + 1]; ++e) {
      const int64_t j = p.col[e];
      const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const double q = 1.0 / (1.0 + dx * dx + dy * dy) * inv_z;
      const double pij = p.val[e];
      row += pij * std::log(std::max(pij, double(FLT_MIN)) / std::max(q, double(FLT_MIN)));
    }
    kl += row;
  }
  return kl;
}

double tsne_exact_z(const double* y, int64_t n, int threads) {
  std::vector<float> xs(n), ys(n);
  for (int64_t i = 0; i < n; ++i) xs[i] = float(y[2 * i]), ys[i] = float(y[2 * i + 1]);
  std::vector<double> rows(n, 0.0);
  const int nthreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 64) num_threads(nthreads) if (n >= 512)
  for (int64_t i = 0; i < n; ++i) {
    const float px = xs[i], py = ys[i];
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t j = i + 1; j < n; ++j) {
      const float dx = px - xs[j], dy = py - ys[j];
      s += 1.f / (1.f + dx * dx + dy * dy);
    }
    rows[i] = s;
  }
  double z = 0;
  for (double r : rows) z += r;
  return 2.0 * z;
}

namespace {

// Initial positions [n, 2]: PCA scores scaled so the first coordinate has std 1e-4 (as scikit-learn),
// or Gaussian(0, 1e-4) from the seed.
std::vector<double> initial_positions(const float* x, int64_t n, int d, const TsneConfig& c) {
  std::vector<double> y(size_t(n) * 2);
  if (c.pca_init && d >= 2) {
    const Pca pca = fit_pca(x, n, d, 2);
    const std::vector<float> s = pca_project(pca, x, n);
    double mean = 0, sq = 0;
    for (int64_t i = 0; i < n; ++i) mean += s[2 * i];
    mean /= double(n);
    for (int64_t i = 0; i < n; ++i) sq += (s[2 * i] - mean) * (s[2 * i] - mean);
    const double sd = std::sqrt(sq / double(n));
    const double scale = sd > 0 ? 1e-4 / sd : 1.0;
    for (size_t i = 0; i < y.size(); ++i) y[i] = double(s[i]) * scale;
  } else {
    std::mt19937_64 rng(c.seed);
    std::normal_distribution<double> g(0.0, 1e-4);
    for (double& v : y) v = g(rng);
  }
  return y;
}

}  // namespace

TsneConfig view_tsne_config(double perplexity, int iterations, uint64_t seed, int threads) {
  TsneConfig c;
  c.perplexity = perplexity;
  c.iterations = iterations;
  c.exaggeration_iterations = std::min(250, iterations / 2);
  c.seed = seed;
  c.threads = threads;
  c.kl_every = 0;
  c.exact_final_kl = false;
  return c;
}

TsneResult run_tsne(const float* x, int64_t n, int d, const TsneConfig& c, ProgressSink& progress) {
  c.validate(n, d);
  P2R_CHECK(x != nullptr, "t-SNE: null input points");
  const int saved_threads = omp_get_max_threads();
  if (c.threads > 0) omp_set_num_threads(c.threads);
  struct RestoreThreads {
    int n;
    ~RestoreThreads() { omp_set_num_threads(n); }
  } restore{saved_threads};
  const int threads = omp_get_max_threads();
  using clock = std::chrono::steady_clock;
  TsneResult r;

  // 1. Affinities on the k = 3 * perplexity + 1 nearest neighbours (as scikit-learn).
  const auto t0 = clock::now();
  const int k = int(std::min<int64_t>(n - 1, int64_t(3.0 * c.perplexity + 1.0)));
  progress.begin("t-SNE neighbours", 0);
  std::vector<int32_t> idx;
  std::vector<float> dist2;
  knn_search(x, n, d, k, c.knn, idx, dist2);
  progress.end();
  if (progress.cancelled()) throw Cancelled();
  const SparseAffinities P = joint_affinities(idx, dist2, n, k, c.perplexity, progress);
  idx = {};
  dist2 = {};
  std::vector<double> y = initial_positions(x, n, d, c);
  r.seconds_affinities = std::chrono::duration<double>(clock::now() - t0).count();

  // 2. Gradient descent with momentum and delta-bar-delta gains; restarted at the phase change.
  const auto t1 = clock::now();
  const double lr = c.learning_rate > 0 ? c.learning_rate : std::max(double(n) / c.early_exaggeration / 4.0, 50.0);
  std::vector<double> update(size_t(n) * 2, 0.0), gains(size_t(n) * 2, 1.0), rep(size_t(n) * 2);
  std::vector<float> yf(size_t(n) * 2);
  BarnesHutRepulsion bh;
  progress.begin("t-SNE", c.iterations);
  for (int it = 0; it < c.iterations; ++it) {
    if (progress.cancelled()) throw Cancelled();
    const bool early = it < c.exaggeration_iterations;
    if (it == c.exaggeration_iterations && it > 0) {
      std::fill(update.begin(), update.end(), 0.0);
      std::fill(gains.begin(), gains.end(), 1.0);
    }
    const double exag = early ? c.early_exaggeration : 1.0;
    const double momentum = early ? c.momentum_early : c.momentum_late;
    const double z = bh.compute(y.data(), n, c.theta, rep.data(), threads);
    const double inv_z = 1.0 / z;
    // KL at the positions this step started from, with this step's Barnes-Hut Z (as scikit-learn).
    const bool check = c.kl_every > 0 && ((it + 1) % c.kl_every == 0 || it + 1 == c.iterations);
    if (check) r.kl_history.emplace_back(it + 1, tsne_kl(P, y.data(), z));
    for (int64_t t = 0; t < 2 * n; ++t) yf[t] = float(y[t]);
    // One pass per point: attractive force over the sparse P (float), the gradient
    // 4 (exag F_attr - F_rep / Z), the gains and the momentum update.
    const float* pyf = yf.data();
    const double mg = c.min_gain;
#pragma omp parallel for schedule(static) if (n >= 4096)
    for (int64_t i = 0; i < n; ++i) {
      const float yx = pyf[2 * i], yy = pyf[2 * i + 1];
      float ax = 0, ay = 0;
      for (int64_t e = P.row_ptr[i]; e < P.row_ptr[i + 1]; ++e) {
        const int64_t j = P.col[e];
        const float dx = yx - pyf[2 * j], dy = yy - pyf[2 * j + 1];
        const float w = P.val[e] / (1.f + dx * dx + dy * dy);
        ax += w * dx, ay += w * dy;
      }
      const double g2[2] = {4.0 * (exag * ax - rep[2 * i] * inv_z), 4.0 * (exag * ay - rep[2 * i + 1] * inv_z)};
      for (int a = 0; a < 2; ++a) {
        const int64_t t = 2 * i + a;
        double g = gains[t];
        g = update[t] * g2[a] < 0.0 ? g + 0.2 : g * 0.8;
        g = std::max(g, mg);
        gains[t] = g;
        update[t] = momentum * update[t] - lr * g * g2[a];
        y[t] += update[t];  // safe: the loop reads positions from yf only
      }
    }
    if ((it + 1) % 10 == 0 || it + 1 == c.iterations) {
      char note[64];
      if (!r.kl_history.empty()) std::snprintf(note, sizeof note, "KL %.4f", r.kl_history.back().second);
      else note[0] = 0;
      progress.update(it + 1, note);
    }
  }
  progress.end();
  r.seconds_optimise = std::chrono::duration<double>(clock::now() - t1).count();
  const double zf = c.exact_final_kl ? tsne_exact_z(y.data(), n, threads) : bh.compute(y.data(), n, c.theta, rep.data(), threads);
  r.kl = tsne_kl(P, y.data(), zf);
  r.coords.resize(y.size());
  for (size_t i = 0; i < y.size(); ++i) r.coords[i] = float(y[i]);
  return r;
}

}  // namespace p2r
