add_library(tiergate_router_learned STATIC
  ${CMAKE_CURRENT_LIST_DIR}/hashed_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/learned_router.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router_file.cpp
)
target_include_directories(tiergate_router_learned PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(tiergate_router_learned PUBLIC tiergate_core nlohmann_json::nlohmann_json)
