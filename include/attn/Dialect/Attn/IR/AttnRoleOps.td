//===- AttnRoleOps.td - attn warp-specialised operations ---*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The warp-specialised form of the scheduled level (L4): the warps of a CTA
// split into roles, one region each, with their warp counts and register
// budgets, and the roles talk through typed channels. Acquire, copy and
// commit on the producer side, wait and release on the consumer side, each
// with the slot and its phase as SSA values, so the synchronisation protocol
// is visible (and checked) in the IR before any barrier exists.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNROLEOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNROLEOPS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "attn/Dialect/Attn/IR/AttnAttrs.td"
include "attn/Dialect/Attn/IR/AttnTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Attn_AllocChannelOp : Attn_Op<"alloc_channel", [
    MemoryEffects<[MemAlloc<DefaultResource, 0, FullEffect>]>]> {
  let summary = "allocates a channel between warp roles";
  let description = [{
    Allocates the buffers and the barriers of a channel for the enclosing
    grid body; every slot starts empty.

    ```mlir
    %keys = attn.alloc_channel : !attn.channel<2, tensor<128x64xbf16>>
    ```
  }];
  let results = (outs Attn_ChannelType:$channel);
  let assemblyFormat = "attr-dict `:` qualified(type($channel))";
}

def Attn_WarpSpecializeOp : Attn_Op<"warp_specialize", [
    RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"RoleYieldOp">]> {
  let summary = "runs one region per warp role, concurrently";
  let description = [{
    The warps of the CTA split into `roles`, in order: role `i` runs region
    `i` on its `warps` warps with its `registers` per thread. The regions run
    concurrently and share nothing but what they capture (channels, values
    computed before the op); they meet only through channels. The op's
    results are what the last role yields (the consumer computes the output);
    the other roles yield nothing.

    With more roles than regions, the roles from the last region's index on
    share it (FlashAttention-4's `mma`, `softmax`, `correction` and
    `epilogue`): each runs the `attn.in_role` sections that name it and what
    lies outside every section (control flow, index arithmetic), which must
    then be free of side effects; the roles' names are distinct, and a
    channel slot is waited for and released by one role.

    The verifier checks the roles' budgets against the register file, that
    every channel a role waits on is filled by another role, and that each
    role uses a channel in order: acquire, copies, commit on the producer
    side; wait, then release on the consumer side, balanced in every block.

    ```mlir
    %o = attn.warp_specialize
        roles [<name = "producer", warps = 4, registers = 24>,
               <name = "consumer", warps = 8, registers = 240>] {
      attn.channel_acquire %keys[%slot] phase(%phase) : !attn.channel<...>
      ...
    }, {
      %k = attn.channel_wait %keys[%slot] phase(%phase) for %key[%b, %h, %row]
             : tensor<?x2x?x64xbf16>, !attn.channel<...>
      ...
      attn.role_yield %out : tensor<128x64xbf16>
    } -> tensor<128x64xbf16>
    ```
  }];
  let arguments = (ins ArrayAttr:$roles);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region VariadicRegion<SizedRegion<1>>:$bodies);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The role of region `i`.
    WarpRoleAttr getRole(unsigned i) {
      return ::llvm::cast<WarpRoleAttr>(getRoles()[i]);
    }
    /// The roles that share the last region (its attn.in_role sections),
    /// or none when each role has a region of its own.
    ::llvm::SmallVector<WarpRoleAttr> getSharedRoles();
  }];
}

