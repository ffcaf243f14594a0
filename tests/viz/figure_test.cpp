// Figures for papers: PDF/SVG structure (images, embedded fonts, glyph text), PNG size from DPI,
// byte-identical re-rendering, bad input, benchmark tables, and the CLI sidecar round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/eval/benchmark_summary.h"
#include "viz/figure/dice_figure.h"
#include "viz/figure/embedding_figure.h"
#include "viz/figure/figure_export.h"
#include "viz/figure/segmentation_figure.h"
#include "viz/figure/similarity_figure.h"
#include "viz/png_read.h"

namespace fs = std::filesystem;
using namespace p2r;
using namespace p2r::viz;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("p2r_figure_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::vector<float> ramp(int w, int h, float phase) {
  std::vector<float> v(size_t(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) v[size_t(y) * w + x] = 0.5f + 0.5f * std::sin(0.3f * x + 0.2f * y + phase);
  return v;
}

SimilarityFigureData similarity_data(int targets) {
  SimilarityFigureData d;
  d.width = d.height = 24;
  d.query_title = "query";
  d.query_image = ramp(24, 24, 0);
  d.query_x = 5, d.query_y = 7;
  for (int t = 0; t < targets; ++t) {
    SimilarityPanel p;
    p.title = "target " + std::to_string(t);
    p.image = ramp(24, 24, float(t));
    p.similarity = ramp(24, 24, float(t) + 1);
    p.best_x = 3 + t, p.best_y = 4, p.best_score = 0.9f;
    d.targets.push_back(p);
  }
  return d;
}

}  // namespace

TEST(FigureExport, PngPixelSizeIsPhysicalSizeTimesDpi) {
  const fs::path dir = temp_dir("png");
  Figure f = make_similarity_figure(similarity_data(3));
  for (double dpi : {72.0, 150.0, 300.0}) {
    const std::string path = (dir / ("f" + std::to_string(int(dpi)) + ".png")).string();
    write_figure(f, path, dpi);
    const RgbaImage im = read_png(path);
    EXPECT_EQ(im.width, std::lround(kDoubleColumnMm / 25.4 * dpi));
    EXPECT_EQ(im.height, std::lround(f.height_mm / 25.4 * dpi));
  }
  fs::remove_all(dir);
}

TEST(FigureExport, PdfHasOneImagePerPanelEmbeddedFontsAndTitle) {
  const fs::path dir = temp_dir("pdf");
  const std::string path = (dir / "sim.pdf").string();
  write_figure(make_similarity_figure(similarity_data(3)), path);
  const std::string pdf = read_all(path);
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  EXPECT_EQ(count(pdf, "/Subtype /Image"), 4);  // query + 3 maps; the colour bar is a vector gradient
  EXPECT_GE(count(pdf, "/FontFile"), 1);        // font subsets embedded
  EXPECT_GE(count(pdf, "/ToUnicode"), 1);       // text stays searchable
  EXPECT_NE(pdf.find("Pix2Rep similarity: query"), std::string::npos);  // document title
  fs::remove_all(dir);
}

TEST(FigureExport, SvgHasImagesAndGlyphText) {
  const fs::path dir = temp_dir("svg");
  const std::string path = (dir / "sim.svg").string();
  write_figure(make_similarity_figure(similarity_data(2)), path);
  const std::string svg = read_all(path);
  ASSERT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(count(svg, "<image"), 3);
  EXPECT_GE(count(svg, "<symbol"), 10);  // Cairo 1.16 writes text as glyph symbols ...
  // ... used once per character: "target 0", "target 1", "query" and the captions.
  EXPECT_GE(count(svg, "xlink:href=\"#glyph"), int(std::string("target0target1query").size()));
  fs::remove_all(dir);
}

TEST(FigureExport, RenderingIsByteIdentical) {
  const fs::path dir = temp_dir("same");
  SegmentationFigureData d;
  d.size = 16, d.method_names = {"probe", "finetune"};
  for (int r = 0; r < 2; ++r) {
    SegmentationRow row;
    row.title = "slice " + std::to_string(r);
    row.image = ramp(16, 16, float(r));
    row.truth.assign(256, 0);
    for (int i = 40; i < 120; ++i) row.truth[i] = uint8_t(1 + i % 3);
    row.predictions = {row.truth, std::vector<uint8_t>(256, 2)};
    d.rows.push_back(row);
  }
  write_figure(make_segmentation_figure(d), (dir / "a.png").string(), 200);
  write_figure(make_segmentation_figure(d), (dir / "b.png").string(), 200);
  EXPECT_EQ(read_all(dir / "a.png"), read_all(dir / "b.png"));
  fs::remove_all(dir);
}

