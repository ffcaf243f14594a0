// t-SNE points files (tsne_points.csv): a round trip keeps pixels and coordinates to the written
// precision; malformed files and points outside the embeddings are refused naming file and line.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/analysis/embedding_store.h"
#include "core/analysis/tsne_points.h"
#include "core/common/error.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("p2r_tsnepts_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::string write_text(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::string& path) {
  try {
    read_tsne_points(path);
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

TEST(TsnePoints, RoundTripKeepsPixelsAndCoordinates) {
  TsnePoints points;
  points.pixels = {{0, 1, 2}, {3, 4, 5}, {7, 0, 127}};
  points.coords = {1.25f, -3.5f, 0.0f, 12.34567f, -40.5f, 2.0f};
  points.colours = {0.1f, 0.2f, 0.3f, 1.f, 0.f, 0.5f, 0.25f, 0.75f, 0.f};
  const std::string path = temp_path("rt.csv");
  write_tsne_points(path, points);
  const TsnePoints back = read_tsne_points(path);
  ASSERT_EQ(back.size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(back.pixels[size_t(i)].slice, points.pixels[size_t(i)].slice);
    EXPECT_EQ(back.pixels[size_t(i)].x, points.pixels[size_t(i)].x);
    EXPECT_EQ(back.pixels[size_t(i)].y, points.pixels[size_t(i)].y);
    EXPECT_NEAR(back.coords[size_t(2 * i)], points.coords[size_t(2 * i)], 1e-5);
    EXPECT_NEAR(back.coords[size_t(2 * i + 1)], points.coords[size_t(2 * i + 1)], 1e-5);
  }
  fs::remove(path);
}

TEST(TsnePoints, BadFilesAreRefusedNamingFileAndLine) {
  const std::string header = "slice,x,y,tsne_x,tsne_y,r,g,b\n";
  EXPECT_NE(error_of(temp_path("missing.csv")).find("cannot open"), std::string::npos);
  const std::string other = write_text("other.csv", "subject,dice\na,0.5\n");
  EXPECT_NE(error_of(other).find("not a t-SNE points file"), std::string::npos);
  const std::string empty = write_text("empty.csv", header);
  EXPECT_NE(error_of(empty).find("no points"), std::string::npos);
  const std::string short_row = write_text("short.csv", header + "0,1,2,0.5,0.5,0,0,0\n0,1,2,0.5\n");
  EXPECT_NE(error_of(short_row).find(short_row + ":3: expected 8 numbers"), std::string::npos);
  const std::string nan_row = write_text("nan.csv", header + "0,1,2,nan,0.5,0,0,0\n");
  EXPECT_NE(error_of(nan_row).find(":2: non-finite"), std::string::npos);
  const std::string negative = write_text("neg.csv", header + "0,-1,2,0.5,0.5,0,0,0\n");
  EXPECT_NE(error_of(negative).find(":2: negative"), std::string::npos);
  for (const auto& p : {other, empty, short_row, nan_row, negative}) fs::remove(p);
}

TEST(TsnePoints, PointsOutsideTheEmbeddingsAreRefused) {
  const std::vector<float> x(size_t(2) * 3 * 4 * 5, 1.f);
  const EmbeddingStore store = EmbeddingStore::from_floats(x.data(), 2, 3, 4, 5);  // 2 slices of 5 x 4
  TsnePoints points;
  points.pixels = {{1, 4, 3}};
  points.coords = {0.f, 0.f};
  EXPECT_NO_THROW(check_points_fit(points, store, "layout.csv"));
  points.pixels = {{2, 0, 0}};
  try {
    check_points_fit(points, store, "layout.csv");
    FAIL() << "a point on slice 2 of 2 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("layout.csv: point 1 (slice 2"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace p2r
