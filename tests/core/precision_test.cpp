// Which precision a run uses: auto by device and CPU features, explicit bf16 refused where the CPU
// would only emulate it. The CPU features are passed in, so every machine checks every case.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/common/error.h"
#include "core/common/precision.h"

namespace p2r {
namespace {

TEST(Precision, AutoFollowsDeviceAndCpuFeatures) {
  EXPECT_EQ(resolve_precision("auto", false, ""), "fp32");
  EXPECT_EQ(resolve_precision("auto", false, "amx_bf16 avx512_bf16"), "bf16");
  EXPECT_EQ(resolve_precision("auto", false, "avx512_bf16"), "bf16");
  EXPECT_EQ(resolve_precision("auto", true, ""), "bf16");
  EXPECT_EQ(resolve_precision("fp32", true, "amx_bf16"), "fp32");
  EXPECT_EQ(resolve_precision("bf16", false, "amx_bf16"), "bf16");
  EXPECT_EQ(resolve_precision("bf16", true, ""), "bf16");
  const std::string here = cpu_bf16_features();
  EXPECT_TRUE(here.empty() || here.find("bf16") != std::string::npos) << here;
}

TEST(Precision, Bf16WithoutMatrixUnitsAndUnknownNamesAreRefused) {
  try {
    resolve_precision("bf16", false, "");
    FAIL() << "bf16 accepted on a CPU without bfloat16 units";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("neither amx_bf16 nor avx512_bf16"), std::string::npos) << e.message();
  }
  try {
    resolve_precision("fp16", true, "");
    FAIL() << "fp16 accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("auto, fp32 or bf16"), std::string::npos) << e.message();
  }
}

// The test suite runs with P2R_AUTO_PRECISION=fp32 (set by every test program's main,
// core/test_main.cpp) so that trained numbers do not depend on whether the CPU has bfloat16 units.
TEST(Precision, TestsRunAutoAsFp32) {
  const char* value = std::getenv("P2R_AUTO_PRECISION");
  ASSERT_NE(value, nullptr) << "the test program's main did not set P2R_AUTO_PRECISION";
  EXPECT_STREQ(value, "fp32");
  EXPECT_EQ(resolve_precision("auto", false), "fp32") << "on this CPU too";
}

// The variable only changes what auto means.
TEST(Precision, AutoPrecisionVariableOverridesAuto) {
  const char* before = std::getenv("P2R_AUTO_PRECISION");
  const std::string saved = before ? before : "";
  setenv("P2R_AUTO_PRECISION", "fp32", 1);
  EXPECT_EQ(resolve_precision("auto", true), "fp32");
  EXPECT_EQ(resolve_precision("auto", false), "fp32");
  EXPECT_EQ(resolve_precision("bf16", true), "bf16") << "an explicit precision is kept";
  setenv("P2R_AUTO_PRECISION", "bf16", 1);
  EXPECT_EQ(resolve_precision("auto", true), "bf16");
  setenv("P2R_AUTO_PRECISION", "half", 1);
  try {
    resolve_precision("auto", false);
    ADD_FAILURE() << "P2R_AUTO_PRECISION=half accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("P2R_AUTO_PRECISION must be fp32 or bf16"), std::string::npos) << e.message();
  }
  if (saved.empty()) unsetenv("P2R_AUTO_PRECISION");
  else setenv("P2R_AUTO_PRECISION", saved.c_str(), 1);
}

}  // namespace
}  // namespace p2r
