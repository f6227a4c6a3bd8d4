//===- Runtime.cpp - load and launch attn kernel artifacts ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Runtime.h"

#include <cstdint>

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
  int multiprocessors = 0;
  ATTN_CU(cuDeviceGetAttribute(
      &multiprocessors, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device));
  kernel->multiprocessors_ = static_cast<unsigned>(multiprocessors);
  // Arch-specific code (sm_90a) runs on its own chip only; other code runs
  // on its chip (the cubin) and newer ones (the PTX, through the JIT).
  if (m.isArchSpecific() && m.capability != gpu) {
    error = "artifact built for " + m.chip + " cannot run on this sm_" +
            std::to_string(gpu) +
            " GPU: its code is specific to compute "
            "capability " +
            std::to_string(m.capability);
    return nullptr;
  }
  if (m.capability > gpu) {
    error = "artifact built for " + m.chip + " cannot run on this sm_" +
            std::to_string(gpu) + " GPU: it needs compute capability " +
            std::to_string(m.capability) + " or newer";
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
  // Past 48 KiB of shared memory in all a kernel must opt in; the static
  // part (mbarriers, the dynamic array's alignment) counts too.
  int staticBytes = 0;
  ATTN_CU(cuFuncGetAttribute(&staticBytes, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES,
                             kernel->function_));
  if (m.dynamicSharedMemory + staticBytes > 48 * 1024)
    ATTN_CU(cuFuncSetAttribute(kernel->function_,
                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                               static_cast<int>(m.dynamicSharedMemory)));
  if (!m.workspace.empty()) {
    CUmemPoolProps props = {};
    props.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
    props.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
    props.location.id = device;
    ATTN_CU(cuMemPoolCreate(&kernel->pool_, &props));
    cuuint64_t keep = UINT64_MAX;
    ATTN_CU(cuMemPoolSetAttribute(kernel->pool_,
                                  CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keep));
  }
  return kernel;
}

Kernel::~Kernel() {
  if (pool_)
    cuMemPoolDestroy(pool_);
  if (module_)
    cuModuleUnload(module_);
}

static_assert(sizeof(CUtensorMap) == sizeof(TensorMapStorage) &&
                  alignof(CUtensorMap) <= alignof(TensorMapStorage),
              "a plan's tensor map storage holds a CUtensorMap");

/// Encodes `r` into `out` (the plan checked every rule the driver
/// documents, so a refusal here is the driver's own).
static bool encode(const TensorMapRequest &r, TensorMapStorage &out,
                   std::string &error) {
  CUtensorMapDataType type = CU_TENSOR_MAP_DATA_TYPE_BFLOAT16;
  switch (r.element) {
  case Element::BF16:
    type = CU_TENSOR_MAP_DATA_TYPE_BFLOAT16;
    break;
  case Element::F16:
    type = CU_TENSOR_MAP_DATA_TYPE_FLOAT16;
    break;
  case Element::F32:
    type = CU_TENSOR_MAP_DATA_TYPE_FLOAT32;
    break;
  case Element::I32:
    type = CU_TENSOR_MAP_DATA_TYPE_INT32;
    break;
  }
  CUtensorMapSwizzle swizzle = r.swizzle == 128  ? CU_TENSOR_MAP_SWIZZLE_128B
                               : r.swizzle == 64 ? CU_TENSOR_MAP_SWIZZLE_64B
                               : r.swizzle == 32 ? CU_TENSOR_MAP_SWIZZLE_32B
                                                 : CU_TENSOR_MAP_SWIZZLE_NONE;
  CUtensorMapFloatOOBfill fill =
      r.oobFill == OobFill::NaN
          ? CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA
          : CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE;
  cuuint64_t dims[kMaxRank], strides[kMaxRank - 1];
  cuuint32_t box[kMaxRank], elementStrides[kMaxRank];
  for (unsigned i = 0; i < r.rank; ++i) {
    dims[i] = r.globalDim[i];
    box[i] = r.box[i];
    elementStrides[i] = r.elementStrides[i];
    if (i + 1 < r.rank)
      strides[i] = r.globalStrides[i];
  }
  // L2 promotion is a prefetch hint; 256 bytes is what CUTLASS's loads use.
  CUresult result = cuTensorMapEncodeTiled(
      reinterpret_cast<CUtensorMap *>(out.bytes), type, r.rank,
      reinterpret_cast<void *>(static_cast<uintptr_t>(r.address)), dims,
      strides, box, elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE, swizzle,
      CU_TENSOR_MAP_L2_PROMOTION_L2_256B, fill);
  if (result != CUDA_SUCCESS) {
    std::string sizes, steps, extents;
    for (unsigned i = r.rank; i-- > 0;) {
      const char *sep = i + 1 == r.rank ? "" : ", ";
      sizes += sep + std::to_string(r.globalDim[i]);
      extents += sep + std::to_string(r.box[i]);
      if (i > 0)
        steps += (i + 1 == r.rank ? "" : ", ") +
                 std::to_string(r.globalStrides[i - 1]);
    }
    error = r.tensor + ": the driver cannot encode its tensor map (sizes [" +
            sizes + "], strides [" + steps + "] bytes, box [" + extents +
            "], swizzle " + std::to_string(r.swizzle) +
            "): " + describe(result);
    return false;
  }
  return true;
}

