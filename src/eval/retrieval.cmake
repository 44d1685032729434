add_library(tiergate_eval_retrieval STATIC
  ${CMAKE_CURRENT_LIST_DIR}/retrieval_metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/retrieval_eval.cpp
)
target_include_directories(tiergate_eval_retrieval PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_eval_retrieval PUBLIC tiergate_rag tiergate_core nlohmann_json::nlohmann_json)
