#pragma once
// The snapshots of the open backbone's pretraining run (RUN/snapshots/epoch-NNNN) and which one
// the studio embeds with: the epoch slider of the similarity column and script snapshot_epoch.
// Torch-free; main thread only.
#include <string>
#include <vector>

namespace p2r::studio {

class EmbeddingState;

class BackboneSnapshots {
 public:
  /// Once per frame: lists the snapshots again when the open backbone belongs to another run.
  void update(const EmbeddingState& embeddings);
  /// True when the open backbone's run has snapshots (the slider is shown then).
  bool available() const { return !m_choices.empty(); }
  /// The choices by epoch, the run itself last: "epoch 1", "epoch 2", "end".
  std::vector<std::string> labels() const;
  /// Index into labels() of the backbone chosen (or open).
  int selected() const { return m_selected; }
  /// Embeds the open data with choice index (the current maps stay until the new ones are ready).
  void select(int index, EmbeddingState& embeddings);
  /// Index of "end" or of an epoch number given as text; throws p2r::Error naming the valid ones.
  int index_of(const std::string& epoch) const;

 private:
  struct Choice {
    std::string label, dir;
  };
  std::string m_run;  // the run whose snapshots are listed
  std::vector<Choice> m_choices;
  int m_selected = 0;
};

}  // namespace p2r::studio
