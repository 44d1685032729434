# jemalloc as the process allocator of the gateway and of the benchmarks that
# time its request path: that path makes many small, short-lived allocations
# across threads, which glibc's malloc serves at a higher cost
# (docs/benchmarks.md, gateway overhead). Not under the sanitizers, which
# bring their own allocator.
function(tiergate_use_allocator target)
  if(TIERGATE_SANITIZE OR TIERGATE_FUZZ)
    return()
  endif()
  find_library(TIERGATE_JEMALLOC NAMES jemalloc)
  if(TIERGATE_JEMALLOC)
    target_link_libraries(${target} PRIVATE ${TIERGATE_JEMALLOC})
  else()
    message(WARNING "libjemalloc not found (apt-get install libjemalloc-dev): ${target} uses glibc's malloc")
  endif()
endfunction()
