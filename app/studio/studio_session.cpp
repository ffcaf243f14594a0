#include "app/studio/studio_session.h"

namespace p2r::studio {

void StudioSession::open(const std::string& path) {
  if (!loader.start(path)) error = "still opening " + loader.source() + "; try again when it is done";
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
