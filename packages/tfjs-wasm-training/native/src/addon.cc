// The N-API module: each kernel is a function (heap, ...numbers) -> undefined that reads and writes tensors in place
// in tfjs-backend-wasm's heap; errors become JavaScript Errors with oneDNN's message.
#include <node_api.h>
#include <omp.h>

#include <cstring>
#include <functional>

#include "batch-norm.h"
#include "concat.h"
#include "convolution.h"
#include "elementwise.h"
#include "lrn.h"
#include "matmul.h"
#include "onednn.h"
#include "optimizer-updates.h"
#include "pooling.h"

namespace acaf {
namespace {

napi_value throwError(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

template <void (*kernel)(const KernelArgs&)>
napi_value runKernel(napi_env env, napi_callback_info info) {
  try {
    kernel(KernelArgs(env, info));
  } catch (const dnnl::error& error) {
    return throwError(env, std::string("oneDNN: ") + error.what());
  } catch (const std::exception& error) {
    return throwError(env, error.what());
  }
  return nullptr;
}

// (heap, offset, count): count float zeros from byte offset `offset` (a memset, where JavaScript's fill over shared
// memory is slow).
void fillZeros(const KernelArgs& args) {
  const int64_t count = args.integer(2);
  if (count < 0) throw ArgumentError("negative count");
  std::memset(args.floats(1, count), 0, count * sizeof(float));
}

// setThreads(n): oneDNN's OpenMP threads.
napi_value setThreads(napi_env env, napi_callback_info info) {
  size_t count = 1;
  napi_value argv[1];
  int32_t threads = 0;
  if (napi_get_cb_info(env, info, &count, argv, nullptr, nullptr) != napi_ok || count != 1 ||
      napi_get_value_int32(env, argv[0], &threads) != napi_ok || threads < 1)
    return throwError(env, "setThreads takes a whole number >= 1");
  omp_set_num_threads(threads);
  return nullptr;
}

napi_value makeString(napi_env env, const std::string& text) {
  napi_value value;
  napi_create_string_utf8(env, text.c_str(), text.size(), &value);
  return value;
}

// implementations(): {kernel: [oneDNN implementation, ...]} for the kernels run so far.
napi_value listImplementations(napi_env env, napi_callback_info) {
  napi_value table;
  napi_create_object(env, &table);
  for (const auto& [kernel, names] : implementations()) {
    napi_value list;
    napi_create_array_with_length(env, names.size(), &list);
    uint32_t index = 0;
    for (const auto& name : names) napi_set_element(env, list, index++, makeString(env, name));
    napi_set_named_property(env, table, kernel.c_str(), list);
  }
  return table;
}

// version(): "oneDNN 2.6.3".
napi_value version(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  return makeString(env, "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
}

napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor functions[] = {
      {"conv2dForward", nullptr, runKernel<conv2dForward>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dInputGradient", nullptr, runKernel<conv2dInputGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dFilterGradient", nullptr, runKernel<conv2dFilterGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dForwardByColumns", nullptr, runKernel<conv2dForwardByColumns>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dInputGradientByColumns", nullptr, runKernel<conv2dInputGradientByColumns>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dFilterGradientByColumns", nullptr, runKernel<conv2dFilterGradientByColumns>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"concatenate", nullptr, runKernel<concatenate>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"split", nullptr, runKernel<split>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"lrnForward", nullptr, runKernel<lrnForward>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"lrnGradient", nullptr, runKernel<lrnGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"matMul", nullptr, runKernel<matMul>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"fillZeros", nullptr, runKernel<fillZeros>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"relu", nullptr, runKernel<relu>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reluGradient", nullptr, runKernel<reluGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sgdUpdate", nullptr, runKernel<sgdUpdate>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"momentumUpdate", nullptr, runKernel<momentumUpdate>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binary", nullptr, runKernel<binary>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"channelSums", nullptr, runKernel<channelSums>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"channelMoments", nullptr, runKernel<channelMoments>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"normalizationGradientSums", nullptr, runKernel<normalizationGradientSums>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"normalizationInputGradient", nullptr, runKernel<normalizationInputGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormTraining", nullptr, runKernel<batchNormTraining>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormGradient", nullptr, runKernel<batchNormGradient>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormInference", nullptr, runKernel<batchNormInference>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPool", nullptr, runKernel<maxPool>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPoolGrad", nullptr, runKernel<maxPoolGrad>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setThreads", nullptr, setThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"implementations", nullptr, listImplementations, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"version", nullptr, version, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(functions) / sizeof(functions[0]), functions);
  return exports;
}

}  // namespace
}  // namespace acaf

NAPI_MODULE(NODE_GYP_MODULE_NAME, acaf::init)
