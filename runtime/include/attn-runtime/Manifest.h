//===- Manifest.h - the launch manifest, read and checked -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A launch manifest (<kernel>.json, written by attn-compile) read into typed
// fields. Every member the runtime and attn-run use is checked for presence,
// type and range here, once, so that a damaged or hand-edited manifest is an
// error message naming the member rather than a null dereference, an
// out-of-range index or a read outside the artifact folder later.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_MANIFEST_H
#define ATTN_RUNTIME_MANIFEST_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attn::runtime {

/// The manifest format this runtime reads ("format" member).
constexpr int kManifestFormat = 1;

/// Largest tensor extent, stride or grid divisor a manifest or a launch may
/// carry; far above any real tensor, low enough that no product of two
/// overflows 64 bits.
constexpr int64_t kMaxExtent = int64_t(1) << 40;

/// One kernel parameter: a tensor passed as a memref descriptor.
struct TensorParam {
  std::string name;    ///< "query", "key", "value", "output", "lse"
  std::string element; ///< "bf16", "f16" or "f32"
  int elementBytes() const { return element == "f32" ? 4 : 2; }
  std::vector<int64_t> shape; ///< -1 where the size is given at launch
};

/// One grid axis: ceildiv(size `dim` of parameter `param`, `divisor`).
struct GridAxis {
  unsigned param = 0, dim = 0;
  int64_t divisor = 1;
};

/// The attention the kernel computes (attn-run checks a kernel against it).
struct AttentionSemantics {
  std::string mask; ///< "none", "causal" or "sliding_window"
  double scale = 1;
  bool lse = false;
  std::optional<double> softcap;
  std::optional<std::pair<int64_t, int64_t>> window; ///< left, right
};

struct Manifest {
  std::string kernel, chip;
  int capability = 0;     ///< compute capability times ten: 80 for sm_80
  std::string ptx, cubin; ///< file names inside the artifact folder
  /// Code for one chip's own features (sm_90a): runs on that chip only.
  bool isArchSpecific() const { return chip.back() == 'a'; }
  unsigned dynamicSharedMemory = 0;
  std::vector<TensorParam> params;
  unsigned block[3] = {1, 1, 1};
  GridAxis grid[3];
  std::optional<AttentionSemantics> attention;
};

/// Parses and checks manifest text; on failure sets `error` to what is
/// wrong and where ("params[1].shape: ...").
bool parseManifest(const std::string &text, Manifest &manifest,
                   std::string &error);

/// Finds the one <kernel>.json in artifact folder `dir` and parses it; on
/// failure sets `error`, naming the folder or file.
bool readManifest(const std::string &dir, Manifest &manifest,
                  std::string &error);

/// Reads a whole file; false when it cannot be read.
bool readFileBytes(const std::string &path, std::string &out);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_MANIFEST_H
