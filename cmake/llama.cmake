# Imports llama.cpp, built once by scripts/llama.sh into a cache directory
# outside the checkout (keyed by version, commit and CPU). TIERGATE_LLAMA_DIR
# may point at such a directory to skip the script.
if(NOT TIERGATE_LLAMA_DIR)
  message(STATUS "llama.cpp: running scripts/llama.sh (fetches and builds on first use)")
  execute_process(
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/llama.sh
    OUTPUT_VARIABLE llama_dir
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE llama_rc)
  if(NOT llama_rc EQUAL 0)
    message(FATAL_ERROR "scripts/llama.sh failed (${llama_rc}); see its output above")
  endif()
  set(TIERGATE_LLAMA_DIR "${llama_dir}" CACHE PATH "llama.cpp cache directory (src/ and build/)")
endif()
message(STATUS "llama.cpp: ${TIERGATE_LLAMA_DIR}")

set(LLAMA_SRC ${TIERGATE_LLAMA_DIR}/src)
set(LLAMA_BUILD ${TIERGATE_LLAMA_DIR}/build)
set(LLAMA_BIN_DIR ${LLAMA_BUILD}/bin)

function(tiergate_import_llama_lib target path)
  add_library(${target} STATIC IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${LLAMA_BUILD}/${path})
endfunction()

tiergate_import_llama_lib(llama_ggml_base ggml/src/libggml-base.a)
tiergate_import_llama_lib(llama_ggml_cpu ggml/src/libggml-cpu.a)
tiergate_import_llama_lib(llama_ggml ggml/src/libggml.a)
tiergate_import_llama_lib(llama_llama src/libllama.a)
tiergate_import_llama_lib(llama_common_base common/libllama-common-base.a)
tiergate_import_llama_lib(llama_common_lib common/libllama-common.a)
tiergate_import_llama_lib(llama_httplib vendor/cpp-httplib/libcpp-httplib.a)

# llama + ggml, for code that only uses llama.h
add_library(tiergate_llama INTERFACE)
target_include_directories(tiergate_llama SYSTEM INTERFACE ${LLAMA_SRC}/include ${LLAMA_SRC}/ggml/include)
target_link_libraries(tiergate_llama INTERFACE llama_llama llama_ggml llama_ggml_cpu llama_ggml_base Threads::Threads dl m)

# llama.cpp's common library (sampling, chat templates, json-schema-to-grammar)
add_library(tiergate_llama_common INTERFACE)
target_include_directories(tiergate_llama_common SYSTEM INTERFACE ${LLAMA_SRC}/common ${LLAMA_SRC}/vendor)
target_link_libraries(tiergate_llama_common INTERFACE llama_common_lib llama_common_base llama_httplib tiergate_llama)
