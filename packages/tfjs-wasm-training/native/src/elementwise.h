// Element-wise kernels (ReLU, its gradient's Step, binary arithmetic with the broadcasts training uses) as
// multithreaded, vectorised loops over tfjs-backend-wasm's heap.
#pragma once

#include <cstdint>

#include "napi-args.h"

namespace acaf {

// Below this many values a loop runs on the calling thread: waking the other threads costs more than they save.
constexpr int64_t kParallelValues = 1 << 15;

void relu(const KernelArgs& args);
void step(const KernelArgs& args);
void binary(const KernelArgs& args);

}  // namespace acaf
