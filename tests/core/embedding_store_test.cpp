// Embedding store: fp16 accuracy, cache round trip and invalidation (other checkpoint, other data,
// truncated file), extraction from a tiny pretraining run with progress and cancellation.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "core/analysis/embedding_cache.h"
#include "core/analysis/embedding_store.h"
#include "core/analysis/half_float.h"
#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/train/pretrainer.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

std::vector<float> random_floats(size_t n, uint64_t seed) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> g(0.f, 2.f);
  std::vector<float> v(n);
  for (auto& x : v) x = g(rng);
  return v;
}

std::string temp_path(const std::string& name) { return test::process_scratch_path("p2r_emb", name); }

TEST(HalfFloat, RoundTripIsExactForHalves) {
  for (uint32_t h = 0; h < 0x7c00; ++h) ASSERT_EQ(float_to_half(half_to_float(uint16_t(h))), h);
  EXPECT_EQ(half_to_float(float_to_half(1.0f)), 1.0f);
  EXPECT_NEAR(half_to_float(float_to_half(0.1f)), 0.1f, 0.1f * 1e-3f);
}

// Stated error: raw embeddings come back within 0.1% relative (fp16 unit vectors, fp32 norms).
TEST(EmbeddingStore, Fp16WithinStatedErrorOfFp32) {
  const int n = 3, d = 16, h = 8, w = 12;
  const auto x = random_floats(size_t(n) * d * h * w, 1);
  const EmbeddingStore store = EmbeddingStore::from_floats(x.data(), n, d, h, w);
  std::vector<float> back(size_t(d) * h * w);
  double worst = 0;
  for (int s = 0; s < n; ++s) {
    store.slice_floats(s, back.data());
    for (int p = 0; p < h * w; ++p) {
      double num = 0, den = 0;
      for (int c = 0; c < d; ++c) {
        const double a = x[(size_t(s) * d + c) * h * w + p], b = back[size_t(c) * h * w + p];
        num += (a - b) * (a - b), den += a * a;
      }
      worst = std::max(worst, std::sqrt(num / den));
    }
  }
  EXPECT_LT(worst, 1e-3);
}

TEST(EmbeddingStore, BadPixelAndSliceAreRefused) {
  const auto x = random_floats(2 * 4 * 8 * 8, 2);
  const EmbeddingStore store = EmbeddingStore::from_floats(x.data(), 2, 4, 8, 8);
  std::vector<float> v(4);
  EXPECT_THROW(store.pixel({0, 8, 0}, v.data()), Error);
  EXPECT_THROW(store.pixel({0, 0, -1}, v.data()), Error);
  EXPECT_THROW(store.pixel({2, 0, 0}, v.data()), Error);
  try {
    store.pixel({0, 9, 3}, v.data());
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("outside the 8 x 8 image"), std::string::npos) << e.message();
  }
}

TEST(EmbeddingStore, CacheRoundTripAndInvalidation) {
  const int n = 4, d = 8, h = 16, w = 16;
  const auto x = random_floats(size_t(n) * d * h * w, 3);
  EmbeddingKey key{0x1234, 0x5678, n, d, h, w};
  const std::string path = temp_path("roundtrip.p2re");
  fs::remove(path);
  EmbeddingStoreWriter writer(path, key);
  for (int s = 0; s < n; ++s) writer.add_slice(x.data() + size_t(s) * d * h * w);
  const EmbeddingStore written = writer.finish();
  EXPECT_EQ(written.path(), path);
  const EmbeddingStore mem = EmbeddingStore::from_floats(x.data(), n, d, h, w, key);
  const EmbeddingStore opened = EmbeddingStore::open(path, &key, /*verify_checksum=*/true);
  for (int s = 0; s < n; ++s)
    for (int i = 0; i < d * h * w; ++i) ASSERT_EQ(opened.unit_half(s)[i], mem.unit_half(s)[i]);
  // Another checkpoint / other data: refused with a message naming the cause.
  EmbeddingKey other = key;
  other.checkpoint_hash = 0x9999;
  try {
    EmbeddingStore::open(path, &other);
    ADD_FAILURE() << "stale cache served";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("another checkpoint"), std::string::npos) << e.message();
  }
  other = key;
  other.data_hash = 1;
  EXPECT_THROW(EmbeddingStore::open(path, &other), Error);
  // Truncated: refused.
  const std::string cut = temp_path("truncated.p2re");
  fs::copy_file(path, cut, fs::copy_options::overwrite_existing);
  fs::resize_file(cut, fs::file_size(cut) - 100);
  try {
    EmbeddingStore::open(cut, &key);
    ADD_FAILURE() << "truncated cache served";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("truncated"), std::string::npos) << e.message();
  }
  // Flipped payload byte: found by the checksum when verifying.
  const std::string flip = temp_path("flipped.p2re");
  fs::copy_file(path, flip, fs::copy_options::overwrite_existing);
  {
    FILE* f = std::fopen(flip.c_str(), "r+b");
    std::fseek(f, 5000, SEEK_SET);
    std::fputc(0x5a, f);
    std::fclose(f);
  }
  EXPECT_THROW(EmbeddingStore::open(flip, &key, true), Error);
  // Not a cache at all.
  EXPECT_THROW(EmbeddingStore::open(temp_path("missing.p2re")), Error);
}

