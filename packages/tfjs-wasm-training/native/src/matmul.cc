// Batched matrix products (tfjs's BatchMatMul and _FusedMatMul) by oneDNN.
#include "matmul.h"

#include "onednn.h"

namespace acaf {

using dnnl::memory;

namespace {

// A [batch, rows, columns] operand stored row-major, read transposed when `transposed` (then stored as
// [batch, columns, rows]).
memory::desc operand(int64_t batch, int64_t rows, int64_t columns, bool transposed) {
  const memory::dims strides = transposed ? memory::dims{rows * columns, 1, rows} : memory::dims{rows * columns, columns, 1};
  return {{batch, rows, columns}, memory::data_type::f32, strides};
}

struct Product {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul primitive;
  memory::desc a, b, bias, c;
  Product(const memory::desc& a, const memory::desc& b, const memory::desc& bias, const memory::desc& c, int activation, float alpha)
      : pd(bias.is_zero() ? dnnl::matmul::desc(a, b, c) : dnnl::matmul::desc(a, b, bias, c), activationAttr(activation, alpha), cpuEngine()),
        primitive(pd),
        a(a),
        b(b),
        bias(bias),
        c(c) {
    noteImplementation("MatMul", pd.impl_info_str());
  }
};

}  // namespace

void product(const ProductShape& shape, const float* a, const float* b, const float* bias, float* c, int activation, float alpha) {
  static PrimitiveCache<Product> cache;
  const auto& [batchA, batchB, rows, inner, columns, transposeA, transposeB] = shape;
  if (batchA != batchB && batchA != 1 && batchB != 1) throw ArgumentError("batch sizes differ and neither is 1");
  const int64_t batch = std::max(batchA, batchB);
  const std::string key = cacheKey(batchA, batchB, rows, inner, columns, transposeA, transposeB, bias != nullptr, activation, alpha);
  Product& entry = cache.get(key, [&] {
    const memory::desc biasDesc = bias ? memory::desc({1, 1, columns}, memory::data_type::f32, memory::format_tag::abc) : memory::desc();
    return std::make_unique<Product>(operand(batchA, rows, inner, transposeA), operand(batchB, inner, columns, transposeB), biasDesc,
                                     operand(batch, rows, columns, false), activation, alpha);
  });
  std::unordered_map<int, memory> io = {{DNNL_ARG_SRC, memory(entry.a, cpuEngine(), const_cast<float*>(a))},
                                        {DNNL_ARG_WEIGHTS, memory(entry.b, cpuEngine(), const_cast<float*>(b))},
                                        {DNNL_ARG_DST, memory(entry.c, cpuEngine(), c)}};
  if (bias) io.emplace(DNNL_ARG_BIAS, memory(entry.bias, cpuEngine(), const_cast<float*>(bias)));
  entry.primitive.execute(cpuStream(), io);
  cpuStream().wait();
}

// (heap, batchA, batchB, rows, inner, columns, transposeA, transposeB, a, b, bias or -1, c, activation, leakyReluAlpha)
// c[batch] = op(a[batch or 0]) op(b[batch or 0]) (+ bias per column, activation); a batch of 1 is broadcast.
void matMul(const KernelArgs& args) {
  const ProductShape shape{args.integer(1), args.integer(2), args.integer(3), args.integer(4),
                           args.integer(5), args.integer(6) != 0, args.integer(7) != 0};
  const auto& [batchA, batchB, rows, inner, columns, transposeA, transposeB] = shape;
  const int64_t batch = std::max(batchA, batchB);
  product(shape, args.floats(8, batchA * rows * inner), args.floats(9, batchB * inner * columns), args.optionalFloats(10, columns),
          args.floats(11, batch * rows * columns), static_cast<int>(args.integer(12)), static_cast<float>(args.number(13)));
}

}  // namespace acaf
