// Dataset folders prepared once: reused from the user's cache on the next open, prepared again
// after a file of the folder or a preparation setting changed, and without a cache when it cannot
// be written.
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/common/progress.h"
#include "core/data/phantom_writer.h"
#include "core/data/prepared_folder_cache.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

class PreparedFolderCache : public test::ScratchDir {
 protected:
  void SetUp() override {
    ScratchDir::SetUp();
    m_cache = std::make_unique<test::ScopedEnv>("P2R_CACHE_DIR", path("cache").c_str());
    write_phantom_dataset(path("data"), 2, 7, null_progress());
    m_config.size = 32;
  }
  std::unique_ptr<test::ScopedEnv> m_cache;
  PrepareConfig m_config;
};

TEST_F(PreparedFolderCache, ReusedOnSecondOpenRebuiltAfterAChange) {
  const PreparedFolder first = prepare_folder_cached(path("data"), m_config, null_progress());
  EXPECT_FALSE(first.reused);
  EXPECT_EQ(fs::path(first.cache_path).parent_path(), fs::path(path("cache")) / "prepared");
  ASSERT_TRUE(fs::is_regular_file(first.cache_path));
  const PreparedFolder second = prepare_folder_cached(path("data"), m_config, null_progress());
  EXPECT_TRUE(second.reused);
  EXPECT_EQ(second.cache_path, first.cache_path);
  EXPECT_EQ(second.slices.slice_count(), first.slices.slice_count());
  EXPECT_EQ(second.slices.images, first.slices.images);
  // A rewritten image file (new modification time): prepared again under another key.
  const Dataset ds = scan_dataset(path("data"));
  fs::last_write_time(ds.subjects[0].frames[0].image_path, fs::file_time_type::clock::now() + std::chrono::seconds(5));
  const PreparedFolder third = prepare_folder_cached(path("data"), m_config, null_progress());
  EXPECT_FALSE(third.reused);
  EXPECT_NE(third.cache_path, first.cache_path);
  // Other settings: another entry.
  PrepareConfig other = m_config;
  other.fov_mm = 200;
  EXPECT_NE(prepared_folder_key(ds, other), prepared_folder_key(ds, m_config));
}

TEST_F(PreparedFolderCache, UnwritableCacheGivesTheSlicesAndOneMessage) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  fs::create_directories(path("cache"));
  fs::permissions(path("cache"), fs::perms::owner_read | fs::perms::owner_exec);
  std::vector<std::string> told;
  const auto notice = [&](const std::string& m) { told.push_back(m); };
  const PreparedFolder first = prepare_folder_cached(path("data"), m_config, null_progress(), notice);
  const PreparedFolder second = prepare_folder_cached(path("data"), m_config, null_progress(), notice);
  fs::permissions(path("cache"), fs::perms::owner_all);
  EXPECT_GT(first.slices.slice_count(), 0);
  EXPECT_EQ(first.cache_path, "");
  EXPECT_FALSE(second.reused);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], "cache folder " + path("cache") + " is not writable; working without a cache");
}

}  // namespace
}  // namespace p2r
