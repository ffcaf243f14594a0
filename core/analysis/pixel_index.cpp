#include "core/analysis/pixel_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/analysis/pca.h"
#include "core/common/atomic_file.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"

namespace p2r {
namespace {

constexpr char kMagic[8] = {'P', '2', 'R', 'P', 'X', 'I', 'D', 'X'};
constexpr uint32_t kVersion = 1;
using Json = nlohmann::json;
using idx_t = faiss::Index::idx_t;

void normalise_rows(float* x, int64_t n, int d) {
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int c = 0; c < d; ++c) s += double(x[i * d + c]) * x[i * d + c];
    const float inv = s > 0 ? float(1.0 / std::sqrt(s)) : 0.f;
    for (int c = 0; c < d; ++c) x[i * d + c] *= inv;
  }
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

const char* index_kind_name(IndexKind kind) {
  return kind == IndexKind::Flat ? "flat" : kind == IndexKind::IvfFlat ? "ivf" : "hnsw";
}

IndexKind parse_index_kind(const std::string& text) {
  if (text == "flat") return IndexKind::Flat;
  if (text == "ivf") return IndexKind::IvfFlat;
  if (text == "hnsw") return IndexKind::Hnsw;
  P2R_FAIL("unknown index kind '" << text << "' (expected flat, ivf or hnsw)");
}

struct PixelIndex::Impl {
  IndexKind kind = IndexKind::Flat;
  int input_dim = 0, index_dim = 0;
  std::unique_ptr<faiss::Index> index;
  std::vector<int64_t> ids;
  bool has_pca = false;
  Pca pca;
  RecallReport recall;
  EmbeddingKey key;
  std::string sampling;
  int nprobe = 16, ef_search = 64;

  void apply_search_params() {
    if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(index.get())) ivf->nprobe = size_t(nprobe);
    if (auto* h = dynamic_cast<faiss::IndexHNSWFlat*>(index.get())) h->hnsw.efSearch = ef_search;
  }
};

PixelIndex::PixelIndex() : m_impl(std::make_unique<Impl>()) {}
PixelIndex::~PixelIndex() = default;
PixelIndex::PixelIndex(PixelIndex&&) noexcept = default;
PixelIndex& PixelIndex::operator=(PixelIndex&&) noexcept = default;

IndexKind PixelIndex::kind() const { return m_impl->kind; }
int PixelIndex::input_dim() const { return m_impl->input_dim; }
int PixelIndex::index_dim() const { return m_impl->index_dim; }
int64_t PixelIndex::size() const { return int64_t(m_impl->ids.size()); }
const RecallReport& PixelIndex::recall() const { return m_impl->recall; }
const EmbeddingKey& PixelIndex::key() const { return m_impl->key; }
const std::string& PixelIndex::sampling() const { return m_impl->sampling; }
const std::vector<int64_t>& PixelIndex::ids() const { return m_impl->ids; }

std::vector<float> PixelIndex::to_index_space(const float* queries, int64_t nq) const {
  std::vector<float> out = m_impl->has_pca ? pca_project(m_impl->pca, queries, nq)
                                           : std::vector<float>(queries, queries + nq * m_impl->input_dim);
  normalise_rows(out.data(), nq, m_impl->index_dim);
  return out;
}

std::vector<std::vector<PixelMatch>> PixelIndex::search(const float* queries, int64_t nq, int k) const {
  P2R_CHECK(k >= 1, "index search: k must be at least 1, got " << k);
  P2R_CHECK(m_impl->index, "index search: the index is empty (not built or loaded)");
  k = int(std::min<int64_t>(k, size()));
  const std::vector<float> q = to_index_space(queries, nq);
  std::vector<float> dist(size_t(nq) * k);
  std::vector<idx_t> labels(size_t(nq) * k);
  m_impl->index->search(nq, q.data(), k, dist.data(), labels.data());
  const bool l2 = m_impl->kind == IndexKind::Hnsw;  // HNSW runs L2 on unit vectors: cos = 1 - d / 2
  const int64_t np = int64_t(m_impl->key.height) * m_impl->key.width;
  std::vector<std::vector<PixelMatch>> out(static_cast<size_t>(nq));
  for (int64_t i = 0; i < nq; ++i)
    for (int j = 0; j < k; ++j) {
      const idx_t l = labels[i * k + j];
      if (l < 0) continue;
      const int64_t id = m_impl->ids[size_t(l)], r = id % np;
      const float d = dist[i * k + j];
      out[i].push_back({{int(id / np), int(r % m_impl->key.width), int(r / m_impl->key.width)}, clamp_cosine(l2 ? 1.f - d / 2 : d)});
    }
  return out;
}

