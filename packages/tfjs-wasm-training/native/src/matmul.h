#pragma once

#include "napi-args.h"

namespace acaf {

void matMul(const KernelArgs& args);

}  // namespace acaf
