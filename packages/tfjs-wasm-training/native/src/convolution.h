#pragma once

#include "napi-args.h"

namespace acaf {

void conv2dForward(const KernelArgs& args);
void conv2dInputGradient(const KernelArgs& args);
void conv2dFilterGradient(const KernelArgs& args);

}  // namespace acaf
