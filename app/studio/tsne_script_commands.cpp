#include "app/studio/tsne_script_commands.h"

#include <cmath>
#include <iostream>
#include <string>

#include "app/studio/script_runner.h"
#include "app/studio/script_values.h"
#include "app/studio/studio_session.h"
#include "app/studio/tool_script_commands.h"
#include "core/common/error.h"

namespace p2r::studio {

const std::map<std::string, int>& tsne_command_arities() {
  static const std::map<std::string, int> table = {
      {"tsne", kAnyArguments}, {"wait_tsne", 0}, {"tsne_colour", 1}, {"tsne_select", 4},
      {"tsne_save", 1}, {"expect_tsne_kl_below", 1}};
  return table;
}

bool run_tsne_command(const ScriptCommand& c, StudioSession& session, std::function<bool(StudioSession&)>& wait_until) {
  const auto& a = c.args;
  TsneView& tsne = session.tsne;
  if (c.name == "tsne") {
    std::string layout;
    for (const std::string& kv : a) {
      const auto eq = kv.find('=');
      P2R_CHECK(eq != std::string::npos, "expected key=value, got '" << kv << "'");
      const std::string key = kv.substr(0, eq);
      if (key == "layout") {
        layout = kv.substr(eq + 1);
        continue;
      }
      const double v = script_number(kv.substr(eq + 1));
      if (key == "points") {
        P2R_CHECK(v >= 100 && v <= 20000, "points must be 100 to 20000");
        tsne.settings.target_points = int(v);
      } else if (key == "iterations") {
        P2R_CHECK(v >= 10 && v <= 5000, "iterations must be 10 to 5000");
        tsne.settings.iterations = int(v);
      } else if (key == "perplexity") {
        P2R_CHECK(v > 1 && v <= 100, "perplexity must be in (1, 100]");
        tsne.settings.perplexity = v;
      } else {
        P2R_FAIL("unknown setting '" << key << "' (points, iterations, perplexity, layout)");
      }
    }
    tsne.start(session.embeddings, session.browser, layout);
    const std::string what = layout.empty() ? tsne.plan(session.embeddings, session.browser) : "layout " + layout;
    std::cerr << "pix2rep-studio: t-SNE " << what << "\n";
  } else if (c.name == "wait_tsne") {
    wait_until = [](StudioSession& s) {
      if (s.tsne.busy()) return false;
      s.update();  // take the result now
      P2R_CHECK(s.tsne.error.empty(), s.tsne.error);
      P2R_CHECK(s.tsne.ready(), "no t-SNE result (tsne first)");
      const TsneSample& r = *s.tsne.result();
      std::cerr << "pix2rep-studio: t-SNE of " << r.size() << " points in " << r.seconds_tsne << " s (PCA colours "
                << r.seconds_pca << " s), KL " << r.kl << "\n";
      return true;
    };
  } else if (c.name == "expect_tsne_kl_below") {
    // A computed t-SNE that fits its affinities: a structural check that holds on every CPU, where
    // the layout itself (chaotic in the last bits of the embeddings) does not.
    const double limit = script_number(a[0]);
    P2R_CHECK(tsne.ready() && tsne.result()->layout.empty(), "no computed t-SNE result (tsne, wait_tsne)");
    const double kl = tsne.result()->kl;
    P2R_CHECK(std::isfinite(kl) && kl > 0 && kl < limit, "t-SNE KL divergence " << kl << ", expected below " << limit);
  } else if (c.name == "tsne_save") {
    tsne.save_layout(a[0]);
    std::cerr << "pix2rep-studio: t-SNE layout saved to " << a[0] << "\n";
  } else if (c.name == "tsne_colour") {
    P2R_CHECK(a[0] == "label" || a[0] == "map", "expected label or map, got '" << a[0] << "'");
    tsne.colour_by_label = a[0] == "label";
  } else if (c.name == "tsne_select") {
    P2R_CHECK(tsne.ready(), "no t-SNE result (tsne, wait_tsne)");
    tsne.select(float(script_number(a[0])), float(script_number(a[1])), float(script_number(a[2])),
                float(script_number(a[3])));
    session.update();
    std::cerr << "pix2rep-studio: t-SNE selection of " << tsne.selected_count() << " points\n";
  } else {
    return false;
  }
  return true;
}

}  // namespace p2r::studio
