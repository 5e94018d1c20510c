// Batch normalisation's passes: the package's ops AcafChannelMoments, AcafNormalizationGradientSums and
// AcafNormalizationInputGradient, the whole training pass AcafBatchNormTraining and its gradient AcafBatchNormGradient
// (src/normalization-ops.ts), and tfjs's FusedBatchNorm. Each computes what the wasm
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

// mean = sum(x) / rows, variance = sum((x - mean)^2) / rows per channel, with the float32 mean, like tfjs's
// mean(squaredDifference(x, mean)).
void moments(int64_t rows, int64_t channels, const float* x, float* mean, float* variance) {
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

// sum(dy) and sum(dy * (x - mean)) per channel.
void gradientSums(int64_t rows, int64_t channels, const float* dy, const float* x, const float* mean, float* dySums,
                  float* centeredSums) {
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

// dx = dy * dyScale + (x - mean) * centeredScale + shift, with per-channel vectors.
void inputGradient(int64_t rows, int64_t channels, const float* dy, const float* x, const float* dyScale, const float* mean,
                   const float* centeredScale, const float* shift, float* dx) {
  forRanges(rows, rows * channels, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int64_t at = r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; c++)
        dx[at + c] = dy[at + c] * dyScale[c] + (x[at + c] - mean[c]) * centeredScale[c] + shift[c];
    }
  });
}

// tfjs's FusedBatchNorm with per-channel statistics, as x * k + (offset - mean * k) with
// k = scale / sqrt(variance + epsilon), the form of the wasm kernel (src/kernels/fused-batch-norm.ts).
void normalize(int64_t rows, int64_t channels, const float* x, const float* mean, const float* variance, const float* offset,
               const float* scale, float epsilon, float* out) {
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

// (heap, rows, channels, x, mean, variance)
void channelMoments(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  moments(rows, channels, args.floats(3, rows * channels), args.floats(4, channels), args.floats(5, channels));
}

// (heap, rows, channels, dy, x, mean, dySums, centeredSums)
void normalizationGradientSums(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  gradientSums(rows, channels, args.floats(3, rows * channels), args.floats(4, rows * channels), args.floats(5, channels),
               args.floats(6, channels), args.floats(7, channels));
}

// (heap, rows, channels, dy, x, dyScale, mean, centeredScale, shift, dx)
void normalizationInputGradient(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  inputGradient(rows, channels, args.floats(3, rows * channels), args.floats(4, rows * channels), args.floats(5, channels),
                args.floats(6, channels), args.floats(7, channels), args.floats(8, channels), args.floats(9, rows * channels));
}

// (heap, rows, channels, x, mean, variance, offset or -1, scale or -1, varianceEpsilon, out)
void batchNormInference(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  normalize(rows, channels, args.floats(3, rows * channels), args.floats(4, channels), args.floats(5, channels),
            args.optionalFloats(6, channels), args.optionalFloats(7, channels), static_cast<float>(args.number(8)),
            args.floats(9, rows * channels));
}

// (heap, rows, channels, epsilon, x, gamma, beta, y, mean, variance): the batch's moments, then x normalised by them.
void batchNormTraining(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float epsilon = static_cast<float>(args.number(3));
  const float* x = args.floats(4, rows * channels);
  float* mean = args.floats(8, channels);
  float* variance = args.floats(9, channels);
  moments(rows, channels, x, mean, variance);
  normalize(rows, channels, x, mean, variance, args.floats(6, channels), args.floats(5, channels), epsilon,
            args.floats(7, rows * channels));
}

// (heap, rows, channels, epsilon, dy, x, mean, variance, gamma, dx, dGamma, dBeta): the gradient sums, the per-channel
// factors between them in the float32 operations of the tfjs ops (Rsqrt as 1 / sqrt in double, rounded once, as the
// cpu backend computes it; src/kernels/normalization-vectors.ts), then the input gradient.
void batchNormGradient(const KernelArgs& args) {
  const int64_t rows = args.integer(1), channels = args.integer(2);
  const float epsilon = static_cast<float>(args.number(3));
  const float* dy = args.floats(4, rows * channels);
  const float* x = args.floats(5, rows * channels);
  const float* mean = args.floats(6, channels);
  const float* variance = args.floats(7, channels);
  const float* gamma = args.floats(8, channels);
  float* dx = args.floats(9, rows * channels);
  float* dGamma = args.floats(10, channels);
  float* dBeta = args.floats(11, channels);
  std::vector<float> centeredSums(channels), dyScale(channels), centeredScale(channels), shift(channels);
  gradientSums(rows, channels, dy, x, mean, dBeta, centeredSums.data());
  const float negativeCount = static_cast<float>(-rows);
  for (int64_t c = 0; c < channels; c++) {
    const float invStd = static_cast<float>(1.0 / std::sqrt(static_cast<double>(variance[c] + epsilon)));
    dGamma[c] = centeredSums[c] * invStd;
    dyScale[c] = gamma[c] * invStd;
    centeredScale[c] = dyScale[c] * invStd * dGamma[c] / negativeCount;
    shift[c] = dyScale[c] * dBeta[c] / negativeCount;
  }
  inputGradient(rows, channels, dy, x, dyScale.data(), mean, centeredScale.data(), shift.data(), dx);
}

}  // namespace acaf
