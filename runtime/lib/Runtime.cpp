//===- Runtime.cpp - load and launch attn kernel artifacts ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Runtime.h"
#include "attn-runtime/Manifest.h"

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

/// Compute capability times ten of a chip name such as "sm_90a".
static int chipCapability(const std::string &chip) {
  if (chip.rfind("sm_", 0) != 0)
    return -1;
  return std::atoi(chip.c_str() + 3);
}

std::unique_ptr<Kernel> Kernel::load(const std::string &dir,
                                     std::string &error) {
  std::unique_ptr<Kernel> kernel(new Kernel);
  if (!readManifest(dir, kernel->manifest_, error))
    return nullptr;
  const JsonValue &m = kernel->manifest_;
  CUdevice device;
  ATTN_CU(cuCtxGetDevice(&device));
  int major = 0, minor = 0;
  ATTN_CU(cuDeviceGetAttribute(
      &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
  ATTN_CU(cuDeviceGetAttribute(
      &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
  int built = chipCapability(m.get("chip")->string), gpu = major * 10 + minor;
  if (built > gpu) {
    error = "artifact built for " + m.get("chip")->string +
            " cannot run on this sm_" + std::to_string(gpu) + " GPU";
    return nullptr;
  }
  kernel->usesCubin_ = built == gpu;
  std::string image;
  std::string file =
      dir + "/" + m.get(kernel->usesCubin_ ? "cubin" : "ptx")->string;
  if (!readFileBytes(file, image)) {
    error = file + ": cannot read";
    return nullptr;
  }
  ATTN_CU(cuCtxGetCurrent(&kernel->context_));
  ATTN_CU(cuModuleLoadData(&kernel->module_, image.c_str()));
  ATTN_CU(cuModuleGetFunction(&kernel->function_, kernel->module_,
                              m.get("kernel")->string.c_str()));
  int shared = static_cast<int>(m.get("dynamic_shared_memory")->asInt());
  if (shared > 48 * 1024)
    ATTN_CU(cuFuncSetAttribute(kernel->function_,
                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                               shared));
  return kernel;
}

Kernel::~Kernel() {
  if (module_)
    cuModuleUnload(module_);
}

/// Bytes of one element of a manifest parameter.
static int64_t elementBytes(const std::string &element) {
  return element == "f32" ? 4 : 2;
}

/// The attention ABI's relations between dynamic sizes, which the manifest's
/// per-parameter shapes cannot state: Q [B, Hq, Sq, D], K [B, Hkv, Skv, D],
/// V [B, Hkv, Skv, Dv], O [B, Hq, Sq, Dv], LSE [B, Hq, Sq]. A launch that
/// breaks one would read or write out of bounds. The manifest's schema and
/// the per-tensor checks before this one guarantee these counts and ranks.
static bool checkAttentionShapes(const std::vector<TensorView> &args,
                                 std::string &error) {
  auto dim = [&](size_t param, size_t d) { return args[param].sizes[d]; };
  struct Same {
    size_t a, da, b, db;
    const char *what;
  } same[] = {{0, 0, 1, 0, "batch of query and key"},
              {0, 0, 2, 0, "batch of query and value"},
              {0, 0, 3, 0, "batch of query and output"},
              {1, 1, 2, 1, "head count of key and value"},
              {1, 2, 2, 2, "sequence length of key and value"},
              {0, 1, 3, 1, "head count of query and output"},
              {0, 2, 3, 2, "sequence length of query and output"},
              {0, 3, 1, 3, "head dim of query and key"},
              {2, 3, 3, 3, "head dim of value and output"}};
  for (const Same &s : same) {
    if (dim(s.a, s.da) != dim(s.b, s.db)) {
      error = std::string("the ") + s.what +
              " differ: " + std::to_string(dim(s.a, s.da)) + " and " +
              std::to_string(dim(s.b, s.db));
      return false;
    }
  }
  if (dim(1, 1) <= 0 || dim(0, 1) % dim(1, 1) != 0) {
    error = "the query head count " + std::to_string(dim(0, 1)) +
            " is not a multiple of the key/value head count " +
            std::to_string(dim(1, 1));
    return false;
  }
  if (args.size() == 5) {
    for (size_t d = 0; d < 3; ++d) {
      if (dim(4, d) != dim(0, d)) {
        error = "the log-sum-exp must be [batch, heads, query length] of "
                "the query";
        return false;
      }
    }
  }
  return true;
}

bool Kernel::launch(const std::vector<TensorView> &args, CUstream stream,
                    std::string &error) const {
  const auto &params = manifest_.get("params")->array;
  if (args.size() != params.size()) {
    error = "kernel takes " + std::to_string(params.size()) + " tensors, got " +
            std::to_string(args.size());
    return false;
  }
  // Memref descriptors: allocated, aligned, offset, sizes, strides.
  std::vector<int64_t> words;
  std::vector<CUdeviceptr> pointers;
  words.reserve(64);
  pointers.reserve(2 * args.size());
  std::vector<void *> values;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto &shape = params[i].get("shape")->array;
    const TensorView &t = args[i];
    if (t.sizes.size() != shape.size() || t.strides.size() != shape.size()) {
      error = params[i].get("name")->string + ": expected rank " +
              std::to_string(shape.size());
      return false;
    }
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d].asInt() >= 0 && shape[d].asInt() != t.sizes[d]) {
        error = params[i].get("name")->string + ": dimension " +
                std::to_string(d) + " is " + std::to_string(t.sizes[d]) +
                ", the kernel was compiled for " +
                std::to_string(shape[d].asInt());
        return false;
      }
    }
    if (t.strides.back() != 1) {
      error = params[i].get("name")->string +
              ": the innermost dimension must be contiguous";
      return false;
    }
    // Rows of 16-bit tiles move in 16-byte pieces (cp.async, vector
    // stores); a misaligned one would fault and poison the context.
    int64_t bytes = elementBytes(params[i].get("element")->string);
    int64_t align = bytes == 2 ? 16 : bytes;
    bool aligned = t.data % align == 0;
    for (size_t d = 0; d + 1 < t.strides.size(); ++d)
      aligned &= (t.strides[d] * bytes) % align == 0;
    if (!aligned) {
      error = params[i].get("name")->string +
              ": the data pointer and every "
              "stride but the innermost must be multiples of " +
              std::to_string(align) + " bytes";
      return false;
    }
  }
  if (!checkAttentionShapes(args, error))
    return false;
  for (const TensorView &t : args) {
    pointers.push_back(t.data);
    pointers.push_back(t.data);
  }
  for (const TensorView &t : args) {
    words.push_back(0);
    words.insert(words.end(), t.sizes.begin(), t.sizes.end());
    words.insert(words.end(), t.strides.begin(), t.strides.end());
  }
  size_t w = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    values.push_back(&pointers[2 * i]);
    values.push_back(&pointers[2 * i + 1]);
    size_t n = 1 + 2 * args[i].sizes.size();
    for (size_t k = 0; k < n; ++k)
      values.push_back(&words[w++]);
  }

  unsigned grid[3];
  const auto &gridSpec = manifest_.get("grid")->array;
  for (int d = 0; d < 3; ++d) {
    const JsonValue &g = gridSpec[d];
    int64_t extent = args[g.get("param")->asInt()].sizes[g.get("dim")->asInt()];
    int64_t divisor = g.get("divisor")->asInt();
    grid[d] = static_cast<unsigned>((extent + divisor - 1) / divisor);
  }
  if (grid[0] == 0 || grid[1] == 0 || grid[2] == 0)
    return true; // nothing to compute
  const auto &block = manifest_.get("block")->array;
  // The function belongs to the context it was loaded in; launch there even
  // when another context is current on this thread.
  CUcontext current = nullptr;
  ATTN_CU(cuCtxGetCurrent(&current));
  bool push = current != context_;
  if (push)
    ATTN_CU(cuCtxPushCurrent(context_));
  CUresult launched = cuLaunchKernel(
      function_, grid[0], grid[1], grid[2], block[0].asInt(), block[1].asInt(),
      block[2].asInt(),
      static_cast<unsigned>(manifest_.get("dynamic_shared_memory")->asInt()),
      stream, values.data(), nullptr);
  if (push)
    cuCtxPopCurrent(&current);
  if (launched != CUDA_SUCCESS) {
    error = "cuLaunchKernel failed: " + describe(launched);
    return false;
  }
  return true;
}
