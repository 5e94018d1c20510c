// Max pooling (tfjs's MaxPool) and its gradient (MaxPoolGrad), exactly as the cpu backend computes them, ties
// included: a window's maximum is its first strictly greater value in row-major window order (so NaN and padding are
// never one), and an input value's gradient is the sum, in float64 in window order, of the gradients of the windows
// whose maximum it is, rounded once (as src/simd/max-pool-grad-wat.ts). Images are independent, so the threads take
// whole images; channels are vectorised.
#include "pooling.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "elementwise.h"

namespace acaf {

namespace {

// The geometry both kernels read: arguments 1 to 14.
struct Pool {
  int64_t batch, inHeight, inWidth, channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padTop,
      padLeft;
  explicit Pool(const KernelArgs& args)
      : batch(args.integer(1)),
        inHeight(args.integer(2)),
        inWidth(args.integer(3)),
        channels(args.integer(4)),
        outHeight(args.integer(5)),
        outWidth(args.integer(6)),
        strideHeight(args.integer(7)),
        strideWidth(args.integer(8)),
        filterHeight(args.integer(9)),
        filterWidth(args.integer(10)),
        padTop(args.integer(11)),
        padLeft(args.integer(12)) {}
  int64_t inSize() const { return batch * inHeight * inWidth * channels; }
  int64_t outSize() const { return batch * outHeight * outWidth * channels; }

  // For each window of image `image`, in row-major order: visit(window index in the image, first pixel of its rows
  // and columns clipped to the input, end of them), pixels indexed within the image.
  template <typename Visit>
  void forEachWindow(Visit visit) const {
    for (int64_t outRow = 0; outRow < outHeight; outRow++) {
      const int64_t rowStart = outRow * strideHeight - padTop;
      const int64_t rowBegin = std::max<int64_t>(rowStart, 0), rowEnd = std::min(rowStart + filterHeight, inHeight);
      for (int64_t outColumn = 0; outColumn < outWidth; outColumn++) {
        const int64_t columnStart = outColumn * strideWidth - padLeft;
        const int64_t columnBegin = std::max<int64_t>(columnStart, 0), columnEnd = std::min(columnStart + filterWidth, inWidth);
        visit(outRow * outWidth + outColumn, rowBegin, rowEnd, columnBegin, columnEnd);
      }
    }
  }
};

}  // namespace

// (heap, batch, inHeight, inWidth, channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight,
// filterWidth, padTop, padLeft, x, out)
void maxPool(const KernelArgs& args) {
  const Pool pool(args);
  const float* x = args.floats(13, pool.inSize());
  float* out = args.floats(14, pool.outSize());
  const int64_t channels = pool.channels;
#pragma omp parallel for schedule(static) if (pool.inSize() >= kParallelValues)
  for (int64_t image = 0; image < pool.batch; image++) {
    const float* input = x + image * pool.inHeight * pool.inWidth * channels;
    float* output = out + image * pool.outHeight * pool.outWidth * channels;
    pool.forEachWindow([&](int64_t window, int64_t rowBegin, int64_t rowEnd, int64_t columnBegin, int64_t columnEnd) {
      float* best = output + window * channels;
      std::fill(best, best + channels, -std::numeric_limits<float>::infinity());
      for (int64_t row = rowBegin; row < rowEnd; row++)
        for (int64_t column = columnBegin; column < columnEnd; column++) {
          const float* pixel = input + (row * pool.inWidth + column) * channels;
#pragma omp simd
          for (int64_t c = 0; c < channels; c++) best[c] = pixel[c] > best[c] ? pixel[c] : best[c];
        }
    });
  }
}

// (heap, batch, inHeight, inWidth, channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight,
// filterWidth, padTop, padLeft, x, dy, dx)
void maxPoolGrad(const KernelArgs& args) {
  const Pool pool(args);
  const float* x = args.floats(13, pool.inSize());
  const float* dy = args.floats(14, pool.outSize());
  float* dx = args.floats(15, pool.inSize());
  const int64_t channels = pool.channels, imageSize = pool.inHeight * pool.inWidth * channels;
#pragma omp parallel if (pool.inSize() >= kParallelValues)
  {
    // Per thread: one image's float64 sums, and each channel's best value and its pixel in the current window.
    std::vector<double> sums(imageSize);
    std::vector<float> best(channels);
    std::vector<int32_t> maximum(channels);
#pragma omp for schedule(static)
    for (int64_t image = 0; image < pool.batch; image++) {
      const float* input = x + image * imageSize;
      const float* gradient = dy + image * pool.outHeight * pool.outWidth * channels;
      std::fill(sums.begin(), sums.end(), 0.0);
      pool.forEachWindow([&](int64_t window, int64_t rowBegin, int64_t rowEnd, int64_t columnBegin, int64_t columnEnd) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(maximum.begin(), maximum.end(), -1);
        float* bestValues = best.data();
        int32_t* maxima = maximum.data();
        for (int64_t row = rowBegin; row < rowEnd; row++)
          for (int64_t column = columnBegin; column < columnEnd; column++) {
            const int32_t pixel = static_cast<int32_t>(row * pool.inWidth + column);
            const float* values = input + pixel * channels;
#pragma omp simd
            for (int64_t c = 0; c < channels; c++) {
              const bool greater = values[c] > bestValues[c];
              bestValues[c] = greater ? values[c] : bestValues[c];
              maxima[c] = greater ? pixel : maxima[c];
            }
          }
        const float* windowGradient = gradient + window * channels;
        for (int64_t c = 0; c < channels; c++)
          if (maxima[c] >= 0) sums[maxima[c] * channels + c] += windowGradient[c];
      });
      float* output = dx + image * imageSize;
#pragma omp simd
      for (int64_t i = 0; i < imageSize; i++) output[i] = static_cast<float>(sums[i]);
    }
  }
}

}  // namespace acaf
