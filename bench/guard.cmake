# guard_bench: scan throughput of the detectors and the guard's cost on a 2 KB request.
if(TARGET tiergate_guard)
  find_package(benchmark REQUIRED)
  add_executable(guard_bench ${CMAKE_CURRENT_LIST_DIR}/guard_bench.cpp)
  tiergate_use_allocator(guard_bench)
  target_link_libraries(guard_bench PRIVATE tiergate_guard benchmark::benchmark Threads::Threads)
endif()
