// What the oneDNN kernels share: the engine and stream, a cache of primitives by shape, fused activations.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>

namespace acaf {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

// Primitives by the shapes and options they were made for. Making one (choosing and JIT-compiling an
// implementation) costs far more than running it on small tensors, and training repeats the same shapes every step.
template <typename Entry>
class PrimitiveCache {
 public:
  Entry& get(const std::string& key, const std::function<std::unique_ptr<Entry>()>& make) {
    auto found = entries_.find(key);
    if (found != entries_.end()) return *found->second;
    // Shapes change rarely (a new network, a last partial batch); a bound keeps a shape sweep from growing memory.
    if (entries_.size() >= kCapacity) entries_.clear();
    return *entries_.emplace(key, make()).first->second;
  }

 private:
  static constexpr size_t kCapacity = 1024;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

// A fused activation as tfjs names it (FusedConv2D, _FusedMatMul), by the code JavaScript passes.
enum class Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kLeakyRelu = 4, kSigmoid = 5 };

// The activation as a post-op of a primitive (nothing for linear).
dnnl::primitive_attr activationAttr(int code, float leakyReluAlpha);

// Builds a cache key from numbers and keys.
template <typename... Parts>
std::string cacheKey(const Parts&... parts) {
  std::string key;
  const auto append = [&key](const auto& part) {
    if constexpr (std::is_convertible_v<decltype(part), std::string>) key += part;
    else key += std::to_string(part);
    key += ',';
  };
  (append(parts), ...);
  return key;
}

// The implementations oneDNN chose, by kernel ("conv2d forward" -> {"brg:avx512_core"}), for what-ran reports.
void noteImplementation(const std::string& kernel, const char* implementation);
const std::map<std::string, std::set<std::string>>& implementations();

}  // namespace acaf
