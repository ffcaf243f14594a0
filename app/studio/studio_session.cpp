#include "app/studio/studio_session.h"

#include <algorithm>

#include "app/studio/path_kind.h"

namespace p2r::studio {

void StudioSession::open(const std::vector<std::string>& paths) {
  if (!loader.start(paths)) error = "still opening " + loader.source() + "; try again when it is done";
}

void StudioSession::open_any(const std::vector<std::string>& paths) {
  switch (kind_of_paths(paths)) {
    case PathKind::Backbone:
      embeddings.open(paths[0]);
      break;
    case PathKind::Model:
      show_tools = true;
      model.open(paths[0]);
      break;
    case PathKind::Results:
      show_tools = true;
      results.open(paths[0]);
      break;
    case PathKind::Data:
      open(paths);
      break;
  }
}

void StudioSession::update() {
  if (auto result = loader.poll()) {
    if (result->data) {
      browser.set_data(result->data);
      source = result->source;
      prepared_file = result->prepared_file;
      last_load_seconds = result->seconds;
      error.clear();
      view.transform.reset();
      // Window/level is the data's own: new data starts from the full range.
      if (auto* image = dynamic_cast<ScalarLayer*>(view.image.find(kImageLayer))) {
        image->style.low = viz::ScalarStyle().low;
        image->style.high = viz::ScalarStyle().high;
      }
      if (!settings_path.empty()) {
        settings.remember(result->paths);
        const std::string problem = save_studio_settings(settings_path, settings);
        if (!problem.empty() && !m_settings_problem_shown) error = problem;
        m_settings_problem_shown |= !problem.empty();
      }
    } else {
      error = result->error;
    }
  }
  jobs.runner.poll();
  if (browser.generation() != m_uploaded_generation) {
    m_uploaded_generation = browser.generation();
    const SliceSet* data = browser.data();
    const int i = browser.slice_index();
    if (data && i >= 0) {
      // Unlabelled slices carry all-zero labels, which the label layer draws as nothing; keeping the
      // layer keeps its style when moving between labelled and unlabelled subjects.
      view.image.add_scalar_layer(kImageLayer, data->image(i), data->size, data->size);
      view.image.add_label_layer(kLabelLayer, data->label(i), data->size, data->size);
    }
  }
  model.update(browser, view.image);
  embeddings.update(browser.shared_data());
  view.query_mode = embeddings.ready();
  if (!view.on_pick) view.on_pick = [this](const HoveredPixel& p) { query_at(p.x, p.y); };
  query.update(embeddings, browser, view.image);
  view.marker = {query.active() && query.query().slice == browser.slice_index(), query.query().x, query.query().y};
  tsne.update(embeddings, browser, view.image, query);
  exporter.update();
  show_new_colour_layer_alone();
}

void StudioSession::show_new_colour_layer_alone() {
  std::vector<ImageLayer*> fresh;
  for (const auto& layer : view.image.layers())
    if (m_seen_layers.insert(layer->name()).second && layer->name() != kImageLayer && layer->visible)
      fresh.push_back(layer.get());
  if (fresh.empty()) return;
  for (const auto& layer : view.image.layers())
    if (layer->name() != kImageLayer && std::find(fresh.begin(), fresh.end(), layer.get()) == fresh.end())
      layer->visible = false;
}

void StudioSession::query_at(int x, int y) {
  if (!embeddings.ready() || browser.slice_index() < 0) return;
  query.set_query(browser.slice_index(), x, y);
  query.update(embeddings, browser, view.image);
  view.marker = {true, x, y};
  tsne.update(embeddings, browser, view.image, query);
  exporter.update();
}

}  // namespace p2r::studio