TEST(FigureExport, DiceAndEmbeddingFiguresRender) {
  DiceFigureData dice;
  dice.curves = {{"supervised", {1, 2, 5, 10}, {0.3, 0.5, 0.7, 0.8}, {0.1, 0.08, 0.05, 0.02}},
                 {"pix2rep-probe", {1, 2, 5, 10}, {0.6, 0.7, 0.78, 0.82}, {0.05, 0.04, 0.03, 0.02}}};
  const RgbaImage a = render_figure(make_dice_figure(dice), 100);
  EXPECT_EQ(a.width, std::lround(kSingleColumnMm / 25.4 * 100));
  EmbeddingFigureData e;
  for (int i = 0; i < 200; ++i) e.coords.push_back(std::cos(i * 0.1f) * i), e.coords.push_back(std::sin(i * 0.1f) * i), e.classes.push_back(i % 4);
  e.class_names = {"background", "RV", "MYO", "LV"};
  e.vignette = RgbaImage(32, 32, 200, 100, 50);
  e.coloured_images = {RgbaImage(16, 16, 10, 200, 30), RgbaImage(16, 16, 200, 10, 30)};
  e.image_titles = {"a", "b"};
  const RgbaImage b = render_figure(make_embedding_figure(e), 100);
  EXPECT_EQ(b.width, std::lround(kDoubleColumnMm / 25.4 * 100));
}

