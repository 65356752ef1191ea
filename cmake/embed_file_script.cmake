# Run with cmake -P: writes OUT, a C++ file defining `std::string_view FUNCTION()` in NAMESPACE
# returning the contents of IN.
file(READ "${IN}" contents)
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_file_script.cmake.
#include <string_view>
namespace ${NAMESPACE} {
std::string_view ${FUNCTION}() {
  static constexpr std::string_view kContents = R\"LINLI_EMBED(${contents})LINLI_EMBED\";
  return kContents;
}
}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
