#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

class AtomicFileTest : public test::ScratchDir {};

TEST_F(AtomicFileTest, InterruptedWriteLeavesOldFileAndNoTemporary) {
  test::write_bytes(path("out.bin"), "old contents");
  EXPECT_THROW(write_file_atomically(path("out.bin"),
                                     [](const std::string& tmp) {
                                       std::ofstream(tmp) << "half of the new";
                                       throw std::runtime_error("interrupted");
                                     }),
               std::runtime_error);
  EXPECT_EQ(test::read_bytes(path("out.bin")), "old contents");
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(m_dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFileTest, TemporaryKeepsTheExtensionAndReplacesAtomically) {
  std::string seen;
  write_file_atomically(path("a.nii.gz"), [&](const std::string& tmp) {
    seen = tmp;
    std::ofstream(tmp) << "new";
  });
  EXPECT_EQ(seen.substr(seen.size() - 7), ".nii.gz");
  EXPECT_EQ(test::read_bytes(path("a.nii.gz")), "new");
  EXPECT_FALSE(std::filesystem::exists(seen));
}

TEST_F(AtomicFileTest, MissingFolderNamesThePath) {
  try {
    write_file_atomically(path("nope/x.bin"), [](const std::string&) {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("nope/x.bin"), std::string::npos);
  }
}

}  // namespace
}  // namespace p2r
