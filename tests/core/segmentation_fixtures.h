#pragma once
// What the few-shot segmentation and benchmark tests share: the phantom, a tiny Pix2Rep backbone
// pretrained on it once per test process, and one-cell benchmark settings.
#include <string>

#include "core/data/slice_set.h"
#include "core/eval/few_shot_benchmark.h"

namespace p2r::test {

/// A per-process scratch path for these tests (ctest runs each test as its own process).
std::string scratch(const std::string& name);

/// Six phantom subjects prepared in memory at 64 x 64 (two frames each; no files).
const SliceSet& phantom();

/// The run folder of a tiny Pix2Rep backbone pretrained briefly on phantom(), once per process.
const std::string& backbone();

/// A benchmark of one cell (|Xtr| = 1, one run) of method on backbone(), in OUT = scratch(name).
BenchmarkConfig one_cell_benchmark(const std::string& name, const std::string& method, int epochs);

#ifdef PIX2REP_HAS_ITK
/// Four phantom subjects written as an ACDC folder and prepared from it (centre crop, 64 x 64):
/// volumes with source files, which the two-stage refinement reads again.
const SliceSet& phantom_from_files();
#endif

}  // namespace p2r::test
