// Max pooling and its gradient over NHWC tensors, multithreaded over the images of the batch.
#pragma once

#include "napi-args.h"

namespace acaf {

void maxPool(const KernelArgs& args);
void maxPoolGrad(const KernelArgs& args);

}  // namespace acaf
