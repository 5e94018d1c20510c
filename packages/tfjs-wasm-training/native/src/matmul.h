#pragma once

#include <cstdint>

#include "napi-args.h"

namespace acaf {

// A batched product's sizes: c[batch] = op(a[batch or 0]) op(b[batch or 0]), op(a) [rows, inner], op(b) [inner, columns].
struct ProductShape {
  int64_t batchA, batchB, rows, inner, columns;
  bool transposeA, transposeB;
};

// The product by oneDNN's matmul (bias per column or nullptr; activation as in onednn.h).
void product(const ProductShape& shape, const float* a, const float* b, const float* bias, float* c, int activation, float alpha);

void matMul(const KernelArgs& args);

}  // namespace acaf
