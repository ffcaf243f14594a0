#include "app/studio/studio_session.h"

#include <algorithm>
#include <sstream>

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
      // Scribbles belong to the data: a new canvas, saved beside what was opened.
      scribbles.reset(result->data,
                      default_scribble_folder(!result->paths.empty() ? result->paths.front() : result->prepared_file));
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
  if (browser.generation() != m_uploaded_generation || native_view != m_uploaded_native) {
    m_uploaded_generation = browser.generation();
    m_uploaded_native = native_view;
    upload_slice();
  }
  model.update(browser, view.image);
  embeddings.update(browser.shared_data());
  snapshots.update(embeddings);
  view.query_mode = embeddings.ready();
  if (!view.on_pick)
    view.on_pick = [this](const HoveredPixel& p) {
      int u = 0, v = 0;
      if (grid.to_prepared(p.at, u, v)) query_at(u, v);  // outside the prepared crop: no pixel to query
    };
  query.update(embeddings, browser, view.image);
  view.marker = {query.active() && query.query().slice == browser.slice_index(),
                 grid.from_prepared(query.query().x, query.query().y)};
  tsne.update(embeddings, browser, view.image, query);
  equivariance.update(embeddings, browser, view.image);
  scribble_training.update(scribbles, scribble_backbone(), browser, view.image);
  update_scribbles();
  exporter.update();
  show_new_colour_layer_alone();
  place_prepared_layers();
}

std::string StudioSession::scribble_backbone() const {
  return embeddings.error.empty() && (embeddings.ready() || embeddings.busy()) ? embeddings.run_dir() : "";
}

void StudioSession::update_scribbles() {
  scribbles.autosave();
  const SliceSet* data = browser.data();
  const int i = browser.slice_index();
  view.paint_mode = scribble_mode && data && i >= 0;
  if (!view.on_paint)
    view.on_paint = [this](Vec2 at, bool stroke_end) {
      const int shown = browser.slice_index();
      if (stroke_end || shown < 0) {
        scribbles.end_stroke();
        return;
      }
      const SliceSet& d = *browser.data();
      const Vec2 p = grid.source_point(at, d.volume_of(shown));
      if (scribbles.stroking()) scribbles.extend_stroke(p);
      else scribbles.begin_stroke(d.slices[size_t(shown)].volume, d.slices[size_t(shown)].z, p);
      update_scribbles();  // the stroke shows in this frame (the view renders after picking)
    };
  if (!data || i < 0) return;
  const VolumeRecord& record = data->volume_of(i);
  // The brush outline: its radius in view units along x (source pixels -> view).
  Vec2 origin, extent;
  grid.source_placement(record, origin, extent);
  view.brush_radius = 0.5f * scribbles.brush_size * extent.x / float(record.geometry.size[0]);
  std::ostringstream key;
  key << scribbles.revision() << '|' << i << '|' << grid.native << '|' << browser.generation() << '|'
      << scribbles.colour_key();
  if (key.str() == m_scribble_key) {
    view.image.raise(kScribbleLayer);
    return;
  }
  m_scribble_key = key.str();
  const std::vector<uint8_t> rgba = scribbles.plane_rgba(data->slices[size_t(i)].volume, data->slices[size_t(i)].z);
  if (rgba.empty()) {
    if (view.image.find(kScribbleLayer)) view.image.remove(kScribbleLayer);
    return;
  }
  ImageLayer& layer =
      view.image.add_rgba_layer(kScribbleLayer, rgba.data(), record.geometry.size[0], record.geometry.size[1]);
  layer.origin = origin;
  layer.extent = extent;
  view.image.raise(kScribbleLayer);
}

void StudioSession::upload_slice() {
  const SliceSet* data = browser.data();
  const int i = browser.slice_index();
  if (!data || i < 0) return;
  const VolumeRecord& record = data->volume_of(i);
  const SourceSlice* src = native_view ? sources.slice(*data, i) : nullptr;
  native_problem = native_view && !src ? sources.problem() : "";
  grid = src ? ViewGrid::native_of(record, data->size) : ViewGrid::prepared(data->size);
  // Unlabelled slices carry all-zero labels, which the label layer draws as nothing; keeping the
  // layer keeps its style when moving between labelled and unlabelled subjects.
  ScalarLayer& image = src ? view.image.add_scalar_layer(kImageLayer, src->values.data(), src->width, src->height)
                           : view.image.add_scalar_layer(kImageLayer, data->image(i), data->size, data->size);
  const Vec2 extent = src ? Vec2{float(src->width), float(src->height) * grid.aspect} : Vec2{};
  image.origin = {};
  image.extent = extent;
  m_native_labels = src && !src->labels.empty();
  LabelLayer& labels = m_native_labels ? view.image.add_label_layer(kLabelLayer, src->labels.data(), src->width, src->height)
                                       : view.image.add_label_layer(kLabelLayer, data->label(i), data->size, data->size);
  labels.origin = {};
  labels.extent = m_native_labels ? extent : Vec2{};
  // Window/level belongs to the data and the view: it starts over with new data or another view.
  const std::string window_key = source + (src ? " native" : " prepared");
  if (window_key != m_window_key) {
    m_window_key = window_key;
    image.presets.clear();
    if (src) {  // scanner intensities: the range the prepared file maps to 0..1, and the slice's full range
      const auto [lo, hi] = std::minmax_element(src->values.begin(), src->values.end());
      image.presets = {{"1-99 %", record.intensity_low, record.intensity_high}, {"min-max", *lo, *hi}};
    }
    image.value_range = src ? std::max(record.intensity_high - record.intensity_low, 1e-6f) : 1.f;
    image.style.low = src ? record.intensity_low : viz::ScalarStyle().low;
    image.style.high = src ? record.intensity_high : viz::ScalarStyle().high;
  }
}

void StudioSession::place_prepared_layers() {
  for (const auto& layer : view.image.layers()) {
    if (layer->name() == kImageLayer || layer->name() == kScribbleLayer ||
        (m_native_labels && layer->name() == kLabelLayer))
      continue;
    layer->origin = grid.native ? grid.prepared_origin() : Vec2{};
    layer->extent = grid.native ? grid.prepared_extent() : Vec2{};
  }
}

void StudioSession::show_new_colour_layer_alone() {
  std::vector<ImageLayer*> fresh;
  for (const auto& layer : view.image.layers())
    if (m_seen_layers.insert(layer->name()).second && layer->name() != kImageLayer && layer->name() != kScribbleLayer &&
        layer->visible)
      fresh.push_back(layer.get());
  if (fresh.empty()) return;
  // The strokes stay visible over any colour layer.
  for (const auto& layer : view.image.layers())
    if (layer->name() != kImageLayer && layer->name() != kScribbleLayer &&
        std::find(fresh.begin(), fresh.end(), layer.get()) == fresh.end())
      layer->visible = false;
}

void StudioSession::query_at(int x, int y) {
  if (!embeddings.ready() || browser.slice_index() < 0) return;
  query.set_query(browser.slice_index(), x, y);
  query.update(embeddings, browser, view.image);
  view.marker = {true, grid.from_prepared(x, y)};
  tsne.update(embeddings, browser, view.image, query);
  exporter.update();
}

}  // namespace p2r::studio
