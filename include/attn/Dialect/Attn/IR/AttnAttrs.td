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

def Attn_ScheduleAttr : AttrDef<Attn_Dialect, "Schedule"> {
  let mnemonic = "schedule";
  let summary = "how one attention kernel is tiled and scheduled";
  let description = [{
    The decisions a target makes for one `attn.attention`, recorded in the IR
    so that every later pass reads them instead of re-deriving them:

    - `tile_m`: query rows per tile (one tile per program instance of the
      grid),
    - `tile_n`: key/value rows per step of the K/V loop,
    - `stages`: shared-memory buffers of the K/V pipeline,
    - `warps`: warps that share one query tile.

    `-attn-select-schedule` chooses it from the chip and the op's shapes;
    `-attn-tile` reads the tile sizes.

    Example: `#attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>`
  }];
  let parameters = (ins "int64_t":$tile_m, "int64_t":$tile_n,
                        "int64_t":$stages, "int64_t":$warps);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
