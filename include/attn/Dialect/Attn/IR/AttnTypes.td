//===- AttnTypes.td - attn dialect types -------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The types of the scheduled level (L4): a ring of buffers that tiles are
// copied into ahead of their use, and the future of one such copy.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNTYPES_TD
#define ATTN_DIALECT_ATTN_IR_ATTNTYPES_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

class Attn_Type<string name, string typeMnemonic>
    : TypeDef<Attn_Dialect, name> {
  let mnemonic = typeMnemonic;
}

def Attn_RingType : Attn_Type<"Ring", "ring"> {
  let summary = "a ring of `stages` tile buffers in on-chip memory";
  let description = [{
    `stages` buffers, each holding one tile of type `tile`, that asynchronous
    copies fill while earlier tiles are being used. On a GPU the ring lives
    in shared memory; slot `i` is buffer `i`.

    ```mlir
    !attn.ring<2, tensor<64x64xbf16>>
    ```
  }];
  let parameters = (ins "int64_t":$stages, "RankedTensorType":$tile);
  let assemblyFormat = "`<` $stages `,` $tile `>`";
  let genVerifyDecl = 1;
}

def Attn_FutureType : Attn_Type<"Future", "future"> {
  let summary = "a tile whose asynchronous copy may not have landed yet";
  let description = [{
    The result of `attn.copy_tile_async`. `attn.wait_tile` turns it into
    the tile; until then the tile cannot be read, so every use of copied data
    sits below its wait in SSA.

    ```mlir
    !attn.future<tensor<64x64xbf16>>
    ```
  }];
  let parameters = (ins "RankedTensorType":$tile);
  let assemblyFormat = "`<` $tile `>`";
}

def Attn_ChannelType : Attn_Type<"Channel", "channel"> {
  let summary = "a ring of tile buffers shared by two warp roles";
  let description = [{
    `stages` buffers of one tile each that a producer role fills and a
    consumer role reads, each slot guarded by a "full" and an "empty"
    barrier (on a GPU: mbarriers in shared memory). The producer acquires an
    empty slot, copies into it and commits it; the consumer waits for the
    slot to be full, reads it and releases it. A slot's `k`-th use (its
    fill number, counted from 0) has phase `k mod 2`.

    ```mlir
    !attn.channel<2, tensor<64x64xbf16>>
    ```
  }];
  let parameters = (ins "int64_t":$stages, "RankedTensorType":$tile);
  let assemblyFormat = "`<` $stages `,` $tile `>`";
  let genVerifyDecl = 1;
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNTYPES_TD
