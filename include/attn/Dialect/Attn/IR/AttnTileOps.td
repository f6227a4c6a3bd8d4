//===- AttnTileOps.td - attn tile-level operations ---------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The operations of the tiled (L2) and online (L3) levels. Each works on one
// tile of one (batch, head) pair: static 2-D tiles `[M, N]` of scores, 1-D
// row vectors `[M]` of running statistics, all in value semantics. The two
// matrix products are separate ops so that their roles survive every pass.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNTILEOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNTILEOPS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "attn/Dialect/Attn/IR/AttnAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Attn_TileOp<string mnemonic, list<Trait> traits = []>
    : Attn_Op<mnemonic, !listconcat([Pure], traits)> {
  let hasVerifier = 1;
}

def Attn_TileElementType : AnyTypeOf<[BF16, F16, F32]>;
def Attn_Tile : 2DTensorOf<[Attn_TileElementType]>;
def Attn_F32Tile : 2DTensorOf<[F32]>;
def Attn_F32Rows : 1DTensorOf<[F32]>;
def Attn_F32TileOrRows : AnyTypeOf<[Attn_F32Tile, Attn_F32Rows]>;

def Attn_LoadTileOp : Attn_TileOp<"load_tile", [AttrSizedOperandSegments]> {
  let summary = "reads a tile of rows of one head, zero outside the sequence";
  let description = [{
    Reads rows `[row, row + M)` of head `head` of batch `batch` from a
    `[B, H, S, D]` tensor into an `[M, D]` tile. Rows before 0 or at or past
    `S` read as zero, so a tile at either end of a ragged sequence is well
    defined (`row` may be negative: `attn-tile` ends causal query tiles at
    `S`); such rows are not stored.

    With `heads(G)` (packed GQA) the tile holds `G` heads one after another:
    tile rows `[g P, (g + 1) P)`, with `P = M / G`, are rows `[row, row + P)`
    of head `head + g`.

    ```mlir
    %k = attn.load_tile %key[%b, %h, %col]
           : tensor<?x?x?x64xbf16> -> tensor<32x64xbf16>
    %q = attn.load_tile %query[%b, %h0, %row] heads(4)
           : tensor<?x32x?x64xbf16> -> tensor<64x64xbf16>
    ```

    With `pages(%block_table, %length)` the source is a paged cache
    `[P, page_size, H, D]` (see `attn.attention`): tile row `r` is key
    `row + r` of batch `batch`, row `(row + r) % page_size` of page
    `block_table[batch, (row + r) / page_size]`. Keys at or past `length`,
    and any in a page whose id is outside the cache, read as zero.

    ```mlir
    %k = attn.load_tile %key_cache[%b, %h, %col] pages(%table, %len : tensor<?x?xi32>)
           : tensor<?x16x8x128xbf16> -> tensor<64x128xbf16>
    ```
  }];
  let arguments = (ins 4DTensorOf<[Attn_TileElementType]>:$source,
                       Index:$batch, Index:$head, Index:$row,
                       Optional<2DTensorOf<[I32]>>:$block_table,
                       Optional<Index>:$length,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$heads);
  let results = (outs Attn_Tile:$result);
  let assemblyFormat = [{
    $source `[` $batch `,` $head `,` $row `]`
    (`pages` `(` $block_table^ `,` $length `:` type($block_table) `)`)?
    (`heads` `(` $heads^ `)`)?
    attr-dict `:` type($source) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$source, "Value":$batch,
                   "Value":$head, "Value":$row), [{
      build($_builder, $_state, result, source, batch, head, row,
            ::mlir::Value(), ::mlir::Value(), ::mlir::IntegerAttr());
    }]>
  ];
  let extraClassDeclaration = [{
    bool isPaged() { return static_cast<bool>(getBlockTable()); }
  }];
}

def Attn_QKMatmulOp : Attn_TileOp<"qk_matmul"> {
  let summary = "scores of a query tile against a key tile, S = Q K^T";
  let description = [{
    `S[i, j] = sum_d Q[i, d] * K[j, d]`, accumulated in `f32`. Scaling and
    masking are `attn.mask_scores`.

    ```mlir
    %s = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<32x64xbf16>
           -> tensor<64x32xf32>
    ```
  }];
  let arguments = (ins Attn_Tile:$query, Attn_Tile:$key);
  let results = (outs Attn_F32Tile:$result);
  let assemblyFormat = [{
    $query `,` $key attr-dict `:` type($query) `,` type($key) `->`
    type($result)
  }];
}

