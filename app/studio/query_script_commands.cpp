#include "app/studio/query_script_commands.h"

#include <cmath>
#include <iostream>
#include <string>

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
      {"expect_query", 2}, {"equivariance", kAnyArguments}, {"wait_equivariance", 0}};
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