const SliceSet& phantom32() {
  static SliceSet set = [] {
    PrepareConfig pc;
    pc.size = 32;
    return make_phantom_slice_set(1, 7, pc);
  }();
  return set;
}

// A tiny pretraining run on the phantom, shared by the extraction tests.
const std::string& tiny_run(const std::string& name, uint64_t seed) {
  static std::map<std::string, std::string> runs;
  auto it = runs.find(name);
  if (it != runs.end()) return it->second;
  PretrainConfig c;
  c.model.base = 4, c.model.levels = 3, c.model.n_ft = 8, c.model.proj_dim = 8;
  c.batch = 4, c.samples = 64, c.epochs = 1, c.max_slices = 8, c.threads = 2, c.device = "cpu", c.seed = seed;
  c.val_fraction = 0;
  c.data_path = "<phantom>";
  c.out_dir = temp_path("run_" + name);
  fs::remove_all(c.out_dir);
  run_pretraining(c, phantom32(), null_progress());
  return runs[name] = c.out_dir;
}

struct CancelAfter : ProgressSink {
  void begin(const std::string&, int64_t) override {}
  void update(int64_t done, const std::string&) override { m_done = done; }
  void end() override {}
  bool cancelled() const override { return m_done > 0; }
  int64_t m_done = 0;
};

TEST(EmbeddingCache, ReusedWhenValidRebuiltWhenNot) {
  const std::string run_a = tiny_run("a", 1), run_b = tiny_run("b", 2);
  const SliceSet& data = phantom32();
  EmbedRequest req;
  req.run_dir = run_a;
  req.cache_path = temp_path("cache.p2re");
  req.extract.device = "cpu";
  req.extract.batch = 5;
  fs::remove(req.cache_path);
  const EmbedResult first = open_or_build_embeddings(req, data, null_progress());
  EXPECT_FALSE(first.reused);
  EXPECT_EQ(first.store.slice_count(), data.slice_count());
  EXPECT_EQ(first.store.dim(), 8);
  const EmbedResult second = open_or_build_embeddings(req, data, null_progress());
  EXPECT_TRUE(second.reused);
  // In-memory extraction equals the cached one.
  EmbedRequest mem = req;
  mem.cache_path = "";
  const EmbedResult in_memory = open_or_build_embeddings(mem, data, null_progress());
  const int64_t per = int64_t(in_memory.store.dim()) * in_memory.store.pixels_per_slice();
  for (int s = 0; s < data.slice_count(); s += 7)
    for (int64_t i = 0; i < per; ++i) ASSERT_EQ(in_memory.store.unit_half(s)[i], second.store.unit_half(s)[i]);
  // Other checkpoint: rebuilt, with the reason.
  EmbedRequest other = req;
  other.run_dir = run_b;
  const EmbedResult third = open_or_build_embeddings(other, data, null_progress());
  EXPECT_FALSE(third.reused);
  EXPECT_NE(third.rebuild_reason.find("another checkpoint"), std::string::npos) << third.rebuild_reason;
  EXPECT_NE(third.store.key().checkpoint_hash, first.store.key().checkpoint_hash);
  // Truncated: rebuilt.
  fs::resize_file(req.cache_path, fs::file_size(req.cache_path) / 2);
  const EmbedResult fourth = open_or_build_embeddings(other, data, null_progress());
  EXPECT_FALSE(fourth.reused);
  EXPECT_NE(fourth.rebuild_reason.find("truncated"), std::string::npos) << fourth.rebuild_reason;
  // Cancelled: the previous cache stays valid, no partial file is left behind.
  CancelAfter cancel;
  EmbedRequest again = req;
  again.rebuild = true;
  EXPECT_THROW(open_or_build_embeddings(again, data, cancel), Cancelled);
  EXPECT_TRUE(open_or_build_embeddings(other, data, null_progress()).reused);
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
    EXPECT_EQ(e.path().filename().string().find("p2r_emb_cache.p2re.partial"), std::string::npos);
}

