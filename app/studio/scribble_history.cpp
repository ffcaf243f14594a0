#include "app/studio/scribble_history.h"

#include <utility>

namespace p2r::studio {

void ScribbleHistory::push(ScribbleEdit edit) {
  if (edit.changes.empty()) return;
  m_edits.resize(m_done);
  m_edits.push_back(std::move(edit));
  m_done = m_edits.size();
}

const ScribbleEdit* ScribbleHistory::undo() {
  return can_undo() ? &m_edits[--m_done] : nullptr;
}

const ScribbleEdit* ScribbleHistory::redo() {
  return can_redo() ? &m_edits[m_done++] : nullptr;
}

void ScribbleHistory::clear() {
  m_edits.clear();
  m_done = 0;
}

}  // namespace p2r::studio
