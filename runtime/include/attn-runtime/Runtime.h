//===- Runtime.h - load and launch attn kernel artifacts --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Loads an artifact written by attn-compile (<dir>/<kernel>.json plus its PTX
// and cubin) and launches it on device pointers, with the CUDA driver API
// only. The cubin is used when it was built for the GPU at hand (the
// manifest's capability equals the device's); otherwise the PTX goes through
// the driver's JIT (an sm_80 cubin does not run on an H100, its PTX does),
// except for arch-specific code (sm_90a), which runs on its own chip only.
// A launch encodes the plan's tensor maps (cuTensorMapEncodeTiled),
// allocates the kernel's workspace (if any) on the launch's stream, and goes
// through cuLaunchKernelEx with the manifest's cluster.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_RUNTIME_H
#define ATTN_RUNTIME_RUNTIME_H

#include "attn-runtime/Launch.h"
#include "attn-runtime/Manifest.h"

#include <cuda.h>

#include <memory>
#include <string>
#include <vector>

namespace attn::runtime {

/// Makes the primary context of device `ordinal` current.
bool initialize(int ordinal, std::string &error);

class Kernel {
public:
  /// Reads `<dir>/*.json` and loads its code; null with `error` on failure.
  static std::unique_ptr<Kernel> load(const std::string &dir,
                                      std::string &error);
  ~Kernel();

  /// Launches on `args` (one view per tensor, in the manifest's `tensors`
  /// order) after planLaunch's checks; fails with a message when one does
  /// not hold or the driver refuses a tensor map or the launch.
  bool launch(const std::vector<TensorView> &args, CUstream stream,
              std::string &error) const;

  const Manifest &manifest() const { return manifest_; }
  /// Whether the cubin (rather than the PTX) was loaded.
  bool usesCubin() const { return usesCubin_; }

private:
  Kernel() = default;
  Manifest manifest_;
  CUcontext context_ = nullptr;
  CUmodule module_ = nullptr;
  CUfunction function_ = nullptr;
  /// Where the workspace of a launch comes from (kernels with one): a pool
  /// of our own that keeps what it has, so that a launch after a
  /// synchronisation reuses memory instead of mapping it again.
  CUmemoryPool pool_ = nullptr;
  bool usesCubin_ = false;
  /// The device's SMs: how many CTAs a persistent kernel launches.
  unsigned multiprocessors_ = 0;
};

/// The text of a CUDA driver error code.
std::string describe(CUresult result);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_RUNTIME_H