std::vector<PixelMatch> PixelIndex::search_pixel(const EmbeddingStore& store, const PixelRef& p, int k) const {
  P2R_CHECK(store.dim() == input_dim(), "index of " << input_dim() << "-dimensional embeddings cannot be searched with "
                                                    << store.dim() << "-dimensional ones");
  const std::vector<float> q = query_vector(store, p);
  return search(q.data(), 1, k)[0];
}

std::vector<float> PixelIndex::indexed_vectors() const {
  P2R_CHECK(m_impl->kind != IndexKind::IvfFlat, "the vectors of an IVF index cannot be listed; build a flat or hnsw index");
  std::vector<float> out(size_t(size()) * index_dim());
  if (size() > 0) m_impl->index->reconstruct_n(0, size(), out.data());
  return out;
}

PixelIndex PixelIndex::build(const EmbeddingStore& store, const PixelIndexConfig& config, ProgressSink& progress) {
  P2R_CHECK(!store.empty(), "index build: the embedding store is empty");
  P2R_CHECK(config.pca_dim >= 0 && config.pca_dim <= store.dim(),
            "index build: PCA dimension " << config.pca_dim << " must be in [0, " << store.dim() << "] (0: no PCA)");
  PixelIndex out;
  Impl& m = *out.m_impl;
  m.kind = config.kind;
  m.input_dim = store.dim();
  m.key = store.key();
  m.sampling = config.sampling.describe();
  m.nprobe = config.nprobe;
  m.ef_search = config.ef_search;
  progress.begin("index", 4);
  m.ids = sample_pixels(store, config.sampling, config.slices);
  const int64_t n = int64_t(m.ids.size());
  P2R_CHECK(n >= 2, "index build: only " << n << " pixels sampled; use a smaller stride or a larger budget");
  std::vector<float> rows = gather_rows(store, m.ids, true);  // [n, D] unit
  progress.update(1, "pixels " + std::to_string(n));
  if (progress.cancelled()) throw Cancelled();
  m.index_dim = store.dim();
  if (config.pca_dim > 0 && config.pca_dim < store.dim()) {
    m.has_pca = true;
    m.pca = fit_pca(rows.data(), n, store.dim(), config.pca_dim, 200000);
    m.index_dim = config.pca_dim;
  }
  rows = out.to_index_space(rows.data(), n);  // [n, index_dim] unit
  progress.update(2, "pca");
  if (progress.cancelled()) throw Cancelled();
  const int d = m.index_dim;
  if (config.kind == IndexKind::Flat) {
    m.index = std::make_unique<faiss::IndexFlatIP>(d);
  } else if (config.kind == IndexKind::IvfFlat) {
    int nlist = config.nlist > 0 ? config.nlist : int(4 * std::sqrt(double(n)));
    nlist = int(std::max<int64_t>(1, std::min<int64_t>(nlist, n / 39)));
    P2R_CHECK(n >= 39 * int64_t(nlist), "index build: IVF with " << nlist << " lists needs at least " << 39 * nlist
                                                                  << " pixels, got " << n);
    auto* quantizer = new faiss::IndexFlatIP(d);
    auto ivf = std::make_unique<faiss::IndexIVFFlat>(quantizer, d, size_t(nlist), faiss::METRIC_INNER_PRODUCT);
    ivf->own_fields = true;
    const int64_t ntrain = std::min<int64_t>(n, 256 * int64_t(nlist));
    std::vector<float> train(size_t(ntrain) * d);  // evenly strided rows: every slice contributes
    for (int64_t i = 0; i < ntrain; ++i) std::memcpy(&train[i * d], &rows[(i * n / ntrain) * d], sizeof(float) * d);
    ivf->train(ntrain, train.data());
    m.index = std::move(ivf);
  } else {
    auto h = std::make_unique<faiss::IndexHNSWFlat>(d, config.hnsw_m);
    h->hnsw.efConstruction = config.ef_construction;
    m.index = std::move(h);
  }
  m.index->add(n, rows.data());
  m.apply_search_params();
  progress.update(3, "added");
  if (progress.cancelled()) throw Cancelled();

  // Recall@k against exact inner product on the same vectors, with random store pixels as queries.
  RecallReport& r = m.recall;
  r.k = int(std::min<int64_t>(config.recall_k, n));
  const SamplingPolicy qp{SamplingMode::Budget, 1, int64_t(config.recall_queries), config.seed + 1};
  const std::vector<int64_t> qids = sample_pixels(store, qp, config.slices);
  r.queries = int(qids.size());
  const std::vector<float> raw_q = gather_rows(store, qids, true);
  const std::vector<float> q = out.to_index_space(raw_q.data(), r.queries);
  faiss::IndexFlatIP exact(d);
  exact.add(n, rows.data());
  std::vector<float> de(size_t(r.queries) * r.k), da(de.size());
  std::vector<idx_t> le(de.size()), la(de.size());
  auto t0 = std::chrono::steady_clock::now();
  exact.search(r.queries, q.data(), r.k, de.data(), le.data());
  r.exact_ms = ms_since(t0) / std::max(1, r.queries);
  t0 = std::chrono::steady_clock::now();
  m.index->search(r.queries, q.data(), r.k, da.data(), la.data());
  r.approx_ms = ms_since(t0) / std::max(1, r.queries);
  int64_t hits = 0;
  for (int i = 0; i < r.queries; ++i) {
    std::vector<idx_t> a(la.begin() + i * r.k, la.begin() + (i + 1) * r.k), e(le.begin() + i * r.k, le.begin() + (i + 1) * r.k);
    std::sort(a.begin(), a.end());
    std::sort(e.begin(), e.end());
    std::vector<idx_t> both;
    std::set_intersection(a.begin(), a.end(), e.begin(), e.end(), std::back_inserter(both));
    hits += int64_t(both.size());
  }
  r.recall = r.queries > 0 ? double(hits) / (double(r.queries) * r.k) : 1.0;
  progress.update(4, "recall@" + std::to_string(r.k) + " " + std::to_string(r.recall));
  progress.end();
  return out;
}

