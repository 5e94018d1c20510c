// Convolutions of NHWC tensors with HWIO filters (tfjs's layouts), and their two gradients, by oneDNN.
//
// Activations stay in tfjs's NHWC layout (oneDNN's nhwc kernels read it as it is: no reorder of the large tensors);
// the filter is reordered to the layout oneDNN's kernel wants on every call, as it changes every training step.
#include "convolution.h"

#include <vector>

#include "geometry.h"
#include "onednn.h"

namespace acaf {

namespace {


dnnl::convolution_forward::desc forwardDesc(const Geometry& g, bool withBias) {
  const auto kind = dnnl::prop_kind::forward_training;
  const auto algorithm = dnnl::algorithm::convolution_direct;
  if (withBias)
    return {kind, algorithm, g.input(), g.anyFilter(), memory::desc({g.outChannels}, kF32, Tag::x), g.output(),
            g.strides(), g.dilations(), g.padBefore(), g.padAfter()};
  return {kind, algorithm, g.input(), g.anyFilter(), g.output(), g.strides(), g.dilations(), g.padBefore(), g.padAfter()};
}

// A filter in the layout a primitive wants: reordered from tfjs's HWIO into a buffer kept with the primitive.
class FilterInLayout {
 public:
  FilterInLayout(const memory::desc& user, const memory::desc& wanted)
      : user_(user), wanted_(wanted), needsReorder_(user != wanted) {
    if (needsReorder_) {
      buffer_.resize(wanted.get_size() / sizeof(float));
      toWanted_ = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), wanted));
      toUser_ = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), wanted, cpuEngine(), user));
    }
  }
  // The filter at `values` (HWIO) as the primitive's memory.
  memory read(float* values) {
    memory user(user_, cpuEngine(), values);
    if (!needsReorder_) return user;
    memory wanted(wanted_, cpuEngine(), buffer_.data());
    toWanted_.execute(cpuStream(), user, wanted);
    return wanted;
  }
  // Memory for the primitive to write a filter into, and then `commit` to copy it to `values` (HWIO).
  memory output(float* values) { return needsReorder_ ? memory(wanted_, cpuEngine(), buffer_.data()) : memory(user_, cpuEngine(), values); }
  void commit(float* values) {
    if (!needsReorder_) return;
    memory wanted(wanted_, cpuEngine(), buffer_.data()), user(user_, cpuEngine(), values);
    toUser_.execute(cpuStream(), wanted, user);
  }

 private:
  memory::desc user_, wanted_;
  bool needsReorder_;
  std::vector<float> buffer_;
  dnnl::reorder toWanted_, toUser_;
};

struct Forward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward primitive;
  FilterInLayout filter;
  Forward(const Geometry& g, bool withBias, int activation, float alpha)
      : pd(forwardDesc(g, withBias), activationAttr(activation, alpha), cpuEngine()),
        primitive(pd),
        filter(g.userFilter(), pd.weights_desc()) {
    noteImplementation("Conv2D forward", pd.impl_info_str());
  }
};

struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  FilterInLayout filter;
  explicit BackwardData(const Geometry& g)
      : pd(dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, g.input(), g.anyFilter(), g.output(),
                                                 g.strides(), g.dilations(), g.padBefore(), g.padAfter()),
           cpuEngine(), dnnl::convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine())),
        primitive(pd),
        filter(g.userFilter(), pd.weights_desc()) {
    noteImplementation("Conv2D input gradient", pd.impl_info_str());
  }
};

struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  FilterInLayout filter;
  explicit BackwardWeights(const Geometry& g)
      : pd(dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, g.input(), g.anyFilter(), g.output(),
                                                    g.strides(), g.dilations(), g.padBefore(), g.padAfter()),
           cpuEngine(), dnnl::convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine())),
        primitive(pd),
        filter(g.userFilter(), pd.diff_weights_desc()) {
    noteImplementation("Conv2D filter gradient", pd.impl_info_str());
  }
};

}  // namespace

// (heap, geometry[17], x, filter, bias or -1, y, activation, leakyReluAlpha)
void conv2dForward(const KernelArgs& args) {
  static PrimitiveCache<Forward> cache;
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  float* x = args.floats(t, g.inputSize());
  float* filter = args.floats(t + 1, g.filterSize());
  float* bias = args.optionalFloats(t + 2, g.outChannels);
  float* y = args.floats(t + 3, g.outputSize());
  const int activation = static_cast<int>(args.integer(t + 4));
  const float alpha = static_cast<float>(args.number(t + 5));
  Forward& forward = cache.get(cacheKey(g.key(), bias != nullptr, activation, alpha),
                               [&] { return std::make_unique<Forward>(g, bias != nullptr, activation, alpha); });
  std::unordered_map<int, memory> io = {{DNNL_ARG_SRC, memory(g.input(), cpuEngine(), x)},
                                        {DNNL_ARG_WEIGHTS, forward.filter.read(filter)},
                                        {DNNL_ARG_DST, memory(g.output(), cpuEngine(), y)}};
  if (bias) io.emplace(DNNL_ARG_BIAS, memory(forward.pd.bias_desc(), cpuEngine(), bias));
  forward.primitive.execute(cpuStream(), io);
  cpuStream().wait();
}

// (heap, geometry[17], dy, filter, dx)
void conv2dInputGradient(const KernelArgs& args) {
  static PrimitiveCache<BackwardData> cache;
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  float* dy = args.floats(t, g.outputSize());
  float* filter = args.floats(t + 1, g.filterSize());
  float* dx = args.floats(t + 2, g.inputSize());
  BackwardData& backward = cache.get(g.key(), [&] { return std::make_unique<BackwardData>(g); });
  backward.primitive.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(g.output(), cpuEngine(), dy)},
                                           {DNNL_ARG_WEIGHTS, backward.filter.read(filter)},
                                           {DNNL_ARG_DIFF_SRC, memory(g.input(), cpuEngine(), dx)}});
  cpuStream().wait();
}

// (heap, geometry[17], x, dy, dFilter)
void conv2dFilterGradient(const KernelArgs& args) {
  static PrimitiveCache<BackwardWeights> cache;
  const Geometry g = geometryOf(args);
  const size_t t = kFirstTensorArg;
  float* x = args.floats(t, g.inputSize());
  float* dy = args.floats(t + 1, g.outputSize());
  float* dFilter = args.floats(t + 2, g.filterSize());
  BackwardWeights& backward = cache.get(g.key(), [&] { return std::make_unique<BackwardWeights>(g); });
  backward.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.input(), cpuEngine(), x)},
                                           {DNNL_ARG_DIFF_DST, memory(g.output(), cpuEngine(), dy)},
                                           {DNNL_ARG_DIFF_WEIGHTS, backward.filter.output(dFilter)}});
  backward.filter.commit(dFilter);
  cpuStream().wait();
}

}  // namespace acaf
