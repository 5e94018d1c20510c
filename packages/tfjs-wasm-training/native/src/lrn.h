#pragma once

#include "napi-args.h"

namespace acaf {

void lrnForward(const KernelArgs& args);
void lrnGradient(const KernelArgs& args);

}  // namespace acaf