void PixelIndex::save(const std::string& path) const {
  const Impl& m = *m_impl;
  P2R_CHECK(m.index, path << ": cannot save an empty index");
  Json j;
  j["kind"] = index_kind_name(m.kind);
  j["input_dim"] = m.input_dim;
  j["index_dim"] = m.index_dim;
  j["checkpoint_hash"] = hash_hex(m.key.checkpoint_hash);
  j["data_hash"] = hash_hex(m.key.data_hash);
  j["slices"] = m.key.slices, j["height"] = m.key.height, j["width"] = m.key.width;
  j["sampling"] = m.sampling;
  j["nprobe"] = m.nprobe, j["ef_search"] = m.ef_search;
  j["recall"] = {{"k", m.recall.k}, {"queries", m.recall.queries}, {"recall", m.recall.recall},
                 {"exact_ms", m.recall.exact_ms}, {"approx_ms", m.recall.approx_ms}};
  if (m.has_pca) j["pca"] = {{"k", m.pca.k}, {"mean", m.pca.mean}, {"components", m.pca.components}, {"variance", m.pca.variance}};
  const std::string meta = j.dump();
  faiss::VectorIOWriter fw;
  faiss::write_index(m.index.get(), &fw);
  std::vector<uint8_t> buf(kMagic, kMagic + 8);
  auto put = [&](const void* p, size_t n) { buf.insert(buf.end(), (const uint8_t*)p, (const uint8_t*)p + n); };
  const uint64_t meta_len = meta.size(), n_ids = m.ids.size(), faiss_len = fw.data.size();
  put(&kVersion, 4);
  put(&meta_len, 8), put(meta.data(), meta.size());
  put(&n_ids, 8), put(m.ids.data(), n_ids * 8);
  put(&faiss_len, 8), put(fw.data.data(), faiss_len);
  const uint64_t sum = hash_bytes(buf.data(), buf.size());
  put(&sum, 8);
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(buf.data()), std::streamsize(buf.size()));
    P2R_CHECK(f, tmp << ": write failed (disk full?)");
  });
}

