// Reading a native kernel's arguments: numbers, and tensors (in tfjs-backend-wasm's heap, or arrays of their own).
#pragma once

#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace acaf {

// A kernel's arguments as JavaScript passed them: (heap, ...numbers). The heap is a Float32Array over the whole
// WebAssembly memory of tfjs-backend-wasm (shared memory in its threaded build); tensors are byte offsets into it.
// A tensor argument may instead be a Float32Array of its own (a JavaScript backend's tensor), read in place.
class KernelArgs {
 public:
  KernelArgs(napi_env env, napi_callback_info info);

  // The argument at `index` as a whole number.
  int64_t integer(size_t index) const;
  double number(size_t index) const;
  // The float32 values of tensor argument `index`, `count` of them (checked to lie inside the heap or the array).
  float* floats(size_t index, size_t count) const;
  // As floats(), or nullptr where the argument is a negative number (an absent optional tensor).
  float* optionalFloats(size_t index, size_t count) const;
  size_t count() const { return count_; }

 private:
  static constexpr size_t kMaxArgs = 40;
  napi_env env_;
  napi_value argv_[kMaxArgs];
  size_t count_ = kMaxArgs;
  char* heap_ = nullptr;
  size_t heapBytes_ = 0;
};

// Thrown for a call JavaScript got wrong; becomes a JavaScript Error with this message.
struct ArgumentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace acaf
