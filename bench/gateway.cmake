# The routing decision without generation: planner, guard, explain (docs/benchmarks.md, "Request path").
if(TARGET tiergate_gateway AND TARGET tiergate_eval_routing)
  add_executable(gateway_bench ${CMAKE_CURRENT_LIST_DIR}/gateway_bench.cpp)
  tiergate_use_allocator(gateway_bench)
  target_link_libraries(gateway_bench PRIVATE tiergate_gateway tiergate_eval_routing tiergate_router_learned)
  target_compile_definitions(gateway_bench PRIVATE TIERGATE_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
endif()
