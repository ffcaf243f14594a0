#pragma once
// Numbers in studio script arguments, read the same way by every command file.
#include <string>

namespace p2r::studio {

/// The number that is all of text; throws p2r::Error "'TEXT' is not a number", prefixed with
/// "WHAT: " when what is given.
double script_number(const std::string& text, const std::string& what = "");

/// The integer that is all of text (a number with no fractional part); throws p2r::Error
/// "'TEXT' is not an integer" (or not a number), prefixed with "WHAT: " when what is given.
int script_integer(const std::string& text, const std::string& what = "");

}  // namespace p2r::studio
