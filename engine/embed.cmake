# cc_embed_files(TARGET NAME FILES...): compile data files (catalog rules, patterns) into TARGET so
# the binary carries its own knowledge. Generates <NAME>_embedded.cpp defining
#   const std::vector<cc::EmbeddedFile>& cc::embedded_<NAME>();
# (declared by engine/embedded.h), with each file's name relative to its folder.
function(cc_embed_files target name)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}_embedded.cpp)
  # ';' would split the shell command: pass the list joined with '|'.
  string(JOIN "|" files ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${name} -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
    COMMENT "Embedding ${name} data files"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
