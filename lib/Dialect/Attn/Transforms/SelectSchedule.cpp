//===- SelectSchedule.cpp - choose a schedule per attention -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The target-aware step before tiling: it turns TargetInfo and an op's
// shapes into an #attn.schedule on the op, which the passes after it read
// instead of the chip. The sizes and warp roles follow FlashAttention's
// choices per generation (FA2 on mma.sync, FA3 on wgmma, FA4 on tcgen05),
// the K/V tile shrinks until Q plus the K/V stages fit in shared memory, and
// the chip's kernel is asked whether it can build the result.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Target/SM100/TmemLayout.h"
#include "attn/Target/SM80/MmaSyncLayout.h"
#include "attn/Target/SM90/WgmmaLayout.h"
#include "attn/Target/TargetInfo.h"

#include <cmath>
#include <tuple>
#include <utility>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSELECTSCHEDULEPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr StringLiteral kPass = "attn-select-schedule";

WarpRoleAttr role(MLIRContext *ctx, StringRef name, int64_t warps,
                  int64_t registers) {
  return WarpRoleAttr::get(ctx, StringAttr::get(ctx, name), warps, registers);
}

/// The roles of the sm_90a and sm_100a kernels: one producer warpgroup,
/// down to the smallest budget, and the consumers sharing the rest of the
/// register file.
SmallVector<WarpRoleAttr> producerConsumerRoles(MLIRContext *ctx,
                                                int64_t consumers) {
  return {role(ctx, "producer", 4, sm90::kProducerRegisters),
          role(ctx, "consumer", 4 * consumers,
               sm90::consumerRegisters(consumers))};
}

/// What the pass's options ask of every schedule it picks.
struct Requests {
  /// The rescale threshold asked for: 0 none, negative the chip's choice.
  float rescaleThreshold = -1.0f;
  bool pingPong = true, overlap = true;
  /// Persistent CTAs (warp-specialised kernels): 1 on, 0 off, negative the
  /// chip's choice.
  int64_t persistent = -1;
  /// The K/V stages asked for; 0 the chip's choice.
  int64_t stages = 0;
  /// The query stages asked for (persistent CTAs); 0 the chip's choice.
  int64_t queryStages = 0;
  /// Packed GQA asked for (else chosen for a static Sq of at most
  /// kDecodeRows).
  bool packGqa = false;
  /// Split-KV's keys per chunk asked for; 0 none.
  int64_t kvChunk = 0;
};

/// Queries of one head a packed sm_80 tile holds: a decode step (one query)
/// or a short speculative one fits.
constexpr int64_t kDecodeRows = 16;

/// sm_80's packed tile: one m16 row block per warp and kDecodeRows rows of
/// each of the group's heads, so that every warp's rows are one head's (the
/// kernel's rule), in 4 warps at least. Groups of 2, 4 and 8 fit: 4, 4 and
/// 8 warps. Returns the warps, or nothing for other groups.
std::optional<int64_t> packedWarps(int64_t group) {
  if (group != 2 && group != 4 && group != 8)
    return std::nullopt;
  return std::max<int64_t>(4, group);
}

