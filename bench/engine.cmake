# Engine benchmark helpers: synth_gguf writes llama-architecture GGUFs with random weights in
# the shapes of real small models (see bench/engine_bench.sh).
if(TARGET tiergate_llama)
  add_executable(synth_gguf ${CMAKE_CURRENT_LIST_DIR}/synth_gguf.cpp)
  target_link_libraries(synth_gguf PRIVATE tiergate_llama)
endif()
