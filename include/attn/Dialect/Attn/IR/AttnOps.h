//===- AttnOps.h - attn dialect operations ----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_H
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_H

#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnTypes.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::attn {

/// Emits an error on `op` unless `value` is absent or a positive finite float.
LogicalResult verifyPositiveFinite(Operation *op, StringRef name,
                                   std::optional<APFloat> value);

/// Checks that the window extents are present, and non-negative, exactly
/// when the mask is a sliding window.
LogicalResult verifyMaskAttrs(Operation *op, MaskKind mask, IntegerAttr left,
                              IntegerAttr right);

/// Whether query row `i` may see key column `j` under `mask`, for
/// FlashAttention's bottom-right alignment: query i sits at key position
/// i + offset, offset = Skv - Sq. `window` holds (left, right) for a sliding
/// window.
Value isVisible(OpBuilder &b, Location loc, MaskKind mask,
                std::optional<std::pair<int64_t, int64_t>> window, Value i,
                Value j, Value offset);

/// The key count of one sequence of a paged cache: its i32 cache length
/// `length`, held to [0, capacity] (capacity = max_pages * page_size), as
/// the reference lowering and -attn-tile both read it, so that no read
/// leaves the cache.
Value buildCacheLength(OpBuilder &b, Location loc, Value length,
                       Value capacity);

/// attn.combine_splits on scalars, shared by its lowerings: a chunk's weight
/// against `ref`, exp(lse - ref), and 0 for a chunk that saw no key (lse =
/// -inf, where ref may be -inf too)...
Value buildChunkWeight(OpBuilder &b, Location loc, Value lse, Value ref);
/// ...and the merged LSE from the chunks' largest LSE `max` and the sum of
/// their weights against it: max + log(sum), -inf when every chunk is empty
/// (max read as 0 then, and sum = 0).
Value buildMergedLse(OpBuilder &b, Location loc, Value max, Value sum);

} // namespace mlir::attn

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.h.inc"

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_H