FailureOr<ScheduleAttr> chooseSchedule(AttentionOp op, const TargetInfo &target,
                                       const Requests &requests) {
  auto queryType = cast<ShapedType>(op.getQuery().getType());
  Type elementType = queryType.getElementType();
  if (!elementType.isBF16() && !elementType.isF16())
    return op.emitError() << kPass << ": no tensor-core schedule for "
                          << elementType << " on " << target.chip
                          << ": expected bf16 or f16";
  int64_t headDim = queryType.getDimSize(3);
  int64_t valueHeadDim =
      cast<ShapedType>(op.getValue().getType()).getDimSize(3);
  // A chip with a kernel states its own head-dim rule below (sm_80 pads to
  // whole MMA steps); the others need whole tensor-core K steps.
  for (int64_t dim : {headDim, valueHeadDim})
    if (!target.hasKernel() && dim % target.mmaK != 0)
      return op.emitError()
             << kPass << ": head dim " << dim << " is not supported on "
             << target.chip << ": it must be a multiple of " << target.mmaK;

  MLIRContext *ctx = op.getContext();
  int64_t largest = std::max(headDim, valueHeadDim);
  int64_t tileM = 128, tileN = 64, stages = 2, warps = 4;
  // Decoding: a few queries per head, packed by group when the chip can.
  std::optional<int64_t> group = op.getStaticGroupSize();
  int64_t seqQ = queryType.getDimSize(2);
  bool decode =
      requests.packGqa || (!ShapedType::isDynamic(seqQ) && seqQ <= kDecodeRows);
  // Packed GQA, split-KV and paged caches are the mma.sync kernel's; a chip
  // whose own kernel is wgmma's builds that one for them: a decode step reads
  // K/V at memory speed whichever tensor cores multiply, and a 64-row wgmma
  // tile would hold one query of one head.
  const TargetInfo *decodeKernel = target.decodeKernelTarget();
  bool packable = decode && packedWarps(group.value_or(0)).has_value();
  const TargetInfo &kernel =
      decodeKernel && (packable || requests.kvChunk > 0 || op.isPaged())
          ? *decodeKernel
          : target;
  bool packGqa = false;
  // The (tile_m, tile_n, warps, stages) a packed schedule replaced.
  using Tiles = std::tuple<int64_t, int64_t, int64_t, int64_t>;
  Tiles unpacked;
  // The FA2 table's (tile_m, tile_n, warps, stages) where the kernel cannot
  // split its first choice's tiles over its threads.
  std::optional<Tiles> narrower;
  // FA2's lazy row max: causal, where it measured faster (set below).
  bool fa2LazyRescale = false;
  KernelKind kind = KernelKind::fa2;
  SmallVector<WarpRoleAttr> roles;
  bool pingPong = false, overlap = false, persistent = false;
  int64_t queryStages = 1;
  // The chip's rescale threshold (0: rescale at every increase).
  float chipThreshold = 0.0f;
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Type outputElementType =
      cast<ShapedType>(op.getOutput().getType()).getElementType();
  auto shape = [&] {
    return KernelShape{
        headDim, valueHeadDim, elementBytes,      tileM,      tileN, stages,
        warps,   elementType,  outputElementType, queryStages};
  };
  switch (kernel.mma) {
  case MmaFamily::MmaSync: {
    // FA2: warps split the query rows into m16 MMA row blocks; the tiles
    // and a warp's rows by the largest head dim (bench/sdpa_sweep.py,
    // TFLOP/s at S = 1k / 4k / 16k):
    // - up to 128, two blocks a warp (128-row tiles of 4 warps), so each
    //   K and V fragment a warp loads from shared memory feeds two MMAs:
    //   with one, the ldmatrix traffic of 8 warps of 16 rows nears shared
    //   memory's 128 bytes a clock (H100, D = 64: 296 / 309 / 316 against
    //   262 / 275 / 283 with one; D = 128, H100, S = 2k / 8k: 320 / 347
    //   against 289 / 301 without a mask, 255 / 298 against 253 / 285
    //   causal; D = 96: 319 / 335 against 279 / 283 for 64-row tiles of 4
    //   warps, causal 257 / 299 against 245 / 274). Their S, P and O
    //   fit the register file once each ring is addressed from four lane
    //   bases (FlashAttention2.cpp: 24 bytes of spills at D = 128 where
    //   there were 248), and at 72 and 80 with 64-key tiles (H100, D = 80,
    //   S = 2k / 8k: 261 / 274 against 239 / 250 for 32-key ones, causal
    //   227 / 261 against 210 / 236);
    // - above 128 the O accumulator alone takes up to 128 registers a
    //   thread, so one block a warp; 128-row tiles of 8 warps read each
    //   K/V tile for twice the rows of 64-row ones of 4 (H200: D = 256 264
    //   / 284 / 292 against 248 / 264 / 270 without a mask, even causal),
    //   where 256 threads split a tile's 16-byte chunks evenly (all of
    //   136-256 with 64 keys), on 64-key tiles (H100, D = 192, S = 2k / 8k: 307
    //   / 322 against 270 / 282 for 32-key ones, causal 234 / 260 against 219 /
    //   245; 64-row tiles of 4 warps at D = 256 lose a third), and one
    //   slot for K and one for V in FA2's order (attn-pipeline-async),
    //   whose copies each run under the other tensor's products: D = 256,
    //   S = 1k / 4k / 16k, 297 / 321 / 331 against 272 / 290 / 301 for two
    //   stages of 32 keys (the most two stages fit), causal 220 / 264 /
    //   286 against 202 / 239 / 258; D = 192 causal 215 / 264 / 282
    //   against 204 / 247 / 269 for two stages of 64, even without a mask.
    //   Up to 128 two stages win (D = 128: 325 / 350 / 355 against 310 /
    //   337 / 344). The other head dims, and stages that shrink tile_n
    //   below what 8 warps split, keep 64-row tiles of 4 warps, 32 keys
    //   and two stages.
    struct Fa2Tiles {
      int64_t largestHeadDim, tileM, tileN, warpRows, stages;
    };
    static constexpr Fa2Tiles kFa2Tiles[] = {{128, 128, 64, 32, 2},
                                             {256, 128, 64, 16, 1}};
    // The op's verifier holds head dims to 256, the table's last row.
    const Fa2Tiles *row = llvm::find_if(kFa2Tiles, [&](const Fa2Tiles &t) {
      return largest <= t.largestHeadDim;
    });
    assert(row != std::end(kFa2Tiles) && "head dim beyond the FA2 table");
    const Fa2Tiles &tiles = *row;
    tileM = tiles.tileM;
    tileN = tiles.tileN;
    warps = tileM / tiles.warpRows;
    stages = tiles.stages;
    if (largest > 128)
      narrower = Tiles{64, 32, 64 / tiles.warpRows, 2};
    if (std::optional<int64_t> packed = packedWarps(group.value_or(0));
        packed && decode) {
      // One m16 block a warp, 64 keys (32 above head dim 128) and two
      // stages, as measured for decode steps.
      unpacked = {tileM, tileN, warps, stages};
      warps = *packed;
      stages = 2;
      tileM = sm80::kMmaM * warps;
      tileN = largest <= 128 ? 64 : 32;
      packGqa = true;
    }
    fa2LazyRescale = op.getMask() == MaskKind::causal;
    break;
  }
  case MmaFamily::Wgmma: { // FA3: a producer and 64-row consumer warpgroups.
    // At head dim 64 a step's GEMMs are short next to its softmax: a third
    // consumer warpgroup (192 x 128, FA3's choice) keeps the tensor cores
    // busier; its 160 registers still hold S, P and O.
    int64_t consumers = largest <= 64 ? 3 : 2;
    tileM = consumers * sm90::kWgmmaM;
    tileN = largest <= 128 ? 128 : 64;
    warps = 4 * (1 + consumers);
    kind = KernelKind::fa3;
    roles = producerConsumerRoles(ctx, consumers);
    // FA3's consumer schedule (bench/ablation.py, H200, S = 8192, TFLOP/s):
    // Q K^T of the next tile issued under this tile's softmax (545 against
    // 443 at D = 64, 664 against 608 at D = 128, 766 against 670 at
    // D = 256), and, with three consumers, the warpgroups taking turns at
    // the tensor cores (545 against 539 at D = 64). With two the turns cost
    // about what they order (664 against 663 at D = 128; 571 against 606
    // before the softmax got cheaper), so two consumers run free.
    pingPong = requests.pingPong && consumers > 2;
    overlap = requests.overlap;
    // Persistent CTAs (H100, TFLOP/s, docs/performance.md): without a mask
    // one tile's epilogue hides the next one's first loads, 506 against 489
    // at D = 128, S = 1024 and 669 against 650 at S = 8192, 386 against 369
    // at D = 64; at D = 256 the loop's registers make the consumer spill.
    // Causal CTAs draw their tiles from a counter: timed as users call the
    // kernel, back to back over rotating inputs (bench/sdpa_sweep.py), 341
    // against 279 at D = 128, S = 1024 and 589 against 546 at S = 8192; at
    // D = 64 249 against 234 and 504 against 473. At D = 256 it loses at
    // S = 1024 (293 against 362: O has no room to be staged, and the
    // consumer spills), so that keeps one CTA a tile; sliding windows were
    // not measured.
    MaskKind mask = op.getMask();
    bool chipPersistent =
        largest <= 128 && (mask == MaskKind::none || mask == MaskKind::causal);
    persistent =
        requests.persistent < 0 ? chipPersistent : requests.persistent > 0;
    // Where O is at least as large as S, rescaling it only when a row's max
    // grows by 2^8 pays: 683 against 665 at D = 128, 763 against 673 at
    // D = 256 (at D = 64 it is even: 544 against 548).
    if (largest >= 128)
      chipThreshold = 8.0f;
    break;
  }
  case MmaFamily::Tcgen05: { // FA4's tensor memory on FA3's two roles.
    // A consumer warpgroup per 128-row tcgen05.mma tile, its S (P over it)
    // and O in tensor memory: two where both fit in the 512 columns.
    tileN = largest <= 128 ? 128 : 64;
    int64_t consumers =
        sm100::attentionColumns(tileN, valueHeadDim, 2) <= sm100::kTmemColumns
            ? 2
            : 1;
    tileM = consumers * sm100::kMmaM;
    warps = 4 * (1 + consumers);
    kind = KernelKind::fa4;
    roles = producerConsumerRoles(ctx, consumers);
    // Rescaling O costs a round trip through tensor memory: only where a
    // row's max grew by 2^8, as FlashAttention-4 does.
    chipThreshold = 8.0f;
    break;
  }
  }

  if (requests.packGqa && !packGqa)
    return op.emitError()
           << kPass
           << ": packed GQA needs the sm_80 kernel and a static group of 2, "
              "4 or 8 query heads per key/value head; got "
           << target.chip << " and "
           << (group ? "a group of " + std::to_string(*group)
                     : std::string("dynamic head counts"));
  if (requests.kvChunk > 0 && kernel.mma != MmaFamily::MmaSync)
    return op.emitError() << kPass << ": split-KV needs the sm_80 kernel; "
                          << target.chip << "'s does not take it";
  if (requests.kvChunk % tileN != 0)
    return op.emitError() << kPass << ": kv-chunk = " << requests.kvChunk
                          << " is not a multiple of the schedule's tile_n = "
                          << tileN;
  if (op.isPaged()) {
    // The kernel finds a page per key row; the split's chunks are counted
    // in whole pages of the block table.
    int64_t pageSize = cast<ShapedType>(op.getKey().getType()).getDimSize(1);
    if (kernel.mma != MmaFamily::MmaSync)
      return op.emitError()
             << kPass << ": a paged K/V cache needs the sm_80 "
             << "kernel; " << target.chip << "'s does not take it";
    if (ShapedType::isDynamic(pageSize))
      return op.emitError() << kPass << ": a paged K/V cache needs a static "
                            << "page size (dimension 1 of K and V)";
    if (requests.kvChunk % pageSize != 0)
      return op.emitError()
             << kPass << ": kv-chunk = " << requests.kvChunk
             << " is not a whole number of pages of " << pageSize << " keys";
  }
  if (requests.stages > 0)
    stages = requests.stages;
  auto useTiles = [&](const Tiles &tiles) {
    std::tie(tileM, tileN, warps, stages) = tiles;
    if (requests.stages > 0)
      stages = requests.stages;
  };
  // The kernel's own chip's limit: the FA2 kernel built for sm_90a keeps
  // sm_80's, as its emitter checks.
  auto fitSharedMemory = [&] {
    while (pipelineSharedMemoryBytes(shape()) >
               kernel.maxSharedMemoryPerBlock &&
           tileN > 16)
      tileN /= 2;
  };
  auto kernelTakes = [&] {
    return !kernel.hasKernel() || kernel.kernelShapeProblem(shape()).empty();
  };
  fitSharedMemory();
  // A decode step packs only where the kernel takes the packed tile (eight
  // warps split 32-key rows of 5 or 7 chunk columns unevenly); unasked, it
  // keeps the unpacked schedule there.
  if (packGqa && !requests.packGqa && !kernelTakes()) {
    packGqa = false;
    useTiles(unpacked);
    fitSharedMemory();
  }
  // FA2's 128-row tiles of 8 warps above head dim 128 need 256 threads to
  // split a tile's chunks evenly; elsewhere (or where the stages shrank
  // tile_n below that) 64-row tiles of 4 warps.
  if (narrower && !packGqa && !kernelTakes()) {
    useTiles(*narrower);
    fitSharedMemory();
  }
  // A persistent CTA fills a second query slot with the next tile's query
  // while this tile's steps run, where it fits beside the K/V stages and
  // O's staging tile: with one, the consumers waited for it after each tile
  // (ncu, H100, D = 128, S = 1024 causal: 11% of the warps' samples).
  // Causal: bench/sdpa_sweep.py, H100, two rounds each against one slot,
  // TFLOP/s: D = 64, S = 1024 245 -> 259; D = 128, S = 1024 / 4096 / 16384
  // 353 / 535 / 612 -> 358 / 544 / 607. Without a mask (attn-run --bench,
  // H100, median of three interleaved rounds, us): D = 128, S = 1024 / 4096
  // / 16384 242 / 832 / 3569 -> 232 / 816 / 3388; D = 64, S = 1024 / 2048 /
  // 4096 / 16384 339 / 556 / 1062 / 4254 -> 309 / 538 / 1047 / 4293 (within
  // noise at D = 64 until the producer stopped filling a slot with nothing
  // at the end of each tile). A window keeps one: its tiles see few steps.
  if (requests.queryStages > 0) {
    queryStages = requests.queryStages;
    if (queryStages > 1 && !persistent)
      return op.emitError()
             << kPass << ": query-stages = " << queryStages
             << " needs persistent CTAs: a CTA of one tile fills the query "
                "once";
  } else if (persistent && (op.getMask() == MaskKind::causal ||
                            op.getMask() == MaskKind::none)) {
    queryStages = 2;
    if (stagedPipelineSharedMemoryBytes(shape()) >
        kernel.maxSharedMemoryPerBlock)
      queryStages = 1;
  }
  if (pipelineSharedMemoryBytes(shape()) > kernel.maxSharedMemoryPerBlock)
    return op.emitError() << kPass << ": no schedule fits in the "
                          << kernel.maxSharedMemoryPerBlock
                          << " bytes of shared memory of " << kernel.chip
                          << ": the smallest needs "
                          << pipelineSharedMemoryBytes(shape());
  // FA2's lazy row max (O rescaled only when a row's max grows by 2^8;
  // bench/sdpa_sweep.py, H200, TFLOP/s at S = 1k / 4k / 16k, causal): with
  // two row blocks a warp it pays at D = 32, 173 / 217 / 231 against 165 /
  // 207 / 223, and loses at D = 64, 211 / 263 / 287 against 226 / 273 / 293
  // (a warp's vote covers 32 rows), and at D = 80, 169 / 205 / 222 against
  // 180 / 215 / 235. With one block a warp it gained 18-21% at D = 64 (202 /
  // 249 / 264 against 166 / 207 / 224, which packed decode tiles keep),
  // lost at D = 128 (234 against 267 at S = 1k) and spills from D = 168;
  // without a mask it loses 1-2%.
  if (fa2LazyRescale &&
      (largest <= 32 || (largest <= 64 && tileM / warps == sm80::kMmaM)))
    chipThreshold = 8.0f;
  float asked =
      requests.rescaleThreshold < 0 ? chipThreshold : requests.rescaleThreshold;
  FloatAttr threshold =
      asked > 0 ? FloatAttr::get(Float32Type::get(ctx), asked) : FloatAttr();
  // The chip's kernel states what it can build; asking it here rejects a
  // request before tiling rather than inside the kernel's emitter.
  if (kernel.hasKernel()) {
    std::string problem = kernel.kernelShapeProblem(shape());
    if (!problem.empty())
      return op.emitError()
             << kPass << ": the " << kernel.chip << " kernel " << problem;
  }
  return ScheduleAttr::get(ctx, kind, tileM, tileN, stages, warps, roles,
                           pingPong, overlap, ArrayRef<int64_t>(), threshold,
                           requests.kvChunk, packGqa, persistent, queryStages);
}

