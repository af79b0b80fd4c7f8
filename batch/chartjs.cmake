# Chart.js for the dashboard -> generated chartjs_embedded.cpp defining
#   const std::vector<cc::EmbeddedFile>& cc::embedded_chartjs();   ("dist/chart.umd.min.js", "LICENSE.md")
#
# Like probes/grammar: the package comes from the npm registry at build time (nothing vendored),
#   npm pack chart.js@4.5.1   (sha256-checked, extracted with cmake -E tar)
# and its UMD bundle is compiled into the binary, so the dashboard is one self-contained offline
# HTML file. -DCC_NPM_CACHE=/dir reuses (or fills) a folder of tarballs, as for the grammar.
#
# The fetch is engine/npm_fetch.cmake, as for the grammar.

set(CHARTJS_VERSION 4.5.1)
set(CHARTJS_SHA256 f540d98468457ac7a0aabb32006dfb066297e096c5ea063a5d80aa973d1c337a)

# ---- configure: the fetch, then the embedding, as one build step ----------------------------------
set(CC_NPM_CACHE "" CACHE PATH "Directory holding (or receiving) npm tarballs")
find_program(CC_NPM_EXECUTABLE npm)
set(CHARTJS_WORK ${CMAKE_CURRENT_BINARY_DIR}/chart.js-${CHARTJS_VERSION})
file(MAKE_DIRECTORY ${CHARTJS_WORK})
set(chartjs_args -DPACKAGE=chart.js -DVERSION=${CHARTJS_VERSION} -DSHA256=${CHARTJS_SHA256}
                 -DWORK=${CHARTJS_WORK} "-DREQUIRE=dist/chart.umd.min.js|LICENSE.md")
if(CC_NPM_CACHE)
  list(APPEND chartjs_args -DCACHE=${CC_NPM_CACHE})
endif()
if(CC_NPM_EXECUTABLE)
  list(APPEND chartjs_args -DNPM=${CC_NPM_EXECUTABLE})
endif()
set(CHARTJS_CPP ${CMAKE_CURRENT_BINARY_DIR}/chartjs_embedded.cpp)
add_custom_command(
  OUTPUT ${CHARTJS_CPP}
  COMMAND ${CMAKE_COMMAND} ${chartjs_args} -P ${PROJECT_SOURCE_DIR}/engine/npm_fetch.cmake
  COMMAND ${CMAKE_COMMAND} -DOUT=${CHARTJS_CPP} -DNAME=chartjs -DBASE=${CHARTJS_WORK}/package
          "-DFILES=${CHARTJS_WORK}/package/dist/chart.umd.min.js|${CHARTJS_WORK}/package/LICENSE.md"
          -P ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
  DEPENDS ${CMAKE_CURRENT_LIST_FILE} ${PROJECT_SOURCE_DIR}/engine/npm_fetch.cmake
          ${PROJECT_SOURCE_DIR}/engine/embed_gen.cmake
  COMMENT "Fetching chart.js@${CHARTJS_VERSION} (npm pack, sha256-checked) and embedding it"
  VERBATIM)
target_sources(cc_batch PRIVATE ${CHARTJS_CPP})
