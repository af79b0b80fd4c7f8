# One npm package at build time (nothing vendored): `npm pack NAME@VERSION`, checked against its
# pinned sha256, extracted with `cmake -E tar` into WORK/package. Run with `cmake -P`:
#   -DPACKAGE=<name> -DVERSION=<v> -DSHA256=<hex> -DWORK=<dir> "-DREQUIRE=<file>|<file>..."
#   [-DCACHE=<dir>] [-DNPM=<npm>]
# CACHE (from -DCC_NPM_CACHE) is a folder of tarballs: used when the pinned one is there, filled
# when it is not. REQUIRE lists files the package must hold (relative to package/).
# Used by probes/grammar (tree-sitter-python) and batch/chartjs.cmake (Chart.js).

foreach(v PACKAGE VERSION SHA256 WORK REQUIRE)
  if(NOT ${v})
    message(FATAL_ERROR "npm_fetch.cmake: -D${v}=... is required")
  endif()
endforeach()
set(name "${PACKAGE}@${VERSION}")
# npm names a scoped or dotted package's tarball after the package, '/' and '@' removed.
string(REGEX REPLACE "^@" "" base "${PACKAGE}")
string(REPLACE "/" "-" base "${base}")
set(tarball_name "${base}-${VERSION}.tgz")

set(dest "${WORK}")
if(CACHE)
  set(dest "${CACHE}")
  file(MAKE_DIRECTORY "${dest}")
endif()
set(tarball "${dest}/${tarball_name}")
if(NOT EXISTS "${tarball}")
  if(NOT NPM)
    message(FATAL_ERROR "${PACKAGE}: ${tarball_name} is not in ${dest} and npm was not found.\n"
                        "Install npm (apt-get install npm), or put the tarball in a directory and configure "
                        "with -DCC_NPM_CACHE=<that directory>.")
  endif()
  message(STATUS "${PACKAGE}: npm pack ${name} -> ${dest}")
  execute_process(COMMAND "${NPM}" pack "${name}" --pack-destination "${dest}"
                  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${tarball}")
    message(FATAL_ERROR "${PACKAGE}: `npm pack ${name}` failed (exit ${rc}).\n${err}\n"
                        "Check network access to the npm registry, or configure with -DCC_NPM_CACHE=<dir> "
                        "holding ${tarball_name}.")
  endif()
endif()

file(SHA256 "${tarball}" got)
if(NOT got STREQUAL SHA256)
  message(FATAL_ERROR "${PACKAGE}: sha256 mismatch for ${tarball}\n  expected ${SHA256}\n  got      ${got}\n"
                      "The file is not the pinned ${name} tarball. Delete it and build again (npm will fetch "
                      "it anew); never edit the expected hash to make this pass.")
endif()

# Extract into a fresh directory, check it holds what the build needs, then move it in place.
set(xdir "${WORK}/extract")
file(REMOVE_RECURSE "${xdir}")
file(MAKE_DIRECTORY "${xdir}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar xzf "${tarball}" WORKING_DIRECTORY "${xdir}" RESULT_VARIABLE rc)
string(REPLACE "|" ";" required "${REQUIRE}")
foreach(f ${required})
  if(NOT rc EQUAL 0 OR NOT EXISTS "${xdir}/package/${f}")
    message(FATAL_ERROR "${PACKAGE}: extracting ${tarball} failed or it lacks ${f}")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}/package")
file(RENAME "${xdir}/package" "${WORK}/package")
file(REMOVE_RECURSE "${xdir}")
