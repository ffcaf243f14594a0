// bench query: embedding extraction throughput (when the cache is (re)built) and query latency
// p50/p95 of (a) the similarity map of the query's own slice (what the studio shows per click),
// (b) the best match in every slice of the set, (c) the top-K over the set.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/analysis/similarity_kernel.h"
#include "core/analysis/similarity_map.h"
#include "core/common/error.h"

namespace p2r::cli {
namespace {

struct QueryBenchArgs {
  StoreArgs store;
  int queries = 30, topk = 10, warmup = 2;
  uint64_t seed = 0;
  bool skip_set = false;
};

double percentile(std::vector<double> v, double pct) {
  std::sort(v.begin(), v.end());
  const double pos = pct / 100.0 * double(v.size() - 1);
  const size_t i = size_t(pos);
  return i + 1 < v.size() ? v[i] + (v[i + 1] - v[i]) * (pos - double(i)) : v.back();
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void add_query_bench_command(CLI::App& bench) {
  auto a = std::make_shared<QueryBenchArgs>();
  CLI::App* cmd = bench.add_subcommand("query", "similarity-query latency p50/p95 (one slice, best match in every "
                                                "slice, top-K) and embedding extraction throughput");
  add_store_options(cmd, a->store);
  cmd->add_option("--queries", a->queries, "timed random query pixels");
  cmd->add_option("--warmup", a->warmup, "untimed queries first (page in the cache)");
  cmd->add_option("--topk", a->topk, "K of the top-K query");
  cmd->add_option("--seed", a->seed, "seed of the query pixels");
  cmd->add_flag("--slice-only", a->skip_set, "time only the one-slice map");
  cmd->callback([a] {
    P2R_CHECK(a->queries >= 1, "--queries must be at least 1");
    SliceSet data;
    const EmbedResult er = open_store(a->store, data);
    const EmbeddingStore& store = er.store;
    if (!er.reused)
      std::printf("extraction: %d slices in %.2f s on %s: %.1f slices/s\n", store.slice_count(), er.seconds,
                  er.device.c_str(), store.slice_count() / er.seconds);
    std::mt19937_64 rng(a->seed);
    const int threads = a->store.threads;
    std::vector<double> t_slice, t_best, t_topk;
    std::vector<float> map(size_t(store.pixels_per_slice()));
    for (int i = 0; i < a->warmup + a->queries; ++i) {
      const PixelRef q{int(rng() % store.slice_count()), int(rng() % store.width()), int(rng() % store.height())};
      auto t0 = std::chrono::steady_clock::now();
      const std::vector<float> qv = query_vector(store, q);
      similarity_map(store, qv.data(), q.slice, map.data(), threads);
      const double ms_slice = ms_since(t0);
      double ms_best = 0, ms_topk = 0;
      if (!a->skip_set) {
        t0 = std::chrono::steady_clock::now();
        const auto best = best_match_per_slice(store, qv.data(), {}, threads);
        ms_best = ms_since(t0);
        t0 = std::chrono::steady_clock::now();
        const auto top = top_k_matches(store, qv.data(), a->topk, {}, q.slice, threads);
        ms_topk = ms_since(t0);
      }
      if (i < a->warmup) continue;
      t_slice.push_back(ms_slice), t_best.push_back(ms_best), t_topk.push_back(ms_topk);
    }
    const int64_t px = store.pixels_per_slice();
    std::printf("store: %d slices x %d features x %d x %d (fp16, %s), kernel %s, threads %d\n", store.slice_count(),
                store.dim(), store.height(), store.width(), store.path().empty() ? "in memory" : "memory-mapped",
                half_kernel_is_vectorised() ? "avx2/f16c" : "portable", threads);
    std::printf("similarity map of one slice (%lld px): p50 %.3f ms, p95 %.3f ms\n", (long long)px,
                percentile(t_slice, 50), percentile(t_slice, 95));
    if (!a->skip_set) {
      std::printf("best match in every slice (%d slices): p50 %.1f ms, p95 %.1f ms\n", store.slice_count(),
                  percentile(t_best, 50), percentile(t_best, 95));
      std::printf("top-%d over the set: p50 %.1f ms, p95 %.1f ms\n", a->topk, percentile(t_topk, 50),
                  percentile(t_topk, 95));
    }
  });
}

}  // namespace p2r::cli