struct AttnSelectSchedulePass
    : attn::impl::AttnSelectSchedulePassBase<AttnSelectSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    const TargetInfo *target = lookupTarget(chip);
    if (!target) {
      emitError(getOperation()->getLoc())
          << kPass << ": " << unknownChipMessage(chip);
      return signalPassFailure();
    }
    if (!std::isfinite(rescaleThreshold)) {
      emitError(getOperation()->getLoc())
          << kPass << ": rescale-threshold must be a finite number, got "
          << float(rescaleThreshold);
      return signalPassFailure();
    }
    if (stages < 0) {
      emitError(getOperation()->getLoc())
          << kPass << ": stages must be 0 (the chip's choice) or more, got "
          << int64_t(stages);
      return signalPassFailure();
    }
    if (queryStages < 0) {
      emitError(getOperation()->getLoc())
          << kPass
          << ": query-stages must be 0 (the chip's choice) or more, got "
          << int64_t(queryStages);
      return signalPassFailure();
    }
    if (kvChunk < 0) {
      emitError(getOperation()->getLoc())
          << kPass << ": kv-chunk must be 0 (no split) or more, got "
          << int64_t(kvChunk);
      return signalPassFailure();
    }
    Requests requests{rescaleThreshold, pingPong,    overlap, persistent,
                      stages,           queryStages, packGqa, kvChunk};
    WalkResult result = getOperation()->walk([&](AttentionOp op) {
      if (op.getScheduleAttr())
        return WalkResult::advance();
      FailureOr<ScheduleAttr> schedule = chooseSchedule(op, *target, requests);
      if (failed(schedule))
        return WalkResult::interrupt();
      op.setScheduleAttr(*schedule);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
