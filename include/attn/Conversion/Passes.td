//===- Passes.td - attn conversion passes ------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_PASSES_TD
#define ATTN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnToLinalgPass : Pass<"convert-attn-to-linalg"> {
  let summary = "Lower attn.attention to the naive reference computation in linalg";
  let description = [{
    Replaces every `attn.attention` with the computation that defines it,
    written in `linalg.generic`, `linalg.fill` and `arith`/`math` ops: the full
    score matrix `S = Q K^T`, the scale, softcap and mask, a row max, `exp`, a
    row sum, `P V`, and the division by the row sum. Everything is computed in
    `f32`. A query row with no visible key gives zeros (and `-inf` for the
    log-sum-exp). Grouped-query attention is expressed by viewing the query
    heads as `[Hkv, Hq / Hkv]`, so key/value heads are indexed without
    division and dynamic head counts work.

    This is the executable definition of attention: it is meant for the CPU
    and for checking every optimized lowering, not for speed. It works on
    tensors and on memrefs alike.

    Before:

    ```mlir
    %o = attn.attention causal
           ins(%q, %k, %v : tensor<1x4x64x32xf32>, tensor<1x1x64x32xf32>,
                            tensor<1x1x64x32xf32>)
           outs(%init : tensor<1x4x64x32xf32>) -> tensor<1x4x64x32xf32>
    ```

    After (abridged):

    ```mlir
    %q5 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] ...
        : tensor<1x4x64x32xf32> into tensor<1x1x4x64x32xf32>
    %s = linalg.generic {... iterator_types = [parallel x 5, reduction]}
           ins(%q5, %k ...) outs(%zero : tensor<1x1x4x64x64xf32>)  // Q K^T
    %masked = linalg.generic ... // scale, softcap, -inf where masked
    %m = linalg.generic ...      // row max
    %p = linalg.generic ...      // exp(s - m)
    %l = linalg.generic ...      // row sum
    %pv = linalg.generic ...     // P V
    %o5 = linalg.generic ...     // pv / l, or 0 for rows that see no key
    %o = tensor.collapse_shape %o5 [[0], [1, 2], [3], [4]] ...
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ATTN_CONVERSION_PASSES_TD
