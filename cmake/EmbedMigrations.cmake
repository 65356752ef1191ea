include_guard(GLOBAL)
# linli_embed_migrations(<target> <backend> <function-name>)
# Compiles src/storage/<backend>/migrations/NNNN_<module>.sql into the target as
# `const std::vector<linli::storage::Migration>& <function-name>()`, so the binary carries
# its schema and needs no files beside it.
function(linli_embed_migrations target backend function_name)
  set(dir "${PROJECT_SOURCE_DIR}/src/storage/${backend}/migrations")
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${backend}_migrations.cpp")
  # A CMake list's ';' would end the shell command: pass the files '|'-separated.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION=${function_name} "-DFILES=${files_arg}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_migrations_script.cmake"
    DEPENDS ${sql_files} "${PROJECT_SOURCE_DIR}/cmake/embed_migrations_script.cmake"
    COMMENT "Embedding ${backend} migrations" VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
