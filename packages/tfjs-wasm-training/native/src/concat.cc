// Concatenation along an axis and its inverse, split (GoogLeNet's and DenseNet's channel concatenations and their
// gradients): block copies, in parallel over the rows before the axis.
#include "concat.h"

#include <cstring>
#include <vector>

namespace acaf {
namespace {

struct Part {
  int64_t inner;  // values per row: the part's size along the axis times the sizes after it
  float* values;
};

// Arguments: (heap, rows, parts, whole, inner0, part0, inner1, part1, ...).
std::vector<Part> partsOf(const KernelArgs& args, int64_t rows, int64_t& wholeInner) {
  const int64_t count = args.integer(2);
  if (count < 1 || args.count() != static_cast<size_t>(4 + 2 * count)) throw ArgumentError("expected an inner size and an offset per part");
  std::vector<Part> parts;
  wholeInner = 0;
  for (int64_t i = 0; i < count; i++) {
    const int64_t inner = args.integer(4 + 2 * i);
    parts.push_back({inner, args.floats(5 + 2 * i, rows * inner)});
    wholeInner += inner;
  }
  return parts;
}

void copyRows(const KernelArgs& args, bool intoWhole) {
  const int64_t rows = args.integer(1);
  int64_t wholeInner = 0;
  const std::vector<Part> parts = partsOf(args, rows, wholeInner);
  float* whole = args.floats(3, rows * wholeInner);
#pragma omp parallel for if (rows > 1)
  for (int64_t row = 0; row < rows; row++) {
    float* at = whole + row * wholeInner;
    for (const Part& part : parts) {
      float* partRow = part.values + row * part.inner;
      if (intoWhole)
        std::memcpy(at, partRow, part.inner * sizeof(float));
      else
        std::memcpy(partRow, at, part.inner * sizeof(float));
      at += part.inner;
    }
  }
}

}  // namespace

void concatenate(const KernelArgs& args) { copyRows(args, true); }
void split(const KernelArgs& args) { copyRows(args, false); }

}  // namespace acaf