def Attn_MaskScoresOp : Attn_TileOp<"mask_scores",
    [AllTypesMatch<["scores", "result"]>]> {
  let summary = "scales, soft-caps and masks a tile of scores";
  let description = [{
    For the score tile whose element `(i, j)` pairs query `row + i` with key
    `col + j`, in sequences of lengths `seq_q` and `seq_kv`:

    - `z = scale * s`, then with `softcap(c)`: `z = c * tanh(z)`;
    - `z = -inf` where the query or the key is outside its sequence (before
      0 or at or past its length), or the
      mask hides the key from the query (the masks of `attn.attention`,
      aligned to the bottom right).

    `attn-tile` sets `scale` to the op's scale divided by the softcap when
    there is one, so that `c * tanh(scale * s)` is the op's
    `softcap * tanh(s * scale / softcap)`. The last multiplier (`scale`
    without softcap, `c` with one) is where `attn-fuse-online-softmax` folds
    `log2(e)`.

    With `heads(G)`, the rows are those of a packed query tile
    (`attn.load_tile ... heads(G)`): row `i` is query `row + i mod (M / G)`.

    ```mlir
    %m = attn.mask_scores %s at(%row, %col) seq(%sq, %skv) causal scale(0.125)
           : tensor<64x32xf32>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$scores, Index:$row, Index:$col,
                       Index:$seq_q, Index:$seq_kv,
                       DefaultValuedAttr<Attn_MaskKindAttr,
                                         "::mlir::attn::MaskKind::none">:$mask,
                       OptionalAttr<I64Attr>:$window_left,
                       OptionalAttr<I64Attr>:$window_right,
                       F32Attr:$scale,
                       OptionalAttr<F32Attr>:$softcap,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$heads);
  let results = (outs Attn_F32Tile:$result);
  let assemblyFormat = [{
    $scores `at` `(` $row `,` $col `)` `seq` `(` $seq_q `,` $seq_kv `)`
    custom<Mask>($mask, $window_left, $window_right)
    `scale` `(` $scale `)` (`softcap` `(` $softcap^ `)`)?
    (`heads` `(` $heads^ `)`)? attr-dict `:` type($result)
  }];
  let extraClassDeclaration = [{
    /// The sliding window's (left, right) extents, signed.
    std::pair<int64_t, int64_t> getWindowExtents() {
      return {getWindowLeftAttr().getInt(), getWindowRightAttr().getInt()};
    }
    /// Tile rows per query head: the tile's rows, or a packed head's.
    int64_t getRowsPerHead() {
      int64_t rows =
          ::llvm::cast<::mlir::ShapedType>(getScores().getType())
              .getDimSize(0);
      return rows / getHeads().value_or(1);
    }
  }];
}

def Attn_RowMaxOp : Attn_TileOp<"row_max",
    [AllTypesMatch<["init", "result"]>]> {
  let summary = "running row maximum of a score tile";
  let description = [{
    `m'[i] = max(m[i], max_j s[i, j])`.

    With `threshold(t)` it is FlashAttention-4's lazy maximum: `m'[i]` is the
    new maximum only where it exceeds `m[i]` by more than `t`, and stays
    `m[i]` otherwise. Probabilities taken against the kept value are at most
    `2^t` (in the base-2 domain), and the rescale factor of the row is exactly
    one, so a target may skip it. The result stays exact because the output
    and the row sum always share the same reference.

    ```mlir
    %m1 = attn.row_max %s, %m0 : tensor<64x32xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$scores, Attn_F32Rows:$init,
                       OptionalAttr<F32Attr>:$threshold);
  let results = (outs Attn_F32Rows:$result);
  let assemblyFormat = [{
    $scores `,` $init (`threshold` `(` $threshold^ `)`)? attr-dict
    `:` type($scores) `,` type($init)
  }];
}

def Attn_RowExpOp : Attn_TileOp<"row_exp",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "exponential of values relative to their row's maximum";
  let description = [{
    `p[i, j] = exp(x[i, j] - m[i])`, or `exp2` with `base2`; `x` is a score
    tile `[M, N]` or a row vector `[M]` (the rescale factor of the online
    softmax is `row_exp(m_old, m_new)`). Rows whose `m[i]` is `-inf` have seen
    no key and give 0, never NaN.

    With `poly_exp2(every k, degree d)` (base 2, score tiles only), exp2 of
    one score in `k` is computed on the FMA units, as FlashAttention-4 does:
    `x = n + f` with `n` the nearest integer and `|f| <= 1/2`, `2^f` by a
    minimax polynomial of degree `d` (2 to 5; largest relative error 7.5e-5
    at degree 3, `test/Target/exp2-polynomial.test`), and `n` added to the
    exponent bits; inputs below -125 give 0, above 127 `2^127`. Which scores of a row take
    the polynomial is the lowering's choice (the reference lowering: the
    columns `j` with `j % k = 0`; the kernels: a fixed set of each thread's
    registers).

    ```mlir
    %p = attn.row_exp %s, %m base2 : tensor<64x32xf32>, tensor<64xf32>
    %q = attn.row_exp %s, %m base2 poly_exp2(every 2, degree 3)
           : tensor<64x32xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Attn_F32TileOrRows:$input, Attn_F32Rows:$max,
                       UnitAttr:$base2,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntMinValue<1>]>>:$poly_every,
                       OptionalAttr<ConfinedAttr<I64Attr,
                           [IntMinValue<2>, IntMaxValue<5>]>>:$poly_degree);
  let results = (outs Attn_F32TileOrRows:$result);
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$input, "Value":$max,
                   "bool":$base2), [{
      build($_builder, $_state, result, input, max,
            base2 ? $_builder.getUnitAttr() : UnitAttr(), IntegerAttr(),
            IntegerAttr());
    }]>
  ];
  let assemblyFormat = [{
    $input `,` $max (`base2` $base2^)?
    (`poly_exp2` `(` `every` $poly_every^ `,` `degree` $poly_degree `)`)?
    attr-dict `:` type($input) `,` type($max)
  }];
}

def Attn_RowSumOp : Attn_TileOp<"row_sum",
    [AllTypesMatch<["init", "result"]>]> {
  let summary = "running row sum of a probability tile";
  let description = [{
    `l'[i] = l[i] + sum_j p[i, j]`.

    ```mlir
    %l1 = attn.row_sum %p, %l0 : tensor<64x32xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$input, Attn_F32Rows:$init);
  let results = (outs Attn_F32Rows:$result);
  let assemblyFormat = [{
    $input `,` $init attr-dict `:` type($input) `,` type($init)
  }];
}

def Attn_RowScaleOp : Attn_TileOp<"row_scale",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "multiplies every row by its factor";
  let description = [{
    `y[i, ...] = x[i, ...] * alpha[i]` for a tile `[M, N]` or a row vector
    `[M]`: the rescale of the output accumulator and the row sum when the
    running maximum moves.

    ```mlir
    %acc1 = attn.row_scale %acc, %alpha : tensor<64x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Attn_F32TileOrRows:$input, Attn_F32Rows:$factor);
  let results = (outs Attn_F32TileOrRows:$result);
  let assemblyFormat = [{
    $input `,` $factor attr-dict `:` type($input) `,` type($factor)
  }];
}

