//===- AttnAttrs.td - attn dialect attributes and enums ----*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "mlir/IR/EnumAttr.td"

def Attn_MaskKind : I32EnumAttr<"MaskKind", "which keys a query may see", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"causal", 1>,
    I32EnumAttrCase<"sliding_window", 2>
  ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_MaskKindAttr : EnumAttr<Attn_Dialect, Attn_MaskKind, "mask_kind"> {
  let summary = "kind of structural mask applied to the attention scores";
  let description = [{
    `none`: every query sees every key. `causal`: query `i` sees key `j` when
    `j <= i + (Skv - Sq)`, the bottom-right alignment FlashAttention uses, so
    the last query always sees the last key. `sliding_window`: query `i` sees
    key `j` when `i + (Skv - Sq) - left <= j <= i + (Skv - Sq) + right`, with
    the extents `left` and `right` carried by the op.
  }];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