bool Kernel::launch(const std::vector<TensorView> &args, CUstream stream,
                    std::string &error) const {
  LaunchPlan plan;
  if (!planLaunch(manifest_, args, plan, error, multiprocessors_))
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
  bool ok = true;
  for (size_t i = 0; ok && i < plan.tensorMaps.size(); ++i)
    ok = encode(plan.tensorMaps[i], plan.tensorMapStorage[i], error);
  // The workspace: stream-ordered, so that launches on other streams (and
  // graph captures) each get their own, freed after the kernel; only the
  // buffers that ask for it are zero-filled (a memset of the whole
  // workspace cost split-KV decode steps 3% on an H100).
  CUdeviceptr workspace = 0;
  if (ok && plan.workspaceBytes > 0) {
    CUresult allocated =
        cuMemAllocFromPoolAsync(&workspace, plan.workspaceBytes, pool_, stream);
    if (allocated != CUDA_SUCCESS) {
      error = "cannot allocate the kernel's " +
              std::to_string(plan.workspaceBytes) +
              "-byte workspace: " + describe(allocated);
      ok = false;
    } else {
      for (size_t slot : plan.workspacePointers)
        plan.pointers[slot] += workspace;
      for (auto [offset, bytes] : plan.workspaceZeroed) {
        CUresult zeroed =
            cuMemsetD32Async(workspace + offset, 0, bytes / 4, stream);
        if (zeroed != CUDA_SUCCESS) {
          error = "cannot zero the kernel's workspace: " + describe(zeroed);
          ok = false;
          break;
        }
      }
    }
  }
  if (ok) {
    CUlaunchConfig config = {};
    config.gridDimX = plan.grid[0];
    config.gridDimY = plan.grid[1];
    config.gridDimZ = plan.grid[2];
    config.blockDimX = plan.block[0];
    config.blockDimY = plan.block[1];
    config.blockDimZ = plan.block[2];
    config.sharedMemBytes = plan.sharedBytes;
    config.hStream = stream;
    CUlaunchAttribute cluster = {};
    if (plan.hasCluster()) {
      cluster.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
      cluster.value.clusterDim.x = plan.cluster[0];
      cluster.value.clusterDim.y = plan.cluster[1];
      cluster.value.clusterDim.z = plan.cluster[2];
      config.attrs = &cluster;
      config.numAttrs = 1;
    }
    CUresult launched =
        cuLaunchKernelEx(&config, function_, plan.arguments.data(), nullptr);
    if (launched != CUDA_SUCCESS) {
      error = "cuLaunchKernelEx failed: " + describe(launched);
      ok = false;
    }
  }
  if (workspace)
    cuMemFreeAsync(workspace, stream);
  if (push)
    cuCtxPopCurrent(&current);
  return ok;
}
