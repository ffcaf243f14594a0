#include "app/studio/script_values.h"

#include "core/common/error.h"

namespace p2r::studio {
namespace {

std::string prefix(const std::string& what) { return what.empty() ? "" : what + ": "; }

}  // namespace

double script_number(const std::string& text, const std::string& what) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (...) {
  }
  P2R_FAIL(prefix(what) << "'" << text << "' is not a number");
}

int script_integer(const std::string& text, const std::string& what) {
  const double v = script_number(text, what);
  P2R_CHECK(double(int(v)) == v, prefix(what) << "'" << text << "' is not an integer");
  return int(v);
}

}  // namespace p2r::studio
