// Local response normalisation across channels (AlexNet's LRN) and its gradient, NHWC, as tfjs defines them:
// y[c] = x[c] * (bias + alpha * sum of x[c']^2 over |c' - c| <= radius)^-beta. Per pixel, window sums come from
// prefix sums over the channels (in double, as tfjs's cpu kernels sum in JavaScript numbers), so a pixel costs
// O(channels) whatever the radius.
#include "lrn.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace acaf {
namespace {

struct Lrn {
  int64_t pixels, channels, radius;
  double bias, alpha, beta;
};

Lrn lrnOf(const KernelArgs& args) {
  return {args.integer(1), args.integer(2), args.integer(3), args.number(4), args.number(5), args.number(6)};
}

// prefix[c + 1] = sum of values[0..c]; the window of c is [c - radius, c + radius] within [0, channels).
double windowSum(const std::vector<double>& prefix, int64_t c, const Lrn& lrn) {
  const int64_t first = std::max<int64_t>(0, c - lrn.radius), last = std::min(lrn.channels - 1, c + lrn.radius);
  return prefix[last + 1] - prefix[first];
}

// powers[c] = norm[c]^-beta. The exponents LRN is used with, 0.75 (AlexNet's) and 0.5 (tfjs's default), by square
// roots, which vectorise: pow per value made LRN most of an AlexNet step.
void negativePowers(const std::vector<double>& norm, std::vector<double>& powers, double beta) {
  const int64_t n = static_cast<int64_t>(norm.size());
  if (beta == 0.75) {
#pragma omp simd
    for (int64_t c = 0; c < n; c++) powers[c] = 1.0 / (std::sqrt(norm[c]) * std::sqrt(std::sqrt(norm[c])));
  } else if (beta == 0.5) {
#pragma omp simd
    for (int64_t c = 0; c < n; c++) powers[c] = 1.0 / std::sqrt(norm[c]);
  } else {
    for (int64_t c = 0; c < n; c++) powers[c] = std::pow(norm[c], -beta);
  }
}

}  // namespace

// (heap, pixels, channels, radius, bias, alpha, beta, x, y)
void lrnForward(const KernelArgs& args) {
  const Lrn lrn = lrnOf(args);
  const size_t size = lrn.pixels * lrn.channels;
  const float* x = args.floats(7, size);
  float* y = args.floats(8, size);
#pragma omp parallel
  {
    std::vector<double> prefix(lrn.channels + 1, 0.0), norm(lrn.channels), powers(lrn.channels);
#pragma omp for
    for (int64_t p = 0; p < lrn.pixels; p++) {
      const float* in = x + p * lrn.channels;
      for (int64_t c = 0; c < lrn.channels; c++) prefix[c + 1] = prefix[c] + double(in[c]) * in[c];
      for (int64_t c = 0; c < lrn.channels; c++) norm[c] = lrn.bias + lrn.alpha * windowSum(prefix, c, lrn);
      negativePowers(norm, powers, lrn.beta);
      for (int64_t c = 0; c < lrn.channels; c++) y[p * lrn.channels + c] = float(in[c] * powers[c]);
    }
  }
}

// (heap, pixels, channels, radius, bias, alpha, beta, x, y, dy, dx):
// dx[k] = dy[k] norm[k]^-beta - 2 alpha beta x[k] * sum over o with k in o's window of dy[o] y[o] / norm[o].
void lrnGradient(const KernelArgs& args) {
  const Lrn lrn = lrnOf(args);
  const size_t size = lrn.pixels * lrn.channels;
  const float* x = args.floats(7, size);
  const float* y = args.floats(8, size);
  const float* dy = args.floats(9, size);
  float* dx = args.floats(10, size);
#pragma omp parallel
  {
    std::vector<double> squares(lrn.channels + 1, 0.0), scaled(lrn.channels + 1, 0.0), norm(lrn.channels), powers(lrn.channels);
#pragma omp for
    for (int64_t p = 0; p < lrn.pixels; p++) {
      const int64_t at = p * lrn.channels;
      for (int64_t c = 0; c < lrn.channels; c++) squares[c + 1] = squares[c] + double(x[at + c]) * x[at + c];
      for (int64_t c = 0; c < lrn.channels; c++) {
        norm[c] = lrn.bias + lrn.alpha * windowSum(squares, c, lrn);
        scaled[c + 1] = scaled[c] + double(dy[at + c]) * y[at + c] / norm[c];
      }
      negativePowers(norm, powers, lrn.beta);
      // Windows are symmetric: k lies in o's window exactly when o lies in k's.
      for (int64_t k = 0; k < lrn.channels; k++)
        dx[at + k] = float(dy[at + k] * powers[k] -
                           2 * lrn.alpha * lrn.beta * x[at + k] * windowSum(scaled, k, lrn));
    }
  }
}

}  // namespace acaf
