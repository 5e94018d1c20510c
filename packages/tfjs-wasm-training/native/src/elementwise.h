// Element-wise kernels (ReLU and its gradient, binary arithmetic with the broadcasts training uses) as
// multithreaded, vectorised loops over tfjs-backend-wasm's heap.
#pragma once

#include <omp.h>

#include <cstdint>

#include "napi-args.h"

namespace acaf {

// Below this many values (512 KB) a memory-bound loop runs on the calling thread. A parallel region ends when every
// thread has done its part, so one thread the OS does not run at once (the machine's cores busy with other work)
// stalls it: within ResNet-50 training on 2 loaded cores, from 32K values up the parallel loops ran 2-5x slower than
// tfjs-backend-wasm's single-threaded kernels. Since idle OpenMP threads spin instead of sleeping (src/native/addon.ts,
// SPIN_COUNT), 128K values repay it: the memory-bound kernels' time in a GoogLeNet step 50-52 ms against 58-76 ms with
// threads from 1M values up (three alternating processes each), ResNet-50 61-94 against 81-107, the small CNN equal.
constexpr int64_t kParallelValues = 1 << 17;

// body(begin, end) over [0, count): split among the threads where `values` (the work) reaches kParallelValues,
// else called once on the calling thread, outside any OpenMP region.
template <typename Body>
void forRanges(int64_t count, int64_t values, Body body) {
  if (values < kParallelValues) return body(int64_t{0}, count);
#pragma omp parallel
  {
    const int64_t thread = omp_get_thread_num(), threads = omp_get_num_threads();
    body(count * thread / threads, count * (thread + 1) / threads);
  }
}

void relu(const KernelArgs& args);
void reluGradient(const KernelArgs& args);
void binary(const KernelArgs& args);

}  // namespace acaf
