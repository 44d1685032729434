# ledger_bench: ledger submit latency, sustained SQLite (and PostgreSQL) write throughput and,
# with the gateway in the build, the per-request cost of the gateway's accounting.
if(TARGET tiergate_ledger)
  find_package(benchmark REQUIRED)
  add_executable(ledger_bench ${CMAKE_CURRENT_LIST_DIR}/ledger_bench.cpp)
  tiergate_use_allocator(ledger_bench)
  target_link_libraries(ledger_bench PRIVATE tiergate_ledger benchmark::benchmark Threads::Threads)
  # the gateway's accounting path, when the gateway is part of the build
  if(TARGET tiergate_gateway)
    target_link_libraries(ledger_bench PRIVATE tiergate_gateway)
    target_compile_definitions(ledger_bench PRIVATE TIERGATE_BENCH_GATEWAY)
  endif()
endif()
