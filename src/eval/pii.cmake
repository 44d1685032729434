add_library(tiergate_eval_pii STATIC
  ${CMAKE_CURRENT_LIST_DIR}/pii_eval.cpp
)
target_include_directories(tiergate_eval_pii PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_eval_pii PUBLIC tiergate_guard tiergate_core nlohmann_json::nlohmann_json)
