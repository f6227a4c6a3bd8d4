//===- Runtime.cpp - load and launch attn kernel artifacts ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Runtime.h"

using namespace attn::runtime;

std::string attn::runtime::describe(CUresult result) {
  const char *name = nullptr, *text = nullptr;
  cuGetErrorName(result, &name);
  cuGetErrorString(result, &text);
  return std::string(name ? name : "CUDA error") + ": " +
         (text ? text : "unknown");
}

#define ATTN_CU(call)                                                          \
  do {                                                                         \
    CUresult result_ = (call);                                                 \
    if (result_ != CUDA_SUCCESS) {                                             \
      error = std::string(#call) + " failed: " + describe(result_);            \
      return {};                                                               \
    }                                                                          \
  } while (0)

bool attn::runtime::initialize(int ordinal, std::string &error) {
  ATTN_CU(cuInit(0));
  CUdevice device;
  ATTN_CU(cuDeviceGet(&device, ordinal));
  CUcontext context;
  ATTN_CU(cuDevicePrimaryCtxRetain(&context, device));
  ATTN_CU(cuCtxSetCurrent(context));
  return true;
}

std::unique_ptr<Kernel> Kernel::load(const std::string &dir,
                                     std::string &error) {
  std::unique_ptr<Kernel> kernel(new Kernel);
  if (!readManifest(dir, kernel->manifest_, error))
    return nullptr;
  const Manifest &m = kernel->manifest_;
  CUdevice device;
  ATTN_CU(cuCtxGetDevice(&device));
  int major = 0, minor = 0;
  ATTN_CU(cuDeviceGetAttribute(
      &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
  ATTN_CU(cuDeviceGetAttribute(
      &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
  int gpu = major * 10 + minor;
  if (m.capability > gpu || (m.isArchSpecific() && m.capability != gpu)) {
    error = "artifact built for " + m.chip + " cannot run on this sm_" +
            std::to_string(gpu) + " GPU";
    return nullptr;
  }
  kernel->usesCubin_ = m.capability == gpu;
  std::string image;
  std::string file = dir + "/" + (kernel->usesCubin_ ? m.cubin : m.ptx);
  if (!readFileBytes(file, image)) {
    error = file + ": cannot read";
    return nullptr;
  }
  ATTN_CU(cuCtxGetCurrent(&kernel->context_));
  if (CUresult r = cuModuleLoadData(&kernel->module_, image.c_str())) {
    error = file + ": the driver cannot load it: " + describe(r);
    return nullptr;
  }
  if (CUresult r = cuModuleGetFunction(&kernel->function_, kernel->module_,
                                       m.kernel.c_str())) {
    error = file + ": no kernel named '" + m.kernel + "': " + describe(r);
    return nullptr;
  }
  if (m.dynamicSharedMemory > 48 * 1024)
    ATTN_CU(cuFuncSetAttribute(kernel->function_,
                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                               static_cast<int>(m.dynamicSharedMemory)));
  return kernel;
}

Kernel::~Kernel() {
  if (module_)
    cuModuleUnload(module_);
}

bool Kernel::launch(const std::vector<TensorView> &args, CUstream stream,
                    std::string &error) const {
  LaunchPlan plan;
  if (!planLaunch(manifest_, args, plan, error))
    return false;
  if (plan.isEmpty())
    return true; // nothing to compute
  // The function belongs to the context it was loaded in; launch there even
  // when another context is current on this thread.
  CUcontext current = nullptr;
  ATTN_CU(cuCtxGetCurrent(&current));
  bool push = current != context_;
  if (push)
    ATTN_CU(cuCtxPushCurrent(context_));
  CUresult launched =
      cuLaunchKernel(function_, plan.grid[0], plan.grid[1], plan.grid[2],
                     plan.block[0], plan.block[1], plan.block[2],
                     plan.sharedBytes, stream, plan.arguments.data(), nullptr);
  if (push)
    cuCtxPopCurrent(&current);
  if (launched != CUDA_SUCCESS) {
    error = "cuLaunchKernel failed: " + describe(launched);
    return false;
  }
  return true;
}
