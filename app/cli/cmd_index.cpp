// index subcommands: build a FAISS nearest-pixel index over the embeddings (exact or approximate,
// with its recall measured) and search it from a query pixel (FAISS on CPU, or torch on a device).
#include <chrono>
#include <cstdio>
#include <memory>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/analysis/device_pixel_search.h"
#include "core/analysis/pixel_index.h"
#include "core/common/error.h"

namespace p2r::cli {
namespace {

struct IndexBuildArgs {
  StoreArgs store;
  std::string kind = "flat", sampling = "stride:4", slices = "all", out;
  PixelIndexConfig config;
};

struct IndexSearchArgs {
  StoreArgs store;
  std::string index, pixel, backend = "faiss";
  int slice = -1, topk = 10;
};

void print_matches(const std::vector<PixelMatch>& hits) {
  std::printf("rank,slice,x,y,score\n");
  for (size_t r = 0; r < hits.size(); ++r)
    std::printf("%zu,%d,%d,%d,%.5f\n", r + 1, hits[r].pixel.slice, hits[r].pixel.x, hits[r].pixel.y, hits[r].score);
}

}  // namespace

void add_index_commands(CLI::App& app) {
  CLI::App* index = app.add_subcommand("index", "nearest-pixel search index (FAISS) over the embeddings");
  index->require_subcommand(1);

  auto b = std::make_shared<IndexBuildArgs>();
  CLI::App* build = index->add_subcommand("build", "build an index; prints its recall@k against exact search");
  add_store_options(build, b->store);
  build->add_option("--kind", b->kind, "flat (exact inner product) | ivf (IVF-Flat) | hnsw")
      ->check(CLI::IsMember({"flat", "ivf", "hnsw"}));
  build->add_option("--sampling", b->sampling, "indexed pixels: all | stride:S | budget:N");
  build->add_option("--slices", b->slices, "slices to index (e.g. 0-99; default all)");
  build->add_option("--pca", b->config.pca_dim, "PCA-reduce to this many dimensions (0: none)");
  build->add_option("--nlist", b->config.nlist, "IVF lists (0: 4 sqrt(n))");
  build->add_option("--nprobe", b->config.nprobe, "IVF lists visited per query");
  build->add_option("--hnsw-m", b->config.hnsw_m, "HNSW links per node");
  build->add_option("--ef-search", b->config.ef_search, "HNSW search breadth");
  build->add_option("--recall-k", b->config.recall_k, "k of the recall@k measurement");
  build->add_option("--recall-queries", b->config.recall_queries, "queries of the recall measurement");
  build->add_option("--out", b->out, "index file to write")->required();
  build->callback([b] {
    SliceSet data;
    const EmbeddingStore store = open_store(b->store, data).store;
    b->config.kind = parse_index_kind(b->kind);
    b->config.sampling = SamplingPolicy::parse(b->sampling);
    if (b->slices != "all") b->config.slices = parse_slice_list(b->slices, store.slice_count());
    TerminalProgress bar(b->store.progress);
    const auto t0 = std::chrono::steady_clock::now();
    const PixelIndex index = PixelIndex::build(store, b->config, bar);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    index.save(b->out);
    const RecallReport& r = index.recall();
    std::printf("index %s: %s over %lld pixels (%s), %d -> %d dims, built in %.1f s; recall@%d %.4f over %d queries "
                "(exact %.3f ms/query, this index %.3f ms/query)\n",
                b->out.c_str(), index_kind_name(index.kind()), (long long)index.size(), index.sampling().c_str(),
                index.input_dim(), index.index_dim(), s, r.k, r.recall, r.queries, r.exact_ms, r.approx_ms);
  });

  auto q = std::make_shared<IndexSearchArgs>();
  CLI::App* search = index->add_subcommand("search", "k nearest indexed pixels of a query pixel (CSV on stdout)");
  add_store_options(search, q->store);
  search->add_option("--index", q->index, "index file (pix2rep index build --out)")->required();
  search->add_option("--slice", q->slice, "slice of the query pixel")->required();
  search->add_option("--pixel", q->pixel, "query pixel X,Y")->required();
  search->add_option("--topk", q->topk, "number of neighbours");
  search->add_option("--backend", q->backend, "faiss (CPU) | torch (matrix product + top-k on --device; flat/hnsw)")
      ->check(CLI::IsMember({"faiss", "torch"}));
  search->callback([q] {
    int x = 0, y = 0;
    parse_pixel(q->pixel, x, y);
    SliceSet data;
    const EmbeddingStore store = open_store(q->store, data).store;
    const PixelIndex index = PixelIndex::load(q->index, &store);
    const PixelRef p{q->slice, x, y};
    store.check_pixel(p);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<PixelMatch> hits;
    if (q->backend == "faiss") {
      hits = index.search_pixel(store, p, q->topk);
    } else {
      const std::vector<float> rows = index.indexed_vectors();
      DevicePixelSearch dev(rows.data(), index.size(), index.index_dim(), q->store.device);
      const std::vector<float> qv = query_vector(store, p);
      const std::vector<float> qi = index.to_index_space(qv.data(), 1);
      std::vector<float> scores;
      std::vector<int64_t> found;
      dev.search(qi.data(), 1, q->topk, scores, found);
      for (size_t i = 0; i < found.size(); ++i)
        hits.push_back({pixel_of_id(store, index.ids()[size_t(found[i])]), scores[i]});
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    print_matches(hits);
    std::fprintf(stderr, "%zu neighbours of slice %d (%d, %d) in %.2f ms (%s, %s index, recall@%d %.4f)\n", hits.size(),
                 p.slice, x, y, ms, q->backend.c_str(), index_kind_name(index.kind()), index.recall().k,
                 index.recall().recall);
  });
}

}  // namespace p2r::cli
