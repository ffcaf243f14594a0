#include "core/common/error.h"

namespace p2r {

Error::Error(const std::string& message, const char* file, int line)
    : std::runtime_error(message + " [" + file + ":" + std::to_string(line) + "]"), m_message(message) {}

}  // namespace p2r