// The CLI, the studio and figure exports all ask with shared_cache: one file per content key in the
// user's cache, found again by whichever asks next; a rebuild evicts the least recently used.
TEST(EmbeddingCache, SharedCacheOneEntryPerContentKey) {
  const std::string root = temp_path("user_cache");
  test::ScopedEnv dir("P2R_CACHE_DIR", root.c_str());
  const std::string run = tiny_run("a", 1);
  const SliceSet& data = phantom32();
  EmbedRequest cli;
  cli.run_dir = run;
  cli.shared_cache = true;
  cli.extract.device = "cpu";
  const EmbedResult built = open_or_build_embeddings(cli, data, null_progress());
  const std::string expected = cache_entry_path((fs::path(root) / "embeddings").string(), kEmbeddingEntries,
                                                embedding_entry_name(embedding_key(run, data)));
  EXPECT_FALSE(built.reused);
  EXPECT_EQ(built.store.path(), expected);
  EmbedRequest studio = cli;
  studio.extract.threads = 1;
  const EmbedResult reused = open_or_build_embeddings(studio, data, null_progress());
  EXPECT_TRUE(reused.reused);
  EXPECT_EQ(reused.store.path(), expected);
  // Other data: a second entry; a cap below both evicts the older one, never the one just built.
  PrepareConfig pc;
  pc.size = 32;
  const SliceSet other = make_phantom_slice_set(1, 8, pc);
  fs::last_write_time(expected, fs::file_time_type::clock::now() - std::chrono::hours(1));
  test::ScopedEnv cap("P2R_CACHE_MAX_GB", "0.000001");
  std::vector<std::string> told;
  studio.notify = [&](const std::string& m) { told.push_back(m); };
  const EmbedResult second = open_or_build_embeddings(studio, other, null_progress());
  EXPECT_TRUE(fs::exists(second.store.path()));
  EXPECT_FALSE(fs::exists(expected));
  ASSERT_EQ(told.size(), 1u);
  EXPECT_NE(told[0].find("removed 1 least recently used entry"), std::string::npos) << told[0];
}

TEST(EmbeddingCache, SizeOfABuildIsAnnouncedOverOneGigabyte) {
  EmbeddingKey acdc;  // all of ACDC's 1902 slices at 64 features
  acdc.slices = 1902, acdc.dim = 64, acdc.height = acdc.width = 128;
  EXPECT_GT(embedding_bytes(acdc), kAnnouncedEmbeddingBytes);
  EXPECT_NEAR(double(embedding_bytes(acdc)), 1902.0 * 128 * 128 * (64 * 2 + 4), 1.0);
  EmbeddingKey ten = acdc;  // 10 subjects
  ten.slices = 190;
  EXPECT_LT(embedding_bytes(ten), kAnnouncedEmbeddingBytes);
}

TEST(EmbeddingCache, NotARunFolderIsAClearError) {
  EmbedRequest req;
  req.run_dir = temp_path("no_such_run");
  EXPECT_THROW(open_or_build_embeddings(req, phantom32(), null_progress()), Error);
}

}  // namespace
}  // namespace p2r
