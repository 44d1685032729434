# cache_bench: answer cache lookup latency over many entries; hit and false-hit rates.
if(TARGET tiergate_cache)
  add_executable(cache_bench ${CMAKE_CURRENT_LIST_DIR}/cache_bench.cpp)
  target_link_libraries(cache_bench PRIVATE tiergate_cache Threads::Threads)
endif()
