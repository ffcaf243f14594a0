#include "app/studio/backbone_snapshots.h"

#include <sstream>

#include "app/studio/embedding_state.h"
#include "core/common/error.h"
#include "core/model/run_folder.h"

namespace p2r::studio {

void BackboneSnapshots::update(const EmbeddingState& embeddings) {
  const std::string& dir = embeddings.run_dir();
  const std::string parent = snapshot_run(dir);
  const std::string run = parent.empty() ? dir : parent;
  if (run == m_run) return;
  m_run = run;
  m_choices.clear();
  m_selected = 0;
  if (run.empty()) return;
  const std::vector<std::string> snapshots = snapshot_paths(run);
  if (snapshots.empty()) return;
  for (const std::string& snapshot : snapshots)
    m_choices.push_back({"epoch " + std::to_string(snapshot_epoch(snapshot)), snapshot});
  m_choices.push_back({"end", run});
  for (size_t i = 0; i < m_choices.size(); ++i)
    if (m_choices[i].dir == dir) m_selected = int(i);
}

std::vector<std::string> BackboneSnapshots::labels() const {
  std::vector<std::string> out;
  for (const Choice& c : m_choices) out.push_back(c.label);
  return out;
}

void BackboneSnapshots::select(int index, EmbeddingState& embeddings) {
  P2R_CHECK(index >= 0 && index < int(m_choices.size()), "no snapshot choice " << index);
  m_selected = index;
  embeddings.open(m_choices[size_t(index)].dir);
}

int BackboneSnapshots::index_of(const std::string& epoch) const {
  P2R_CHECK(available(), "the backbone " << (m_run.empty() ? "(none open)" : m_run)
                                         << " has no snapshots (pretrain --snapshot-every N keeps them)");
  const std::string label = epoch == "end" ? epoch : "epoch " + epoch;
  int found = -1;
  std::ostringstream valid;
  for (size_t i = 0; i < m_choices.size(); ++i) {
    if (m_choices[i].label == label) found = int(i);
    valid << (i ? ", " : "") << (m_choices[i].label == "end" ? "end" : m_choices[i].label.substr(6));
  }
  P2R_CHECK(found >= 0, "no snapshot of epoch '" << epoch << "' in " << m_run << " (valid: " << valid.str() << ")");
  return found;
}

}  // namespace p2r::studio
