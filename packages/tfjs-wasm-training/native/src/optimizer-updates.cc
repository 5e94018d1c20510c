// The float operations are tfjs's, in its order, one rounding each (the addon is built with -ffp-contract=off, so
// no multiply-add is fused): the new weights equal the cpu backend's bit for bit.
#include "optimizer-updates.h"

#include "elementwise.h"

namespace acaf {

// (heap, size, step, value, gradient, out): out = step * gradient + value, with step = -learning rate (tfjs's SGD:
// add(mul(c, gradient), value)).
void sgdUpdate(const KernelArgs& args) {
  const int64_t size = args.integer(1);
  const float step = static_cast<float>(args.number(2));
  const float* value = args.floats(3, size);
  const float* gradient = args.floats(4, size);
  float* out = args.floats(5, size);
  forRanges(size, size, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; i++) out[i] = step * gradient[i] + value[i];
  });
}

// (heap, size, step, momentum, nesterov, value, gradient, accumulation, outValue, outAccumulation): tfjs's Momentum,
//   accumulation' = momentum * accumulation + gradient,
//   value' = step * accumulation' + value, or with Nesterov step * (gradient + accumulation' * momentum) + value.
void momentumUpdate(const KernelArgs& args) {
  const int64_t size = args.integer(1);
  const float step = static_cast<float>(args.number(2));
  const float momentum = static_cast<float>(args.number(3));
  const bool nesterov = args.integer(4) != 0;
  const float* value = args.floats(5, size);
  const float* gradient = args.floats(6, size);
  const float* accumulation = args.floats(7, size);
  float* outValue = args.floats(8, size);
  float* outAccumulation = args.floats(9, size);
  forRanges(size, size * 2, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; i++) {
      const float next = momentum * accumulation[i] + gradient[i];
      outAccumulation[i] = next;
      outValue[i] = step * (nesterov ? gradient[i] + next * momentum : next) + value[i];
    }
  });
}

}  // namespace acaf