TEST(FigureExport, BadInputIsAClearErrorAndLeavesNoFile) {
  EXPECT_THROW(make_similarity_figure(similarity_data(0)), p2r::Error);  // nothing computed
  EXPECT_THROW(make_dice_figure({}), p2r::Error);
  EXPECT_THROW(make_segmentation_figure({}), p2r::Error);
  const fs::path dir = temp_dir("bad");
  const Figure f = make_similarity_figure(similarity_data(1));
  EXPECT_THROW(write_figure(f, (dir / "missing" / "f.pdf").string()), p2r::Error);
  EXPECT_THROW(write_figure(f, (dir / "f.jpg").string()), p2r::Error);
  EXPECT_THROW(write_figure(f, (dir / "f.png").string(), 0), p2r::Error);
  Figure broken = f;  // a step that throws half-way: no file, no temporary left
  broken.add([](cairo_t*) { throw p2r::Error("boom", __FILE__, __LINE__); });
  EXPECT_THROW(write_figure(broken, (dir / "f.pdf").string()), p2r::Error);
  EXPECT_THROW(write_figure(broken, (dir / "f.png").string()), p2r::Error);
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

namespace {

const char* kRunsCsv =
    "method,n_labelled,run,seed,train_subjects,subject,phase,space,dice_bg,dice_rv,dice_myo,dice_lv,mean_fg,seconds\n"
    "supervised,1,0,0,p1,p9,ED,prepared,0.9,0.2,0.3,0.4,0.3,1\n"
    "supervised,1,1,1,p2,p9,ED,prepared,0.9,0.4,0.5,0.6,0.5,1\n"
    "supervised,4,0,0,p1;p2;p3;p4,p9,ED,prepared,0.9,0.6,0.6,0.9,0.7,1\n"
    "pix2rep-probe,1,0,0,p1,p9,ED,prepared,0.9,0.6,0.6,0.6,0.6,1\n"
    "pix2rep-probe,1,1,1,p2,p9,ED,prepared,0.9,0.6,0.6,0.6,0.6,1\n"
    "pix2rep-probe,4,0,0,p1;p2;p3;p4,p9,ED,prepared,0.9,0.8,0.8,0.8,0.8,1\n"
    "pix2rep-probe,4,0,0,p1;p2;p3;p4,p9,ED,original,0.9,0.1,0.1,0.1,0.1,1\n";

}  // namespace

TEST(BenchmarkSummary, TablesOfAKnownResultSet) {
  const fs::path dir = temp_dir("table");
  std::ofstream(dir / "runs.csv") << kRunsCsv;
  const auto curves = summarise_benchmark(read_benchmark_runs((dir / "runs.csv").string()), "mean_fg");
  ASSERT_EQ(curves.size(), 2u);
  EXPECT_EQ(curves[0].method, "supervised");
  EXPECT_NEAR(curves[0].values[0].mean, 0.4, 1e-12);  // runs 0.3 and 0.5
  EXPECT_NEAR(curves[1].values[1].mean, 0.8, 1e-12);  // original-space row ignored
  const auto paper = summarise_benchmark(read_benchmark_runs((dir / "runs.csv").string()), "mean_all");
  EXPECT_NEAR(paper[0].values[0].mean, (0.9 + 0.2 + 0.3 + 0.4 + 0.9 + 0.4 + 0.5 + 0.6) / 8, 1e-12);  // with background
  EXPECT_NEAR(paper[1].values[1].mean, (0.9 + 3 * 0.8) / 4, 1e-12);
  const ResultTable t = benchmark_table(curves, "Mean Dice");
  const std::string md = table_to_markdown(t), tex = table_to_latex(t);
  EXPECT_NE(md.find("| Method | \\|Xtr\\|=1 | \\|Xtr\\|=4 |"), std::string::npos) << md;
  EXPECT_NE(md.find("**0.600"), std::string::npos) << md;  // best of |Xtr|=1 in bold
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_NE(tex.find("\\bottomrule"), std::string::npos);
  EXPECT_NE(tex.find("\\textbf{0.800"), std::string::npos) << tex;
  EXPECT_EQ(count(tex, "\\begin{tabular}"), count(tex, "\\end{tabular}"));
  std::ofstream(dir / "empty.csv") << "method,n_labelled\n";
  EXPECT_THROW(read_benchmark_runs((dir / "empty.csv").string()), p2r::Error);
  EXPECT_THROW(read_benchmark_runs((dir / "none.csv").string()), p2r::Error);
  fs::remove_all(dir);
}

#ifdef PIX2REP_BIN_DIR
// The CLI: a figure and its sidecar, then --from regenerates the same PNG byte for byte; a sidecar
// whose inputs are gone is refused with a message and writes nothing.
TEST(FigureCli, SidecarRegeneratesTheSamePng) {
  const std::string bin = std::string(PIX2REP_BIN_DIR) + "/pix2rep";
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  const fs::path dir = temp_dir("cli");
  std::ofstream(dir / "runs.csv") << kRunsCsv;
  const std::string d = dir.string();
  ASSERT_EQ(std::system((bin + " figure dice --runs " + d + "/runs.csv --out " + d + "/dice.png --also pdf,svg --dpi 150 > /dev/null").c_str()), 0);
  ASSERT_TRUE(fs::exists(dir / "dice.png.json"));
  EXPECT_TRUE(fs::exists(dir / "dice.pdf"));
  ASSERT_EQ(std::system((bin + " figure --from " + d + "/dice.png.json --out " + d + "/again.png > /dev/null").c_str()), 0);
  EXPECT_EQ(read_all(dir / "dice.png"), read_all(dir / "again.png"));
  EXPECT_NE(read_all(dir / "dice.png.json").find("\"command\": \"pix2rep figure dice --also pdf,svg --column single --dpi 150"), std::string::npos);
  ASSERT_EQ(std::system((bin + " figure table --runs " + d + " --out " + d + "/table.md > /dev/null").c_str()), 0);
  EXPECT_TRUE(fs::exists(dir / "table.tex") && fs::exists(dir / "table.csv"));
  fs::remove(dir / "runs.csv");
  EXPECT_NE(std::system((bin + " figure --from " + d + "/dice.png.json --out " + d + "/third.png 2> " + d + "/err.txt").c_str()), 0);
  EXPECT_FALSE(fs::exists(dir / "third.png"));
  EXPECT_NE(read_all(dir / "err.txt").find("is missing"), std::string::npos) << read_all(dir / "err.txt");
  fs::remove_all(dir);
}
#endif
