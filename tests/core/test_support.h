#pragma once
// Shared test helpers: scratch folders and the location of the real ACDC data.
#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace p2r::test {

/// A fresh empty folder under the system temp dir, removed with the fixture.
class ScratchDir : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  /// Path of name inside the scratch folder.
  std::string path(const std::string& name) const;
  std::string m_dir;
};

/// A path "<temp>/<prefix>_<pid>_<name>" (removed first if it exists) that this process removes
/// when it exits: scratch shared by the tests of one test process (ctest runs each test as one).
std::string process_scratch_path(const std::string& prefix, const std::string& name);

/// Sets (value) or unsets (nullptr) an environment variable for its lifetime, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string m_name, m_old;
  bool m_had = false;
};

/// The message of the p2r::Error fn throws; "" when it throws none.
std::string error_of(const std::function<void()>& fn);

/// True when this process has no child process left, running or unreaped.
bool no_child_processes();

/// ../shared/data/acdc beside the source tree (or $PIX2REP_ACDC_DIR), or "" when absent.
std::string acdc_root();

/// Writes bytes to path (creating or truncating it).
void write_bytes(const std::string& path, const std::string& bytes);

/// Reads the whole file at path.
std::string read_bytes(const std::string& path);

}  // namespace p2r::test

/// Skips the current test with a message when the ACDC data is not present.
#define P2R_REQUIRE_ACDC()                                                                \
  do {                                                                                    \
    if (::p2r::test::acdc_root().empty())                                                 \
      GTEST_SKIP() << "ACDC data not found at ../shared/data/acdc (set PIX2REP_ACDC_DIR)"; \
  } while (0)
