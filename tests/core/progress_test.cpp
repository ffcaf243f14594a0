#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/common/progress.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

// Runs body with stderr sent to a file (not a terminal) and returns what it wrote.
template <class Body>
std::string captured_stderr(const std::string& file, Body body) {
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  FILE* f = std::fopen(file.c_str(), "w");
  dup2(fileno(f), STDERR_FILENO);
  body();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::fclose(f);
  return test::read_bytes(file);
}

int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

void run_stage(TerminalProgress& p) {
  p.begin("train", 4);
  for (int i = 1; i <= 4; ++i) p.update(i, "loss " + std::to_string(i));
  p.end();
}

class ProgressTest : public test::ScratchDir {};

TEST_F(ProgressTest, LogsGetPeriodicLinesWithoutTerminalEscapes) {
  std::string out = captured_stderr(path("log.txt"), [] {
    TerminalProgress p(true, std::chrono::milliseconds(0));
    run_stage(p);
  });
  // Steps 1-3 each pass the (zero) interval; step 4 completes the stage, whose final line follows.
  EXPECT_EQ(count_lines(out), 4) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\033'), std::string::npos);
  EXPECT_NE(out.find("train [######################........] 3/4"), std::string::npos) << out;
  EXPECT_NE(out.find("4/4"), std::string::npos);
}

TEST_F(ProgressTest, DefaultIntervalKeepsShortStagesToTheirFinalLine) {
  std::string out = captured_stderr(path("log.txt"), [] {
    TerminalProgress p;
    run_stage(p);
  });
  EXPECT_EQ(count_lines(out), 1) << out;
  EXPECT_NE(out.find("loss 4"), std::string::npos);
}

TEST_F(ProgressTest, QuietPrintsOnlyFinalLines) {
  TerminalProgress::set_quiet(true);
  std::string out = captured_stderr(path("log.txt"), [] {
    TerminalProgress p(true, std::chrono::milliseconds(0));
    run_stage(p);
    run_stage(p);
  });
  TerminalProgress::set_quiet(false);
  EXPECT_EQ(count_lines(out), 2) << out;
  std::string disabled = captured_stderr(path("log2.txt"), [] {
    TerminalProgress p(false, std::chrono::milliseconds(0));
    run_stage(p);
  });
  EXPECT_EQ(count_lines(disabled), 1) << disabled;
}

}  // namespace
}  // namespace p2r
