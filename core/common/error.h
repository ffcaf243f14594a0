#pragma once
// The project's one exception type and the CHECK macro that raises it for caller mistakes.
#include <sstream>
#include <stdexcept>
#include <string>

namespace p2r {

/// Error a user can act on (bad file, bad argument, bad configuration). Carries the source location.
class Error : public std::runtime_error {
 public:
  /// message: what went wrong, naming the file or argument; file/line: where it was raised.
  Error(const std::string& message, const char* file, int line);
  /// The message without the source location.
  const std::string& message() const { return m_message; }

 private:
  std::string m_message;
};

}  // namespace p2r

/// Throws p2r::Error with the streamed message when cond is false: P2R_CHECK(n > 0, "n is " << n).
#define P2R_CHECK(cond, msg)                                   \
  do {                                                         \
    if (!(cond)) {                                             \
      std::ostringstream p2r_check_os_;                        \
      p2r_check_os_ << msg;                                    \
      throw ::p2r::Error(p2r_check_os_.str(), __FILE__, __LINE__); \
    }                                                          \
  } while (0)

/// Throws p2r::Error with the streamed message unconditionally.
#define P2R_FAIL(msg) P2R_CHECK(false, msg)
