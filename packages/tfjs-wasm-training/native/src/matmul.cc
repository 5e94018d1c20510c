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

// (heap, batchA, batchB, rows, inner, columns, transposeA, transposeB, a, b, bias or -1, c, activation, leakyReluAlpha)
// c[batch] = op(a[batch or 0]) op(b[batch or 0]) (+ bias per column, activation); a batch of 1 is broadcast.
void matMul(const KernelArgs& args) {
  static PrimitiveCache<Product> cache;
  const int64_t batchA = args.integer(1), batchB = args.integer(2), rows = args.integer(3), inner = args.integer(4),
                columns = args.integer(5);
  const bool transposeA = args.integer(6) != 0, transposeB = args.integer(7) != 0;
  if (batchA != batchB && batchA != 1 && batchB != 1) throw ArgumentError("batch sizes differ and neither is 1");
  const int64_t batch = std::max(batchA, batchB);
  float* a = args.floats(8, batchA * rows * inner);
  float* b = args.floats(9, batchB * inner * columns);
  float* bias = args.optionalFloats(10, columns);
  float* c = args.floats(11, batch * rows * columns);
  const int activation = static_cast<int>(args.integer(12));
  const float alpha = static_cast<float>(args.number(13));
  const std::string key = cacheKey(batchA, batchB, rows, inner, columns, transposeA, transposeB, bias != nullptr, activation, alpha);
  Product& product = cache.get(key, [&] {
    const memory::desc biasDesc = bias ? memory::desc({1, 1, columns}, memory::data_type::f32, memory::format_tag::abc) : memory::desc();
    return std::make_unique<Product>(operand(batchA, rows, inner, transposeA), operand(batchB, inner, columns, transposeB), biasDesc,
                                     operand(batch, rows, columns, false), activation, alpha);
  });
  std::unordered_map<int, memory> io = {{DNNL_ARG_SRC, memory(product.a, cpuEngine(), a)},
                                        {DNNL_ARG_WEIGHTS, memory(product.b, cpuEngine(), b)},
                                        {DNNL_ARG_DST, memory(product.c, cpuEngine(), c)}};
  if (bias) io.emplace(DNNL_ARG_BIAS, memory(product.bias, cpuEngine(), bias));
  product.primitive.execute(cpuStream(), io);
  cpuStream().wait();
}

}  // namespace acaf
