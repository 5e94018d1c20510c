#pragma once

#include "napi-args.h"

namespace acaf {

void conv2dForward(const KernelArgs& args);
void conv2dInputGradient(const KernelArgs& args);
void conv2dFilterGradient(const KernelArgs& args);

// The same, as products over the input's columns (im2col): for maps of a few pixels.
void conv2dForwardByColumns(const KernelArgs& args);
void conv2dInputGradientByColumns(const KernelArgs& args);
void conv2dFilterGradientByColumns(const KernelArgs& args);

}  // namespace acaf
