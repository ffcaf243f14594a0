// bench tsne: wall time and final KL of t-SNE on raw float32 points, comparable with
// shared/bench/reference_tsne.py (scikit-learn Barnes-Hut) run with --save on the same points.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/commands.h"
#include "core/analysis/tsne.h"
#include "core/common/error.h"
#include "core/common/progress.h"

namespace p2r::cli {
namespace {

struct TsneBenchArgs {
  std::string points, out, knn = "exact";
  int64_t n = 0;
  int d = 0;
  TsneConfig config;
  bool progress = false;
};

std::vector<float> read_points(const std::string& path, int64_t n, int d) {
  P2R_CHECK(n > 0 && d > 0, "bench tsne: --n and --d must be positive, got " << n << " and " << d);
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  P2R_CHECK(f, "bench tsne: cannot open points file " << path);
  const int64_t bytes = int64_t(f.tellg());
  const int64_t want = n * int64_t(d) * int64_t(sizeof(float));
  P2R_CHECK(bytes == want, "bench tsne: " << path << " has " << bytes << " bytes but " << n << " x " << d
                                          << " float32 points need " << want);
  std::vector<float> x(size_t(n) * d);
  f.seekg(0);
  f.read(reinterpret_cast<char*>(x.data()), want);
  P2R_CHECK(f, "bench tsne: short read from " << path);
  return x;
}

}  // namespace

void add_tsne_bench_command(CLI::App& bench) {
  auto a = std::make_shared<TsneBenchArgs>();
  CLI::App* cmd = bench.add_subcommand("tsne", "t-SNE wall time and KL on raw float32 N x D points "
                                               "(as shared/bench/reference_tsne.py --save writes them)");
  cmd->add_option("--points", a->points, "raw little-endian float32 file, row-major N x D")->required();
  cmd->add_option("--n", a->n, "number of points")->required();
  cmd->add_option("--d", a->d, "dimension")->required();
  cmd->add_option("--perplexity", a->config.perplexity, "perplexity (3 * perplexity < N)");
  cmd->add_option("--iters", a->config.iterations, "gradient steps, 250 of early exaggeration included");
  cmd->add_option("--threads", a->config.threads, "threads (0: all cores)");
  cmd->add_option("--theta", a->config.theta, "Barnes-Hut opening angle");
  cmd->add_option("--seed", a->config.seed, "seed (used when the initialisation is random)");
  cmd->add_option("--knn", a->knn, "exact | faiss-flat | hnsw | auto")
      ->check(CLI::IsMember({"exact", "faiss-flat", "hnsw", "auto"}));
  cmd->add_option("--out", a->out, "write the embedding as raw float32 N x 2 to this file");
  cmd->add_flag("--progress", a->progress, "draw a progress bar on stderr");
  cmd->callback([a] {
    const std::vector<float> x = read_points(a->points, a->n, a->d);
    a->config.knn = a->knn == "hnsw"         ? KnnMethod::Hnsw
                    : a->knn == "faiss-flat" ? KnnMethod::FaissFlat
                    : a->knn == "auto"       ? KnnMethod::Auto
                                             : KnnMethod::Exact;
    TerminalProgress bar(a->progress);
    const auto t0 = std::chrono::steady_clock::now();
    const TsneResult r = run_tsne(x.data(), a->n, a->d, a->config, bar);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!a->out.empty()) {
      std::ofstream f(a->out, std::ios::binary);
      f.write(reinterpret_cast<const char*>(r.coords.data()), std::streamsize(r.coords.size() * sizeof(float)));
      P2R_CHECK(f, "bench tsne: cannot write " << a->out);
    }
    std::printf("affinities+init %.2f s, optimisation %.2f s, final-step KL (Barnes-Hut Z) %.4f\n",
                r.seconds_affinities, r.seconds_optimise, r.kl_history.empty() ? 0.0 : r.kl_history.back().second);
    std::printf("cpp-tsne n=%lld d=%d perplexity=%g iters=%d threads=%d theta=%g: %.1f s, KL %.3f\n",
                (long long)a->n, a->d, a->config.perplexity, a->config.iterations, a->config.threads,
                a->config.theta, seconds, r.kl);
  });
}

}  // namespace p2r::cli
