# ledger_bench: ledger submit latency and sustained SQLite (and PostgreSQL) write throughput.
if(TARGET tiergate_ledger)
  find_package(benchmark REQUIRED)
  add_executable(ledger_bench ${CMAKE_CURRENT_LIST_DIR}/ledger_bench.cpp)
  target_link_libraries(ledger_bench PRIVATE tiergate_ledger benchmark::benchmark Threads::Threads)
endif()
