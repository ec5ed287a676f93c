# SPDX-License-Identifier: Apache-2.0
# Third-party C sources fetched from the npm registry (package.json, package-lock.json):
#   tree-sitter 0.25.1                          the runtime (vendor/tree-sitter/lib)
#   @tree-sitter-grammars/tree-sitter-hcl 1.2.0 the HCL grammar (src/parser.c, src/scanner.c)
# `npm ci --ignore-scripts` puts them in node_modules/. They are built as one static C library,
# `tree_sitter_hcl`, without our warning flags and without -Werror: the code is not ours.
set(CVPN_NODE_MODULES "${PROJECT_SOURCE_DIR}/node_modules" CACHE PATH
    "node_modules directory holding the tree-sitter runtime and HCL grammar sources")
set(_cvpn_ts_lib "${CVPN_NODE_MODULES}/tree-sitter/vendor/tree-sitter/lib")
set(_cvpn_ts_hcl "${CVPN_NODE_MODULES}/@tree-sitter-grammars/tree-sitter-hcl/src")

foreach(_cvpn_file "${_cvpn_ts_lib}/src/lib.c" "${_cvpn_ts_lib}/include/tree_sitter/api.h"
                   "${_cvpn_ts_hcl}/parser.c" "${_cvpn_ts_hcl}/scanner.c")
  if(NOT EXISTS "${_cvpn_file}")
    message(FATAL_ERROR
      "cvpn-lint: ${_cvpn_file} is missing.\n"
      "The tree-sitter runtime and HCL grammar come from the npm registry: run\n"
      "  npm ci --ignore-scripts\n"
      "in ${PROJECT_SOURCE_DIR} (it reads package-lock.json), then configure again.")
  endif()
endforeach()

add_library(tree_sitter_hcl STATIC
  "${_cvpn_ts_lib}/src/lib.c"
  "${_cvpn_ts_hcl}/parser.c"
  "${_cvpn_ts_hcl}/scanner.c")
set_target_properties(tree_sitter_hcl PROPERTIES
  C_STANDARD 11
  C_STANDARD_REQUIRED ON
  C_EXTENSIONS ON              # lib.c uses POSIX and GNU extensions (e.g. fdopen, le16toh)
  POSITION_INDEPENDENT_CODE ON
  C_CLANG_TIDY ""
  COMPILE_WARNING_AS_ERROR OFF)
target_include_directories(tree_sitter_hcl PRIVATE "${_cvpn_ts_lib}/src" "${_cvpn_ts_hcl}")
# SYSTEM: the runtime header must not trip our warnings in the files that include it.
target_include_directories(tree_sitter_hcl SYSTEM PUBLIC "${_cvpn_ts_lib}/include")
target_compile_definitions(tree_sitter_hcl PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
target_compile_options(tree_sitter_hcl PRIVATE -w)