PixelIndex PixelIndex::load(const std::string& path, const EmbeddingStore* store) {
  std::ifstream f(path, std::ios::binary);
  P2R_CHECK(f, path << ": index file does not exist or cannot be read");
  std::vector<uint8_t> buf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  P2R_CHECK(buf.size() >= 8 + 4 + 8 * 4 && std::memcmp(buf.data(), kMagic, 8) == 0,
            path << ": not a pix2rep pixel index");
  uint64_t sum;
  std::memcpy(&sum, buf.data() + buf.size() - 8, 8);
  P2R_CHECK(sum == hash_bytes(buf.data(), buf.size() - 8), path << ": pixel index is truncated or damaged");
  size_t pos = 8;
  auto get = [&](void* p, size_t n) {
    P2R_CHECK(pos + n <= buf.size() - 8, path << ": pixel index is truncated");
    std::memcpy(p, buf.data() + pos, n);
    pos += n;
  };
  uint32_t version;
  get(&version, 4);
  P2R_CHECK(version == kVersion, path << ": pixel index format version " << version << ", expected " << kVersion);
  uint64_t meta_len, n_ids, faiss_len;
  get(&meta_len, 8);
  std::string meta(meta_len, '\0');
  get(meta.data(), meta_len);
  PixelIndex out;
  Impl& m = *out.m_impl;
  get(&n_ids, 8);
  m.ids.resize(n_ids);
  get(m.ids.data(), n_ids * 8);
  get(&faiss_len, 8);
  faiss::VectorIOReader fr;
  fr.data.assign(buf.begin() + pos, buf.begin() + pos + std::min<size_t>(faiss_len, buf.size() - 8 - pos));
  try {
    const Json j = Json::parse(meta);
    m.kind = parse_index_kind(j.at("kind").get<std::string>());
    m.input_dim = j.at("input_dim"), m.index_dim = j.at("index_dim");
    m.key.checkpoint_hash = std::stoull(j.at("checkpoint_hash").get<std::string>(), nullptr, 16);
    m.key.data_hash = std::stoull(j.at("data_hash").get<std::string>(), nullptr, 16);
    m.key.slices = j.at("slices"), m.key.height = j.at("height"), m.key.width = j.at("width");
    m.key.dim = m.input_dim;
    m.sampling = j.at("sampling");
    m.nprobe = j.at("nprobe"), m.ef_search = j.at("ef_search");
    const Json& r = j.at("recall");
    m.recall = {r.at("k"), r.at("queries"), r.at("recall"), r.at("exact_ms"), r.at("approx_ms")};
    if (j.contains("pca")) {
      m.has_pca = true;
      m.pca.dim = m.input_dim;
      m.pca.k = j["pca"].at("k");
      m.pca.mean = j["pca"].at("mean").get<std::vector<double>>();
      m.pca.components = j["pca"].at("components").get<std::vector<double>>();
      m.pca.variance = j["pca"].at("variance").get<std::vector<double>>();
    }
    m.index.reset(faiss::read_index(&fr));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    P2R_FAIL(path << ": pixel index is damaged (" << std::string(e.what()).substr(0, 200) << ")");
  }
  P2R_CHECK(m.index->d == m.index_dim && m.index->ntotal == int64_t(n_ids), path << ": pixel index is inconsistent");
  m.apply_search_params();
  if (store) {
    P2R_CHECK(store->dim() == m.input_dim,
              path << ": index was built on " << m.input_dim << "-dimensional embeddings but the current model gives "
                   << store->dim() << "-dimensional ones (another checkpoint?); rebuild it with pix2rep index build");
    P2R_CHECK(store->height() == m.key.height && store->width() == m.key.width && store->slice_count() == m.key.slices &&
                  store->key().data_hash == m.key.data_hash,
              path << ": index was built on other data (" << m.key.describe() << "); current data: "
                   << store->key().describe());
    P2R_CHECK(store->key().checkpoint_hash == m.key.checkpoint_hash,
              path << ": index was built with another checkpoint (" << hash_hex(m.key.checkpoint_hash)
                   << ", current " << hash_hex(store->key().checkpoint_hash) << "); rebuild it");
  }
  return out;
}

}  // namespace p2r
