#include "tests/core/segmentation_fixtures.h"

#include "core/common/progress.h"
#include "core/data/phantom.h"
#include "core/train/pretrainer.h"
#include "tests/core/test_support.h"
#ifdef PIX2REP_HAS_ITK
#include "core/data/dataset_preparer.h"
#include "core/data/phantom_writer.h"
#endif

namespace p2r::test {

std::string scratch(const std::string& name) { return test::process_scratch_path("p2r_segment", name); }

const SliceSet& phantom() {
  static SliceSet set = [] {
    PrepareConfig pc;
    pc.size = 64;
    return make_phantom_slice_set(6, 21, pc);
  }();
  return set;
}

const std::string& backbone() {
  static std::string dir = [] {
    PretrainConfig c;
    c.model.base = 8;
    c.model.levels = 4;
    c.model.n_ft = 16;
    c.model.proj_dim = 16;
    c.batch = 8;
    c.samples = 256;
    c.epochs = 8;
    c.lr = 2e-3;
    c.seed = 5;
    c.threads = 2;
    c.device = "cpu";
    c.max_slices = 48;
    c.out_dir = scratch("backbone");
    run_pretraining(c, phantom(), null_progress());
    return c.out_dir;
  }();
  return dir;
}

BenchmarkConfig one_cell_benchmark(const std::string& name, const std::string& method, int epochs) {
  BenchmarkConfig c;
  c.out_dir = scratch(name);
  c.sizes = {1};
  c.runs = 1;
  c.methods = {method};
  c.pretrained["pix2rep"] = backbone();
  c.epochs = epochs;
  c.threads = 2;
  c.device = "cpu";
  return c;
}

#ifdef PIX2REP_HAS_ITK
const SliceSet& phantom_from_files() {
  static SliceSet set = [] {
    const std::string dir = scratch("phantom_files");
    write_phantom_dataset(dir, 4, 13, null_progress());
    PrepareConfig pc;
    pc.size = 64;
    return prepare_dataset(scan_dataset(dir), pc, null_progress());
  }();
  return set;
}
#endif

}  // namespace p2r::test
