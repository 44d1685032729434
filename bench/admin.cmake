# admin_bench: what one dashboard read costs over a ledger of N requests.
if(TARGET tiergate_admin_views)
  find_package(benchmark REQUIRED)
  add_executable(admin_bench ${CMAKE_CURRENT_LIST_DIR}/admin_bench.cpp)
  target_link_libraries(admin_bench PRIVATE tiergate_admin_views tiergate_ledger benchmark::benchmark Threads::Threads)
endif()
