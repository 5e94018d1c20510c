#include "onednn.h"

namespace acaf {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

dnnl::primitive_attr activationAttr(int code, float leakyReluAlpha) {
  dnnl::post_ops ops;
  switch (static_cast<Activation>(code)) {
    case Activation::kLinear:
      break;
    case Activation::kRelu:
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      break;
    case Activation::kRelu6:
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f);
      break;
    case Activation::kElu:
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f);
      break;
    case Activation::kLeakyRelu:
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, leakyReluAlpha, 0.f);
      break;
    case Activation::kSigmoid:
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f);
      break;
    default:
      throw std::invalid_argument("unknown activation code " + std::to_string(code));
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  return attr;
}

namespace {
std::map<std::string, std::set<std::string>>& implementationTable() {
  static std::map<std::string, std::set<std::string>> table;
  return table;
}
}  // namespace

void noteImplementation(const std::string& kernel, const char* implementation) { implementationTable()[kernel].insert(implementation); }

const std::map<std::string, std::set<std::string>>& implementations() { return implementationTable(); }

}  // namespace acaf
