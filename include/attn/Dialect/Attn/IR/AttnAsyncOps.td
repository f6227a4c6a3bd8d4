//===- AttnAsyncOps.td - attn scheduled-level operations ---*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The operations of the scheduled level (L4) that make the tile pipeline
// explicit: rings of on-chip buffers, asynchronous copies into a slot of a
// ring, and waits that turn a copy's future into the tile. Copies complete in
// the order they were issued; a wait names how many younger copies may still
// be in flight, so the lowering needs no analysis to place it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNASYNCOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNASYNCOPS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "attn/Dialect/Attn/IR/AttnTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Attn_AllocRingOp : Attn_Op<"alloc_ring", [
    MemoryEffects<[MemAlloc<DefaultResource, 0, FullEffect>]>]> {
  let summary = "allocates a ring of tile buffers";
  let description = [{
    Allocates the buffers of a ring for the enclosing grid body. Their
    contents are undefined until a copy into a slot has been waited on.

    ```mlir
    %keys = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
    ```
  }];
  let results = (outs Attn_RingType:$ring);
  let assemblyFormat = "attr-dict `:` qualified(type($ring))";
}

def Attn_CopyTileAsyncOp : Attn_Op<"copy_tile_async", [
    AttrSizedOperandSegments,
    MemoryEffects<[MemWrite]>,
    TypesMatchWith<"the future holds a tile of the ring", "ring", "future",
                   "FutureType::get($_self.getContext(), "
                   "::llvm::cast<RingType>($_self).getTile())">]> {
  let summary = "starts copying a tile of rows into a slot of a ring";
  let description = [{
    Starts an asynchronous copy of rows `[row, row + M)` of head `head` of
    batch `batch` of a `[B, H, S, D]` tensor into slot `slot` of `ring`,
    with `attn.load_tile`'s meaning (`heads(G)` included): rows at or past
    `S` read as zero, or with `pages(%block_table, %length)` rows of a paged
    cache, as in `attn.load_tile`. When
    `enabled` is false nothing is read; the copy still counts in the issue
    order (it completes at once) and its future must not be waited on.

    ```mlir
    %f = attn.copy_tile_async %key[%b, %h, %col] into %keys[%slot]
           if %in_range : tensor<?x2x?x64xbf16>, !attn.ring<2, tensor<64x64xbf16>>
    ```
  }];
  let arguments = (ins 4DTensorOf<[Attn_TileElementType]>:$source,
                       Index:$batch, Index:$head, Index:$row,
                       Optional<2DTensorOf<[I32]>>:$block_table,
                       Optional<Index>:$length,
                       Attn_RingType:$ring, Index:$slot, I1:$enabled,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$heads);
  let results = (outs Attn_FutureType:$future);
  let assemblyFormat = [{
    $source `[` $batch `,` $head `,` $row `]`
    (`pages` `(` $block_table^ `,` $length `:` type($block_table) `)`)?
    (`heads` `(` $heads^ `)`)?
    `into` $ring `[` $slot `]`
    `if` $enabled attr-dict `:` type($source) `,` qualified(type($ring))
  }];
  let builders = [
    OpBuilder<(ins "Value":$source, "Value":$batch, "Value":$head,
                   "Value":$row, "Value":$blockTable, "Value":$length,
                   "Value":$ring, "Value":$slot, "Value":$enabled,
                   "::mlir::IntegerAttr":$heads), [{
      auto tile = ::llvm::cast<RingType>(ring.getType()).getTile();
      build($_builder, $_state, FutureType::get($_builder.getContext(), tile),
            source, batch, head, row, blockTable, length, ring, slot, enabled,
            heads);
    }]>
  ];
  let extraClassDeclaration = [{
    bool isPaged() { return static_cast<bool>(getBlockTable()); }
  }];
  let hasVerifier = 1;
}

def Attn_WaitTileOp : Attn_Op<"wait_tile", [
    MemoryEffects<[MemRead]>,
    TypesMatchWith<"the result is the future's tile", "future", "result",
                   "::llvm::cast<FutureType>($_self).getTile()">]> {
  let summary = "waits for a copy and yields its tile";
  let description = [{
    Blocks until the copy that produced `future` has landed and is visible
    to every thread that shares the ring, and returns the tile. Copies
    complete in issue order, so the copy has landed once at most `pending`
    copies issued after it are still in flight; `attn-pipeline-async`
    computes `pending` from the order it issues copies in.

    ```mlir
    %k = attn.wait_tile %f pending(1) : !attn.future<tensor<64x64xbf16>>
    ```
  }];
  let arguments = (ins Attn_FutureType:$future,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$pending);
  let results = (outs Attn_Tile:$result);
  let assemblyFormat = [{
    $future `pending` `(` $pending `)` attr-dict `:` qualified(type($future))
  }];
  let builders = [
    OpBuilder<(ins "Value":$future, "int64_t":$pending), [{
      build($_builder, $_state,
            ::llvm::cast<FutureType>(future.getType()).getTile(), future,
            $_builder.getI64IntegerAttr(pending));
    }]>
  ];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNASYNCOPS_TD
