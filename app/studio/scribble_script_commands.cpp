#include "app/studio/scribble_script_commands.h"

#include <algorithm>
#include <iostream>
#include <numeric>

#include "app/studio/frame_stats.h"
#include "app/studio/script_runner.h"
#include "app/studio/script_values.h"
#include "app/studio/studio_session.h"
#include "app/studio/tool_script_commands.h"
#include "core/common/error.h"
#include "core/data/scribble_set.h"
#include "core/io/scribble_file.h"

namespace p2r::studio {
namespace {

// Every scribble error the panel shows, joined.
std::string scribble_errors(const StudioSession& s) {
  std::string out;
  for (const std::string* e : {&s.scribbles.error, &s.scribbles.autosave_error, &s.scribble_training.error})
    if (!e->empty()) out += (out.empty() ? "" : "; ") + *e;
  return out;
}

// The index of the class named name; throws naming the classes when there is none.
int class_index(const ScribbleCanvas& canvas, const std::string& name) {
  const ClassList& classes = canvas.classes();
  for (size_t i = 0; i < classes.size(); ++i)
    if (classes[i].name == name) return int(i);
  P2R_FAIL("no class '" << name << "' (classes: " << class_names_text(classes) << ")");
}

// A colour channel 0..255 of a script.
uint8_t colour_channel(const std::string& text) {
  const int v = script_integer(text, "colour");
  P2R_CHECK(v >= 0 && v <= 255, "colour channels are 0 to 255, got " << text);
  return uint8_t(v);
}

void set_brush(const std::string& setting, ScribbleCanvas& canvas, ScribbleTrainConfig& training) {
  const auto eq = setting.find('=');
  P2R_CHECK(eq != std::string::npos, "expected on, off, undo, redo or key=value, got '" << setting << "'");
  const std::string key = setting.substr(0, eq), value = setting.substr(eq + 1);
  if (key == "class") {
    canvas.brush_class = class_index(canvas, value);
    canvas.eraser = false;
  } else if (key == "size") {
    const double size = script_number(value, key);
    P2R_CHECK(size >= 1 && size <= 30, "brush size must be 1 to 30 source pixels, got " << value);
    canvas.brush_size = float(size);
  } else if (key == "steps") {  // checked by the training (a failing task shows its message)
    training.steps = script_integer(value, key);
  } else if (key == "head") {
    training.head = parse_scribble_head(value);
  } else if (key == "eraser") {
    const int on = script_integer(value, key);
    P2R_CHECK(on == 0 || on == 1, "eraser must be 0 or 1, got " << value);
    canvas.eraser = on == 1;
  } else {
    P2R_FAIL("unknown setting '" << key << "' (class, size, eraser, steps, head)");
  }
}

}  // namespace

const std::map<std::string, int>& scribble_command_arities() {
  static const std::map<std::string, int> table = {
      {"scribble", kAnyArguments},     {"save_scribbles", -1},  {"load_scribbles", -1},  {"expect_scribble_voxels", 1},
      {"wait_scribble_prediction", 0}, {"save_classifier", -1}, {"open_classifier", -1}, {"apply_scribbles", -1},
      {"expect_scribble_error", -1},   {"scribble_latency", -1},  {"expect_scribble_accuracy", 1},
      {"scribble_add_class", 4},       {"scribble_rename_class", 2}, {"scribble_remove_class", 1},
      {"expect_scribble_classes", -1}, {"expect_scribble_prediction_class", 2}};
  return table;
}

bool run_scribble_command(const ScriptCommand& c, StudioSession& session,
                          std::function<bool(StudioSession&)>& wait_until) {
  const auto& a = c.args;
  ScribbleCanvas& canvas = session.scribbles;
  ScribbleTraining& training = session.scribble_training;
  const std::string data_path = !session.prepared_file.empty() ? session.prepared_file : session.source;
  if (c.name == "scribble") {
    P2R_CHECK(session.browser.data(), "no data is open");
    bool on = true;
    for (const std::string& word : a) {
      if (word == "on" || word == "off") on = word == "on";
      else if (word == "undo") P2R_CHECK(canvas.undo(), "nothing to undo");
      else if (word == "redo") P2R_CHECK(canvas.redo(), "nothing to redo");
      else set_brush(word, canvas, training.config);
    }
    session.scribble_mode = on;
    session.show_side_panels |= on;
    session.update();
  } else if (c.name == "save_scribbles" || c.name == "load_scribbles") {
    P2R_CHECK(session.browser.data(), "no data is open");
    canvas.folder = a[0];
    if (c.name == "save_scribbles") canvas.save();
    else canvas.load();
    std::cerr << "pix2rep-studio: " << (canvas.error.empty() ? canvas.status : canvas.error) << "\n";
    session.update();
  } else if (c.name == "expect_scribble_voxels") {
    const int64_t expected = script_integer(a[0]);
    const auto voxels = canvas.class_voxels();
    const int64_t total = std::accumulate(voxels.begin(), voxels.end(), int64_t(0));
    std::cerr << "pix2rep-studio: scribbled voxels " << class_counts_text(canvas.classes(), voxels) << "\n";
    P2R_CHECK(total == expected, "expected " << expected << " scribbled voxels, the canvas holds " << total);
  } else if (c.name == "wait_scribble_prediction") {
    wait_until = [](StudioSession& s) {
      s.update();
      P2R_CHECK(s.scribble_training.error.empty(), s.scribble_training.error);
      if (!s.scribble_training.current()) return false;
      P2R_CHECK(s.scribble_training.has_classifier(),
                "no scribble prediction (scribble on, strokes painted, a backbone open)");
      std::cerr << "pix2rep-studio: scribbles: " << s.scribble_training.status << "\n";
      return true;
    };
  } else if (c.name == "expect_scribble_accuracy") {
    // The share of the shown slice's stroked prepared pixels that the prediction gives their class.
    const double min = script_number(a[0]);
    wait_until = [min](StudioSession& s) {
      s.update();
      if (!s.scribble_training.current()) return false;
      const int shown = s.browser.slice_index();
      const ClassMaps* maps = s.scribble_training.slice_maps(shown);
      P2R_CHECK(maps, "no scribble prediction of the shown slice");
      ScribbleSet strokes;
      strokes.classes = s.scribbles.classes();
      for (const auto& [volume, scribbles] : s.scribbles.volumes())
        add_volume_scribbles(*s.browser.data(), volume, *scribbles, strokes);
      int64_t right = 0, total = 0;
      for (size_t j = 0; j < strokes.slices.size(); ++j) {
        if (strokes.slices[j] != shown) continue;
        const uint8_t* v = strokes.slice_values(j);
        for (size_t i = 0; i < maps->labels.size(); ++i)
          if (v[i] != kUnscribbled) ++total, right += maps->labels[i] == scribble_class(v[i]);
      }
      P2R_CHECK(total > 0, "the shown slice has no strokes");
      const double share = double(right) / double(total);
      std::cerr << "pix2rep-studio: scribble prediction agrees with " << right << " of " << total
                << " stroked pixels of the shown slice (" << share << ")\n";
      P2R_CHECK(share >= min, "the prediction gives " << share << " of the stroked pixels their class, expected >= " << min);
      return true;
    };
  } else if (c.name == "scribble_add_class" || c.name == "scribble_rename_class" ||
             c.name == "scribble_remove_class") {
    // As the panel does: a refusal is the panel's error (expect_scribble_error checks it).
    if (c.name == "scribble_add_class")
      canvas.error = canvas.add_class(a[0], {colour_channel(a[1]), colour_channel(a[2]), colour_channel(a[3])});
    else if (c.name == "scribble_rename_class")
      canvas.error = canvas.rename_class(class_index(canvas, a[0]), a[1]);
    else
      canvas.error = canvas.remove_class(class_index(canvas, a[0]));
    std::cerr << "pix2rep-studio: classes " << class_names_text(canvas.classes())
              << (canvas.error.empty() ? "" : " (" + canvas.error + ")") << "\n";
    session.update();
  } else if (c.name == "expect_scribble_classes") {
    const std::string names = class_names_text(canvas.classes());
    P2R_CHECK(names == a[0], "expected the classes " << a[0] << ", the canvas has " << names);
  } else if (c.name == "expect_scribble_prediction_class") {
    // The shown slice's prediction gives at least MIN pixels the class NAME.
    const int cls = class_index(canvas, a[0]);
    const int64_t min = script_integer(a[1]);
    wait_until = [cls, min, name = a[0]](StudioSession& s) {
      s.update();
      if (!s.scribble_training.current()) return false;
      const ClassMaps* maps = s.scribble_training.slice_maps(s.browser.slice_index());
      P2R_CHECK(maps, "no scribble prediction of the shown slice");
      const int64_t pixels = std::count(maps->labels.begin(), maps->labels.end(), uint8_t(cls));
      std::cerr << "pix2rep-studio: the shown slice's prediction gives " << pixels << " pixels the class " << name << "\n";
      P2R_CHECK(pixels >= min, "the prediction gives " << pixels << " pixels the class " << name << ", expected >= " << min);
      return true;
    };
  } else if (c.name == "save_classifier") {
    training.save_classifier(a[0], data_path);
    session.update();
  } else if (c.name == "open_classifier") {
    training.open_classifier(a[0]);
    session.update();
  } else if (c.name == "apply_scribbles") {
    training.apply_to_dataset(a[0], data_path);
    session.update();
  } else if (c.name == "expect_scribble_error") {
    const std::string text = a[0];
    wait_until = [text](StudioSession& s) {
      s.update();
      if (s.scribble_training.busy()) return false;
      const std::string errors = scribble_errors(s);
      P2R_CHECK(errors.find(text) != std::string::npos,
                "expected a scribble error containing '" << text << "', the panel shows '" << errors << "'");
      std::cerr << "pix2rep-studio: scribble error as expected: " << errors << "\n";
      s.scribbles.error.clear();
      s.scribble_training.error.clear();
      return true;
    };
  } else if (c.name == "scribble_latency") {
    const std::pair<const char*, const std::vector<double>*> series[] = {
        {" stroke -> slice shown", &training.slice_latencies_ms()},
        {" stroke -> volume shown", &training.volume_latencies_ms()},
        {" training task -> slice maps", &training.task_slice_ms()},
        {" training task -> volume maps", &training.task_volume_ms()}};
    for (const auto& [what, ms] : series)
      std::cerr << "scribble_latency " << summarise_frame_times(*ms).describe(a[0] + what) << "\n";
  } else {
    return false;
  }
  return true;
}

}  // namespace p2r::studio
