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

// Arrays in attribute parameters are written in square brackets, so that a
// struct's next member cannot be mistaken for another element.
class Attn_ArrayParser<string elt> {
  code parser = [{[&]() -> ::mlir::FailureOr<::llvm::SmallVector<}] # elt # [{>> {
    ::llvm::SmallVector<}] # elt # [{> items;
    if (::mlir::failed($_parser.parseCommaSeparatedList(
            ::mlir::AsmParser::Delimiter::Square, [&]() -> ::mlir::ParseResult {
              auto item = ::mlir::FieldParser<}] # elt # [{>::parse($_parser);
              if (::mlir::failed(item))
                return ::mlir::failure();
              items.push_back(*item);
              return ::mlir::success();
            })))
      return ::mlir::failure();
    return items;
  }()}];
}

defvar Attn_IntArrayPrinter = [{
  $_printer << '[';
  ::llvm::interleaveComma($_self, $_printer);
  $_printer << ']';
}];

defvar Attn_AttrArrayPrinter = [{
  $_printer << '[';
  ::llvm::interleaveComma($_self, $_printer, [&](auto item) {
    $_printer.printStrippedAttrOrType(item);
  });
  $_printer << ']';
}];

def Attn_IntArray : ArrayRefParameter<"int64_t"> {
  let parser = Attn_ArrayParser<"int64_t">.parser;
  let printer = Attn_IntArrayPrinter;
}

def Attn_OptionalIntArray : OptionalArrayRefParameter<"int64_t"> {
  let parser = Attn_ArrayParser<"int64_t">.parser;
  let printer = Attn_IntArrayPrinter;
}

class Attn_AttrArray<string attr> : ArrayRefParameter<attr> {
  let parser = Attn_ArrayParser<attr>.parser;
  let printer = Attn_AttrArrayPrinter;
}

class Attn_OptionalAttrArray<string attr> : OptionalArrayRefParameter<attr> {
  let parser = Attn_ArrayParser<attr>.parser;
  let printer = Attn_AttrArrayPrinter;
}

