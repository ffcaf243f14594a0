// p2r-image-diff ACTUAL BASELINE [--max-mean X] [--max-frac Y] [--tolerance T] [--diff OUT.png]
// Exit 0 when ACTUAL matches BASELINE within the thresholds, 1 when it differs, 2 on bad input.
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/common/error.h"
#include "viz/image_diff.h"
#include "viz/png_read.h"
#include "viz/png_write.h"

int main(int argc, char** argv) {
  using namespace p2r::viz;
  if (argc < 3) {
    std::cerr << "usage: p2r-image-diff ACTUAL BASELINE [--max-mean X] [--max-frac Y] "
                 "[--tolerance T] [--diff OUT.png]\n";
    return 2;
  }
  DiffThreshold threshold;
  int tolerance = 8;
  std::string diff_path;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--max-mean") threshold.max_mean_abs_diff = std::atof(value.c_str());
    else if (key == "--max-frac") threshold.max_differing_fraction = std::atof(value.c_str());
    else if (key == "--tolerance") tolerance = std::atoi(value.c_str());
    else if (key == "--diff") diff_path = value;
    else {
      std::cerr << "p2r-image-diff: unknown option " << key << "\n";
      return 2;
    }
  }
  try {
    const RgbaImage actual = read_png(argv[1]);
    const RgbaImage baseline = read_png(argv[2]);
    const ImageDiff diff = compare_images(actual, baseline, tolerance);
    const bool ok = within(diff, threshold);
    std::cout << (ok ? "match: " : "DIFFERS: ") << describe(diff, actual, baseline) << "\n";
    if (!ok && diff.same_size && !diff_path.empty()) {
      write_png(diff_path, diff_image(actual, baseline, tolerance));
      std::cout << "diff image: " << diff_path << "\n";
    }
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "p2r-image-diff: " << e.what() << "\n";
    return 2;
  }
}
