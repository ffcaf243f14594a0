#include "core/common/progress.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace p2r {

namespace {
std::atomic<bool> g_sigint{false};
std::atomic<bool> g_quiet{false};

void on_sigint(int) {
  if (g_sigint.exchange(true)) std::_Exit(130);
}

class NullProgress : public ProgressSink {
 public:
  void begin(const std::string&, int64_t) override {}
  void update(int64_t, const std::string&) override {}
  void end() override {}
};

std::string format_seconds(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) / 60) % 60);
  return buf;
}
}  // namespace

ProgressSink& null_progress() {
  static NullProgress sink;
  return sink;
}

TerminalProgress::TerminalProgress(bool enabled, std::chrono::milliseconds line_interval)
    : m_style(!enabled || g_quiet.load() ? Style::Final : isatty(STDERR_FILENO) ? Style::Bar : Style::Lines),
      m_line_interval(line_interval) {}

void TerminalProgress::begin(const std::string& stage, int64_t total) {
  m_stage = stage;
  m_total = total;
  m_done = 0;
  m_note.clear();
  m_start = m_last_draw = std::chrono::steady_clock::now();
  if (m_style == Style::Bar) draw(false);
}

void TerminalProgress::update(int64_t done, const std::string& note) {
  m_done = done;
  m_note = note;
  auto now = std::chrono::steady_clock::now();
  if (m_style == Style::Bar && (now - m_last_draw > std::chrono::milliseconds(100) || done == m_total)) {
    m_last_draw = now;
    draw(false);
  } else if (m_style == Style::Lines && now - m_last_draw >= m_line_interval && done < m_total) {
    m_last_draw = now;
    draw(true);
  }
}

void TerminalProgress::end() { draw(true); }

bool TerminalProgress::cancelled() const { return g_sigint.load(); }

void TerminalProgress::install_sigint() { std::signal(SIGINT, on_sigint); }

void TerminalProgress::set_quiet(bool quiet) { g_quiet = quiet; }

void TerminalProgress::draw(bool final_line) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  std::string bar;
  if (m_total > 0) {
    const int width = 30;
    int filled = int(width * double(m_done) / double(m_total));
    bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " + std::to_string(m_done) +
          "/" + std::to_string(m_total);
    if (m_done > 0 && m_done < m_total)
      bar += " ETA " + format_seconds(elapsed * double(m_total - m_done) / double(m_done));
  } else {
    bar = std::to_string(m_done);
  }
  std::fprintf(stderr, "%s%s %s %s %s%s", m_style == Style::Bar ? "\r\033[K" : "", m_stage.c_str(), bar.c_str(),
               format_seconds(elapsed).c_str(), m_note.c_str(), final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace p2r
