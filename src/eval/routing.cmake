add_library(tiergate_eval_routing STATIC
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/python_literal.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_split.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_eval.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_train.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_calibrate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorer_train.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cascade_eval.cpp
)
target_include_directories(tiergate_eval_routing PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_eval_routing PUBLIC tiergate_router_learned tiergate_core nlohmann_json::nlohmann_json)
