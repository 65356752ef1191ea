# Run with cmake -P: writes OUT, a C++ file defining `std::string_view FUNCTION()` in NAMESPACE
# returning the contents of IN.
file(READ "${IN}" contents)
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_file_script.cmake.
#include <string_view>
namespace ${NAMESPACE} {
std::string_view ${FUNCTION}() {
  // An array, not a constexpr string_view: measuring a large literal at compile time exceeds
  // GCC's constexpr loop limit.
  static const char kContents[] = R\"LINLI_EMBED(${contents})LINLI_EMBED\";
  return std::string_view(kContents, sizeof(kContents) - 1);
}
}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