def Attn_KernelKind : I32EnumAttr<"KernelKind",
    "the FlashAttention generation a kernel is structured after", [
    I32EnumAttrCase<"fa2", 0>,
    I32EnumAttrCase<"fa3", 1>,
    I32EnumAttrCase<"fa4", 2>
  ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_WarpRoleAttr : AttrDef<Attn_Dialect, "WarpRole"> {
  let mnemonic = "warp_role";
  let summary = "a group of warps with one job and its register budget";
  let description = [{
    One role of a warp-specialised kernel: its name (`producer`,
    `consumer`, `mma`, `softmax`, `correction`, `epilogue`), how many warps
    take it, and the registers per thread each of them keeps after
    `setmaxnreg` (a multiple of 8 from 24 to 256).

    Example: `#attn.warp_role<name = "producer", warps = 4, registers = 40>`
  }];
  let parameters = (ins "StringAttr":$name, "int64_t":$warps,
                        "int64_t":$registers);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Attn_ScheduleAttr : AttrDef<Attn_Dialect, "Schedule"> {
  let mnemonic = "schedule";
  let summary = "how one attention kernel is tiled and scheduled";
  let description = [{
    The decisions a target makes for one `attn.attention`, recorded in the IR
    so that every later pass reads them instead of re-deriving them:

    - `kind`: the kernel's structure, `fa2` (every warp loads and computes;
      the default), `fa3` (a producer warpgroup feeding consumer warpgroups
      through TMA and mbarriers) or `fa4` (the same producer and consumer
      roles with tcgen05.mma and S and O in tensor memory; or
      FlashAttention-4's `producer`, `mma`, `softmax`, `correction` and
      `epilogue` roles, which `-attn-warp-specialize` builds as IR and no
      kernel runs yet),
    - `tile_m`: query rows per tile (one tile per program instance of the
      grid),
    - `tile_n`: key/value rows per step of the K/V loop,
    - `stages`: shared-memory buffers of the K/V pipeline,
    - `warps`: warps that share one query tile,
    - `roles`: for warp-specialised kinds, the warp roles with their warps
      and register budgets (they add up to `warps` and fit the register
      file); absent for `fa2`,
    - `ping_pong`: the consumer warpgroups take turns issuing their matrix
      products (`-attn-order-warpgroups`), so one's softmax runs under the
      others' products,
    - `overlap`: each consumer issues `Q K^T` of the next K/V tile before
      the softmax of this one (`-attn-overlap-consumer`),
    - `cluster`: CTAs per cluster along (query tile, head, batch); absent
      means one,
    - `rescale_threshold`: FlashAttention-4's conditional rescaling (in log2
      units, an f32: `8.0 : f32`); absent means the row max moves at every
      step,
    - `kv_chunk`: split-KV (flash-decoding): the keys are cut into chunks of
      this many (a multiple of `tile_n`), each chunk of each query tile is
      its own program instance writing a partial output and its LSE, and
      `attn.combine_splits` merges them; 0 (the default) means no split,
    - `pack_gqa`: the query heads that share a key/value head are packed
      into the rows of one tile (`tile_m / G` rows of each of the `G`
      heads), so K and V are read once per group,
    - `persistent`: warp-specialised kinds only: the launch is as many CTAs
      as fit on the GPU at once, and each loops over the grid's tiles (from
      its block id, stepping by the grid's size), so one tile's epilogue
      and the next one's first loads overlap and no CTA is launched per
      tile,
    - `query_stages`: shared-memory buffers of the query tile (default 1);
      more than one only for `persistent` CTAs, which fill them tile after
      tile, so that the next tile's query loads under this one's steps.

    `-attn-select-schedule` chooses it from the chip and the op's shapes;
    `-attn-tile` reads the tile sizes, the split and the packing,
    `-attn-fuse-online-softmax` the threshold.

    Example (sm_80, head dim 64):
    `#attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>`;
    (sm_90a, head dim 128):
    `#attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2,
    warps = 12, roles = [<name = "producer", warps = 4, registers = 24>,
    <name = "consumer", warps = 8, registers = 240>]>`
  }];
  let parameters = (ins
    DefaultValuedParameter<"::mlir::attn::KernelKind",
                           "::mlir::attn::KernelKind::fa2">:$kind,
    "int64_t":$tile_m, "int64_t":$tile_n,
    "int64_t":$stages, "int64_t":$warps,
    Attn_OptionalAttrArray<"::mlir::attn::WarpRoleAttr">:$roles,
    DefaultValuedParameter<"bool", "false">:$ping_pong,
    DefaultValuedParameter<"bool", "false">:$overlap,
    Attn_OptionalIntArray:$cluster,
    OptionalParameter<"::mlir::FloatAttr">:$rescale_threshold,
    DefaultValuedParameter<"int64_t", "0">:$kv_chunk,
    DefaultValuedParameter<"bool", "false">:$pack_gqa,
    DefaultValuedParameter<"bool", "false">:$persistent,
    DefaultValuedParameter<"int64_t", "1">:$query_stages);
  let builders = [
    AttrBuilder<(ins "int64_t":$tile_m, "int64_t":$tile_n, "int64_t":$stages,
                     "int64_t":$warps), [{
      return $_get($_ctxt, KernelKind::fa2, tile_m, tile_n, stages, warps,
                   ArrayRef<WarpRoleAttr>(), false, false, ArrayRef<int64_t>(),
                   FloatAttr(), 0, false, false, 1);
    }]>
  ];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The threshold of conditional rescaling, if any.
    std::optional<float> getRescaleThresholdValue() const {
      if (FloatAttr t = getRescaleThreshold())
        return static_cast<float>(t.getValueAsDouble());
      return std::nullopt;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Kernel ABI
//===----------------------------------------------------------------------===//

def Attn_KernelParamKind : I32EnumAttr<"KernelParamKind",
    "how a kernel parameter is made from a tensor at launch", [
    I32EnumAttrCase<"memref", 0>,
    I32EnumAttrCase<"tensor_map", 1>,
    I32EnumAttrCase<"scalar", 2>
  ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_GridAxisAttr : AttrDef<Attn_Dialect, "GridAxis"> {
  let mnemonic = "grid_axis";
  let summary = "a launch extent as a function of tensors' sizes";
  let description = [{
    `ceildiv(size dim of tensor, divisor)`, and with `times = [t, d, q]`
    that many times `max(ceildiv(size d of tensor t, q), 1)`: the blocks of
    one grid axis, or one extent of a workspace buffer (which counts at
    least 1). Tensors are the caller's (indices into the ABI's tensors that
    have no extents of their own).

    Example: `#attn.grid_axis<tensor = 0, dim = 2, divisor = 128>`;
    split-KV's query tiles times K/V chunks:
    `#attn.grid_axis<tensor = 0, dim = 2, divisor = 16, times = [1, 2, 1024]>`
  }];
  let parameters = (ins "int64_t":$tensor, "int64_t":$dim, "int64_t":$divisor,
                        Attn_OptionalIntArray:$times);
  let assemblyFormat = "`<` struct(params) `>`";
  let builders = [
    AttrBuilder<(ins "int64_t":$tensor, "int64_t":$dim, "int64_t":$divisor), [{
      return $_get($_ctxt, tensor, dim, divisor, ArrayRef<int64_t>());
    }]>
  ];
}

def Attn_KernelTensorAttr : AttrDef<Attn_Dialect, "KernelTensor"> {
  let mnemonic = "kernel_tensor";
  let summary = "a tensor the caller of a kernel passes";
  let description = [{
    The name (`query`, `key`, `value`, `output`, `lse`) and the type of one
    tensor of a kernel's launch, in the order the caller passes them.

    With `extents` it is a workspace buffer instead (split-KV's partial
    results): the caller does not pass it; the runtime allocates it for each
    launch with these extents (one per dimension), its contents undefined,
    or zero-filled with `zeroed = true` (split-KV's arrival counters).
    Workspace buffers come after the caller's tensors.

    Example: `#attn.kernel_tensor<name = "query", type = tensor<?x8x?x64xbf16>>`
  }];
  let parameters = (ins "StringAttr":$name, "ShapedType":$type,
                        Attn_OptionalAttrArray<"::mlir::attn::GridAxisAttr">:$extents,
                        DefaultValuedParameter<"bool", "false">:$zeroed);
  let assemblyFormat = "`<` struct(params) `>`";
  let builders = [
    AttrBuilder<(ins "StringAttr":$name, "ShapedType":$type), [{
      return $_get($_ctxt, name, type, ArrayRef<GridAxisAttr>(), false);
    }]>
  ];
  let extraClassDeclaration = [{
    bool isWorkspace() const { return !getExtents().empty(); }
  }];
}

def Attn_KernelParamAttr : AttrDef<Attn_Dialect, "KernelParam"> {
  let mnemonic = "kernel_param";
  let summary = "one kernel parameter and the tensor it is made from";
  let description = [{
    - `memref`: MLIR's memref descriptor of tensor `tensor` (allocated and
      aligned pointer, offset, sizes, strides);
    - `tensor_map`: a 128-byte CUtensorMap of tensor `tensor`, passed by
      value (`__grid_constant__`), encoded at launch with a `box` (one extent
      per dimension, outermost first), a `swizzle` in bytes (0, 32, 64, 128)
      and out-of-bounds reads as zero (or NaN with `oob_nan`);
    - `scalar`: size `dim` of tensor `tensor`, as `i32` or `i64` (`type`).

    Example: `#attn.kernel_param<kind = tensor_map, tensor = 1,
    box = [1, 1, 128, 64], swizzle = 128>`
  }];
  let parameters = (ins
    EnumParameter<Attn_KernelParamKind>:$kind,
    "int64_t":$tensor,
    Attn_OptionalIntArray:$box,
    DefaultValuedParameter<"int64_t", "0">:$swizzle,
    DefaultValuedParameter<"bool", "false">:$oob_nan,
    OptionalParameter<"::mlir::Type">:$type,
    DefaultValuedParameter<"int64_t", "-1">:$dim);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Attn_KernelAbiAttr : AttrDef<Attn_Dialect, "KernelAbi"> {
  let mnemonic = "kernel_abi";
  let summary = "what a kernel takes and how it is launched";
  let description = [{
    Set on each kernel by `-convert-attn-to-nvgpu` (the discardable
    attribute `attn.abi` of the `gpu.func`): the tensors a caller passes, the
    kernel's parameters in order (each made from one tensor), the grid's
    three axes and the cluster, and for a persistent kernel (`persistent =
    N`, N > 0) that the launch is one axis of at most N CTAs per SM, each
    looping over the grid's tiles, rather than the grid itself. It is the
    one statement of a kernel's ABI: the compile driver serialises it into
    the launch manifest (docs/manifest.md) and the runtime follows the
    manifest.
  }];
  let parameters = (ins
    Attn_AttrArray<"::mlir::attn::KernelTensorAttr">:$tensors,
    Attn_AttrArray<"::mlir::attn::KernelParamAttr">:$params,
    Attn_AttrArray<"::mlir::attn::GridAxisAttr">:$grid,
    Attn_IntArray:$cluster,
    DefaultValuedParameter<"int64_t", "0">:$persistent);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
