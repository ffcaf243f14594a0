#include <gtest/gtest.h>

#include <filesystem>

#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/data/slice_cache.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

class SliceCacheTest : public test::ScratchDir {
 protected:
  static const SliceSet& phantom() {
    static SliceSet set = [] {
      PrepareConfig c;
      c.size = 48;
      return make_phantom_slice_set(3, 11, c);
    }();
    return set;
  }
  void expect_error(const std::string& name, const std::string& needle) {
    try {
      load_slice_set(path(name));
      ADD_FAILURE() << "expected an error for " << name;
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(name), std::string::npos) << e.message();
      EXPECT_NE(e.message().find(needle), std::string::npos) << e.message();
    }
  }
};

TEST_F(SliceCacheTest, RoundTripKeepsEverything) {
  const SliceSet& set = phantom();
  save_slice_set(path("p.p2rs"), set);
  SliceSet r = load_slice_set(path("p.p2rs"));
  EXPECT_EQ(r.size, set.size);
  EXPECT_EQ(r.images, set.images);
  EXPECT_EQ(r.labels, set.labels);
  ASSERT_EQ(r.volumes.size(), set.volumes.size());
  for (size_t i = 0; i < r.volumes.size(); ++i) {
    EXPECT_EQ(r.volumes[i].subject, set.volumes[i].subject);
    EXPECT_EQ(r.volumes[i].phase, set.volumes[i].phase);
    EXPECT_EQ(r.volumes[i].geometry.size, set.volumes[i].geometry.size);
    EXPECT_DOUBLE_EQ(r.volumes[i].crop.x0, set.volumes[i].crop.x0);
  }
  for (int i = 0; i < r.slice_count(); ++i) EXPECT_EQ(r.slices[i].z, set.slices[i].z);
  EXPECT_EQ(r.config.size, 48);
}

TEST_F(SliceCacheTest, TruncatedCorruptAndForeignFilesAreRefused) {
  save_slice_set(path("p.p2rs"), phantom());
  std::string bytes = test::read_bytes(path("p.p2rs"));
  test::write_bytes(path("trunc.p2rs"), bytes.substr(0, bytes.size() - 1000));
  expect_error("trunc.p2rs", "truncated");
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x40;
  test::write_bytes(path("flip.p2rs"), flipped);
  expect_error("flip.p2rs", "checksum");
  std::string other_version = bytes;
  other_version[8] = 99;
  test::write_bytes(path("v99.p2rs"), other_version);
  expect_error("v99.p2rs", "version 99");
  test::write_bytes(path("text.p2rs"), "hello world, not a prepared file");
  expect_error("text.p2rs", "not a pix2rep prepared file");
  expect_error("missing.p2rs", "does not exist");
}

TEST_F(SliceCacheTest, FailedWriteLeavesTheOldFileIntact) {
  save_slice_set(path("p.p2rs"), phantom());
  std::string before = test::read_bytes(path("p.p2rs"));
  SliceSet broken = phantom();
  broken.images.pop_back();  // fails validation before anything is written
  EXPECT_THROW(save_slice_set(path("p.p2rs"), broken), Error);
  EXPECT_EQ(test::read_bytes(path("p.p2rs")), before);
  EXPECT_THROW(save_slice_set(path("missing_dir/p.p2rs"), phantom()), Error);
  for (const auto& e : std::filesystem::directory_iterator(m_dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "temporary file left behind";
}

}  // namespace
}  // namespace p2r
