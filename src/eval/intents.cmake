add_library(tiergate_eval_intents STATIC
  ${CMAKE_CURRENT_LIST_DIR}/intent_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_domains.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_holdout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_calibrate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_train.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_eval.cpp
)
target_include_directories(tiergate_eval_intents PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_eval_intents PUBLIC tiergate_router_learned tiergate_core nlohmann_json::nlohmann_json)
