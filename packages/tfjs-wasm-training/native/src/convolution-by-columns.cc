// Convolutions of small maps as matrix products over the input's columns (im2col).
//
// On maps of a few pixels (the deep stages of 32x32 images: 4x4, 2x2) oneDNN's convolution kernels run at a tenth
// of its matrix product's speed, and its product wins even counting the taps that read only padding. The columns
// of an NHWC input are [pixels out, taps * in channels] with the taps in HWIO's order, so the HWIO filter is the
// product's right operand as it lies, and the filter gradient lands in HWIO directly.
#include "convolution.h"

#include <cstring>
#include <vector>

#include "geometry.h"
#include "matmul.h"

namespace acaf {
namespace {

int64_t tapsTimesChannels(const Geometry& g) { return g.filterHeight * g.filterWidth * g.inChannels; }
int64_t outPixels(const Geometry& g) { return g.batch * g.outHeight * g.outWidth; }

// The input pixel that tap (kh, kw) reads at output pixel (oh, ow), or false where it reads padding.
bool readPixel(const Geometry& g, int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t& ih, int64_t& iw) {
  ih = oh * g.strideHeight + kh * g.dilationHeight - g.padTop;
  iw = ow * g.strideWidth + kw * g.dilationWidth - g.padLeft;
  return ih >= 0 && ih < g.inHeight && iw >= 0 && iw < g.inWidth;
}

// columns[pixel out][tap][channel] = x at the pixel that tap reads there (zero in padding).
void toColumns(const Geometry& g, const float* x, float* columns) {
  const int64_t row = tapsTimesChannels(g), channels = g.inChannels;
#pragma omp parallel for
  for (int64_t n = 0; n < g.batch; n++) {
    for (int64_t oh = 0; oh < g.outHeight; oh++)
      for (int64_t ow = 0; ow < g.outWidth; ow++) {
        float* out = columns + ((n * g.outHeight + oh) * g.outWidth + ow) * row;
        for (int64_t kh = 0; kh < g.filterHeight; kh++)
          for (int64_t kw = 0; kw < g.filterWidth; kw++, out += channels) {
            int64_t ih, iw;
            if (readPixel(g, oh, ow, kh, kw, ih, iw))
              std::memcpy(out, x + ((n * g.inHeight + ih) * g.inWidth + iw) * channels, channels * sizeof(float));
            else
              std::memset(out, 0, channels * sizeof(float));
          }
      }
  }
}

// The adjoint of toColumns: every column entry added back to the input pixel it was read from.
void fromColumns(const Geometry& g, const float* columns, float* dx) {
  const int64_t row = tapsTimesChannels(g), channels = g.inChannels;
#pragma omp parallel for
  for (int64_t n = 0; n < g.batch; n++) {
    float* image = dx + n * g.inHeight * g.inWidth * channels;
    std::memset(image, 0, g.inHeight * g.inWidth * channels * sizeof(float));
    for (int64_t oh = 0; oh < g.outHeight; oh++)
      for (int64_t ow = 0; ow < g.outWidth; ow++) {
        const float* in = columns + ((n * g.outHeight + oh) * g.outWidth + ow) * row;
        for (int64_t kh = 0; kh < g.filterHeight; kh++)
          for (int64_t kw = 0; kw < g.filterWidth; kw++, in += channels) {
            int64_t ih, iw;
            if (!readPixel(g, oh, ow, kh, kw, ih, iw)) continue;
            float* pixel = image + (ih * g.inWidth + iw) * channels;
#pragma omp simd
            for (int64_t c = 0; c < channels; c++) pixel[c] += in[c];
          }
      }
  }
}

// Scratch for the columns, kept between calls (the same sizes come every training step).
std::vector<float>& columnsBuffer(const Geometry& g) {
  static std::vector<float> buffer;
  buffer.resize(outPixels(g) * tapsTimesChannels(g));
  return buffer;
}

ProductShape shapeOf(int64_t rows, int64_t inner, int64_t columns, bool transposeA, bool transposeB) {
  return {1, 1, rows, inner, columns, transposeA, transposeB};
}

}  // namespace

// (heap, geometry[17], x, filter, bias or -1, y, activation, leakyReluAlpha): y = columns(x) filter (+ bias, activation).
void conv2dForwardByColumns(const KernelArgs& args) {
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  std::vector<float>& columns = columnsBuffer(g);
  toColumns(g, args.floats(t, g.inputSize()), columns.data());
  product(shapeOf(outPixels(g), tapsTimesChannels(g), g.outChannels, false, false), columns.data(), args.floats(t + 1, g.filterSize()),
          args.optionalFloats(t + 2, g.outChannels), args.floats(t + 3, g.outputSize()), static_cast<int>(args.integer(t + 4)),
          static_cast<float>(args.number(t + 5)));
}

// (heap, geometry[17], dy, filter, dx): dx = fromColumns(dy filter^T).
void conv2dInputGradientByColumns(const KernelArgs& args) {
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  std::vector<float>& columns = columnsBuffer(g);
  product(shapeOf(outPixels(g), g.outChannels, tapsTimesChannels(g), false, true), args.floats(t, g.outputSize()),
          args.floats(t + 1, g.filterSize()), nullptr, columns.data(), 0, 0.f);
  fromColumns(g, columns.data(), args.floats(t + 2, g.inputSize()));
}

// (heap, geometry[17], x, dy, dFilter): dFilter = columns(x)^T dy.
void conv2dFilterGradientByColumns(const KernelArgs& args) {
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  std::vector<float>& columns = columnsBuffer(g);
  toColumns(g, args.floats(t, g.inputSize()), columns.data());
  product(shapeOf(tapsTimesChannels(g), outPixels(g), g.outChannels, true, false), columns.data(), args.floats(t + 1, g.outputSize()),
          nullptr, args.floats(t + 2, g.filterSize()), 0, 0.f);
}

}  // namespace acaf
