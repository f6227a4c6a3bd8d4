//===- AttnOps.td - attn dialect operations ----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "attn/Dialect/Attn/IR/AttnAttrs.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Attn_AttentionOp : Attn_Op<"attention", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface]> {
  let summary = "scaled dot-product attention";
  let description = [{
    Computes `O = softmax(scale * Q K^T + mask) V` for every batch and head:

    - `Q`: `[B, Hq, Sq, D]`, `K`: `[B, Hkv, Skv, D]`, `V`: `[B, Hkv, Skv, Dv]`
    - `O`: `[B, Hq, Sq, Dv]`, and optionally the log-sum-exp of each row of
      the scaled, masked scores, `LSE`: `[B, Hq, Sq]` in `f32`.

    `Hq` must be a multiple of `Hkv`: query head `h` reads key/value head
    `h / (Hq / Hkv)` (grouped-query attention; `Hkv = 1` is multi-query
    attention). Batch, head counts and sequence lengths may be dynamic; the
    head dims `D` and `Dv` are static. Q, K and V share one element type
    (`bf16`, `f16`, or `f32` for reference work); arithmetic is done in `f32`.

    Attributes:
    - the mask kind: absent (no mask), `causal`, or
      `sliding_window(left = L, right = R)`. Causal and window masks align the
      last query with the last key when `Sq != Skv` (FlashAttention's
      bottom-right convention): query `i` is at position `i + Skv - Sq`.
    - `scale`: multiplies `Q K^T`; `1/sqrt(D)` when absent.
    - `softcap`: when present, scores become `softcap * tanh(s / softcap)`
      after scaling and before masking.
    - `schedule`: the `#attn.schedule` a target chose for this op (tile
      sizes and pipeline depth); it does not change what the op computes.

    A query row that sees no key produces an output row of zeros and an LSE
    of `-inf`, never NaN.

    **Paged K/V cache.** With `paged(%block_table, %cache_lengths)`, K and V
    are caches of pages shared by every sequence of the batch, in the layout
    of vLLM and FlashAttention: `K` `[num_pages, page_size, Hkv, D]`, `V`
    `[num_pages, page_size, Hkv, Dv]`, a `block_table` `[B, max_pages]` and
    `cache_lengths` `[B]`, both `i32`. Batch `b` has `Skv = cache_lengths[b]`
    keys (the masks align to it), and its key `j` is row `j % page_size` of
    page `block_table[b, j / page_size]`. A length must lie in
    `[0, max_pages * page_size]` and a page id that is read in
    `[0, num_pages)`; entries of the block table past a sequence's last page
    are never read. Other values give unspecified results; no lowering reads
    memory outside the operands for them, and the runtime checks them where
    it can see them.

    The op is in destination-passing style: `outs` holds the output and, when
    requested, the LSE destination. On tensors it returns one result per
    `outs` operand; on memrefs it writes them and returns nothing.

    Example:

    ```mlir
    %o = attn.attention causal
           ins(%q, %k, %v : tensor<2x8x?x128xbf16>, tensor<2x2x?x128xbf16>,
                            tensor<2x2x?x128xbf16>)
           outs(%init : tensor<2x8x?x128xbf16>) -> tensor<2x8x?x128xbf16>

    %o2, %lse = attn.attention sliding_window(left = 256, right = 0)
           scale(0.125) softcap(30.0)
           ins(%q, %k, %v : ...) outs(%init, %lse_init : ..., tensor<2x8x?xf32>)
           -> tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>

    %o3 = attn.attention causal
           ins(%q, %k_cache, %v_cache : tensor<8x32x1x128xbf16>,
               tensor<?x64x8x128xbf16>, tensor<?x64x8x128xbf16>)
           paged(%block_table, %lengths : tensor<8x?xi32>, tensor<8xi32>)
           outs(%init3 : tensor<8x32x1x128xbf16>) -> tensor<8x32x1x128xbf16>
    ```
  }];

  let arguments = (ins
    AnyShaped:$query,
    AnyShaped:$key,
    AnyShaped:$value,
    Optional<AnyShaped>:$block_table,
    Optional<AnyShaped>:$cache_lengths,
    Variadic<AnyShaped>:$outputs,
    DefaultValuedAttr<Attn_MaskKindAttr, "::mlir::attn::MaskKind::none">:$mask,
    OptionalAttr<I64Attr>:$window_left,
    OptionalAttr<I64Attr>:$window_right,
    OptionalAttr<F32Attr>:$scale,
    OptionalAttr<F32Attr>:$softcap,
    OptionalAttr<Attn_ScheduleAttr>:$schedule
  );
  let results = (outs Variadic<AnyRankedTensor>:$results);

  let assemblyFormat = [{
    custom<Mask>($mask, $window_left, $window_right)
    (`scale` `(` $scale^ `)`)?
    (`softcap` `(` $softcap^ `)`)?
    `ins` `(` $query `,` $key `,` $value `:`
              type($query) `,` type($key) `,` type($value) `)`
    (`paged` `(` $block_table^ `,` $cache_lengths `:`
                 type($block_table) `,` type($cache_lengths) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)`
    attr-dict (`->` type($results)^)?
  }];

  let extraClassDeclaration = [{
    /// Whether K and V are a paged cache (with a block table and lengths).
    bool isPaged() { return static_cast<bool>(getBlockTable()); }
    /// The dimension of K and V that holds their key/value heads: 1, or 2 in
    /// a paged cache.
    unsigned getKvHeadDim() { return isPaged() ? 2 : 1; }
    /// The destination of the attention output O.
    ::mlir::Value getOutput() { return getOutputs().front(); }
    /// The destination of the log-sum-exp, or null when it is not requested.
    ::mlir::Value getLse() {
      return getOutputs().size() > 1 ? getOutputs()[1] : ::mlir::Value();
    }
    /// The scale applied to Q K^T, with the 1/sqrt(D) default resolved.
    float getEffectiveScale();
    /// The sliding window's (left, right) extents, signed (the generated
    /// I64Attr getters return them as unsigned). Requires both attributes.
    std::pair<int64_t, int64_t> getWindowExtents() {
      return {getWindowLeftAttr().getInt(), getWindowRightAttr().getInt()};
    }
    /// Query heads per key/value head, when both head counts are static.
    std::optional<int64_t> getStaticGroupSize();

    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
  }];

  let hasVerifier = 1;
}

def Attn_CombineSplitsOp : Attn_Op<"combine_splits", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface]> {
  let summary = "merges the partial results of a split-KV attention";
  let description = [{
    Split-KV attention (flash-decoding) computes each chunk `n` of the keys
    separately: `partial_output[n]` is the attention over that chunk alone,
    normalised, and `partial_lse[n]` its log-sum-exp (`-inf` for a chunk
    with no visible key). This op merges them exactly:

    - `lse = log(sum_n exp(partial_lse[n]))`, computed from the largest
      `partial_lse[n]`, and `-inf` where every chunk's is;
    - `O = sum_n exp(partial_lse[n] - lse) * partial_output[n]`, rounded to
      O's element type, and 0 where `lse = -inf`.

    Shapes: `partial_output` `[N, B, H, S, Dv]` and `partial_lse`
    `[N, B, H, S]`, both `f32`; `O` `[B, H, S, Dv]` (bf16, f16 or f32) and
    optionally `LSE` `[B, H, S]` (f32), in destination-passing style as
    `attn.attention`. `-attn-tile` makes it for schedules with `kv_chunk`.

    ```mlir
    %o, %lse = attn.combine_splits
           ins(%po, %pl : tensor<?x1x32x1x128xf32>, tensor<?x1x32x1xf32>)
           outs(%init, %lse_init : tensor<1x32x1x128xbf16>, tensor<1x32x1xf32>)
           -> tensor<1x32x1x128xbf16>, tensor<1x32x1xf32>
    ```
  }];

  let arguments = (ins AnyShaped:$partial_output, AnyShaped:$partial_lse,
                       Variadic<AnyShaped>:$outputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);

  let assemblyFormat = [{
    `ins` `(` $partial_output `,` $partial_lse `:`
              type($partial_output) `,` type($partial_lse) `)`
    `outs` `(` $outputs `:` type($outputs) `)`
    attr-dict (`->` type($results)^)?
  }];

  let extraClassDeclaration = [{
    ::mlir::Value getOutput() { return getOutputs().front(); }
    ::mlir::Value getLse() {
      return getOutputs().size() > 1 ? getOutputs()[1] : ::mlir::Value();
    }
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
  }];

  let hasVerifier = 1;
}

include "attn/Dialect/Attn/IR/AttnTileOps.td"
include "attn/Dialect/Attn/IR/AttnAsyncOps.td"
include "attn/Dialect/Attn/IR/AttnRoleOps.td"

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
