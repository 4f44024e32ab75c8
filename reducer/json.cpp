// The one translation unit that compiles Boost.JSON (header-only use): other
// files include <boost/json.hpp> only. A second src.hpp would define its
// symbols twice.
#include <boost/json/src.hpp>
