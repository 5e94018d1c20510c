// Element-wise kernels. Each loop is split among OpenMP threads (the same pool as oneDNN's, sized by setThreads) on
// large tensors (forRanges), and vectorised (`omp simd`, AVX-512 with -march=native) within each part. Float operations are tfjs's, one per value,
// so results are the cpu backend's bit for bit.
#include "elementwise.h"

#include <cmath>
#include <limits>

namespace acaf {

namespace {

// How each operand of a binary op is laid out against the [rows, channels] output.
enum class Layout { kFull = 0, kPerChannel = 1, kScalar = 2 };

// tfjs's binary ops by the code JavaScript passes (src/native/elementwise.ts).
enum class BinaryOp { kAdd = 0, kSub = 1, kMultiply = 2, kRealDiv = 3, kMaximum = 4 };

template <BinaryOp op>
inline float apply(float a, float b) {
  if constexpr (op == BinaryOp::kAdd) return a + b;
  if constexpr (op == BinaryOp::kSub) return a - b;
  if constexpr (op == BinaryOp::kMultiply) return a * b;
  if constexpr (op == BinaryOp::kRealDiv) return a / b;
  // Math.max: NaN if either is NaN. Plain selects, so that the loops vectorise.
  if constexpr (op == BinaryOp::kMaximum) {
    const float larger = a > b ? a : b;
    return (a != a) | (b != b) ? std::numeric_limits<float>::quiet_NaN() : larger;
  }
}

// out = a op b where neither operand is per channel: one flat loop.
template <BinaryOp op, Layout layoutA, Layout layoutB>
void flatLoop(const float* a, const float* b, float* out, int64_t size) {
  const float scalarA = layoutA == Layout::kScalar ? a[0] : 0.f;
  const float scalarB = layoutB == Layout::kScalar ? b[0] : 0.f;
  forRanges(size, size, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; i++)
      out[i] = apply<op>(layoutA == Layout::kScalar ? scalarA : a[i], layoutB == Layout::kScalar ? scalarB : b[i]);
  });
}

// out = a op b where one operand is a per-channel vector: rows in parallel, channels vectorised.
template <BinaryOp op, Layout layoutA, Layout layoutB>
void rowLoop(const float* a, const float* b, float* out, int64_t rows, int64_t channels) {
  forRanges(rows, rows * channels, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; row++) {
      const float* rowA = layoutA == Layout::kPerChannel ? a : a + row * channels;
      const float* rowB = layoutB == Layout::kPerChannel ? b : b + row * channels;
      float* rowOut = out + row * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) rowOut[c] = apply<op>(rowA[c], rowB[c]);
    }
  });
}

template <BinaryOp op>
void binaryOf(Layout layoutA, Layout layoutB, const float* a, const float* b, float* out, int64_t rows, int64_t channels) {
  const int64_t size = rows * channels;
  if (layoutA == Layout::kFull && layoutB == Layout::kFull) flatLoop<op, Layout::kFull, Layout::kFull>(a, b, out, size);
  else if (layoutA == Layout::kFull && layoutB == Layout::kScalar) flatLoop<op, Layout::kFull, Layout::kScalar>(a, b, out, size);
  else if (layoutA == Layout::kScalar && layoutB == Layout::kFull) flatLoop<op, Layout::kScalar, Layout::kFull>(a, b, out, size);
  else if (layoutA == Layout::kFull && layoutB == Layout::kPerChannel)
    rowLoop<op, Layout::kFull, Layout::kPerChannel>(a, b, out, rows, channels);
  else if (layoutA == Layout::kPerChannel && layoutB == Layout::kFull)
    rowLoop<op, Layout::kPerChannel, Layout::kFull>(a, b, out, rows, channels);
  else throw ArgumentError("unsupported operand layouts " + std::to_string(static_cast<int>(layoutA)) + ", " +
                           std::to_string(static_cast<int>(layoutB)));
}

Layout layoutOf(int64_t code) {
  if (code < 0 || code > 2) throw ArgumentError("unknown operand layout " + std::to_string(code));
  return static_cast<Layout>(code);
}

int64_t valuesOf(Layout layout, int64_t rows, int64_t channels) {
  return layout == Layout::kFull ? rows * channels : layout == Layout::kPerChannel ? channels : 1;
}

}  // namespace

// (heap, size, x, out): out = max(x, 0), NaN kept (Math.max(0, x)).
void relu(const KernelArgs& args) {
  const int64_t size = args.integer(1);
  const float* x = args.floats(2, size);
  float* out = args.floats(3, size);
  forRanges(size, size, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; i++) out[i] = x[i] < 0.f ? 0.f : x[i];
  });
}

// (heap, size, dy, x, out): ReLU's gradient, out = dy * step(x) as tfjs computes it (mul(dy, cast(step(x)))):
// step(x) is 1 above zero, NaN for NaN, else 0.
void reluGradient(const KernelArgs& args) {
  const int64_t size = args.integer(1);
  const float* dy = args.floats(2, size);
  const float* x = args.floats(3, size);
  float* out = args.floats(4, size);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  forRanges(size, size, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; i++) {
      // Two plain selects (a nested one kept GCC from vectorising: a branch per value, 5-10x slower).
      const float step = x[i] > 0.f ? 1.f : 0.f;
      out[i] = dy[i] * (x[i] != x[i] ? nan : step);
    }
  });
}

// (heap, op, rows, channels, layoutA, layoutB, a, b, out): out[rows, channels] = a op b, each operand full
// [rows, channels], a per-channel vector [channels] or a scalar.
void binary(const KernelArgs& args) {
  const int64_t op = args.integer(1), rows = args.integer(2), channels = args.integer(3);
  const Layout layoutA = layoutOf(args.integer(4)), layoutB = layoutOf(args.integer(5));
  const float* a = args.floats(6, valuesOf(layoutA, rows, channels));
  const float* b = args.floats(7, valuesOf(layoutB, rows, channels));
  float* out = args.floats(8, rows * channels);
  switch (static_cast<BinaryOp>(op)) {
    case BinaryOp::kAdd:
      return binaryOf<BinaryOp::kAdd>(layoutA, layoutB, a, b, out, rows, channels);
    case BinaryOp::kSub:
      return binaryOf<BinaryOp::kSub>(layoutA, layoutB, a, b, out, rows, channels);
    case BinaryOp::kMultiply:
      return binaryOf<BinaryOp::kMultiply>(layoutA, layoutB, a, b, out, rows, channels);
    case BinaryOp::kRealDiv:
      return binaryOf<BinaryOp::kRealDiv>(layoutA, layoutB, a, b, out, rows, channels);
    case BinaryOp::kMaximum:
      return binaryOf<BinaryOp::kMaximum>(layoutA, layoutB, a, b, out, rows, channels);
  }
  throw ArgumentError("unknown binary op " + std::to_string(op));
}

}  // namespace acaf
