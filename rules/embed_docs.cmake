# SPDX-License-Identifier: Apache-2.0
# Embeds the rule documentation (rules/cvpnNNN_*.md) into the binary.
#
# Two modes:
# - include()d from a CMakeLists.txt, it defines cvpn_embed_rule_docs(<target> <md files>...),
#   which adds a build step that regenerates the C++ source whenever a page (or this script, or
#   the template) changes, and adds that source to <target>.
# - run as `cmake -DOUTPUT=<file.cpp> -DTEMPLATE=<docs.cpp.in> -DDOCS=<a.md|b.md|...> -P
#   embed_docs.cmake`, it writes <file.cpp> defining cvpn::rules::RuleDoc (rules/docs.h).
#
# Each page's rule ID comes from its first line, `# CVPNNNN name`. The pages are embedded as raw
# string literals; the build fails if a page contains the literal's closing delimiter, or if two
# pages claim the same ID.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  function(cvpn_embed_rule_docs target)
    set(script "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
    set(docs "")
    foreach(md IN LISTS ARGN)
      get_filename_component(md "${md}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND docs "${md}")
    endforeach()
    # A '|'-separated list: semicolons would split the -D argument of the custom command.
    list(JOIN docs "|" docs_arg)
    get_filename_component(script_dir "${script}" DIRECTORY)
    set(template "${script_dir}/docs.cpp.in")
    set(output "${CMAKE_CURRENT_BINARY_DIR}/rule_docs.cpp")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${output}" "-DTEMPLATE=${template}"
              "-DDOCS=${docs_arg}" -P "${script}"
      DEPENDS ${docs} "${script}" "${template}"
      COMMENT "Embedding the rule documentation"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}")
  endfunction()
  return()
endif()

# Script mode.
cmake_minimum_required(VERSION 3.24)
foreach(var OUTPUT TEMPLATE DOCS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "embed_docs.cmake: -D${var}=... is required")
  endif()
endforeach()

# The raw string delimiter: at most 16 characters, and the page must not contain `)<delim>"`.
set(delimiter "cvpn_doc")
set(closing ")${delimiter}\"")

string(REPLACE "|" ";" docs "${DOCS}")
set(entries "")
set(seen_ids "")
foreach(md IN LISTS docs)
  if(NOT EXISTS "${md}")
    message(FATAL_ERROR "${md}: no such rule documentation page")
  endif()
  file(READ "${md}" text)
  string(FIND "${text}" "${closing}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${md}: contains the raw string delimiter `${closing}`, which would end the "
                        "embedded literal early; reword the page or change the delimiter in "
                        "${CMAKE_CURRENT_LIST_FILE}")
  endif()
  if(NOT text MATCHES "^# (CVPN[0-9][0-9][0-9]) [a-z0-9-]+\r?\n")
    message(FATAL_ERROR "${md}: the first line must be `# CVPNNNN rule-name`")
  endif()
  set(id "${CMAKE_MATCH_1}")
  if(id IN_LIST seen_ids)
    message(FATAL_ERROR "${md}: a second page for ${id}")
  endif()
  list(APPEND seen_ids "${id}")
  string(APPEND entries "    {\"${id}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(CVPN_RULE_DOC_ENTRIES "${entries}")
file(READ "${TEMPLATE}" template)
string(CONFIGURE "${template}" generated @ONLY)
file(WRITE "${OUTPUT}" "${generated}")
