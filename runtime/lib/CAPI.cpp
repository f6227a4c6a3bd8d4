//===- CAPI.cpp - C API of the attn kernel runtime ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-c/Runtime.h"
#include "attn-runtime/Runtime.h"

using namespace attn::runtime;

static_assert(ATTN_MAX_RANK == kMaxRank, "AttnTensor holds any rank");

static thread_local std::string lastError;

static AttnStatus finish(AttnStatus status, std::string message = {}) {
  lastError = std::move(message);
  return status;
}

static Kernel *unwrap(AttnKernel kernel) {
  return static_cast<Kernel *>(kernel.ptr);
}

AttnStatus attnRuntimeInitialize(int ordinal) {
  std::string error;
  if (!initialize(ordinal, error))
    return finish(ATTN_ERROR_LAUNCH, error);
  return finish(ATTN_SUCCESS);
}

AttnStatus attnKernelLoad(const char *dir, AttnKernel *kernel) {
  if (!dir || !kernel)
    return finish(ATTN_ERROR_INVALID_ARGUMENT,
                  "attnKernelLoad: null folder or result");
  std::string error;
  std::unique_ptr<Kernel> loaded = Kernel::load(dir, error);
  if (!loaded)
    return finish(ATTN_ERROR_ARTIFACT, error);
  kernel->ptr = loaded.release();
  return finish(ATTN_SUCCESS);
}

void attnKernelDestroy(AttnKernel kernel) { delete unwrap(kernel); }

int attnKernelNumTensors(AttnKernel kernel) {
  if (!unwrap(kernel))
    return 0;
  return static_cast<int>(unwrap(kernel)->manifest().tensors.size());
}

const char *attnKernelTensorName(AttnKernel kernel, int index) {
  if (!unwrap(kernel) || index < 0 ||
      static_cast<size_t>(index) >= unwrap(kernel)->manifest().tensors.size())
    return nullptr;
  return unwrap(kernel)->manifest().tensors[index].name.c_str();
}

AttnStatus attnKernelLaunch(AttnKernel kernel, const AttnTensor *tensors,
                            int numTensors, CUstream stream) {
  if (!unwrap(kernel) || !tensors || numTensors < 0)
    return finish(ATTN_ERROR_INVALID_ARGUMENT,
                  "attnKernelLaunch: null kernel or tensors");
  std::vector<TensorView> views;
  for (int i = 0; i < numTensors; ++i) {
    const AttnTensor &t = tensors[i];
    if (t.rank < 1 || t.rank > ATTN_MAX_RANK)
      return finish(ATTN_ERROR_INVALID_ARGUMENT,
                    "attnKernelLaunch: tensor " + std::to_string(i) +
                        " has rank " + std::to_string(t.rank));
    views.push_back({t.data, std::vector<int64_t>(t.sizes, t.sizes + t.rank),
                     std::vector<int64_t>(t.strides, t.strides + t.rank)});
  }
  std::string error;
  if (!unwrap(kernel)->launch(views, stream, error))
    return finish(ATTN_ERROR_LAUNCH, error);
  return finish(ATTN_SUCCESS);
}

const char *attnRuntimeGetLastError(void) { return lastError.c_str(); }
