//===- Common.h - helpers shared by the linalg lowerings --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Private to the AttnToLinalg library: the scalar pieces that the reference
// lowering of attn.attention and the lowering of the tile ops must compute
// identically (the mask above all).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H
#define ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Builders.h"

#include <optional>
#include <utility>

namespace mlir::attn {

/// Extends a bf16/f16 scalar to f32; an f32 value is returned as it is.
Value toF32(OpBuilder &b, Location loc, Value value);

/// Truncates an f32 scalar to `type`.
Value fromF32(OpBuilder &b, Location loc, Value value, Type type);

Value f32Constant(OpBuilder &b, Location loc, float value);

/// Whether query row `i` may see key column `j` under `mask`, for
/// FlashAttention's bottom-right alignment: query i sits at key position
/// i + offset, offset = Skv - Sq. `window` holds (left, right) for a sliding
/// window.
Value isVisible(OpBuilder &b, Location loc, MaskKind mask,
                std::optional<std::pair<int64_t, int64_t>> window, Value i,
                Value j, Value offset);

/// The (left, right) extents of the sliding window of `op` (attn.attention
/// or attn.mask_scores), or nothing for other masks.
template <typename OpTy>
std::optional<std::pair<int64_t, int64_t>> getWindow(OpTy op) {
  if (op.getMask() != MaskKind::sliding_window)
    return std::nullopt;
  return op.getWindowExtents();
}

/// Adds the patterns that lower the tile-level ops (attn.load_tile,
/// attn.qk_matmul, ...) to linalg on tensors.
void populateTileOpsToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H