def Attn_RoleYieldOp : Attn_Op<"role_yield", [
    Pure, Terminator, HasParent<"WarpSpecializeOp">]> {
  let summary = "ends a warp role's region";
  let description = [{
    Ends a role's region; the last role's operands are the results of the
    enclosing `attn.warp_specialize`.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

def Attn_ChannelAcquireOp : Attn_Op<"channel_acquire"> {
  let summary = "waits until a channel slot is empty (producer side)";
  let description = [{
    Blocks until the consumer has released the previous contents of `slot`:
    the use of the slot with phase `phase` may start. The slot's first use
    (phase 0 of fill 0) does not wait.
  }];
  let arguments = (ins Attn_ChannelType:$channel, Index:$slot, I1:$phase);
  let assemblyFormat = [{
    $channel `[` $slot `]` `phase` `(` $phase `)` attr-dict `:`
    qualified(type($channel))
  }];
}

def Attn_ChannelCopyOp : Attn_Op<"channel_copy", [MemoryEffects<[MemWrite]>]> {
  let summary = "starts copying a tile into an acquired channel slot";
  let description = [{
    Starts an asynchronous copy of rows `[row, row + M)` of head `head` of
    batch `batch` of a `[B, H, S, D]` tensor into `slot` of `channel`, with
    `attn.load_tile`'s meaning (rows at or past `S` read as zero). Nothing
    is read when `enabled` is false. The copy completes before the slot's
    commit is seen by the consumer.
  }];
  let arguments = (ins 4DTensorOf<[Attn_TileElementType]>:$source,
                       Index:$batch, Index:$head, Index:$row,
                       Attn_ChannelType:$channel, Index:$slot, I1:$enabled);
  let assemblyFormat = [{
    $source `[` $batch `,` $head `,` $row `]` `into` $channel `[` $slot `]`
    `if` $enabled attr-dict `:` type($source) `,` qualified(type($channel))
  }];
  let hasVerifier = 1;
}

def Attn_ChannelCommitOp : Attn_Op<"channel_commit"> {
  let summary = "marks an acquired channel slot full (producer side)";
  let description = [{
    The slot is full once the copies issued into it since its acquire have
    landed; the consumer's wait on it then returns.
  }];
  let arguments = (ins Attn_ChannelType:$channel, Index:$slot);
  let assemblyFormat = [{
    $channel `[` $slot `]` attr-dict `:` qualified(type($channel))
  }];
}

def Attn_ChannelWaitOp : Attn_Op<"channel_wait", [
    MemoryEffects<[MemRead]>,
    TypesMatchWith<"the result is the channel's tile", "channel", "result",
                   "::llvm::cast<ChannelType>($_self).getTile()">]> {
  let summary = "waits until a channel slot is full and yields its tile";
  let description = [{
    Blocks until the producer has committed `slot` for the use with phase
    `phase`, and returns its tile. `for` names the rows the producer copied
    there (source, batch, head, first row): the consumer's statement of what
    it expects, which a CPU lowering reads as the load it stands for and a
    GPU lowering ignores.
  }];
  let arguments = (ins Attn_ChannelType:$channel, Index:$slot, I1:$phase,
                       4DTensorOf<[Attn_TileElementType]>:$source,
                       Index:$batch, Index:$head, Index:$row);
  let results = (outs Attn_Tile:$result);
  let assemblyFormat = [{
    $channel `[` $slot `]` `phase` `(` $phase `)` `for` $source `[` $batch `,`
    $head `,` $row `]` attr-dict `:` type($source) `,`
    qualified(type($channel))
  }];
  let builders = [
    OpBuilder<(ins "Value":$channel, "Value":$slot, "Value":$phase,
                   "Value":$source, "Value":$batch, "Value":$head,
                   "Value":$row), [{
      build($_builder, $_state,
            ::llvm::cast<ChannelType>(channel.getType()).getTile(), channel,
            slot, phase, source, batch, head, row);
    }]>
  ];
  let hasVerifier = 1;
}

def Attn_ChannelReleaseOp : Attn_Op<"channel_release"> {
  let summary = "gives a channel slot back to the producer (consumer side)";
  let description = [{
    Every thread of the consumer role is done reading `slot`; the producer
    may refill it.
  }];
  let arguments = (ins Attn_ChannelType:$channel, Index:$slot);
  let assemblyFormat = [{
    $channel `[` $slot `]` attr-dict `:` qualified(type($channel))
  }];
}

//===----------------------------------------------------------------------===//
// The consumer's schedule: asynchronous matrix products and turns
//===----------------------------------------------------------------------===//

def Attn_MatmulWaitOp : Attn_Op<"matmul_wait", [
    AllTypesMatch<["input", "result"]>]> {
  let summary = "waits for an asynchronously issued matrix product";
  let description = [{
    `input` is the result of an `attn.qk_matmul` or `attn.pv_matmul` (or an
    `attn.ordered` section's result that yields one), issued without waiting;
    the result is the same tile, complete. At most `pending` matrix products
    issued after it by the same warps may still be running: the count a
    target's wait instruction takes (`wgmma.wait_group` on sm_90a), derived
    from the issue order by the pass that made the product asynchronous.

    A product whose result goes through no `attn.matmul_wait` completes
    before its result is used.

    ```mlir
    %s_async = attn.qk_matmul %q, %k : ...
    %acc_async = attn.pv_matmul %p, %v, %acc : ...
    %s = attn.matmul_wait %s_async pending(1) : tensor<64x128xf32>
    ```
  }];
  let arguments = (ins Attn_F32Tile:$input,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$pending);
  let results = (outs Attn_F32Tile:$result);
  let assemblyFormat = [{
    $input `pending` `(` $pending `)` attr-dict `:` type($input)
  }];
  let builders = [
    OpBuilder<(ins "Value":$input, "int64_t":$pending), [{
      build($_builder, $_state, input.getType(), input,
            $_builder.getI64IntegerAttr(pending));
    }]>
  ];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The matrix product this waits for.
    ::mlir::Operation *getMatmul();
  }];
}

def Attn_OrderedOp : Attn_Op<"ordered", [
    RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"OrderedYieldOp">]> {
  let summary = "a section the warpgroups of a role run in turn";
  let description = [{
    Issues matrix products in turns: the warpgroups (4 warps each) of the
    enclosing role run the section one at a time, warpgroup 0 first, then
    1, ..., then 0 again, so that while one issues its products the others
    run what lies between their sections (FlashAttention-3's ping-pong: one
    warpgroup's softmax under another's GEMMs). Warpgroup `g` waits on named
    barrier `barriers[g]` before the section and signals the next one's
    after it; every section of a role uses the same barriers, one per
    warpgroup.

    The body holds matrix products only (and index arithmetic); its results
    are the products' tiles, issued but not complete, each waited for by an
    `attn.matmul_wait`. The verifier rejects what would stop the turns:
    sections outside a role of at least two warpgroups, a barrier list of
    the wrong length, ids outside 1..15 (0 is the CTA barrier) or repeated,
    two barrier lists in one role, nested sections, and sections under
    control flow whose condition or bounds depend on per-thread values (a
    warpgroup that skipped its turn would stop the others).

    ```mlir
    %s, %acc1 = attn.ordered barriers [1, 2]
        -> (tensor<128x128xf32>, tensor<128x128xf32>) {
      %s0 = attn.qk_matmul %q, %k : ...
      %a0 = attn.pv_matmul %p, %v, %acc : ...
      attn.ordered_yield %s0, %a0 : tensor<128x128xf32>, tensor<128x128xf32>
    }
    ```
  }];
  let arguments = (ins DenseI32ArrayAttr:$barriers);
  let results = (outs Variadic<Attn_F32Tile>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `barriers` $barriers (`->` `(` type($results)^ `)`)? $body attr-dict
  }];
  let hasVerifier = 1;
}

def Attn_OrderedYieldOp : Attn_Op<"ordered_yield", [
    Pure, Terminator, HasParent<"OrderedOp">]> {
  let summary = "ends an attn.ordered section";
  let description = [{
    Its operands, matrix products issued in the section, are the section's
    results.
  }];
  let arguments = (ins Variadic<Attn_F32Tile>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

def Attn_InRoleOp : Attn_Op<"in_role", [
    RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"InRoleYieldOp">]> {
  let summary = "a section of a shared region that one warp role runs";
  let description = [{
    In the region that several roles of an `attn.warp_specialize` share,
    the ops of the section belong to role `role`: its warps run them, and
    the other roles skip them. A section yields every value of it used
    outside; what one role's section yields and another role's uses is
    handed from one to the other (on a GPU through tensor or shared memory
    and barriers), and a section reads the values around it (loop-carried
    ones, other sections' results) directly. Read in order, the shared
    region is the computation itself, which is how `convert-attn-to-linalg`
    runs it on the CPU (each section is its body).

    The verifier checks that the section is in the shared region of an
    `attn.warp_specialize` (at any depth of `scf.for` and `scf.if`), that
    `role` is one of the roles sharing it, and that sections do not nest.

    ```mlir
    %s = attn.in_role "mma" -> (tensor<128x128xf32>) {
      %k = attn.channel_wait %keys[%slot] phase(%phase) for %key[%b, %h, %row]
             : tensor<?x2x?x64xbf16>, !attn.channel<2, tensor<128x64xbf16>>
      %s0 = attn.qk_matmul %q, %k : ...
      attn.channel_release %keys[%slot] : !attn.channel<2, tensor<128x64xbf16>>
      attn.in_role_yield %s0 : tensor<128x128xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$role);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $role (`->` `(` type($results)^ `)`)? $body attr-dict
  }];
  let hasVerifier = 1;
}

def Attn_InRoleYieldOp : Attn_Op<"in_role_yield", [
    Pure, Terminator, HasParent<"InRoleOp">]> {
  let summary = "ends an attn.in_role section";
  let description = [{
    Its operands are the section's results.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNROLEOPS_TD
