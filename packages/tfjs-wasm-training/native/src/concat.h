#pragma once

#include "napi-args.h"

namespace acaf {

// (heap, rows, parts, whole, inner0, part0, inner1, part1, ...): each row of the whole is the parts' rows in order.
void concatenate(const KernelArgs& args);
// The same arguments: the parts' rows from the whole's.
void split(const KernelArgs& args);

}  // namespace acaf
