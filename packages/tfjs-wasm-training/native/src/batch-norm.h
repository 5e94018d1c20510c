// Batch normalisation's passes over an activation seen as [rows, channels] (NHWC, channels last), multithreaded.
#pragma once

#include "napi-args.h"

namespace acaf {

// Sum and Mean over the leading axes (bias gradients): one sum per channel.
void channelSums(const KernelArgs& args);
void channelMoments(const KernelArgs& args);
void normalizationGradientSums(const KernelArgs& args);
void normalizationInputGradient(const KernelArgs& args);
void batchNormInference(const KernelArgs& args);
// Training's forward pass (moments, then normalisation) and its whole gradient, one call each.
void batchNormTraining(const KernelArgs& args);
void batchNormGradient(const KernelArgs& args);

}  // namespace acaf
