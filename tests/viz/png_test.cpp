#include "viz/png_read.h"
#include "viz/png_write.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/common/error.h"

using namespace p2r::viz;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
  fs::path dir = fs::temp_directory_path() / ("p2r_viz_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST(PngIo, RoundTripIsExact) {
  RgbaImage img(17, 5);
  for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = uint8_t((i * 37) % 256);
  for (size_t i = 3; i < img.pixels.size(); i += 4) img.pixels[i] = 255;
  const std::string path = (temp_dir() / "round_trip.png").string();
  write_png(path, img);
  const RgbaImage back = read_png(path);
  EXPECT_EQ(back.width, 17);
  EXPECT_EQ(back.height, 5);
  EXPECT_EQ(back.pixels, img.pixels);
}

TEST(PngIo, BadInputsThrowNamingThePath) {
  const fs::path dir = temp_dir();
  EXPECT_THROW(read_png((dir / "missing.png").string()), p2r::Error);
  const std::string text = (dir / "not_png.png").string();
  std::ofstream(text) << "this is not an image";
  try {
    read_png(text);
    FAIL() << "expected p2r::Error";
  } catch (const p2r::Error& e) {
    EXPECT_NE(std::string(e.what()).find("not_png.png"), std::string::npos);
  }
  EXPECT_THROW(write_png((dir / "empty.png").string(), RgbaImage()), p2r::Error);
  EXPECT_THROW(write_png("/nonexistent_dir_p2r/x.png", RgbaImage(2, 2)), p2r::Error);
}
