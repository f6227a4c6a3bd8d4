//===- Manifest.h - the launch manifest, read and checked -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A launch manifest (<kernel>.json, written by attn-compile; format 2, or 3
// for kernels with a workspace, docs/manifest.md) read into typed fields. Every
// member is checked for presence, type, range and cross references here, once,
// so that a damaged or hand-edited manifest is an error message naming the
// member rather than a null dereference, an out-of-range index or a read
// outside the artifact folder later.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_MANIFEST_H
#define ATTN_RUNTIME_MANIFEST_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace attn::runtime {

/// The manifest formats this runtime reads ("format" member): 2, and 3,
/// which adds workspace buffers and grid axes that are products.
constexpr int kManifestFormat = 4, kOldestManifestFormat = 2;

/// Largest tensor extent, stride or grid divisor a manifest or a launch may
/// carry; far above any real tensor, low enough that no product of two
/// overflows 64 bits.
constexpr int64_t kMaxExtent = int64_t(1) << 40;

/// Largest tensor rank (a tensor map's, too).
constexpr unsigned kMaxRank = 5;

/// Most tensors and parameters a manifest may declare.
constexpr unsigned kMaxTensors = 16, kMaxParams = 64;

enum class Element { BF16, F16, F32, I32 };

/// "bf16", "f16", "f32" or "i32" (workspace counters).
const char *elementName(Element element);
/// Bytes per element: 2 or 4.
int elementBytes(Element element);

/// One tensor a launch takes: a device pointer with sizes and strides.
struct TensorDecl {
  std::string name; ///< unique; "query", "key", ... for attention
  Element element = Element::BF16;
  std::vector<int64_t> shape; ///< -1 where the size is given at launch
  int elementBytes() const { return runtime::elementBytes(element); }
};

/// A parameter that is MLIR's memref descriptor of a tensor (or, with
/// `workspace`, of workspace buffer `tensor`): allocated and aligned
/// pointer, offset, sizes, strides.
struct MemrefParam {
  unsigned tensor = 0;
  bool workspace = false;
};

enum class OobFill { Zero, NaN };

/// A parameter that is a 128-byte CUtensorMap of a tensor, passed by value.
struct TensorMapParam {
  unsigned tensor = 0;
  Element element = Element::BF16;
  std::vector<uint32_t> box; ///< outermost first, like the tensor's shape
  unsigned swizzle = 0;      ///< bytes: 0, 32, 64 or 128
  OobFill oobFill = OobFill::Zero;
};

enum class ScalarType { I32, I64 };

/// A parameter that is one size of a tensor at launch, by value.
struct ScalarParam {
  ScalarType type = ScalarType::I32;
  unsigned tensor = 0, dim = 0;
};

using Param = std::variant<MemrefParam, TensorMapParam, ScalarParam>;

/// ceildiv(size `dim` of tensor `tensor`, `divisor`).
struct Extent {
  unsigned tensor = 0, dim = 0;
  int64_t divisor = 1;
};

/// One grid axis, or one extent of a workspace buffer: an extent, times
/// another one when `times` is set (format 3).
struct GridAxis : Extent {
  std::optional<Extent> times;
};

/// A buffer the runtime allocates for each launch, contiguous, zero-filled
/// when `zero` (format 3): split-KV's partial results and counters.
struct WorkspaceDecl {
  std::string name;
  Element element = Element::F32;
  std::vector<GridAxis> extents; ///< outermost first
  /// Zero-filled for each launch; otherwise its contents are undefined.
  bool zero = false;
};

/// The attention the kernel computes (attn-run checks a kernel against it).
struct AttentionSemantics {
  std::string mask; ///< "none", "causal" or "sliding_window"
  double scale = 1;
  bool lse = false;
  std::optional<double> softcap;
  std::optional<std::pair<int64_t, int64_t>> window; ///< left, right
  /// K and V are a paged cache [pages, page_size, Hkv, D] read through the
  /// i32 tensors block_table [B, max_pages] and cache_lengths [B] (format 3).
  bool paged = false;
};

struct Manifest {
  std::string kernel, chip;
  int capability = 0;     ///< compute capability times ten: 80, 90, 100
  std::string ptx, cubin; ///< file names inside the artifact folder
  /// Code for one chip's own features (sm_90a): runs on that chip only.
  bool isArchSpecific() const { return !chip.empty() && chip.back() == 'a'; }
  std::vector<TensorDecl> tensors;
  std::vector<WorkspaceDecl> workspace;
  std::vector<Param> params;
  unsigned block[3] = {1, 1, 1};
  unsigned cluster[3] = {1, 1, 1};
  GridAxis grid[3];
  /// A persistent kernel (format 4): launched as one axis of at most this
  /// many CTAs per SM, each looping over the grid's tiles; 0: one CTA per
  /// tile of `grid`.
  unsigned persistent = 0;
  unsigned dynamicSharedMemory = 0;
  /// When present, the tensors named query, key, value, output (rank 4)
  /// and, exactly when `lse`, lse (rank 3) exist.
  std::optional<AttentionSemantics> attention;

  /// The index of the tensor named `name`, or -1.
  int findTensor(const std::string &name) const;
};

/// Parses and checks manifest text; on failure sets `error` to what is
/// wrong and where ("params[1].box: ...").
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
