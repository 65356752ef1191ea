# Run with cmake -P: writes OUT, a C++ file holding the SQL of FILES.
set(body "")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(file IN LISTS FILES)
  get_filename_component(stem "${file}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.+)$" matched "${stem}")
  if(NOT matched)
    message(FATAL_ERROR "migration ${file} is not named NNNN_<module>.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${file}" sql)
  string(APPEND body "      {${version}, \"${CMAKE_MATCH_2}\", R\"LINLI_SQL(${sql})LINLI_SQL\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from migrations/*.sql by cmake/embed_migrations_script.cmake.
#include <vector>

#include \"storage/store.hpp\"

namespace linli::storage {
const std::vector<Migration>& ${FUNCTION}() {
  static const std::vector<Migration> kMigrations{
${body}  };
  return kMigrations;
}
}  // namespace linli::storage
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
