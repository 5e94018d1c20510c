// Optimizer updates of many weights in one kernel call each (the package's ops AcafSgdUpdate and
// AcafMomentumUpdate, src/optimizer-ops.ts): tfjs's SGD and Momentum formulas, value by value.
#pragma once

#include "napi-args.h"

namespace acaf {

void sgdUpdate(const KernelArgs& args);
void momentumUpdate(const KernelArgs& args);

}  // namespace acaf
