// bench query: embedding extraction throughput (when the cache is (re)built) and query latency
// p50/p95 of (a) the similarity map of the query's own slice (what the studio shows per click),
// (b) the best match in every slice of the set, exhaustive and through the slice match index, with
// the index's recall@1 per slice against the exhaustive answer, (c) the top-K over the set.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/analysis/similarity_kernel.h"
#include "core/analysis/similarity_map.h"
#ifdef PIX2REP_HAS_FAISS
#include "core/analysis/slice_match_index.h"
#endif
#include "core/common/error.h"
#include "core/common/progress.h"

namespace p2r::cli {
namespace {

struct QueryBenchArgs {
  StoreArgs store;
  int queries = 30, topk = 10, warmup = 2;
  uint64_t seed = 0;
  bool skip_set = false;
#ifdef PIX2REP_HAS_FAISS
  SliceMatchConfig index;
  bool skip_index = false;
#endif
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
#ifdef PIX2REP_HAS_FAISS
  cmd->add_option("--coarse-candidates", a->index.coarse_candidates,
                  "slice match index: pixels per slice kept by the 8-bit codes");
  cmd->add_option("--fine-candidates", a->index.fine_candidates,
                  "slice match index: pixels per slice kept by the fp16 rows for the exact score");
  cmd->add_flag("--no-index", a->skip_index, "skip the slice match index");
#endif
  cmd->callback([a] {
    P2R_CHECK(a->queries >= 1, "--queries must be at least 1");
#ifdef PIX2REP_HAS_FAISS
    P2R_CHECK(a->index.fine_candidates >= 1 && a->index.fine_candidates <= a->index.coarse_candidates,
              "--fine-candidates (" << a->index.fine_candidates << ") must be at least 1 and not exceed --coarse-candidates ("
                                    << a->index.coarse_candidates << ")");
#endif
    SliceSet data;
    const EmbedResult er = open_store(a->store, data);
    const EmbeddingStore& store = er.store;
    if (!er.reused)
      std::printf("extraction: %d slices in %.2f s on %s: %.1f slices/s\n", store.slice_count(), er.seconds,
                  er.device.c_str(), store.slice_count() / er.seconds);
    std::mt19937_64 rng(a->seed);
    const int threads = a->store.threads;
    std::vector<double> t_slice, t_best, t_topk, t_index;
    std::vector<float> map(size_t(store.pixels_per_slice()));
#ifdef PIX2REP_HAS_FAISS
    SliceMatchIndex index;
    if (!a->skip_set && !a->skip_index) {
      TerminalProgress progress;
      index = SliceMatchIndex::build(store, a->index, threads, progress);
    }
    int64_t hits = 0, compared = 0;
    double gap_sum = 0, gap_max = 0;
#endif
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
#ifdef PIX2REP_HAS_FAISS
        if (!index.empty()) {
          t0 = std::chrono::steady_clock::now();
          const auto fast = index.best_match_per_slice(qv.data(), {}, threads);
          const double ms_index = ms_since(t0);
          if (i >= a->warmup) {
            t_index.push_back(ms_index);
            for (size_t s = 0; s < best.size(); ++s, ++compared) {
              // A hit: the exhaustive best pixel, or one of equal exact score (a tie it broke otherwise).
              const double gap = double(best[s].score) - fast[s].score;
              if (gap <= 0) ++hits;
              gap_sum += gap, gap_max = std::max(gap_max, gap);
            }
          }
        }
#endif
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
#ifdef PIX2REP_HAS_FAISS
      if (!index.empty())
        std::printf("best match in every slice, slice match index (%d components keeping %.1f %% of the variance, "
                    "%d / %d candidates per slice, %.2f GB in memory, built in %.1f s): p50 %.1f ms, p95 %.1f ms; "
                    "recall@1 per slice %.4f (%lld of %lld), exact cosine below the best by %.5f on average, %.5f at "
                    "most\n",
                    index.components(), 100 * index.explained_variance(), a->index.coarse_candidates,
                    a->index.fine_candidates, double(index.memory_bytes()) / 1e9, index.build_seconds(),
                    percentile(t_index, 50), percentile(t_index, 95), double(hits) / double(compared),
                    (long long)hits, (long long)compared, gap_sum / double(compared), gap_max);
#endif
      std::printf("top-%d over the set: p50 %.1f ms, p95 %.1f ms\n", a->topk, percentile(t_topk, 50),
                  percentile(t_topk, 95));
    }
  });
}

}  // namespace p2r::cli
