#include "napi-args.h"

namespace acaf {

namespace {
void check(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) throw ArgumentError(std::string("cannot read ") + what);
}

// Whether `value` is a Float32Array; if so, its values (null when it is empty) and their count.
bool float32Array(napi_env env, napi_value value, float** values, size_t* length, const char* what) {
  bool isTypedArray = false;
  check(env, napi_is_typedarray(env, value, &isTypedArray), what);
  if (!isTypedArray) return false;
  napi_typedarray_type type;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, value, &type, length, &data, nullptr, nullptr), what);
  if (type != napi_float32_array) throw ArgumentError(std::string(what) + " must be a Float32Array");
  *values = static_cast<float*>(data);
  return true;
}
}  // namespace

KernelArgs::KernelArgs(napi_env env, napi_callback_info info) : env_(env) {
  check(env, napi_get_cb_info(env, info, &count_, argv_, nullptr, nullptr), "the arguments");
  if (count_ > kMaxArgs) throw ArgumentError("too many arguments");
  if (count_ == 0) throw ArgumentError("no heap argument");
  float* heap = nullptr;
  size_t length = 0;
  if (!float32Array(env, argv_[0], &heap, &length, "the heap")) throw ArgumentError("the heap must be a Float32Array");
  heap_ = reinterpret_cast<char*>(heap);
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
  if (index >= count_) throw ArgumentError("argument " + std::to_string(index) + " is missing");
  float* values = nullptr;
  size_t length = 0;
  if (float32Array(env_, argv_[index], &values, &length, "a tensor argument")) {
    if (count > length)
      throw ArgumentError("tensor argument " + std::to_string(index) + " has " + std::to_string(length) + " values, not " +
                          std::to_string(count));
    return values;
  }
  const int64_t offset = integer(index);
  if (offset < 0 || offset % sizeof(float) != 0 || static_cast<size_t>(offset) + count * sizeof(float) > heapBytes_)
    throw ArgumentError("tensor at heap offset " + std::to_string(offset) + " (" + std::to_string(count) +
                        " values) is not inside the heap");
  return reinterpret_cast<float*>(heap_ + offset);
}

float* KernelArgs::optionalFloats(size_t index, size_t count) const {
  bool isTypedArray = false;
  if (index < count_) check(env_, napi_is_typedarray(env_, argv_[index], &isTypedArray), "a tensor argument");
  return !isTypedArray && integer(index) < 0 ? nullptr : floats(index, count);
}

}  // namespace acaf
