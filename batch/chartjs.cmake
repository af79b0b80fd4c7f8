# Chart.js for the dashboard -> generated chartjs_embedded.cpp defining
#   const std::vector<cc::EmbeddedFile>& cc::embedded_chartjs();   ("dist/chart.umd.min.js", "LICENSE.md")
#
# Like probes/grammar: the package comes from the npm registry at build time (nothing vendored),
#   npm pack chart.js@4.5.1   (sha256-checked, extracted with cmake -E tar)
# and its UMD bundle is compiled into the binary, so the dashboard is one self-contained offline
# HTML file. -DCC_NPM_CACHE=/dir reuses (or fills) a folder of tarballs, as for the grammar.
#
# This file is also its own fetch script: the build runs it with `cmake -P` and CC_CHARTJS_FETCH=1.

set(CHARTJS_VERSION 4.5.1)
set(CHARTJS_SHA256 f540d98468457ac7a0aabb32006dfb066297e096c5ea063a5d80aa973d1c337a)
set(CHARTJS_TARBALL chart.js-${CHARTJS_VERSION}.tgz)

if(CMAKE_SCRIPT_MODE_FILE AND CC_CHARTJS_FETCH)
  # ---- build-time fetch: -DWORK=<dir> [-DCACHE=<dir>] [-DNPM=<npm>] ------------------------------
  set(dest "${WORK}")
  if(CACHE)
    set(dest "${CACHE}")
    file(MAKE_DIRECTORY "${dest}")
  endif()
  set(tarball "${dest}/${CHARTJS_TARBALL}")
  if(NOT EXISTS "${tarball}")
    if(NOT NPM)
      message(FATAL_ERROR "chart.js: ${CHARTJS_TARBALL} is not in ${dest} and npm was not found. "
                          "Install npm, or configure with -DCC_NPM_CACHE=<folder holding the tarball>.")
    endif()
    message(STATUS "chart.js: npm pack chart.js@${CHARTJS_VERSION} -> ${dest}")
    execute_process(COMMAND "${NPM}" pack "chart.js@${CHARTJS_VERSION}" --pack-destination "${dest}"
                    WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${tarball}")
      message(FATAL_ERROR "chart.js: `npm pack chart.js@${CHARTJS_VERSION}` failed (exit ${rc}).\n${err}\n"
                          "Check access to the npm registry, or configure with -DCC_NPM_CACHE=<dir>.")
    endif()
  endif()
  file(SHA256 "${tarball}" got)
  if(NOT got STREQUAL CHARTJS_SHA256)
    message(FATAL_ERROR "chart.js: sha256 mismatch for ${tarball}\n  expected ${CHARTJS_SHA256}\n  got      ${got}\n"
                        "Delete the file and build again; never edit the expected hash to make this pass.")
  endif()
  set(xdir "${WORK}/extract")
  file(REMOVE_RECURSE "${xdir}")
  file(MAKE_DIRECTORY "${xdir}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E tar xzf "${tarball}" WORKING_DIRECTORY "${xdir}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${xdir}/package/dist/chart.umd.min.js" OR NOT EXISTS "${xdir}/package/LICENSE.md")
    message(FATAL_ERROR "chart.js: extracting ${tarball} failed or lacks dist/chart.umd.min.js and LICENSE.md")
  endif()
  file(REMOVE_RECURSE "${WORK}/package")
  file(RENAME "${xdir}/package" "${WORK}/package")
  file(REMOVE_RECURSE "${xdir}")
  return()
endif()

# ---- configure: the fetch, then the embedding, as one build step ----------------------------------
set(CC_NPM_CACHE "" CACHE PATH "Directory holding (or receiving) npm tarballs")
find_program(CC_NPM_EXECUTABLE npm)
set(CHARTJS_WORK ${CMAKE_CURRENT_BINARY_DIR}/chart.js-${CHARTJS_VERSION})
file(MAKE_DIRECTORY ${CHARTJS_WORK})
set(chartjs_args -DWORK=${CHARTJS_WORK})
if(CC_NPM_CACHE)
  list(APPEND chartjs_args -DCACHE=${CC_NPM_CACHE})
endif()
if(CC_NPM_EXECUTABLE)
  list(APPEND chartjs_args -DNPM=${CC_NPM_EXECUTABLE})
endif()
set(CHARTJS_CPP ${CMAKE_CURRENT_BINARY_DIR}/chartjs_embedded.cpp)
add_custom_command(
  OUTPUT ${CHARTJS_CPP}
  COMMAND ${CMAKE_COMMAND} -DCC_CHARTJS_FETCH=1 ${chartjs_args} -P ${CMAKE_CURRENT_LIST_FILE}
  COMMAND ${CMAKE_COMMAND} -DOUT=${CHARTJS_CPP} -DNAME=chartjs -DBASE=${CHARTJS_WORK}/package
          "-DFILES=${CHARTJS_WORK}/package/dist/chart.umd.min.js|${CHARTJS_WORK}/package/LICENSE.md"
          -P ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
  DEPENDS ${CMAKE_CURRENT_LIST_FILE} ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
  COMMENT "Fetching chart.js@${CHARTJS_VERSION} (npm pack, sha256-checked) and embedding it"
  VERBATIM)
target_sources(cc_batch PRIVATE ${CHARTJS_CPP})
