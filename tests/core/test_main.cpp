// The main of every GoogleTest program: "auto" precision means fp32 in every test (tests/README.md,
// rule 4). Set here rather than through ctest: gtest_discover_tests (CMake 3.25) splits a
// list-valued ENVIRONMENT property, so only its first variable reached the tests.
#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  setenv("P2R_AUTO_PRECISION", "fp32", 1);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
