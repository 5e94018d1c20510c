// A convolution's sizes as JavaScript passes them (arguments 1-17 of every convolution call), NHWC and HWIO.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "napi-args.h"
#include "onednn.h"

namespace acaf {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;

struct Geometry {
  int64_t batch, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels, outHeight, outWidth;
  int64_t strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, padBottom, padRight;

  memory::desc input() const { return {{batch, inChannels, inHeight, inWidth}, kF32, Tag::nhwc}; }
  memory::desc output() const { return {{batch, outChannels, outHeight, outWidth}, kF32, Tag::nhwc}; }
  memory::dims filterDims() const { return {outChannels, inChannels, filterHeight, filterWidth}; }
  memory::desc userFilter() const { return {filterDims(), kF32, Tag::hwio}; }
  memory::desc anyFilter() const { return {filterDims(), kF32, Tag::any}; }
  memory::dims strides() const { return {strideHeight, strideWidth}; }
  // oneDNN counts dilation from 0 (tfjs from 1).
  memory::dims dilations() const { return {dilationHeight - 1, dilationWidth - 1}; }
  memory::dims padBefore() const { return {padTop, padLeft}; }
  memory::dims padAfter() const { return {padBottom, padRight}; }
  std::string key() const {
    return cacheKey(batch, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels, outHeight, outWidth,
                    strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, padBottom, padRight);
  }
  size_t inputSize() const { return batch * inHeight * inWidth * inChannels; }
  size_t outputSize() const { return batch * outHeight * outWidth * outChannels; }
  size_t filterSize() const { return filterHeight * filterWidth * inChannels * outChannels; }
};

// Arguments 1-17 of every convolution call.
inline Geometry geometryOf(const KernelArgs& args) {
  int64_t v[17];
  for (size_t i = 0; i < 17; i++) v[i] = args.integer(i + 1);
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16]};
}
constexpr size_t kFirstTensorArg = 18;

}  // namespace acaf
