//===- attn-tensor-map-check.cpp - a tensor-map parameter, end to end -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
//   attn-tensor-map-check DIR
//
// Proves the runtime's path for a __grid_constant__ CUtensorMap parameter on
// a GPU with TMA (sm_90 and newer): loads the artifact in DIR through
// Kernel::load, whose manifest takes tensors "input" and "output", both bf16
// [64, 64], as a tensor map of the input (box [64, 64], 128-byte swizzle)
// and a memref of the output. The kernel loads the box with TMA into shared
// memory and copies shared memory out raw, so the output holds the input as
// the 128-byte swizzle lays it out: 16-byte chunk j of row r holds chunk
// j ^ (r % 8) of the input's row r. Fills the input with the bit patterns
// r * 64 + c, zeroes the output, launches through Kernel::launch and
// compares bit patterns; prints the first mismatches and PASS or FAIL.
// test/Runtime/Inputs/tensor-map-check holds such a manifest, for a kernel
// `tensor_map_check` with 9216 bytes of dynamic shared memory (the 8 KiB
// box and room to align it to 1024 bytes, the 128-byte swizzle's period).
//
//===----------------------------------------------------------------------===//

#include "ToolSupport.h"

#include "attn-runtime/Runtime.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace attn::runtime;

const char *const attn::runtime::tool::kName = "attn-tensor-map-check";

namespace {

constexpr int64_t kRows = 64, kCols = 64;

using tool::die;

/// Where the 128-byte swizzle puts element (r, c) of the box: the column of
/// row r whose input lands at shared-memory column c.
int64_t swizzledColumn(int64_t r, int64_t c) {
  return ((c / 8) ^ (r % 8)) * 8 + c % 8;
}

/// The manifest must be the one this check is about.
void checkManifest(const Manifest &m) {
  for (const char *name : {"input", "output"}) {
    int t = m.findTensor(name);
    if (t < 0)
      die(std::string("the manifest has no tensor named ") + name);
    const TensorDecl &decl = m.tensors[t];
    if (decl.element != Element::BF16 || decl.shape.size() != 2 ||
        (decl.shape[0] != kRows && decl.shape[0] != -1) ||
        (decl.shape[1] != kCols && decl.shape[1] != -1))
      die(std::string("the manifest's ") + name + " is not bf16 [64, 64]");
  }
  if (m.tensors.size() != 2)
    die("the manifest takes " + std::to_string(m.tensors.size()) +
        " tensors; this check passes input and output only");
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2)
    die("usage: attn-tensor-map-check ARTIFACT_DIR");
  std::string error;
  if (!initialize(0, error))
    die(error);
  std::unique_ptr<Kernel> kernel = Kernel::load(argv[1], error);
  if (!kernel)
    die(error);
  const Manifest &m = kernel->manifest();
  checkManifest(m);
  std::printf("kernel %s (%s, %s)\n", m.kernel.c_str(), m.chip.c_str(),
              kernel->usesCubin() ? "cubin" : "PTX through the driver JIT");

  const size_t elements = kRows * kCols, bytes = elements * 2;
  std::vector<uint16_t> input(elements), output(elements);
  for (size_t i = 0; i < elements; ++i)
    input[i] = static_cast<uint16_t>(i); // row * 64 + column
  CUdeviceptr din = 0, dout = 0;
  CHECK_CU(cuMemAlloc(&din, bytes));
  CHECK_CU(cuMemAlloc(&dout, bytes));
  CHECK_CU(cuMemcpyHtoD(din, input.data(), bytes));
  CHECK_CU(cuMemsetD16(dout, 0, elements));

  std::vector<TensorView> views;
  for (const TensorDecl &t : m.tensors)
    views.push_back(
        {t.name == "input" ? din : dout, {kRows, kCols}, {kCols, 1}});
  if (!kernel->launch(views, nullptr, error))
    die(error);
  CHECK_CU(cuCtxSynchronize());
  CHECK_CU(cuMemcpyDtoH(output.data(), dout, bytes));
  cuMemFree(din);
  cuMemFree(dout);

  size_t mismatches = 0;
  for (int64_t r = 0; r < kRows; ++r) {
    for (int64_t c = 0; c < kCols; ++c) {
      uint16_t want = input[r * kCols + swizzledColumn(r, c)];
      uint16_t got = output[r * kCols + c];
      if (got == want)
        continue;
      if (mismatches++ < 16)
        std::printf("mismatch at [%lld, %lld]: 0x%04x, expected 0x%04x\n",
                    static_cast<long long>(r), static_cast<long long>(c), got,
                    want);
    }
  }
  std::printf("%zu of %zu elements differ: %s\n", mismatches, elements,
              mismatches ? "FAIL" : "PASS");
  return mismatches ? 1 : 0;
}
