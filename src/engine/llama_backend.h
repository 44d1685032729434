#pragma once
// llama.cpp's backend, started once per process, its log reduced to errors
// (on stderr). Everything that loads a model calls this first.

namespace tiergate::engine {

void init_llama_backend();

}  // namespace tiergate::engine
