# Remote providers (OpenAI-compatible, OpenAI, Anthropic) with retries,
# circuit breakers and fallback chains. No dependency on the engine.
find_package(Boost REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)

add_library(tiergate_providers_remote STATIC
  ${CMAKE_CURRENT_LIST_DIR}/anthropic_dialect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/anthropic_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/attempt_record.cpp
  ${CMAKE_CURRENT_LIST_DIR}/circuit_breaker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/circuit_breaker_registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/endpoint_url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fallback_chain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/io_runtime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_count.cpp
  ${CMAKE_CURRENT_LIST_DIR}/make_remote_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/openai_compatible_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/openai_dialect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/openai_tool_wire.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/remote_context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/remote_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resilient_exchange.cpp
  ${CMAKE_CURRENT_LIST_DIR}/retry_backoff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sse_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/token_estimate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/upstream_error.cpp
)
target_link_libraries(tiergate_providers_remote
  PUBLIC tiergate_core tiergate_config Boost::boost OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
