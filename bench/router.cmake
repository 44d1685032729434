# router_bench: latency of the learned router's decision on held-out prompts.
if(TARGET tiergate_eval_routing AND TARGET tiergate_router_learned)
  find_package(benchmark REQUIRED)
  add_executable(router_bench ${CMAKE_CURRENT_LIST_DIR}/router_bench.cpp)
  tiergate_use_allocator(router_bench)
  target_link_libraries(router_bench PRIVATE tiergate_eval_routing tiergate_router_learned benchmark::benchmark
                        Threads::Threads)
  target_compile_definitions(router_bench PRIVATE TIERGATE_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
endif()
