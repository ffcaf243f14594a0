#include "app/studio/tool_script_commands.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/studio/script_runner.h"
#include "app/studio/script_values.h"
#include "app/studio/studio_session.h"
#include "core/common/error.h"
#include "core/model/model_config.h"

namespace p2r::studio {
namespace {

// key=value words -> map; throws for a word without '='.
std::map<std::string, std::string> settings(const std::vector<std::string>& words, size_t first = 0) {
  std::map<std::string, std::string> out;
  for (size_t i = first; i < words.size(); ++i) {
    const size_t eq = words[i].find('=');
    P2R_CHECK(eq != std::string::npos && eq > 0, "expected key=value, got '" << words[i] << "'");
    out[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  return out;
}

// words[first..] joined by spaces (the free text at the end of a command).
std::string words_from(const std::vector<std::string>& words, size_t first) {
  std::string text;
  for (size_t i = first; i < words.size(); ++i) text += (i > first ? " " : "") + words[i];
  return text;
}

// Applies a key of the model schema (model_config.h) shared by pretraining and supervised runs;
// returns false for other keys.
bool apply_model_key(ModelConfig& m, const std::string& k, const std::string& v) {
  int* field = model_config_field(m, k);
  if (field) *field = script_integer(v, k);
  return field != nullptr;
}

std::shared_ptr<const SliceSet> open_data(const StudioSession& session) {
  P2R_CHECK(session.browser.data(), "no data is open");
  return session.browser.shared_data();
}

void launch_pretraining(const ScriptCommand& c, StudioSession& s) {
  auto kv = settings(c.args);
  PretrainForm form = s.jobs.pretrain_form;
  if (kv.count("method")) {
    const auto& names = pretrain_method_names();
    const auto it = std::find(names.begin(), names.end(), kv["method"]);
    form.method = it == names.end() ? 0 : int(it - names.begin());  // an unknown name fails in parse_method below
  }
  if (kv.count("preset")) form.preset = kv["preset"];  // an unknown name fails in pretrain_preset
  s.jobs.pretrain_form = form;
  PretrainConfig config = s.jobs.pretrain_config_from_form();
  config.method = parse_method(kv.count("method") ? kv["method"] : method_name(config.method));
  int workers = form.workers;
  for (const auto& [k, v] : kv) {
    if (k == "method" || k == "preset" || apply_model_key(config.model, k, v)) continue;
    if (k == "epochs") config.epochs = script_integer(v, k);
    else if (k == "batch") config.batch = script_integer(v, k);
    else if (k == "lr") config.lr = script_number(v, k);
    else if (k == "max_slices") config.max_slices = script_integer(v, k);
    else if (k == "samples") config.samples = script_integer(v, k);
    else if (k == "seed") config.seed = uint64_t(script_integer(v, k));
    else if (k == "val_fraction") config.val_fraction = script_number(v, k);
    else if (k == "out") config.out_dir = v;
    else if (k == "workers") workers = script_integer(v, k);
    else P2R_FAIL("unknown pretrain setting '" << k << "'");
  }
  if (!s.jobs.launch_pretraining(config, workers, open_data(s), s.prepared_file)) P2R_FAIL(s.jobs.launch_error);
}

void launch_segmentation(const ScriptCommand& c, StudioSession& s) {
  auto kv = settings(c.args);
  SegmentForm& form = s.jobs.segment_form;
  form.mode = c.name == "probe" ? 0 : c.name == "finetune" ? 1 : 2;
  const auto data = open_data(s);
  SegmentConfig config = s.jobs.segment_config_from_form(*data);
  for (const auto& [k, v] : kv) {
    if (apply_model_key(config.model, k, v)) continue;
    if (k == "backbone") config.backbone_dir = v == "last" ? s.jobs.last_pretraining_dir() : v;
    else if (k == "subjects") config.subjects = split_list(v);
    else if (k == "epochs") config.epochs = script_integer(v, k);
    else if (k == "batch") config.batch = script_integer(v, k);
    else if (k == "patience") config.patience = script_integer(v, k);
    else if (k == "lr_head") config.lr_head = script_number(v, k);
    else if (k == "lr_backbone") config.lr_backbone = script_number(v, k);
    else if (k == "seed") config.seed = uint64_t(script_integer(v, k));
    else if (k == "augment") config.augment = script_integer(v, k) != 0;
    else if (k == "mean_teacher") config.mean_teacher = script_integer(v, k) != 0;
    else if (k == "out") config.out_dir = v;
    else P2R_FAIL("unknown " << c.name << " setting '" << k << "'");
  }
  if (!s.jobs.launch_segmentation(config, data)) P2R_FAIL(s.jobs.launch_error);
}

void expect_job(const ScriptCommand& c, const StudioSession& s) {
  const auto& jobs = s.jobs.runner.jobs();
  P2R_CHECK(!jobs.empty(), "no job was started");
  const Job& job = *jobs.back();
  const std::string state = job_state_name(job.state());
  P2R_CHECK(state == c.args.at(0), "the newest job (" << job.title() << ") is " << state << ", expected "
                                                      << c.args[0] << (job.error().empty() ? "" : ": " + job.error()));
  const std::string text = words_from(c.args, 1);
  const std::string shown = job.error() + " " + job.summary();
  P2R_CHECK(shown.find(text) != std::string::npos,
            "the newest job shows '" << shown << "', expected it to contain '" << text << "'");
}

void expect_result(const ScriptCommand& c, const StudioSession& s) {
  P2R_CHECK(s.results.has_results(), "no benchmark results are open" << (s.results.error.empty() ? "" : ": ")
                                                                     << s.results.error);
  const std::string& method = c.args[0];
  const int k = script_integer(c.args[1], "K");
  const double expected = script_number(c.args[2], "VALUE");
  for (const MethodCurve& curve : s.results.curves()) {
    if (curve.method != method) continue;
    for (size_t i = 0; i < curve.n_labelled.size(); ++i) {
      if (curve.n_labelled[i] != k) continue;
      const double shown = curve.values[i].mean;
      P2R_CHECK(std::abs(shown - expected) <= 5e-4, method << " at |Xtr|=" << k << " shows " << shown << " ("
                                                           << s.results.metric() << ", " << s.results.space()
                                                           << "), expected " << expected);
      return;
    }
    P2R_FAIL(method << " has no result at |Xtr|=" << k);
  }
  P2R_FAIL("no method '" << method << "' in the results");
}

// expect_file_contains PATH TEXT...: the file (e.g. a run's config.json) holds the words joined by spaces.
void expect_file_contains(const ScriptCommand& c) {
  P2R_CHECK(c.args.size() >= 2, "expected expect_file_contains PATH TEXT");
  const std::string text = words_from(c.args, 1);
  std::ifstream in(c.args[0]);
  P2R_CHECK(in, "cannot read " << c.args[0]);
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  P2R_CHECK(content.find(text) != std::string::npos, c.args[0] << " does not contain '" << text << "'");
}

}  // namespace

const std::map<std::string, int>& tool_command_arities() {
  static const std::map<std::string, int> table = {
      {"tools", 1},        {"pretrain", kAnyArguments},   {"resume", kAnyArguments},
      {"probe", kAnyArguments}, {"finetune", kAnyArguments}, {"supervised", kAnyArguments},
      {"wait_job", 0},     {"wait_job_step", 1},     {"cancel_job", 0},             {"expect_job", kAnyArguments},
      {"open_model", 1},   {"segment", kAnyArguments},                {"wait_model", 0},
      {"expect_model_error", -1}, {"expect_dice", 1}, {"model_clean", 1},     {"frame_stats", kAnyArguments},
      {"animate_pan", 1},  {"open_results", -1},     {"results_view", kAnyArguments},
      {"expect_results_error", -1}, {"expect_result", 3}, {"expect_file_contains", kAnyArguments}};
  return table;
}

bool run_tool_command(const ScriptCommand& c, StudioSession& s, std::function<bool(StudioSession&)>& wait_until) {
  const auto& a = c.args;
  if (!tool_command_arities().count(c.name)) return false;
  if (c.name == "tools") {
    P2R_CHECK(a[0] == "on" || a[0] == "off", "expected on or off, got '" << a[0] << "'");
    s.show_tools = a[0] == "on";
  } else if (c.name == "pretrain") {
    launch_pretraining(c, s);
  } else if (c.name == "resume") {
    P2R_CHECK(!a.empty(), "resume needs a run folder (or last)");
    auto kv = settings(a, 1);
    const int epochs = kv.count("epochs") ? script_integer(kv["epochs"], "epochs") : 0;
    std::string dir = a[0];
    if (dir == "last") {
      const auto& jobs = s.jobs.runner.jobs();
      for (auto it = jobs.rbegin(); it != jobs.rend() && dir == "last"; ++it)
        if ((*it)->kind() == "pretrain") dir = (*it)->out_dir();
      P2R_CHECK(dir != "last", "no pretraining run to resume");
    }
    if (!s.jobs.launch_resume(dir, epochs, open_data(s))) P2R_FAIL(s.jobs.launch_error);
  } else if (c.name == "probe" || c.name == "finetune" || c.name == "supervised") {
    launch_segmentation(c, s);
  } else if (c.name == "wait_job") {
    wait_until = [](StudioSession& session) { return !session.jobs.busy(); };
  } else if (c.name == "wait_job_step") {
    const int step = script_integer(a[0], "N");
    wait_until = [step](StudioSession& session) {
      const auto& jobs = session.jobs.runner.jobs();
      P2R_CHECK(!jobs.empty(), "no job was started");
      const Job& job = *jobs.back();
      P2R_CHECK(job.state() == JobState::Queued || job.state() == JobState::Running,
                "the newest job ended (" << job_state_name(job.state()) << ") before step " << step);
      return job.progress().snapshot().done >= step;
    };
  } else if (c.name == "cancel_job") {
    Job* job = s.jobs.runner.active();
    P2R_CHECK(job, "no job is running");
    job->cancel();
  } else if (c.name == "expect_job") {
    P2R_CHECK(!a.empty(), "expect_job needs a state (succeeded, failed, cancelled)");
    expect_job(c, s);
  } else if (c.name == "open_model") {
    const std::string dir = a[0] == "last" ? s.jobs.last_segmentation_dir() : a[0];
    P2R_CHECK(!dir.empty(), "no segmentation run was trained in this session");
    s.model.open(dir);
  } else if (c.name == "segment") {
    P2R_CHECK(s.browser.slice_index() >= 0, "no data is open");
    P2R_CHECK(a.empty() || (a.size() == 1 && a[0] == "subject"), "expected segment or segment subject");
    if (a.empty()) s.model.segment(s.browser.shared_data(), {s.browser.volume()});
    else s.model.segment(s.browser.shared_data(), s.browser.subjects()[s.browser.subject()].volumes);
    P2R_CHECK(s.model.error.empty(), s.model.error);
  } else if (c.name == "wait_model") {
    wait_until = [](StudioSession& session) { return !session.model.busy(); };
  } else if (c.name == "expect_model_error") {
    P2R_CHECK(s.model.error.find(a[0]) != std::string::npos,
              "expected a model error containing '" << a[0] << "', the Model panel shows '" << s.model.error << "'");
  } else if (c.name == "expect_dice") {
    const VolumePrediction* p = s.model.prediction(s.browser.volume());
    P2R_CHECK(p && p->shown_dice(s.model.clean()), "the shown volume has no prediction with Dice");
    const double mean = p->shown_dice(s.model.clean())->mean_foreground();
    P2R_CHECK(mean >= script_number(a[0], "MIN"), "mean foreground Dice " << mean << " < " << a[0]);
  } else if (c.name == "model_clean") {
    P2R_CHECK(a[0] == "on" || a[0] == "off", "model_clean takes on or off, got '" << a[0] << "'");
    const VolumePrediction* p = s.model.prediction(s.browser.volume());
    P2R_CHECK(a[0] == "off" || (p && !p->cleaned.empty()),
              "model_clean on: the shown volume has no prediction of the ACDC classes to clean");
    s.model.set_clean(a[0] == "on");
  } else if (c.name == "open_results") {
    if (s.results.open(a[0])) s.results.show_window = true;
  } else if (c.name == "results_view") {
    for (const auto& [k, v] : settings(a)) {
      if (k == "metric") s.results.set_metric(v);
      else if (k == "space") s.results.set_space(v);
      else P2R_FAIL("unknown results_view setting '" << k << "' (metric, space)");
    }
  } else if (c.name == "expect_results_error") {
    P2R_CHECK(!s.results.error.empty() && s.results.error.find(a[0]) != std::string::npos,
              "expected a results error containing '" << a[0] << "', got '" << s.results.error << "'");
  } else if (c.name == "expect_result") {
    expect_result(c, s);
  } else if (c.name == "expect_file_contains") {
    expect_file_contains(c);
  } else if (c.name == "frame_stats") {
    P2R_CHECK(!a.empty() && (a[0] == "start" || a[0] == "report"), "expected frame_stats start | report LABEL");
    if (a[0] == "start") {
      s.frame_stats.start();
    } else {
      const std::string label = words_from(a, 1);
      std::cerr << "frame_stats " << s.frame_stats.stop().describe(label.empty() ? "frames" : label) << "\n";
    }
  } else if (c.name == "animate_pan") {
    const int frames = script_integer(a[0], "N");
    auto left = std::make_shared<int>(std::max(frames, 0));
    wait_until = [left](StudioSession& session) {
      if (*left <= 0) return true;
      const int k = (*left)--;
      session.view.transform.pan.x += (k / 20) % 2 ? 1.f : -1.f;  // back and forth, 20 px each way
      return false;
    };
  }
  return true;
}

}  // namespace p2r::studio
