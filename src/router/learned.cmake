add_library(tiergate_router_learned STATIC
  ${CMAKE_CURRENT_LIST_DIR}/hashed_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/learned_router.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/weights_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_classifier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/final_answer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/answer_scorer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorer_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorer_file.cpp
)
target_include_directories(tiergate_router_learned PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_router_learned PUBLIC tiergate_core nlohmann_json::nlohmann_json)
# The intent classifier's inner loops (one weight row per feature, every
# intent) run 3x faster vectorized; -O2 (RelWithDebInfo) leaves them scalar.
set_source_files_properties(
  ${CMAKE_CURRENT_LIST_DIR}/intent_classifier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/answer_scorer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scorer_training.cpp
  PROPERTIES COMPILE_OPTIONS "-O3")
