//===- AttnAttrs.h - attn dialect attributes --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNATTRS_H
#define ATTN_DIALECT_ATTN_IR_ATTNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

#include "attn/Dialect/Attn/IR/AttnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.h.inc"

namespace mlir::attn {
/// The discardable attribute that carries the `#attn.schedule` of a tiled
/// grid (the `scf.forall` that `-attn-tile` builds) to later passes.
constexpr llvm::StringLiteral kGridScheduleAttrName = "attn.schedule";
/// 32-bit registers in one SM's register file, on every chip attn targets:
/// what a CTA's warp roles share.
constexpr int64_t kRegisterFile = 64 * 1024;

/// The warps a set of warp roles takes and the registers they keep.
struct WarpRoleTotals {
  int64_t warps = 0, registers = 0;
};
WarpRoleTotals sumWarpRoles(ArrayRef<WarpRoleAttr> roles);

/// The discardable attribute that carries a kernel's `#attn.kernel_abi` on
/// its gpu.func.
constexpr llvm::StringLiteral kKernelAbiAttrName = "attn.abi";
} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_H
