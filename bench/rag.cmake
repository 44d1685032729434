# rag_bench: HNSW recall and speed against exact search, ingestion and search latency.
if(TARGET tiergate_rag)
  add_executable(rag_bench ${CMAKE_CURRENT_LIST_DIR}/rag_bench.cpp)
  target_link_libraries(rag_bench PRIVATE tiergate_rag Threads::Threads)
endif()
