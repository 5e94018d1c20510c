#include "napi-args.h"

namespace acaf {

namespace {
void check(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) throw ArgumentError(std::string("cannot read ") + what);
}
}  // namespace

KernelArgs::KernelArgs(napi_env env, napi_callback_info info) : env_(env) {
  check(env, napi_get_cb_info(env, info, &count_, argv_, nullptr, nullptr), "the arguments");
  if (count_ > kMaxArgs) throw ArgumentError("too many arguments");
  if (count_ == 0) throw ArgumentError("no heap argument");
  bool isTypedArray = false;
  check(env, napi_is_typedarray(env, argv_[0], &isTypedArray), "the heap");
  if (!isTypedArray) throw ArgumentError("the heap must be a Float32Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, argv_[0], &type, &length, &data, nullptr, nullptr), "the heap");
  if (type != napi_float32_array) throw ArgumentError("the heap must be a Float32Array");
  heap_ = static_cast<char*>(data);
  heapBytes_ = length * sizeof(float);
}

int64_t KernelArgs::integer(size_t index) const {
  if (index >= count_) throw ArgumentError("argument " + std::to_string(index) + " is missing");
  int64_t value = 0;
  check(env_, napi_get_value_int64(env_, argv_[index], &value), "a whole-number argument");
  return value;
}

double KernelArgs::number(size_t index) const {
  if (index >= count_) throw ArgumentError("argument " + std::to_string(index) + " is missing");
  double value = 0;
  check(env_, napi_get_value_double(env_, argv_[index], &value), "a number argument");
  return value;
}

float* KernelArgs::floats(size_t index, size_t count) const {
  const int64_t offset = integer(index);
  if (offset < 0 || offset % sizeof(float) != 0 || static_cast<size_t>(offset) + count * sizeof(float) > heapBytes_)
    throw ArgumentError("tensor at heap offset " + std::to_string(offset) + " (" + std::to_string(count) +
                        " values) is not inside the heap");
  return reinterpret_cast<float*>(heap_ + offset);
}

float* KernelArgs::optionalFloats(size_t index, size_t count) const {
  return integer(index) < 0 ? nullptr : floats(index, count);
}

}  // namespace acaf
