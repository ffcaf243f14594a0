#pragma once
// The t-SNE view of the embeddings: pixels of the shown subject's volume sampled on a regular grid
// (x and y multiples of a stride chosen for ~target_points points), embedded in 2D by run_tsne on a worker thread (a Job,
// one OpenMP thread), plus PCA colours of every pixel of that volume. On the main thread: the
// "t-SNE colours" layer (each pixel takes the colour of the sampled pixel nearest in embedding
// space, as `pix2rep figure embedding`), the "PCA
// colours" layer, and the linked selection (points picked in the scatter -> "t-SNE selection"
// layer; the queried pixel -> its highlighted point). Torch-free; main thread only.
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/embedding_store.h"
#include "core/jobs/job.h"

namespace p2r::studio {

class DatasetBrowser;
class EmbeddingState;
class LayeredImage;
class SimilarityQuery;

inline constexpr const char* kTsneLayer = "t-SNE colours";
inline constexpr const char* kPcaLayer = "PCA colours";
inline constexpr const char* kTsneSelectionLayer = "t-SNE selection";

/// Seed and OpenMP threads of the view's t-SNE (one thread: a core stays for the window). The
/// result is deterministic for them, so `pix2rep figure embedding` with the same settings
/// reproduces the view.
inline constexpr uint64_t kTsneSeed = 0;
inline constexpr int kTsneThreads = 1;

struct TsneSettings {
  int target_points = 4000;  ///< the stride is the smallest giving at most this many points
  int iterations = 500;
  double perplexity = 30.0;
};

/// A finished t-SNE of sampled pixels (immutable once handed to the main thread).
struct TsneSample {
  int stride = 1;                              ///< sampled pixels: x and y multiples of stride (0: a layout's)
  std::string layout;                          ///< absolute path of the layout file shown; "" when computed
  double perplexity = 30.0;                    ///< settings the t-SNE ran with
  int iterations = 0;
  std::vector<int> slices;                     ///< sampled slices (data indices), in order
  std::vector<PixelRef> pixels;                ///< [n], slice by slice, row by row
  std::vector<uint8_t> labels;                 ///< [n] ground truth of each pixel (0 when none)
  std::vector<float> coords;                   ///< [n, 2] t-SNE
  std::vector<float> colours;                  ///< [n, 3] embedding_colours of coords
  float min_x = 0, max_x = 1, min_y = 0, max_y = 1;  ///< bounds of coords
  std::vector<std::vector<uint8_t>> pca;       ///< per sampled slice, [h * w * 3] PCA colours
  /// [slices.size() * h * w]: the point whose embedding is nearest each pixel's (nearest_samples)
  std::vector<int64_t> owner;
  int width = 0, height = 0;
  double kl = 0, seconds_tsne = 0, seconds_pca = 0, seconds_colours = 0;
  int size() const { return int(pixels.size()); }
  /// The point that colours pixel (x, y) of the slice at position slice_pos in slices.
  int point_of(int slice_pos, int x, int y) const {
    return int(owner[(size_t(slice_pos) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)]);
  }
};

class TsneView {
 public:
  TsneSettings settings;
  bool colour_by_label = true;  ///< scatter colours: ground truth, else the 2D reference map
  std::string error;

  TsneView();
  ~TsneView();  ///< cancels and joins a running computation

  /// Samples the shown volume and starts t-SNE on a worker. With `layout` (a tsne_points.csv of
  /// `pix2rep tsne` or save_layout) its pixels and coordinates are shown instead of a new t-SNE;
  /// the colour layers still come from the open embeddings. Throws p2r::Error without embeddings,
  /// or naming the layout file when it is unreadable or does not fit them.
  void start(const EmbeddingState& embeddings, const DatasetBrowser& browser, const std::string& layout = "");
  /// Writes the shown result as a layout file (atomically); throws p2r::Error without one.
  void save_layout(const std::string& path) const;
  /// Once per frame: takes a finished run, keeps the colour / selection layers on the shown slice.
  void update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image,
              const SimilarityQuery& query);
  bool busy() const { return m_task && !m_task->finished(); }
  bool ready() const { return m_result != nullptr; }
  bool active() const { return busy() || ready() || !error.empty(); }
  const Job* task() const { return busy() ? m_task.get() : nullptr; }
  const TsneSample* result() const { return m_result.get(); }
  /// "stride 6: 3721 points of 10 slices" of the sampling that would run now ("" without data).
  std::string plan(const EmbeddingState& embeddings, const DatasetBrowser& browser) const;

  /// Selects the points inside the rectangle (u0, v0)-(u1, v1) of the plot's unit square (u right,
  /// v down); an empty rectangle clears the selection.
  void select(float u0, float v0, float u1, float v1);
  const std::vector<char>& selected() const { return m_selected; }
  int selected_count() const { return m_selected_count; }
  /// The point of the queried pixel (when on a sampled slice), or -1.
  int highlighted() const { return m_highlight; }

 private:
  std::unique_ptr<Job> m_task;
  std::shared_ptr<TsneSample> m_pending;
  std::shared_ptr<const TsneSample> m_result;
  const void* m_data = nullptr;  // the data the result samples (identity only)
  std::vector<char> m_selected;
  int m_selected_count = 0, m_revision = 0, m_selection_revision = 0, m_highlight = -1;
  std::vector<int> m_layer_key;
};

}  // namespace p2r::studio
