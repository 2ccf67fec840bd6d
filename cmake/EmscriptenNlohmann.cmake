# nlohmann/json for Emscripten builds. The toolchain re-roots find_package/find_path into its sysroot,
# and -I/usr/include would let glibc headers shadow emscripten's libc. So: find the system copy
# outside the sysroot and stage a symlink to ONLY its nlohmann/ folder inside the build tree.
find_path(STOCKROOM_NLOHMANN_ROOT nlohmann/json.hpp
  PATHS /usr/include /usr/local/include
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT STOCKROOM_NLOHMANN_ROOT)
  message(FATAL_ERROR "nlohmann/json.hpp not found: apt-get install nlohmann-json3-dev")
endif()
set(_stage ${CMAKE_BINARY_DIR}/_deps/nlohmann-include)
file(MAKE_DIRECTORY ${_stage})
if(NOT EXISTS ${_stage}/nlohmann)
  file(CREATE_LINK ${STOCKROOM_NLOHMANN_ROOT}/nlohmann ${_stage}/nlohmann SYMBOLIC)
endif()
add_library(nlohmann_json INTERFACE)
target_include_directories(nlohmann_json SYSTEM INTERFACE ${_stage})
add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
