// The user's cache: its root from the environment, entries named by key, least-recently-used
// eviction under a cap, an unwritable root.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/common/user_cache.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

using test::ScopedEnv;

class UserCache : public test::ScratchDir {
 protected:
  // A fake entry of bytes bytes, last used age_s seconds ago.
  std::string entry(const CacheKind& kind, const std::string& key, size_t bytes, int age_s) {
    const CacheFolder folder = open_cache_folder(kind, m_dir);
    const std::string path = cache_entry_path(folder.path, kind, key);
    test::write_bytes(path, std::string(bytes, 'x'));
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(age_s));
    return path;
  }
};

TEST_F(UserCache, RootFromEnvironment) {
  ScopedEnv home("HOME", "/home/someone");
  {
    ScopedEnv dir("P2R_CACHE_DIR", "/tmp/explicit");
    ScopedEnv xdg("XDG_CACHE_HOME", "/tmp/xdg");
    EXPECT_EQ(user_cache_root(), "/tmp/explicit");
  }
  ScopedEnv dir("P2R_CACHE_DIR", nullptr);
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/tmp/xdg");
    EXPECT_EQ(user_cache_root(), "/tmp/xdg/pix2rep");
  }
  ScopedEnv xdg("XDG_CACHE_HOME", "");
  EXPECT_EQ(user_cache_root(), "/home/someone/.cache/pix2rep");
}

TEST_F(UserCache, CapFromEnvironment) {
  {
    ScopedEnv cap("P2R_CACHE_MAX_GB", nullptr);
    EXPECT_EQ(user_cache_cap(), 20'000'000'000ull);
  }
  {
    ScopedEnv cap("P2R_CACHE_MAX_GB", "0.5");
    EXPECT_EQ(user_cache_cap(), 500'000'000ull);
  }
  for (const char* bad : {"lots", "-1", "0", "3GB"}) {
    ScopedEnv cap("P2R_CACHE_MAX_GB", bad);
    EXPECT_THROW(user_cache_cap(), Error) << bad;
  }
}

TEST_F(UserCache, EntriesNamedByKeyInTheirKindsFolder) {
  ScopedEnv dir("P2R_CACHE_DIR", m_dir.c_str());
  const UserCacheEntry e = user_cache_entry(kEmbeddingEntries, "00ff", {});
  EXPECT_EQ(e.root, m_dir);
  EXPECT_EQ(e.path, (fs::path(m_dir) / "embeddings" / "00ff.p2re").string());
  EXPECT_TRUE(fs::is_directory(fs::path(m_dir) / "embeddings"));
  EXPECT_EQ(user_cache_entry(kPreparedEntries, "00ff", {}).path, (fs::path(m_dir) / "prepared" / "00ff.p2rs").string());
}

TEST_F(UserCache, EvictsLeastRecentlyUsedFirst) {
  const std::string oldest = entry(kEmbeddingEntries, "a", 100, 400);
  const std::string old_prepared = entry(kPreparedEntries, "b", 100, 300);
  const std::string recent = entry(kEmbeddingEntries, "c", 100, 200);
  const std::string newest = entry(kPreparedEntries, "d", 100, 100);
  // Not entries: a write in progress (by this process) of each kind, a file of another kind.
  const std::string pid = std::to_string(::getpid());
  const std::string partial = (fs::path(m_dir) / "embeddings" / ("e.p2re.partial-" + pid)).string();
  test::write_bytes(partial, std::string(1000, 'x'));
  test::write_bytes(fs::path(m_dir) / "prepared" / (".f.tmp" + pid + "_0.p2rs"), std::string(1000, 'x'));
  test::write_bytes(fs::path(m_dir) / "embeddings" / "notes.txt", std::string(1000, 'x'));
  EXPECT_EQ(cache_size(m_dir), 400u);
  EXPECT_TRUE(evict_least_recently_used(m_dir, 400).empty());
  // Using an entry moves it to the back of the line.
  touch_cache_entry(oldest);
  const auto removed = evict_least_recently_used(m_dir, 250);
  EXPECT_EQ(removed, (std::vector<std::string>{old_prepared, recent}));
  EXPECT_TRUE(fs::exists(oldest));
  EXPECT_TRUE(fs::exists(newest));
  EXPECT_EQ(cache_size(m_dir), 200u);
  EXPECT_TRUE(fs::exists(partial));
}

TEST_F(UserCache, TemporariesOfWritersThatAreGoneAreRemoved) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const std::string dead = std::to_string(child), alive = std::to_string(::getpid());
  open_cache_folder(kEmbeddingEntries, m_dir);
  open_cache_folder(kPreparedEntries, m_dir);
  const fs::path emb = fs::path(m_dir) / "embeddings", prep = fs::path(m_dir) / "prepared";
  for (const fs::path& p : {emb / ("a.p2re.partial-" + dead), prep / (".b.tmp" + dead + "_3.p2rs"),
                            emb / ("c.p2re.partial-" + alive), prep / (".d.tmp" + alive + "_0.p2rs")})
    test::write_bytes(p, "x");
  EXPECT_EQ(cache_size(m_dir), 0u);
  EXPECT_FALSE(fs::exists(emb / ("a.p2re.partial-" + dead)));
  EXPECT_FALSE(fs::exists(prep / (".b.tmp" + dead + "_3.p2rs")));
  EXPECT_TRUE(fs::exists(emb / ("c.p2re.partial-" + alive)));
  EXPECT_TRUE(fs::exists(prep / (".d.tmp" + alive + "_0.p2rs")));
}

TEST_F(UserCache, KeptEntryIsNeverEvicted) {
  const std::string written = entry(kEmbeddingEntries, "a", 300, 500);
  const std::string other = entry(kEmbeddingEntries, "b", 100, 100);
  EXPECT_EQ(evict_least_recently_used(m_dir, 100, written), std::vector<std::string>{other});
  EXPECT_TRUE(fs::exists(written));
}

TEST_F(UserCache, TrimReportsEvictions) {
  ScopedEnv dir("P2R_CACHE_DIR", m_dir.c_str());
  ScopedEnv cap("P2R_CACHE_MAX_GB", "0.00000015");  // 150 bytes
  entry(kEmbeddingEntries, "old", 100, 100);
  const UserCacheEntry e = user_cache_entry(kEmbeddingEntries, "new", {});
  test::write_bytes(e.path, std::string(100, 'x'));
  std::string told;
  trim_user_cache(e, [&](const std::string& m) { told = m; });
  EXPECT_NE(told.find("removed 1 least recently used entry"), std::string::npos) << told;
  EXPECT_TRUE(fs::exists(e.path));
  EXPECT_EQ(cache_size(m_dir), 100u);
}

TEST_F(UserCache, UnwritableRootWorksWithoutACacheAndSaysSoOnce) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  const std::string root = path("read_only");
  fs::create_directories(root);
  fs::permissions(root, fs::perms::owner_read | fs::perms::owner_exec);
  const CacheFolder first = open_cache_folder(kPreparedEntries, root);
  const CacheFolder second = open_cache_folder(kPreparedEntries, root);
  fs::permissions(root, fs::perms::owner_all);
  EXPECT_EQ(first.path, "");
  EXPECT_EQ(first.warning, "cache folder " + root + " is not writable; working without a cache");
  EXPECT_EQ(second.path, "");
  EXPECT_EQ(second.warning, "");
}

TEST(ByteSizeText, DecimalUnits) {
  EXPECT_EQ(byte_size_text(4'123'000'000ull), "4.1 GB");
  EXPECT_EQ(byte_size_text(450'000'000ull), "450 MB");
}

}  // namespace
}  // namespace p2r
