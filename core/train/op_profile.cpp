#include "core/train/op_profile.h"

#include <algorithm>
#include <map>

#include <torch/csrc/autograd/profiler_legacy.h>

namespace p2r {

std::vector<OpCost> profile_ops(const std::function<void()>& work) {
  namespace prof = torch::autograd::profiler;
  prof::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
  try {
    work();
  } catch (...) {
    prof::disableProfilerLegacy();
    throw;
  }
  const prof::thread_event_lists events = prof::disableProfilerLegacy();
  std::map<std::string, OpCost> by_name;
  for (const auto& thread : events) {
    // Ranges nest within a thread: a pop closes the latest push; a range's children's time is
    // taken out of its own.
    struct Open {
      const prof::LegacyEvent* push;
      double children_us;
    };
    std::vector<Open> open;
    for (const prof::LegacyEvent& e : thread) {
      if (e.kind() == prof::EventKind::PushRange) {
        open.push_back({&e, 0.0});
      } else if (e.kind() == prof::EventKind::PopRange && !open.empty()) {
        const Open range = open.back();
        open.pop_back();
        const double total_us = range.push->cpuElapsedUs(e);
        OpCost& cost = by_name[range.push->name()];
        cost.self_ms += (total_us - range.children_us) / 1000.0;
        ++cost.calls;
        if (!open.empty()) open.back().children_us += total_us;
      }
    }
  }
  std::vector<OpCost> out;
  for (auto& [name, cost] : by_name) {
    cost.name = name;
    out.push_back(cost);
  }
  std::sort(out.begin(), out.end(), [](const OpCost& a, const OpCost& b) { return a.self_ms > b.self_ms; });
  return out;
}

}  // namespace p2r
