#include "app/studio/query_script_commands.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

#include "app/studio/comparison_slices.h"
#include "app/studio/script_runner.h"
#include "app/studio/script_values.h"
#include "app/studio/studio_session.h"
#include "app/studio/tool_script_commands.h"
#include "core/common/error.h"

namespace p2r::studio {

const std::map<std::string, int>& query_command_arities() {
  static const std::map<std::string, int> table = {
      {"open_backbone", -1}, {"wait_embeddings", 0}, {"expect_embeddings_error", -1},
      {"snapshot_epoch", 1}, {"expect_backbone", -1}, {"query", 2}, {"grid", 1},
      {"expect_query", 2}, {"equivariance", kAnyArguments}, {"wait_equivariance", 0}, {"grid_mode", 1},
      {"wait_grid", 0}, {"expect_grid_ranked", 0}, {"expect_grid_beats_position", 1},
      {"expect_grid_best_score_at_least", 1}};
  return table;
}

bool run_query_command(const ScriptCommand& c, StudioSession& session, std::function<bool(StudioSession&)>& wait_until) {
  const auto& a = c.args;
  if (c.name == "open_backbone") {
    std::string dir = a[0];
    if (dir == "last") {
      dir = session.jobs.last_pretraining_dir();
      P2R_CHECK(!dir.empty(), "no pretraining run finished in this session");
    }
    P2R_CHECK(session.browser.data(), "no data is open");
    session.embeddings.open(dir);
    session.update();  // starts the computation now
  } else if (c.name == "wait_embeddings" || c.name == "expect_embeddings_error") {
    const std::string text = c.name == "wait_embeddings" ? "" : a[0];
    wait_until = [text](StudioSession& s) {
      if (s.embeddings.busy()) return false;
      if (text.empty()) {
        P2R_CHECK(s.embeddings.error.empty(), "embeddings failed: " << s.embeddings.error);
        P2R_CHECK(s.embeddings.ready(), "no embeddings open");
        std::cerr << "pix2rep-studio: embeddings " << s.embeddings.description() << "\n";
      } else {
        P2R_CHECK(s.embeddings.error.find(text) != std::string::npos,
                  "expected an embeddings error containing '" << text << "', got '" << s.embeddings.error << "'");
      }
      return true;
    };
  } else if (c.name == "snapshot_epoch") {
    session.snapshots.select(session.snapshots.index_of(a[0]), session.embeddings);
    session.update();  // starts the computation now
  } else if (c.name == "expect_backbone") {
    const std::string text = a[0];
    wait_until = [text](StudioSession& s) {
      if (s.embeddings.busy() || (s.query.active() && !s.query.grid_current())) return false;
      P2R_CHECK(s.embeddings.error.empty(), "embeddings failed: " << s.embeddings.error);
      P2R_CHECK(s.embeddings.run_dir().find(text) != std::string::npos,
                "the shown backbone is " << s.embeddings.run_dir() << ", expected one containing '" << text << "'");
      std::cerr << "pix2rep-studio: backbone " << s.embeddings.run_dir() << ": " << s.embeddings.description() << "\n";
      return true;
    };
  } else if (c.name == "query") {
    P2R_CHECK(session.embeddings.ready(), "no embeddings open (open_backbone, wait_embeddings)");
    const int x = script_integer(a[0]), y = script_integer(a[1]);
    const EmbeddingStore& store = session.embeddings.store();
    P2R_CHECK(x >= 0 && y >= 0 && x < store.width() && y < store.height(),
              "pixel (" << x << ", " << y << ") is outside the " << store.width() << " x " << store.height() << " slice");
    session.query_at(x, y);
    std::cerr << "pix2rep-studio: query (" << x << ", " << y << ") map " << session.query.map_ms() << " ms\n";
    wait_until = [](StudioSession& s) {
      if (!s.query.grid_current()) return false;
      std::cerr << "pix2rep-studio: query grid of " << s.query.grid().size() << " slices " << s.query.grid_ms() << " ms\n";
      return true;
    };
  } else if (c.name == "expect_query") {
    // After a click: the query must sit on this image pixel (screen -> image through zoom and pan).
    const int x = script_integer(a[0]), y = script_integer(a[1]);
    wait_until = [x, y](StudioSession& s) {
      P2R_CHECK(s.query.active(), "no pixel was queried (expected (" << x << ", " << y << "))");
      if (!s.query.grid_current()) return false;
      P2R_CHECK(s.query.query().x == x && s.query.query().y == y,
                "the query is at (" << s.query.query().x << ", " << s.query.query().y << "), expected (" << x << ", "
                                    << y << ")");
      return true;
    };
  } else if (c.name == "equivariance") {
    P2R_CHECK(!a.empty() && (a[0] == "on" || a[0] == "off"),
              "expected on or off, then rotate=DEG scale=S shift_x=PX shift_y=PX flip=0|1");
    SpatialTransform phi = session.equivariance.phi;
    for (size_t i = 1; i < a.size(); ++i) {
      const auto eq = a[i].find('=');
      P2R_CHECK(eq != std::string::npos, "expected key=value, got '" << a[i] << "'");
      const std::string key = a[i].substr(0, eq);
      const double v = script_number(a[i].substr(eq + 1), key);
      if (key == "rotate") phi.rotation_deg = v;
      else if (key == "scale") phi.scale = v;
      else if (key == "shift_x") phi.shift_x = v;
      else if (key == "shift_y") phi.shift_y = v;
      else if (key == "flip") {
        P2R_CHECK(v == 0 || v == 1, "flip must be 0 or 1, got " << a[i].substr(eq + 1));
        phi.flip = v == 1;
      } else {
        P2R_FAIL("unknown setting '" << key << "' (rotate, scale, shift_x, shift_y, flip)");
      }
    }
    phi.validate();
    P2R_CHECK(a[0] == "off" || session.embeddings.ready(), "no backbone open (open_backbone, wait_embeddings)");
    session.equivariance.phi = phi;
    session.equivariance.set_enabled(a[0] == "on");
    session.update();
  } else if (c.name == "wait_equivariance") {
    wait_until = [](StudioSession& s) {
      s.update();
      if (!s.equivariance.current()) return false;
      P2R_CHECK(s.equivariance.error.empty(), s.equivariance.error);
      P2R_CHECK(s.equivariance.maps(), "no equivariance error shown (equivariance on, with a backbone open)");
      const EquivarianceMaps& m = *s.equivariance.maps();
      P2R_CHECK(std::isfinite(m.spatial_summary.mean) && std::isfinite(m.reversal_summary.mean),
                "equivariance error means are not finite: " << s.equivariance.summary());
      std::cerr << "pix2rep-studio: equivariance " << s.equivariance.phi.describe() << ": " << s.equivariance.summary()
                << "\n";
      return true;
    };
  } else if (c.name == "grid_mode") {
    P2R_CHECK(a[0] == "position" || a[0] == "dataset", "expected position or dataset, got '" << a[0] << "'");
    P2R_CHECK(a[0] == "position" || DatasetSearch::available(),
              "this build cannot search the dataset (the core was built without FAISS)");
    session.query.grid_mode = a[0] == "dataset" ? GridMode::Dataset : GridMode::Position;
    session.update();  // starts indexing now
  } else if (c.name == "wait_grid") {
    wait_until = [](StudioSession& s) {
      const SimilarityQuery& q = s.query;
      P2R_CHECK(q.dataset().error.empty(), q.dataset().error);
      if (q.dataset().building() || (q.grid_mode == GridMode::Dataset && !q.dataset().ready()) || !q.grid_current())
        return false;
      std::cerr << "pix2rep-studio: grid of " << q.grid().size() << " slices ("
                << (q.grid_from_dataset() ? "dataset" : "position") << "), " << q.grid_ms() << " ms";
      if (q.grid_from_dataset()) std::cerr << ", dataset search " << q.search_ms() << " ms";
      if (q.dataset().ready()) std::cerr << "; index " << q.dataset().description();
      std::cerr << "\n";
      return true;
    };
  } else if (c.name == "expect_grid_ranked") {
    const SimilarityQuery& q = session.query;
    P2R_CHECK(q.active() && q.grid_current(), "no current grid (query X Y, wait_grid)");
    P2R_CHECK(q.grid_from_dataset(), "the grid is not the dataset search's (grid_mode dataset, wait_grid)");
    const SliceSet& data = *session.browser.data();
    const std::string& subject = data.volume_of(q.query().slice).subject;
    int others = 0;
    for (int s = 0; s < data.slice_count(); ++s) others += data.volume_of(s).subject != subject;
    P2R_CHECK(int(q.grid().size()) == std::min(q.grid_size, others),
              "the grid has " << q.grid().size() << " cells, expected " << std::min(q.grid_size, others));
    for (size_t i = 0; i < q.grid().size(); ++i) {
      const GridCell& cell = q.grid()[i];
      P2R_CHECK(data.volume_of(cell.slice).subject != subject,
                "grid cell " << i << " (slice " << cell.slice << ") is of the query's subject " << subject);
      P2R_CHECK(i == 0 || cell.best.score <= q.grid()[i - 1].best.score,
                "grid cell " << i << " scores " << cell.best.score << ", above cell " << i - 1 << "'s "
                             << q.grid()[i - 1].best.score);
    }
  } else if (c.name == "expect_grid_beats_position") {
    const double tolerance = script_number(a[0], "tolerance");
    const SimilarityQuery& q = session.query;
    P2R_CHECK(q.active() && q.grid_current() && !q.grid().empty(), "no current grid (query X Y, wait_grid)");
    const SliceSet& data = *session.browser.data();
    const std::string& subject = data.volume_of(q.query().slice).subject;
    std::vector<int> slices;
    for (int s : comparison_slices(data, q.query().slice, q.grid_size))
      if (data.volume_of(s).subject != subject) slices.push_back(s);
    const EmbeddingStore& store = session.embeddings.store();
    const std::vector<float> vector = query_vector(store, q.query());
    float position_best = -1;
    for (const PixelMatch& m : best_match_per_slice(store, vector.data(), slices))
      position_best = std::max(position_best, m.score);
    const float first = q.grid().front().best.score;
    std::cerr << "pix2rep-studio: grid's first score " << first << ", position mode's best " << position_best << "\n";
    P2R_CHECK(first >= position_best - tolerance,
              "the grid's first score " << first << " is below the position mode's best " << position_best);
  } else if (c.name == "expect_grid_best_score_at_least") {
    const double floor = script_number(a[0], "score");
    const SimilarityQuery& q = session.query;
    P2R_CHECK(q.active() && q.grid_current() && !q.grid().empty(), "no current grid (query X Y, wait_grid)");
    P2R_CHECK(q.grid().front().best.score >= floor,
              "the grid's first score is " << q.grid().front().best.score << ", expected at least " << floor);
  } else if (c.name == "grid") {
    const int n = script_integer(a[0]);
    P2R_CHECK(n >= 0 && n <= 16, "grid takes 0 to 16 slices, got " << n);
    session.query.grid_size = n;
  } else {
    return false;
  }
  return true;
}

}  // namespace p2r::studio
