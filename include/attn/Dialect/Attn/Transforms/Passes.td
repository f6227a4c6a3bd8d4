//===- Passes.td - attn transform passes -------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnFuseAttentionPass : Pass<"attn-fuse-attention"> {
  let summary = "Fuse a naive matmul-softmax-matmul graph into attn.attention";
  let description = [{
    Recognises attention written as separate upstream ops, as frontends emit
    it, and replaces it with one `attn.attention`:

    - `S = Q K^T`: a `linalg.batch_matmul`, `linalg.matmul`, `linalg.contract`
      or contraction `linalg.generic`, on `[B, H, S, D]`, `[B*H, S, D]` or
      `[S, D]` operands; K either `[.., Skv, D]` read transposed by the
      contraction's indexing maps or by a `linalg.transpose`, or given as
      `[.., D, Skv]` (then transposed back);
    - an optional scale: multiplication by, or division by, a constant
      (a `linalg.generic` with a constant operand or captured constant, or
      `arith.mulf`/`arith.divf` on tensors with a splat constant);
    - an optional causal mask: a `linalg.generic` that selects `-inf`, or adds
      `-inf`, where the key index exceeds the query index;
    - `linalg.softmax` over the last dimension, or its spelled-out form
      `max`, `sub`, `exp`, `sum`, `div` as `linalg.generic`/`linalg.reduce`;
    - `O = P V`, the same kinds of contraction;
    - GQA: K and V whose heads were repeated by `linalg.broadcast` plus
      `tensor.collapse_shape` read from the unrepeated tensors.

    Element-type casts (`arith.extf`/`arith.truncf` generics) between these
    steps are allowed; the fused op computes in `f32`. 3-D and 2-D graphs get
    `tensor.expand_shape`/`tensor.collapse_shape` around the fused op. A graph
    is fused only when every intermediate has no other use and every step is
    proven: a softmax over another dimension, a scale that is not a
    constant, a mask that is not causal, or a reduction pair that is not
    max/sum is left untouched.

    Before:

    ```mlir
    %kt = linalg.transpose ins(%k : tensor<8x128x64xf32>)
            outs(%e0 : tensor<8x64x128xf32>) permutation = [0, 2, 1]
    %s = linalg.batch_matmul ins(%q, %kt : ...) outs(%z0 : tensor<8x128x128xf32>)
    %ss = linalg.generic {...} ins(%s : ...) outs(%e1 : ...) {
      ^bb0(%x: f32, %o: f32):
        %y = arith.mulf %x, %cst_0_125 : f32
        linalg.yield %y : f32
    } -> tensor<8x128x128xf32>
    %p = linalg.softmax dimension(2) ins(%ss : ...) outs(%e2 : ...) -> ...
    %o = linalg.batch_matmul ins(%p, %v : ...) outs(%z1 : tensor<8x128x64xf32>)
    ```

    After:

    ```mlir
    %q4 = tensor.expand_shape %q [[0, 1], [2], [3]] ...
          : tensor<8x128x64xf32> into tensor<8x1x128x64xf32>
    ...
    %o4 = attn.attention scale(1.250000e-01) ins(%q4, %k4, %v4 : ...)
            outs(%init : tensor<8x1x128x64xf32>) -> tensor<8x1x128x64xf32>
    %o = tensor.collapse_shape %o4 [[0, 1], [2], [3]] ...
    ```

    With `report-unfused`, a graph that reaches a softmax-like producer of
    the `P V` product's left operand but is left alone gets a remark at that
    product naming the step that did not match (the probabilities used
    elsewhere, the softmax, the ops between Q K^T and it, Q K^T itself, the
    rank, head dims or element types, a causal mask on unknown lengths).
  }];
  let options = [
    Option<"reportUnfused", "report-unfused", "bool", /*default=*/"false",
           "Remark on attention-like graphs that are not fused, naming the "
           "step that did not match">,
  ];
  let dependentDialects = [
    "::mlir::attn::AttnDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnOutlineAttentionPass
    : Pass<"attn-outline-attention", "::mlir::ModuleOp"> {
  let summary = "Move each attn.attention of a larger function into a function of its own";
  let description = [{
    A backend hands the compiler whole functions: the attention between
    reshapes (what `-attn-fuse-attention` puts around 2-D and 3-D graphs),
    producers of Q, K and V and consumers of O. The GPU kernel is built from
    a function that takes Q, K and V and returns the attention's results;
    this pass makes one for each `attn.attention` whose function is more
    than that, named `<function>_attention` (`_1`, `_2`, ... when taken),
    and replaces the op with a `func.call` to it. The new function takes
    the op's Q, K and V (and a paged cache's block table and lengths),
    builds its own destinations (`tensor.empty` sized
    from Q, and V's head dim) and returns O and the optional LSE; the rest
    of the caller stays as it was. A function that already is only the
    attention (Q, K, V as its first three arguments, the op's results
    returned, nothing else but constants, `tensor.dim` and `tensor.empty`)
    is left alone, so the kernel keeps the function's name.

    After `-convert-attn-to-nvgpu` turns the new function into a kernel, a
    private declaration of it stays for the caller's `func.call`;
    `attn-compile` writes the caller beside the kernel (`<kernel>.host.mlir`),
    for the caller's own pipeline.

    Before:

    ```mlir
    func.func @layer(%q: tensor<8x128x64xf32>, ...) -> tensor<8x128x64xf32> {
      %q4 = tensor.expand_shape %q [[0, 1], [2], [3]] ...
      %o4 = attn.attention scale(1.250000e-01) ins(%q4, %k4, %v4 : ...) outs(%init : ...) -> ...
      %o = tensor.collapse_shape %o4 [[0, 1], [2], [3]] ...
      return %o : tensor<8x128x64xf32>
    }
    ```

    After:

    ```mlir
    func.func @layer(...) -> tensor<8x128x64xf32> {
      %q4 = tensor.expand_shape %q [[0, 1], [2], [3]] ...
      %o4 = call @layer_attention(%q4, %k4, %v4) : (...) -> tensor<8x1x128x64xf32>
      %o = tensor.collapse_shape %o4 [[0, 1], [2], [3]] ...
      return %o : tensor<8x128x64xf32>
    }
    func.func private @layer_attention(%q: tensor<8x1x128x64xf32>, ...) -> tensor<8x1x128x64xf32> {
      %init = tensor.empty() : tensor<8x1x128x64xf32>
      %o = attn.attention scale(1.250000e-01) ins(%q, %k, %v : ...) outs(%init : ...) -> ...
      return %o : tensor<8x1x128x64xf32>
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnSelectSchedulePass : Pass<"attn-select-schedule"> {
  let summary = "Choose the tile sizes and pipeline depth of each attention for a chip";
  let description = [{
    The one target-aware step before tiling: for every `attn.attention`
    without a `schedule`, picks an `#attn.schedule` from the chip's facts
    (tensor-core shape, shared memory per block) and the op's head dims and
    element type, and records it on the op. Later passes read the schedule,
    never the chip. Requests the chip cannot serve (an `f32` op, a head dim
    that is not a multiple of 16, tiles that do not fit in shared memory)
    fail with a diagnostic on the op.

    What only the mma.sync (FlashAttention-2) kernel does, packed GQA,
    split-KV and paged K/V caches, gets its schedule (kind `fa2`) on sm_90a
    too: a decode step reads K/V at memory speed whichever tensor cores
    multiply, and sm_90a builds that kernel for it.

    Before:

    ```mlir
    %o = attn.attention causal ins(%q, %k, %v : tensor<?x8x?x128xbf16>, ...)
           outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
    ```

    After (`chip=sm_80`):

    ```mlir
    %o = attn.attention causal ins(%q, %k, %v : tensor<?x8x?x128xbf16>, ...)
           outs(%init : tensor<?x8x?x128xbf16>)
           {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2,
                                      warps = 8>}
           -> tensor<?x8x?x128xbf16>
    ```
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "Target chip: sm_80, sm_90a or sm_100a">,
    Option<"rescaleThreshold", "rescale-threshold", "float",
           /*default=*/"-1.0f",
           "FlashAttention-4's conditional rescaling, recorded in the "
           "schedule: move a row's max only when it grows by more than this "
           "(log2 units); 0 rescales on every increase; negative (the "
           "default) leaves it to the kernel (sm_90a's: 8 from head dim 128; "
           "sm_80's, also on sm_90a for decode steps: 8 for causal head "
           "dims up to 32, 64 in packed decode tiles; else 0)">,
    Option<"pingPong", "ping-pong", "bool", /*default=*/"true",
           "Warp-specialised schedules: the consumer warpgroups take turns "
           "issuing their matrix products">,
    Option<"overlap", "overlap", "bool", /*default=*/"true",
           "Warp-specialised schedules: each consumer issues Q K^T of the "
           "next K/V tile before the softmax of this one">,
    Option<"persistent", "persistent", "int64_t", /*default=*/"-1",
           "Warp-specialised schedules: launch as many CTAs as fit on the "
           "GPU, each looping over query tiles; 1 on, 0 off, negative (the "
           "default) the chip's choice (sm_90a: on without a mask or causal "
           "at head dims up to 128)">,
    Option<"stages", "stages", "int64_t", /*default=*/"0",
           "K/V tiles in flight (1: one K slot and one V slot, each copied "
           "under the other's products); 0 (the default) leaves it to the "
           "chip (sm_80: 2 up to head dim 128, 1 above; else 2)">,
    Option<"queryStages", "query-stages", "int64_t", /*default=*/"0",
           "Persistent warp-specialised schedules: query tiles in flight (2: "
           "the next tile's query loads under this one's steps); 0 (the "
           "default) leaves it to the chip (sm_90a: 2 where the second slot "
           "fits beside the K/V stages and O's staging tile, else 1)">,
    Option<"packGqa", "pack-gqa", "bool", /*default=*/"false",
           "Pack the query heads of a group into one tile (decoding); "
           "chosen without asking when Sq is static and at most 16">,
    Option<"kvChunk", "kv-chunk", "int64_t", /*default=*/"0",
           "Split-KV (decoding): keys per chunk, a multiple of the chosen "
           "tile_n, each chunk its own CTA; 0 (the default) splits nothing">,
  ];
}

def AttnTilePass : Pass<"attn-tile"> {
  let summary = "Tile attn.attention into a grid of query tiles and a loop over K/V tiles";
  let description = [{
    Rewrites every `attn.attention` on tensors into level L2: an
    `scf.forall` grid over (query tile, query head, batch), and inside it,
    for one `[tile_m, D]` query tile, two `scf.for` loops over the
    `[tile_n, D]` key/value tiles it can see: the first computes the row
    maximum of the scores, the second the row sums and `P V` against it.
    This is the exact (two-pass) softmax, tiled; `attn-fuse-online-softmax`
    fuses the two loops into one.

    - Tile sizes come from the op's `#attn.schedule` (64 x 64 when it has
      none); the `tile-m` and `tile-n` options override it (for tests).
    - Ragged lengths: tiles past the end of a sequence read zeros and
      `attn.mask_scores` masks their scores; stores write only the rows that
      exist.
    - Causal and sliding-window masks: each query tile's K/V loop runs only
      over the tiles that hold a visible key (none, if no key is visible),
      and `attn.mask_scores` masks the diagonal tiles element-wise. Keys are
      aligned to the bottom right when `Sq != Skv`: query `i` sits at key
      position `i + Skv - Sq`.
    - GQA/MQA: query head `h` reads key/value head `h / (Hq / Hkv)`.
    - Packed GQA (`pack_gqa` in the schedule; static head counts): the grid
      runs over key/value heads, and a query tile holds `tile_m / G` rows of
      each of the group's `G` query heads (`attn.load_tile ... heads(G)`),
      so a decode step of one query fills `G` rows of a tile and K/V is
      read once per group.
    - Split-KV (`kv_chunk = C` in the schedule): the grid gains a last
      dimension over the `max(ceil(Skv / C), 1)` chunks of keys (an empty
      cache is one empty chunk); each program
      instance visits the visible tiles of its chunk and writes its
      normalised output and LSE, in f32, into partial results
      `[N, B, Hq, Sq, Dv]` and `[N, B, Hq, Sq]`, and `attn.combine_splits`
      merges them into the op's destinations after the grid. A chunk that
      sees no key writes zeros and `-inf`, which the merge weighs 0.

    Before:

    ```mlir
    %o = attn.attention causal ins(%q, %k, %v : tensor<?x?x?x64xf32>, ...)
           outs(%init : tensor<?x?x?x64xf32>) -> tensor<?x?x?x64xf32>
    ```

    After (`tile-m=64 tile-n=32`, abridged):

    ```mlir
    %r = scf.forall (%qt, %h, %b) in (%num_q_tiles, %hq, %batch)
           shared_outs(%out = %init) -> (tensor<?x?x?x64xf32>) {
      %row = arith.muli %qt, %c64 : index
      %hkv = arith.divui %h, %group : index
      %q_tile = attn.load_tile %q[%b, %h, %row] : ... -> tensor<64x64xf32>
      // %lo, %hi: the K/V range this query tile can see
      %m = scf.for %col = %lo to %hi step %c32 iter_args(%m0 = %neg_inf)
             -> (tensor<64xf32>) {
        %k_tile = attn.load_tile %k[%b, %hkv, %col] : ... -> tensor<32x64xf32>
        %s = attn.qk_matmul %q_tile, %k_tile : ... -> tensor<64x32xf32>
        %sm = attn.mask_scores %s at(%row, %col) seq(%sq, %skv) causal
                scale(1.250000e-01) : tensor<64x32xf32>
        %m1 = attn.row_max %sm, %m0 : tensor<64x32xf32>, tensor<64xf32>
        scf.yield %m1 : tensor<64xf32>
      }
      %acc, %l = scf.for %col = %lo to %hi step %c32
                   iter_args(%acc0 = %zero_tile, %l0 = %zero_rows) -> ... {
        ... %sm as above ...
        %p = attn.row_exp %sm, %m : tensor<64x32xf32>, tensor<64xf32>
        %l1 = attn.row_sum %p, %l0 : tensor<64x32xf32>, tensor<64xf32>
        %v_tile = attn.load_tile %v[%b, %hkv, %col] : ... -> tensor<32x64xf32>
        %acc1 = attn.pv_matmul %p, %v_tile, %acc0 : ...
        scf.yield %acc1, %l1 : tensor<64x64xf32>, tensor<64xf32>
      }
      %o_tile = attn.normalize %acc, %l : ... -> tensor<64x64xf32>
      %o_rows = tensor.extract_slice %o_tile[0, 0] [%rows, 64] [1, 1] : ...
      scf.forall.in_parallel {
        tensor.parallel_insert_slice %o_rows into %out[%b, %h, %row, 0]
          [1, 1, %rows, 64] [1, 1, 1, 1] : ...
      }
    } {attn.schedule = #attn.schedule<...>}
    ```

    An op on memrefs is an error: tiling works on tensors, before
    bufferization.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", /*default=*/"0",
           "Query rows per tile; overrides the schedule when positive">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"0",
           "Key/value rows per loop step; overrides the schedule when positive">,
    Option<"kvChunk", "kv-chunk", "int64_t", /*default=*/"-1",
           "Keys per split-KV chunk (a multiple of the tile); overrides the "
           "schedule when 0 (no split) or more">,
    Option<"packGqa", "pack-gqa", "bool", /*default=*/"false",
           "Pack the query heads of a group into one tile, whatever the "
           "schedule says">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnFuseOnlineSoftmaxPass : Pass<"attn-fuse-online-softmax"> {
  let summary = "Fuse the tiled softmax's max loop into its sum loop: the online softmax";
  let description = [{
    Rewrites the two K/V loops that `attn-tile` produces (one for the row
    maximum, one for the row sums and `P V`) into the single loop of level
    L3, FlashAttention's online recurrence. The loop carries the running
    maximum `m`, row sum `l` and output accumulator; each step computes

    ```
    m'  = row_max(s, m)            alpha = exp2(m - m')
    p   = exp2(s - m')             l'    = alpha * l + row_sum(p)
    acc' = alpha * acc + p V
    ```

    Scores move to the base-2 domain: `log2(e)` is folded into the last
    multiplier of `attn.mask_scores`, and `attn.row_exp`/`attn.lse` take
    `base2`. The `1/l` normalisation stays after the loop (`attn.normalize`),
    as does the LSE. Rows that see no key keep `m = -inf` and `l = 0` and
    still give 0 and `-inf`.

    With a threshold `t > 0` (FlashAttention-4's conditional rescaling, off
    by default; the grid's schedule carries it as `rescale_threshold`, which
    `-attn-select-schedule{rescale-threshold=t}` sets and this pass's own
    option overrides for tests) the running maximum only moves when a tile
    raises it by more than `t` (in log2 units; 8 is FA4's choice), so most
    steps rescale by exactly 1; the output stays exact because `l` and `acc`
    always share one reference.

    With `exp2-emulation=k` (FlashAttention-4's other trick, off by
    default), the score exponentials carry `poly_exp2(every k, degree d)`:
    one in `k` is computed on the FMA units by a polynomial of degree
    `exp2-degree` (see `attn.row_exp`), leaving the special-function unit
    the rest.

    The pass checks that both loops have the same bounds and compute the same
    scores, and leaves anything else alone.

    Before (`attn-tile` output, abridged):

    ```mlir
    %m = scf.for %col = %lo to %hi step %c32 iter_args(%m0 = %neg_inf) ... {
      %sm = attn.mask_scores %s ... scale(1.250000e-01) : tensor<64x32xf32>
      %m1 = attn.row_max %sm, %m0 : ...
      scf.yield %m1 : tensor<64xf32>
    }
    %acc, %l = scf.for %col = %lo to %hi step %c32
                 iter_args(%acc0 = %zero_tile, %l0 = %zero_rows) ... {
      %sm = attn.mask_scores %s ... scale(1.250000e-01) : tensor<64x32xf32>
      %p = attn.row_exp %sm, %m : ...
      %l1 = attn.row_sum %p, %l0 : ...
      %acc1 = attn.pv_matmul %p, %v_tile, %acc0 : ...
      scf.yield %acc1, %l1 : ...
    }
    ```

    After:

    ```mlir
    %acc, %l, %m = scf.for %col = %lo to %hi step %c32
        iter_args(%acc0 = %zero_tile, %l0 = %zero_rows, %m0 = %neg_inf) ... {
      %sm = attn.mask_scores %s ... scale(0.180336878) : tensor<64x32xf32>
      %m1 = attn.row_max %sm, %m0 : ...
      %alpha = attn.row_exp %m0, %m1 base2 : tensor<64xf32>, tensor<64xf32>
      %p = attn.row_exp %sm, %m1 base2 : ...
      %l_scaled = attn.row_scale %l0, %alpha : ...
      %l1 = attn.row_sum %p, %l_scaled : ...
      %acc_scaled = attn.row_scale %acc0, %alpha : ...
      %acc1 = attn.pv_matmul %p, %v_tile, %acc_scaled : ...
      scf.yield %acc1, %l1, %m1 : ...
    }
    ```
  }];
  let options = [
    Option<"rescaleThreshold", "rescale-threshold", "float", /*default=*/"0.0f",
           "Override the schedule's rescale_threshold: rescale only when the "
           "row max grows by more than this (log2 units); 0 keeps the "
           "schedule's">,
    Option<"exp2Emulation", "exp2-emulation", "int64_t", /*default=*/"0",
           "FlashAttention-4's exp2 on the FMA units: one score exponential "
           "in this many by a polynomial (poly_exp2 on attn.row_exp); 0 "
           "(the default) none, 1 all">,
    Option<"exp2Degree", "exp2-degree", "int64_t", /*default=*/"3",
           "Degree of that polynomial, 2 to 5 (largest relative errors "
           "1.7e-3, 7.5e-5, 2.7e-6, 2.1e-7)">,
  ];
}

def AttnPipelineAsyncPass : Pass<"attn-pipeline-async"> {
  let summary = "Load K/V tiles stages ahead through rings of buffers and asynchronous copies";
  let description = [{
    Rewrites the online loop of every scheduled grid (level L3) into the
    scheduled level L4, where the tile pipeline is explicit IR:

    - a ring of `stages` buffers (the grid's `#attn.schedule`) for the key
      tiles and one for the value tiles, and a ring of `query_stages`
      slots for the query tile (`attn.alloc_ring`; a tile fills slot 0,
      and a persistent kernel's tiles take the slots in turn);
    - every `attn.load_tile` becomes an `attn.copy_tile_async` into a slot
      and an `attn.wait_tile` where the tile is first needed;
    - the prologue issues the copies of the first `stages - 1` K/V tiles;
      the loop carries their futures and, right after waiting for tile `i`,
      issues tile `i + stages - 1` into the slot tile `i - 1` used (the wait
      is also the point where every thread is done with that slot); copies
      past the loop's end are issued disabled, so the loop needs no epilogue
      of its own and any trip count, including 0, 1 and fewer tiles than
      stages, takes the same path;
    - each wait carries how many younger copies may still be in flight,
      counted from the issue order: with K and V waited on separately, the
      value tile's copy overlaps `Q K^T` and the softmax.

    With one stage a ring has one slot, refilled once the other ring's wait
    has passed (FlashAttention-2's order): the prologue copies the first K
    tile; in each step V's tile is copied right after K's wait (it runs under
    `Q K^T` and the softmax) and the next K tile right after V's wait (under
    `P V`). Every use of K in a step must come before V's load. A
    warp-specialised schedule, whose producer issues the copies, keeps each
    one-stage tile copied where it is used and waited for at once. A grid
    with no online loop is an error. On sm_80 the copies become `cp.async` with one commit group each
    and the waits `cp.async.wait_group` plus a barrier.

    Before (`stages = 2`, abridged):

    ```mlir
    %q = attn.load_tile %query[%b, %h, %row] : ... -> tensor<128x64xbf16>
    %r:3 = scf.for %col = %lo to %hi step %c64 iter_args(...) {
      %k = attn.load_tile %key[%b, %hkv, %col] : ... -> tensor<64x64xbf16>
      %s = attn.qk_matmul %q, %k : ...
      ...
      %v = attn.load_tile %value[%b, %hkv, %col] : ... -> tensor<64x64xbf16>
      %acc1 = attn.pv_matmul %p, %v, %acc : ...
      scf.yield ...
    }
    ```

    After:

    ```mlir
    %qr = attn.alloc_ring : !attn.ring<1, tensor<128x64xbf16>>
    %kr = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
    %vr = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
    %qf = attn.copy_tile_async %query[%b, %h, %row] into %qr[%c0] if %true ...
    %in0 = arith.cmpi slt, %lo, %hi : index
    %k0 = attn.copy_tile_async %key[%b, %hkv, %lo] into %kr[%c0] if %in0 ...
    %v0 = attn.copy_tile_async %value[%b, %hkv, %lo] into %vr[%c0] if %in0 ...
    %q = attn.wait_tile %qf pending(2) : !attn.future<tensor<128x64xbf16>>
    %r:5 = scf.for %col = %lo to %hi step %c64
        iter_args(..., %kf = %k0, %vf = %v0) {
      %k = attn.wait_tile %kf pending(1) : !attn.future<tensor<64x64xbf16>>
      %next = arith.addi %col, %c64 : index
      // %slot = ((%col - %lo) / 64 + 1) mod 2, %in = %next < %hi
      %kn = attn.copy_tile_async %key[%b, %hkv, %next] into %kr[%slot] if %in ...
      %s = attn.qk_matmul %q, %k : ...
      ...
      %v = attn.wait_tile %vf pending(1) : !attn.future<tensor<64x64xbf16>>
      %vn = attn.copy_tile_async %value[%b, %hkv, %next] into %vr[%slot] if %in ...
      %acc1 = attn.pv_matmul %p, %v, %acc : ...
      scf.yield ..., %kn, %vn
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def AttnWarpSpecializePass : Pass<"attn-warp-specialize"> {
  let summary = "Split each pipelined grid with a warp-specialised schedule into its warp roles";
  let description = [{
    Reads `-attn-pipeline-async`'s output (the one place that decides the
    stages) and, for each grid whose `#attn.schedule` has warp roles (kind
    `fa3`: a `producer` and a `consumer` role), builds FlashAttention-3's
    structure as explicit IR: an `attn.warp_specialize` with one region per
    role, carrying the roles' warps and register budgets, and channels
    (`!attn.channel`, one per ring, as many slots) between them.

    - The producer issues the pipeline's copies, in its order: the query,
      the prologue's first `stages - 1` K/V tiles, then each K/V tile from
      `stages - 1` on (its loop starts `stages - 1` steps in, each step
      the pipeline's step that copies the tile, its copies enabled: the
      pipeline's copies past the last tile, which move nothing, are left
      out, so that they hold no slot a persistent CTA's next tile needs);
      each copy sits between an `attn.channel_acquire` of its slot and an
      `attn.channel_commit`. The K and V rings must have one depth.
    - The consumer keeps the online softmax loop, the normalisation and the
      LSE. Each wait becomes an `attn.channel_wait` on the slot of the tile
      it consumes, and an `attn.channel_release` follows the tile's last
      use; the query is released after the loop.
    - Tile `j` of a channel lives in slot `j mod stages` with phase
      `(j / stages) mod 2` on both sides; slots and phases are SSA values.

    With FlashAttention-4's roles (`producer`, `mma`, `softmax`,
    `correction`, `epilogue`, in that order) the last four share the
    consumer's region, which is split into `attn.in_role` sections: the
    channel waits and releases and both matrix products are the `mma`
    role's, the mask, row max, exponentials and row sums `softmax`'s, O's
    rescale `correction`'s, the normalisation and the LSE `epilogue`'s
    (each wait moves down to the product that reads it). A section yields
    every value of it used outside: the hand-offs between roles (S, P, the
    factor O moves by, the rescaled O, O after P V, the row sums and maxima
    for the epilogue) and what a role keeps from step to step (the row
    max). An op of no role with side effects is an error. These roles need
    a `kind = fa4` schedule and take no `overlap` or `ping_pong`; no GPU
    kernel runs them yet.

    Grids with `fa2` schedules are left alone; role sets other than a
    producer and one other role, or FlashAttention-4's, are an error. The result runs on the CPU (`convert-attn-to-linalg` reads the
    consumer's waits as the loads they stand for and each section as its
    body).

    Before (L4, abridged):

    ```mlir
    %kr = attn.alloc_ring : !attn.ring<2, tensor<128x64xbf16>>
    %f0 = attn.copy_tile_async %k[%b, %h, %c0] into %kr[%c0] if %any : ...
    %r:4 = scf.for %col = %c0 to %hi step %c128
        iter_args(%acc = ..., %l = ..., %m = ..., %fk = %f0) -> (...) {
      %k_t = attn.wait_tile %fk pending(1) : !attn.future<tensor<128x64xbf16>>
      %next = attn.copy_tile_async %k[%b, %h, %ahead] into %kr[%slot] if %in : ...
      %s = attn.qk_matmul %q_t, %k_t : ...
      ...
    }
    ```

    After:

    ```mlir
    %kc = attn.alloc_channel : !attn.channel<2, tensor<128x64xbf16>>
    %o = attn.warp_specialize
        roles [<name = "producer", warps = 4, registers = 24>,
               <name = "consumer", warps = 8, registers = 240>] {
      attn.channel_acquire %kc[%c0] phase(%false) : !attn.channel<...>
      attn.channel_copy %k[%b, %h, %c0] into %kc[%c0] if %any : ...
      attn.channel_commit %kc[%c0] : !attn.channel<...>
      scf.for %col = %c128 to %hi step %c128 {
        attn.channel_acquire %kc[%slot] phase(%phase) : ...
        attn.channel_copy %k[%b, %h, %col] into %kc[%slot] if %true : ...
        attn.channel_commit %kc[%slot] : ...
      }
    }, {
      %r:3 = scf.for %col = %c0 to %hi step %c128 iter_args(...) {
        %k_t = attn.channel_wait %kc[%slot] phase(%phase)
                 for %k[%b, %h, %col] : ...
        %s = attn.qk_matmul %q_t, %k_t : ...
        attn.channel_release %kc[%slot] : ...
        ...
      }
      %out = attn.normalize %r#0, %r#1 : ...
      attn.role_yield %out : tensor<128x64xbf16>
    } -> tensor<128x64xbf16>
    ```
  }];
}

def AttnOverlapConsumerPass : Pass<"attn-overlap-consumer"> {
  let summary = "Issue the next tile's Q K^T before this tile's softmax in each consumer";
  let description = [{
    FlashAttention-3's intra-warpgroup overlap, for grids whose
    `#attn.schedule` has `overlap` (after `-attn-warp-specialize`). The
    consumer's K/V loop is software-pipelined: step `j` issues
    `S_j = Q K_j^T` and `O += P_{j-1} V_{j-1}` back to back, waits for `S_j`
    only (`attn.matmul_wait ... pending(1)`: P V may still run), runs the
    softmax of `S_j` under P V, then waits for O and rescales it by step
    `j`'s factor. A prologue computes tile 0's scores and softmax, an
    epilogue adds the last tile's P V, and the whole schedule runs under one
    test that the K/V range is not empty. K's slot is released once its
    scores are complete, V's once its product is.

    Grids without `overlap` are left alone; a loop that is already
    scheduled (it holds `attn.matmul_wait` or `attn.ordered`) or that is not
    `-attn-warp-specialize`'s shape is an error. The result runs on the CPU
    like its input.

    Before (abridged):

    ```mlir
    %r:3 = scf.for %col = %lo to %hi step %c128
        iter_args(%acc = %zero, %l = %zeros, %m = %ninf) -> (...) {
      %k = attn.channel_wait %kc[%slot] phase(%ph) for %key[%b, %h, %col] : ...
      %s = attn.qk_matmul %q, %k : ...
      attn.channel_release %kc[%slot] : ...
      // softmax: %m1, %alpha, %p, %l1
      %v = attn.channel_wait %vc[%slot] phase(%ph) for %value[%b, %h, %col] : ...
      %acc1 = attn.row_scale %acc, %alpha : ...
      %acc2 = attn.pv_matmul %p, %v, %acc1 : ...
      attn.channel_release %vc[%slot] : ...
      scf.yield %acc2, %l1, %m1 : ...
    }
    ```

    After:

    ```mlir
    %any = arith.cmpi slt, %lo, %hi : index
    %r:3 = scf.if %any -> (...) {
      // tile 0: K wait, Q K^T, matmul_wait pending(0), release, softmax
      %s:4 = scf.for %col = %lo1 to %hi step %c128
          iter_args(%acc = %acc0, %l = %l0, %m = %m0, %p = %p0) -> (...) {
        %k = attn.channel_wait %kc[%slot] ... for %key[%b, %h, %col] : ...
        %v = attn.channel_wait %vc[%pslot] ... for %value[%b, %h, %prev] : ...
        %sa = attn.qk_matmul %q, %k : ...
        %oa = attn.pv_matmul %p, %v, %acc : ...
        %s = attn.matmul_wait %sa pending(1) : tensor<128x128xf32>
        attn.channel_release %kc[%slot] : ...
        // softmax of %s: %m1, %alpha, %p1, %l1
        %o = attn.matmul_wait %oa pending(0) : tensor<128x128xf32>
        attn.channel_release %vc[%pslot] : ...
        %o1 = attn.row_scale %o, %alpha : ...
        scf.yield %o1, %l1, %m1, %p1 : ...
      }
      // last tile: V wait, P V, matmul_wait pending(0), release
      scf.yield ...
    } else {
      scf.yield %zero, %zeros, %ninf : ...
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def AttnOrderWarpgroupsPass : Pass<"attn-order-warpgroups"> {
  let summary = "Make the consumer warpgroups take turns issuing matrix products (ping-pong)";
  let description = [{
    FlashAttention-3's ping-pong, for grids whose `#attn.schedule` has
    `ping_pong` (after `-attn-warp-specialize`, and after
    `-attn-overlap-consumer` when both are on). Every run of matrix products
    the consumer role issues back to back becomes an `attn.ordered` section:
    the role's warpgroups run it one at a time, in turn, so one warpgroup's
    softmax runs while the next one's products occupy the tensor cores. The
    pass allocates the turns' named barriers, one per consumer warpgroup,
    ids 1 to n (0 is the CTA barrier), the same for every section of the
    role. A product that was synchronous leaves its section through an
    `attn.matmul_wait` right after it, so no warpgroup holds the turn while
    it waits for its tensor cores.

    Grids without `ping_pong` and roles that already have sections are left
    alone; a consumer role of fewer than two warpgroups is an error.

    Before (the consumer's step after `-attn-overlap-consumer`):

    ```mlir
    %sa = attn.qk_matmul %q, %k : ...
    %oa = attn.pv_matmul %p, %v, %acc : ...
    %s = attn.matmul_wait %sa pending(1) : tensor<128x128xf32>
    ```

    After (two consumer warpgroups):

    ```mlir
    %t:2 = attn.ordered barriers [1, 2]
        -> (tensor<128x128xf32>, tensor<128x128xf32>) {
      %sa = attn.qk_matmul %q, %k : ...
      %oa = attn.pv_matmul %p, %v, %acc : ...
      attn.ordered_yield %sa, %oa : tensor<128x128xf32>, tensor<128x128xf32>
    }
    %s = attn.matmul_wait %t#0 pending(1) : tensor<128x128xf32>
    ```
  }];
}

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