def Attn_PVMatmulOp : Attn_TileOp<"pv_matmul",
    [AllTypesMatch<["acc", "result"]>]> {
  let summary = "accumulates probabilities times a value tile, O += P V";
  let description = [{
    `acc'[i, e] = acc[i, e] + sum_j P[i, j] * V[j, e]`. `P` is rounded to the
    element type of `V` first, as the tensor cores consume it; the products
    accumulate in `f32`.

    ```mlir
    %acc1 = attn.pv_matmul %p, %v, %acc0
              : tensor<64x32xf32>, tensor<32x64xbf16>, tensor<64x64xf32>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$probs, Attn_Tile:$value,
                       Attn_F32Tile:$acc);
  let results = (outs Attn_F32Tile:$result);
  let assemblyFormat = [{
    $probs `,` $value `,` $acc attr-dict
    `:` type($probs) `,` type($value) `,` type($acc)
  }];
}

def Attn_NormalizeOp : Attn_TileOp<"normalize"> {
  let summary = "divides the output accumulator by the row sums";
  let description = [{
    `o[i, e] = acc[i, e] / l[i]` in the output's element type, and 0 where
    `l[i] = 0` (a row that saw no key).

    ```mlir
    %o = attn.normalize %acc, %l : tensor<64x64xf32>, tensor<64xf32>
           -> tensor<64x64xbf16>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$acc, Attn_F32Rows:$sum);
  let results = (outs Attn_Tile:$result);
  let assemblyFormat = [{
    $acc `,` $sum attr-dict `:` type($acc) `,` type($sum) `->` type($result)
  }];
}

def Attn_LseOp : Attn_TileOp<"lse",
    [AllTypesMatch<["max", "sum", "result"]>]> {
  let summary = "log-sum-exp of each row from its maximum and sum";
  let description = [{
    `lse[i] = m[i] + log(l[i])`; with `base2`, where `m` is in the base-2
    domain of the online softmax, `lse[i] = m[i] * ln(2) + log(l[i])`. The
    result is in natural-log units and is `-inf` where `l[i] = 0`.

    ```mlir
    %lse = attn.lse %m, %l base2 : tensor<64xf32>
    ```
  }];
  let arguments = (ins Attn_F32Rows:$max, Attn_F32Rows:$sum, UnitAttr:$base2);
  let results = (outs Attn_F32Rows:$result);
  let assemblyFormat = [{
    $max `,` $sum (`base2` $base2^)? attr-dict `:` type($result)
  }];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNTILEOPS_TD
