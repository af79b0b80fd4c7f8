# cc_embed_files(TARGET NAME FILES...): compile data files (catalog rules, patterns) into TARGET so
# the binary carries its own knowledge. Generates <NAME>_embedded.cpp defining
#   const std::vector<cc::EmbeddedFile>& cc::embedded_<NAME>();
# (declared by engine/embedded.h), with each file's name relative to its folder. A YAML file is
# also read at build time by cc-yaml-pack and its packed tree embedded beside it
# (EmbeddedFile::packed, engine/yaml_pack.h): a file that does not parse fails the build.
function(cc_embed_files target name)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}_embedded.cpp)
  set(packed_dir ${CMAKE_CURRENT_BINARY_DIR}/${name}_packed)
  set(packed)
  foreach(f ${ARGN})
    if(f MATCHES "\\.ya?ml$")
      file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${f})
      set(p ${packed_dir}/${rel}.packed)
      get_filename_component(pdir ${p} DIRECTORY)
      add_custom_command(
        OUTPUT ${p}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${pdir}
        COMMAND cc-yaml-pack ${f} ${p}
        DEPENDS ${f} cc-yaml-pack
        COMMENT "Packing ${rel}"
        VERBATIM)
      list(APPEND packed ${p})
    endif()
  endforeach()
  # ';' would split the shell command: pass the list joined with '|'.
  string(JOIN "|" files ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${name} -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            -DPACKED=${packed_dir} "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
    DEPENDS ${ARGN} ${packed} ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
    COMMENT "Embedding ${name} data files"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
