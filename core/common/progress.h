#pragma once
// Progress reporting and cancellation shared by the CLI (terminal bar) and the studio (job snapshots).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace p2r {

/// Receives progress from long work; implementations must be callable from the worker thread.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  /// Called when a stage starts; total is the number of steps (0 when unknown).
  virtual void begin(const std::string& stage, int64_t total) = 0;
  /// Called after each step; done counts finished steps; note is a short status (e.g. "loss 0.31").
  virtual void update(int64_t done, const std::string& note) = 0;
  /// Called when the stage ends (normally or not).
  virtual void end() = 0;
  /// True when the user asked to stop; long work polls this between steps.
  virtual bool cancelled() const { return false; }
};

/// A sink that discards everything and is never cancelled.
ProgressSink& null_progress();

/// Thrown by long work that stopped because its sink said cancelled().
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

/// Terminal progress on stderr: "stage [#####.....] 50/100 12.3s ETA 12.3s note". On a terminal a bar
/// redrawn in place; elsewhere (logs, pipes) one line per line_interval; always the final line of a
/// stage. Not thread-safe.
class TerminalProgress : public ProgressSink {
 public:
  /// enabled=false, or set_quiet(true) before construction, prints only the final line of each stage.
  explicit TerminalProgress(bool enabled = true, std::chrono::milliseconds line_interval = std::chrono::minutes(1));
  void begin(const std::string& stage, int64_t total) override;
  void update(int64_t done, const std::string& note) override;
  void end() override;
  /// Also makes cancelled() true after SIGINT when install_sigint() was called.
  bool cancelled() const override;
  /// Routes Ctrl-C to cancellation (a second Ctrl-C kills the process as usual).
  static void install_sigint();
  /// Process-wide `--no-progress`: sinks constructed afterwards print only final lines.
  static void set_quiet(bool quiet);

 private:
  enum class Style { Bar, Lines, Final };
  void draw(bool final_line);
  Style m_style;
  std::chrono::milliseconds m_line_interval;
  std::string m_stage, m_note;
  int64_t m_total = 0, m_done = 0;
  std::chrono::steady_clock::time_point m_start, m_last_draw;
};

}  // namespace p2r
