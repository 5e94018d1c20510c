// Batch normalisation's passes: the package's ops AcafChannelMoments, AcafNormalizationGradientSums and
// AcafNormalizationInputGradient (src/normalization-ops.ts) and tfjs's FusedBatchNorm. Each computes what the wasm
// SIMD kernels compute (src/simd/channel-kernels-wat.ts), in the same float32 operations: per-value terms in
// float32, sums in float64 (as the cpu backend adds), rounded once. Sums split the rows among the threads, each
// adding its rows into float64 sums of its own, which are then added in thread order.
#include "batch-norm.h"

#include <omp.h>

#include <cmath>
#include <vector>

#include "elementwise.h"

namespace acaf {

namespace {

// Per-channel float64 sums of `terms` expressions over the rows: sums[t * channels + c] = sum over r of
// term_t(r, c). `accumulate(row, begin, end, sums)` adds rows [begin, end) to a thread's sums.
template <typename Accumulate>
std::vector<double> columnSums(int64_t rows, int64_t channels, int terms, Accumulate accumulate) {
  const int64_t width = terms * channels;
  const int threads = rows * channels >= kParallelValues ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(threads) * width, 0.0);
  if (threads == 1) {
    accumulate(int64_t{0}, rows, partial.data());
    return partial;
  }
#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num(), count = omp_get_num_threads();
    const int64_t begin = rows * thread / count, end = rows * (thread + 1) / count;
    accumulate(begin, end, partial.data() + thread * width);
  }
  for (int thread = 1; thread < threads; thread++)
    for (int64_t i = 0; i < width; i++) partial[i] += partial[thread * width + i];
  partial.resize(width);
  return partial;
}

}  // namespace

// (heap, rows, channels, divisor, x, out): out = sum(x) / divisor per channel, the float64 sum rounded to float32 and
// divided in float32 (tfjs's Mean divides its float32 Sum).
void channelSums(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float divisor = static_cast<float>(args.number(3));
  const float* x = args.floats(4, rows * channels);
  float* out = args.floats(5, channels);
  const std::vector<double> sums = columnSums(rows, channels, 1, [&](int64_t begin, int64_t end, double* sum) {
    for (int64_t r = begin; r < end; r++) {
      const float* row = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) sum[c] += row[c];
    }
  });
  for (int64_t c = 0; c < channels; c++) out[c] = static_cast<float>(sums[c]) / divisor;
}

// (heap, rows, channels, x, mean, variance): mean = sum(x) / rows, variance = sum((x - mean)^2) / rows per channel,
// with the float32 mean, like tfjs's mean(squaredDifference(x, mean)).
void channelMoments(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float* x = args.floats(3, rows * channels);
  float* mean = args.floats(4, channels);
  float* variance = args.floats(5, channels);
  const std::vector<double> sums = columnSums(rows, channels, 1, [&](int64_t begin, int64_t end, double* sum) {
    for (int64_t r = begin; r < end; r++) {
      const float* row = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) sum[c] += row[c];
    }
  });
  for (int64_t c = 0; c < channels; c++) mean[c] = static_cast<float>(sums[c] / rows);
  const std::vector<double> squares = columnSums(rows, channels, 1, [&](int64_t begin, int64_t end, double* sum) {
    for (int64_t r = begin; r < end; r++) {
      const float* row = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) {
        const float centered = row[c] - mean[c];
        sum[c] += centered * centered;
      }
    }
  });
  for (int64_t c = 0; c < channels; c++) variance[c] = static_cast<float>(squares[c] / rows);
}

// (heap, rows, channels, dy, x, mean, dySums, centeredSums): sum(dy) and sum(dy * (x - mean)) per channel.
void normalizationGradientSums(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float* dy = args.floats(3, rows * channels);
  const float* x = args.floats(4, rows * channels);
  const float* mean = args.floats(5, channels);
  float* dySums = args.floats(6, channels);
  float* centeredSums = args.floats(7, channels);
  const std::vector<double> sums = columnSums(rows, channels, 2, [&](int64_t begin, int64_t end, double* sum) {
    double* centeredSum = sum + channels;
    for (int64_t r = begin; r < end; r++) {
      const float* dyRow = dy + r * channels;
      const float* xRow = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) {
        sum[c] += dyRow[c];
        centeredSum[c] += dyRow[c] * (xRow[c] - mean[c]);
      }
    }
  });
  for (int64_t c = 0; c < channels; c++) {
    dySums[c] = static_cast<float>(sums[c]);
    centeredSums[c] = static_cast<float>(sums[channels + c]);
  }
}

// (heap, rows, channels, dy, x, dyScale, mean, centeredScale, shift, dx):
// dx = dy * dyScale + (x - mean) * centeredScale + shift, with per-channel vectors.
void normalizationInputGradient(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float* dy = args.floats(3, rows * channels);
  const float* x = args.floats(4, rows * channels);
  const float* dyScale = args.floats(5, channels);
  const float* mean = args.floats(6, channels);
  const float* centeredScale = args.floats(7, channels);
  const float* shift = args.floats(8, channels);
  float* dx = args.floats(9, rows * channels);
  forRanges(rows, rows * channels, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int64_t at = r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++)
        dx[at + c] = dy[at + c] * dyScale[c] + (x[at + c] - mean[c]) * centeredScale[c] + shift[c];
    }
  });
}

// (heap, rows, channels, x, mean, variance, offset or -1, scale or -1, varianceEpsilon, out): tfjs's FusedBatchNorm
// with per-channel statistics, as x * k + (offset - mean * k) with k = scale / sqrt(variance + epsilon), the form
// of the wasm kernel (src/kernels/fused-batch-norm.ts).
void batchNormInference(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float* x = args.floats(3, rows * channels);
  const float* mean = args.floats(4, channels);
  const float* variance = args.floats(5, channels);
  const float* offset = args.optionalFloats(6, channels);
  const float* scale = args.optionalFloats(7, channels);
  const float epsilon = static_cast<float>(args.number(8));
  float* out = args.floats(9, rows * channels);
  std::vector<float> factor(channels), shift(channels);
  for (int64_t c = 0; c < channels; c++) {
    const float inverseStd = 1.f / std::sqrt(variance[c] + epsilon);
    factor[c] = scale ? scale[c] * inverseStd : inverseStd;
    shift[c] = offset ? offset[c] - mean[c] * factor[c] : -(mean[c] * factor[c]);
  }
  const float* k = factor.data();
  const float* s = shift.data();
  forRanges(rows, rows * channels, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int64_t at = r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++) out[at + c] = x[at + c] * k[c] + s[c];
    }
  });
}

}  // namespace acaf
