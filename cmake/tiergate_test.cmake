# tiergate_unit_test(NAME SOURCES... LIBS ...): one GoogleTest binary, its tests
# registered with CTest and labelled "unit".
function(tiergate_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    TIERGATE_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    TIERGATE_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()
