//===- WarpSpecializedKernel.cpp - TMA roles shared by sm_90a and sm_100a ===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The producer and the tile loops, the channels' buffers and barriers, and
// the consumer role's interpreter: see WarpSpecializedKernel.h.
//
//   - Each channel slot is a 128-byte-swizzled tile in shared memory, built
//     from boxes of 64 columns, with a "full" and an "empty" mbarrier.
//     Acquire waits on "empty" (the opposite parity: a fresh barrier counts
//     as having completed phase 1), commit arrives on "full" expecting the
//     bytes of its TMA copies, which complete it; wait waits on "full" with
//     the IR's phase, release arrives on "empty" from every consumer thread.
//   - With a persistent schedule, as many CTAs as fit on the GPU, each role
//     looping over tiles: from the block id in steps of the grid size, or,
//     with a causal mask, drawn by the producer from the launch's counter
//     and handed to the consumers in shared memory with the query's fill.
//     The IR numbers each tile's fills of a channel from 0; the loop
//     carries each ring's fills so far (mod two rounds). The query's ring,
//     a fill a tile, rotates through its slots; K and V are kept in whole
//     rounds, the producer padding the last tile's round at the start of
//     the next tile (after its query where the query has a second slot),
//     and the consumer releases the pads and any disabled prologue fill.
//
//===----------------------------------------------------------------------===//

#include "WarpSpecializedKernel.h"

#include "attn/Target/SM100/TmemLayout.h"
#include "attn/Target/SM90/WgmmaLayout.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Shared memory of one SM on sm_90 and sm_100 (CUDA C Programming Guide:
/// 228 KB, of which a block may use 227).
constexpr int64_t kSharedMemoryPerSm = 228 * 1024;
constexpr int64_t kSharedMemoryPerBlock = 227 * 1024;
/// Threads a named barrier of the consumers' turns counts: the warpgroup
/// taking its turn and the one handing it over.
constexpr int64_t kTurnThreads = 2 * kWarpgroupSize;
/// The mbarrier wait's suspend-time hint, in nanoseconds (unbounded waits).
constexpr int64_t kWaitHintNs = 10000000;

/// The channels of Q, K and V of `plan`, in that order.
SmallVector<AllocChannelOp, 3> channelsOf(const KernelPlan &plan) {
  return {plan.queryChannel, plan.keyChannel, plan.valueChannel};
}

} // namespace

SmallVector<int64_t, 4> mlir::attn::boxShape(int64_t rows) {
  return {1, 1, rows, kSpanColumns};
}

bool mlir::attn::drawsTiles(const KernelPlan &plan) {
  return plan.schedule.getPersistent() && plan.heavyTilesFirst;
}

SharedLayout mlir::attn::layOutSharedMemory(const KernelPlan &plan,
                                            int64_t extraBarriers) {
  SharedLayout layout;
  for (AllocChannelOp channel : channelsOf(plan)) {
    ChannelType type = channel.getType();
    ChannelBuffer buffer;
    buffer.offset = layout.channelBytes;
    buffer.stages = type.getStages();
    buffer.rows = type.getTile().getDimSize(0);
    buffer.cols = type.getTile().getDimSize(1);
    buffer.firstBarrier = layout.barriers;
    layout.channelBytes += buffer.stages * buffer.slotBytes();
    layout.barriers += 2 * buffer.stages;
    layout.channels.push_back(buffer);
  }
  layout.barriers += extraBarriers;
  layout.tileWordBytes = drawsTiles(plan) ? 4 * kMaxQuerySlots : 0;
  // O is staged for a TMA store: in its own buffer where that fits, else
  // in the query's slot where no later tile refills it (one CTA a tile); a
  // persistent kernel with no room stores from registers (sm_90a at
  // D = 256).
  KernelKind kind = plan.schedule.getKind();
  if (kind != KernelKind::fa3 && kind != KernelKind::fa4)
    return layout;
  // A TMA store takes one warp's rows of O: a quarter of a warpgroup's
  // wgmma (sm_90a) or tcgen05.mma (sm_100a) rows.
  layout.outputBoxRows =
      (kind == KernelKind::fa3 ? sm90::kWgmmaM : sm100::kMmaM) / 4;
  const ChannelBuffer &query = layout.channels.front();
  int64_t own = plan.tileM * plan.valueHeadDim *
                plan.elementType.getIntOrFloatBitWidth() / 8;
  if (layout.bytes() + own <= kSharedMemoryPerBlock) {
    layout.outputStaging = OutputStaging::ownBuffer;
    layout.outputOffset = layout.channelBytes;
    layout.outputBytes = own;
  } else if (!plan.schedule.getPersistent() &&
             plan.valueHeadDim <= query.cols) {
    layout.outputStaging = OutputStaging::querySlot;
    layout.outputOffset = query.offset;
  }
  return layout;
}

int64_t mlir::attn::residentCtas(const KernelPlan &plan) {
  int64_t threads = plan.schedule.getWarps() * attn::kWarpSize;
  WarpRoleTotals totals = sumWarpRoles(plan.schedule.getRoles());
  int64_t ctas = 1;
  while (totals.registers <= sm90::entryRegisters(ctas + 1, threads) * threads)
    ++ctas;
  return std::min<int64_t>(
      ctas, std::max<int64_t>(1, kSharedMemoryPerSm /
                                     layOutSharedMemory(plan).bytes()));
}

KernelAbiAttr mlir::attn::buildWarpSpecializedAbi(const KernelPlan &plan) {
  MLIRContext *ctx = plan.schedule.getContext();
  SmallVector<KernelParamAttr> maps;
  for (auto [i, rows] : llvm::enumerate(
           SmallVector<int64_t>{plan.tileM, plan.tileN, plan.tileN}))
    maps.push_back(KernelParamAttr::get(ctx, KernelParamKind::tensor_map, i,
                                        boxShape(rows), kSpanBytes, false,
                                        Type(), -1));
  // O, the tensor after the inputs, where it is staged.
  SharedLayout layout = plan.roles ? layOutSharedMemory(plan) : SharedLayout();
  if (layout.outputStaging != OutputStaging::none)
    maps.push_back(KernelParamAttr::get(
        ctx, KernelParamKind::tensor_map, plan.numInputs(),
        boxShape(layout.outputBoxRows), kSpanBytes, false, Type(), -1));
  // A grid not in the warp-specialised form has no channels to size; the
  // emitter refuses it.
  bool persistent = plan.schedule.getPersistent() && plan.roles;
  // A kernel that draws its tiles counts them in one i32, zero at each
  // launch (its extent, B / 2^40 counted as at least 1, is 1).
  SmallVector<KernelTensorAttr> workspace;
  if (persistent && drawsTiles(plan))
    workspace.push_back(KernelTensorAttr::get(
        ctx, StringAttr::get(ctx, "tile_counter"),
        RankedTensorType::get({ShapedType::kDynamic},
                              IntegerType::get(ctx, 32)),
        {GridAxisAttr::get(ctx, 0, 0, int64_t(1) << 40)}, /*zeroed=*/true));
  return buildAttentionAbi(plan, maps, persistent ? residentCtas(plan) : 0,
                           workspace);
}

SmallVector<AllocChannelOp, 3> WarpSpecializedEmitter::channels() const {
  return channelsOf(plan);
}

Value WarpSpecializedEmitter::inlinePtx(Type resultType, ValueRange operands,
                                        StringRef text, StringRef constraints) {
  return LLVM::InlineAsmOp::create(
             b, loc, resultType, operands, text, constraints,
             /*has_side_effects=*/true, /*is_align_stack=*/false,
             LLVM::tailcallkind::TailCallKind::None,
             LLVM::AsmDialectAttr::get(b.getContext(),
                                       LLVM::AsmDialect::AD_ATT),
             /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

Value WarpSpecializedEmitter::sharedView(Value byteOffset, MemRefType type) {
  return memref::ViewOp::create(b, loc, type, sharedBytes(), byteOffset,
                                ValueRange{});
}

Value WarpSpecializedEmitter::freshThreadId() {
  // A volatile read: gpu.thread_id would be one value for the whole kernel.
  return arith::IndexCastUIOp::create(
      b, loc, b.getIndexType(),
      inlinePtx(b.getI32Type(), {}, "mov.u32 $0, %tid.x;", "=r"));
}

/// Elements of one 16-byte chunk of a 16-bit row: the swizzle's unit.
static constexpr int64_t kChunkElements = 8;

WarpSpecializedEmitter::StagingThread WarpSpecializedEmitter::stagingThread() {
  Value thread =
      arith::RemUIOp::create(b, loc, freshThreadId(), index(kWarpgroupSize));
  Value lane = arith::RemUIOp::create(b, loc, thread, index(attn::kWarpSize));
  Value warpRow =
      add(frame.groupRow,
          mul(arith::DivUIOp::create(b, loc, thread, index(attn::kWarpSize)),
              index(outputBoxRows)));
  return {thread, lane, warpRow};
}

Value WarpSpecializedEmitter::beginStagedOutput() {
  auto flat = MemRefType::get(
      {valueHeadDim / kSpanColumns * tileM * kSpanColumns}, elementType,
      MemRefLayoutAttrInterface{}, getSharedMemorySpace(b.getContext()));
  Value staging = sharedView(index(outputOffset), flat);
  // The wait is the issuing lane's; the others have no bulk groups.
  NVVM::CpAsyncBulkWaitGroupOp::create(b, loc, 0, b.getUnitAttr());
  NVVM::SyncWarpOp::create(b, loc, i32(-1));
  return staging;
}

Value WarpSpecializedEmitter::stagedFirst(Value row, Value column) {
  Value phase = arith::RemUIOp::create(b, loc, row, index(8));
  return add(
      add(mul(row, index(kSpanColumns)), mul(phase, index(kChunkElements))),
      column);
}

Value WarpSpecializedEmitter::stagedElement(Value first, int64_t chunk,
                                            int64_t rowOffset) {
  // Chunk c of a row lies in 64-column block c / 8 of tile_m rows, at
  // chunk (c mod 8) XOR the row's phase; the phase is in `first`'s chunk
  // bits (row * 64 and the column below 8 leave them alone).
  constexpr int64_t chunksPerBlock = kSpanColumns / kChunkElements;
  int64_t block = chunk / chunksPerBlock;
  return add(arith::XOrIOp::create(
                 b, loc, first, index(chunk % chunksPerBlock * kChunkElements)),
             index(block * tileM * kSpanColumns + rowOffset * kSpanColumns));
}

void WarpSpecializedEmitter::finishStagedOutput(const StagingThread &at) {
  // Writes through the generic proxy are seen by the TMA store's reads
  // once fenced and the warp has synchronised.
  MLIRContext *ctx = b.getContext();
  NVVM::FenceProxyOp::create(
      b, loc, NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
      NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
  NVVM::SyncWarpOp::create(b, loc, i32(-1));
  // A box before row 0 (a causal tile ending at Sq; attn-tile shifts
  // those by whole warpgroups' rows) is not stored: TMA stores must not
  // start there.
  Value boxRow = add(frame.queryRow, at.warpRow);
  Value lane0 = cmp(arith::CmpIPredicate::eq, at.lane, index(0));
  Value inside = cmp(arith::CmpIPredicate::sge, boxRow, index(0));
  Value issuer = arith::AndIOp::create(b, loc, lane0, inside);
  auto boxType =
      cast<nvgpu::TensorMapDescriptorType>(outputMap.getType()).getTensor();
  Value rowBytes = mul(at.warpRow, index(kSpanBytes));
  int64_t blockBytes = tileM * kSpanBytes;
  for (int64_t block = 0; block < valueHeadDim / kSpanColumns; ++block) {
    Value src = sharedView(
        add(index(outputOffset + block * blockBytes), rowBytes), boxType);
    // Rows past the sequence are not written (the map's bounds).
    nvgpu::TmaAsyncStoreOp::create(
        b, loc, src, outputMap,
        ValueRange{index(block * kSpanColumns), boxRow, head, batch}, issuer);
  }
  NVVM::CpAsyncBulkCommitGroupOp::create(b, loc);
}

Value WarpSpecializedEmitter::slotOffset(const ChannelBuffer &buffer,
                                         Value slot) {
  return add(index(buffer.offset), mul(slot, index(buffer.slotBytes())));
}

Value WarpSpecializedEmitter::barrier(const ChannelBuffer &buffer, Value slot,
                                      bool empty) {
  return add(slot, index(buffer.firstBarrier + (empty ? buffer.stages : 0)));
}

void WarpSpecializedEmitter::waitBarrier(Value index, Value parity) {
  if (plan.waitTimeoutMs == 0) {
    nvgpu::MBarrierTryWaitParityOp::create(b, loc, barriers, parity,
                                           this->index(kWaitHintNs), index);
    return;
  }
  // The debug mode: one try_wait at a time, against the global timer; past
  // the bound, say which barrier and phase never completed, and trap.
  Type i32Type = b.getI32Type(), i64Type = b.getI64Type();
  Value address =
      nvgpu::MBarrierGetOp::create(b, loc, i32Type, barriers, index);
  Value parityWord = arith::ExtUIOp::create(b, loc, i32Type, parity);
  Value start = NVVM::GlobalTimerOp::create(b, loc, i64Type);
  auto loop = scf::WhileOp::create(b, loc, TypeRange{}, ValueRange{});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(b.createBlock(&loop.getBefore()));
  Value done =
      inlinePtx(i32Type, ValueRange{address, parityWord},
                "{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 "
                "p, [$1], $2;\nselp.u32 $0, 1, 0, p;\n}",
                "=r,r,r");
  Value waiting =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, done,
                            arith::ConstantIntOp::create(b, loc, i32Type, 0));
  Value elapsed = arith::SubIOp::create(
      b, loc, NVVM::GlobalTimerOp::create(b, loc, i64Type), start);
  Value late = arith::AndIOp::create(
      b, loc, waiting,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, elapsed,
                            i64(plan.waitTimeoutMs * 1000000)));
  auto report = scf::IfOp::create(b, loc, late, false);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(report.thenBlock());
    auto word = [&](Value v) {
      return arith::IndexCastUIOp::create(b, loc, i32Type, v).getResult();
    };
    gpu::PrintfOp::create(
        b, loc,
        b.getStringAttr("attn: mbarrier %u (parity %u) not complete after " +
                        std::to_string(plan.waitTimeoutMs) +
                        " ms: block (%u, %u, %u), thread %u\n"),
        ValueRange{word(index), parityWord,
                   word(gpu::BlockIdOp::create(b, loc, gpu::Dimension::x)),
                   word(gpu::BlockIdOp::create(b, loc, gpu::Dimension::y)),
                   word(gpu::BlockIdOp::create(b, loc, gpu::Dimension::z)),
                   word(tid)});
    LLVM::Trap::create(b, loc);
  }
  scf::ConditionOp::create(b, loc, waiting, ValueRange{});
  b.setInsertionPointToStart(b.createBlock(&loop.getAfter()));
  scf::YieldOp::create(b, loc);
}

void WarpSpecializedEmitter::waitEmpty(const ChannelBuffer &buffer, Value slot,
                                       Value phase) {
  Value parity = arith::XOrIOp::create(
      b, loc, phase, arith::ConstantIntOp::create(b, loc, 1, 1));
  waitBarrier(barrier(buffer, slot, /*empty=*/true), parity);
}

void WarpSpecializedEmitter::arriveOn(const ChannelBuffer &buffer, Value slot,
                                      bool empty) {
  nvgpu::MBarrierArriveOp::create(b, loc,
                                  nvgpu::MBarrierTokenType::get(b.getContext()),
                                  barriers, barrier(buffer, slot, empty));
}

Value WarpSpecializedEmitter::tileWord() {
  return sharedView(index(tileWordOffset),
                    MemRefType::get({kMaxQuerySlots}, b.getI32Type(),
                                    MemRefLayoutAttrInterface{},
                                    getSharedMemorySpace(b.getContext())));
}

//===----------------------------------------------------------------------===//
// Persistent tiles
//===----------------------------------------------------------------------===//

void WarpSpecializedEmitter::mapTile(Value tile) {
  // The tile arithmetic is 32-bit: what stays live across a tile (its bounds
  // and the loop-invariant factors) takes one register, not two.
  SmallVector<Value, 3> extents;
  for (Value extent : gridExtents)
    extents.push_back(toI32(extent));
  mapGridTile(plan, values, tile, extents, seqKv);
}

bool WarpSpecializedEmitter::rotates(AllocChannelOp channel) {
  // A fixed count: no commit of the channel under a loop or a branch.
  Block &producer = roleBody(/*consumer=*/false);
  return !producer
              .walk([&](ChannelCommitOp commit) {
                if (commit.getChannel() != channel.getResult())
                  return WalkResult::advance();
                for (Operation *op = commit->getParentOp();
                     op != producer.getParentOp(); op = op->getParentOp())
                  if (isa<scf::ForOp, scf::IfOp>(op))
                    return WalkResult::interrupt();
                return WalkResult::advance();
              })
              .wasInterrupted();
}

Value WarpSpecializedEmitter::roundEnd(Value fills, int64_t stages) {
  return mul(arith::CeilDivUIOp::create(b, loc, fills, index(stages)),
             index(stages));
}

void WarpSpecializedEmitter::startTile(ValueRange counts) {
  ringStarts.clear();
  for (auto [channel, count] : llvm::zip(channels(), counts)) {
    RingStart &start = ringStarts[channel];
    start.count = count;
    if (rotates(channel))
      continue;
    // Once the last tile's round is padded, this tile's fills start at
    // slot 0, their phases flipped by an odd number of rounds before.
    Value fills = arith::IndexCastUIOp::create(b, loc, b.getIndexType(), count);
    start.flip = isOdd(arith::CeilDivUIOp::create(
        b, loc, fills, index(buffers[channel].stages)));
  }
}

void WarpSpecializedEmitter::padRounds() {
  for (AllocChannelOp channel : channels()) {
    const ChannelBuffer &buffer = buffers[channel];
    RingStart start = ringStarts.lookup(channel);
    if (!start.flip || buffer.stages == 1)
      continue;
    // Fills c .. the end of c's round, c the ring's fills so far.
    Value stages = index(buffer.stages);
    Value from =
        arith::IndexCastUIOp::create(b, loc, b.getIndexType(), start.count);
    Value to = roundEnd(from, buffer.stages);
    auto loop = scf::ForOp::create(b, loc, from, to, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value i = loop.getInductionVar();
    Value slot = arith::RemUIOp::create(b, loc, i, stages);
    waitEmpty(buffer, slot, isOdd(arith::DivUIOp::create(b, loc, i, stages)));
    arriveOn(buffer, slot, /*empty=*/false);
  }
}

FailureOr<SmallVector<Value>>
WarpSpecializedEmitter::emitTile(ValueRange counts, bool consumer,
                                 function_ref<LogicalResult()> body) {
  startTile(counts);
  // The producer pads the last tile's rounds first, or, with a second query
  // slot, after this tile's query, which then waits for no consumer.
  if (!consumer) {
    if (AllocChannelOp(plan.queryChannel).getType().getStages() > 1)
      padsPending = true;
    else
      padRounds();
  }
  if (failed(body()))
    return failure();
  if (padsPending)
    padRounds();
  padsPending = false;
  SmallVector<Value> next;
  for (AllocChannelOp channel : channels()) {
    RingStart start = ringStarts.lookup(channel);
    FailureOr<Value> fills =
        countFills(roleBody(/*consumer=*/false), channel, /*waits=*/false);
    if (failed(fills))
      return failure();
    Value stages = index(buffers[channel].stages);
    Value from =
        arith::IndexCastUIOp::create(b, loc, b.getIndexType(), start.count);
    if (start.flip)
      from = roundEnd(from, buffers[channel].stages);
    next.push_back(arith::IndexCastUIOp::create(
        b, loc, b.getI32Type(),
        arith::RemUIOp::create(b, loc, add(from, *fills),
                               mul(stages, index(2)))));
  }
  ringStarts.clear();
  return next;
}

LogicalResult
WarpSpecializedEmitter::forEachTile(bool consumer,
                                    function_ref<LogicalResult()> body) {
  if (!plan.schedule.getPersistent())
    return body();
  Type i32Type = b.getI32Type();
  Value count = arith::IndexCastUIOp::create(b, loc, i32Type, tileCount);
  SmallVector<Value> init(channels().size(), i32(0));
  OpBuilder::InsertionGuard guard(b);
  if (!tileCounter) {
    // Tiles of one length: CTA c takes tiles c, c + grid, ...
    Value first = arith::IndexCastUIOp::create(
        b, loc, i32Type, gpu::BlockIdOp::create(b, loc, gpu::Dimension::x));
    Value step = arith::IndexCastUIOp::create(
        b, loc, i32Type, gpu::GridDimOp::create(b, loc, gpu::Dimension::x));
    auto loop = scf::ForOp::create(b, loc, first, count, step, init);
    b.setInsertionPointToStart(loop.getBody());
    mapTile(loop.getInductionVar());
    FailureOr<SmallVector<Value>> next =
        emitTile(loop.getRegionIterArgs(), consumer, body);
    if (failed(next))
      return failure();
    scf::YieldOp::create(b, loc, *next);
    if (!consumer) {
      // The last tile's rounds.
      b.setInsertionPointAfter(loop);
      startTile(loop.getResults());
      padRounds();
      ringStarts.clear();
    }
    return success();
  }
  // Causal tiles differ in length: a CTA takes the next tile when it is
  // done with one. The producer draws it from the launch's counter and
  // leaves it in shared memory with the query's fill; the consumers read it
  // once that fill is complete. Past the last tile the producer fills the
  // query's slot with nothing but a tile number past the end, which ends
  // the consumers' loop too.
  Value word = tileWord();
  Value query = AllocChannelOp(plan.queryChannel).getResult();
  const ChannelBuffer &queryBuffer = bufferOf(query);
  Value noPhase = arith::ConstantIntOp::create(b, loc, 0, 1);
  SmallVector<Type> types = llvm::to_vector(ValueRange(init).getTypes());
  SmallVector<Type> withTile = {i32Type};
  withTile.append(types);
  auto loop = scf::WhileOp::create(b, loc, withTile, init);
  Block *before = b.createBlock(&loop.getBefore(), {}, types,
                                SmallVector<Location>(types.size(), loc));
  b.setInsertionPointToStart(before);
  Value tile;
  if (consumer) {
    // The query's fill of this tile: slot 0 and phase 0 of the IR.
    startTile(before->getArguments());
    auto [slot, phase] = placeFill(query, index(0), noPhase);
    waitBarrier(barrier(queryBuffer, slot, /*empty=*/false), phase);
    tile = memref::LoadOp::create(b, loc, word, ValueRange{slot});
    ringStarts.clear();
  } else {
    tile =
        memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addi, i32(1),
                                    tileCounter, ValueRange{index(0)});
  }
  SmallVector<Value> carried = {tile};
  llvm::append_range(carried, before->getArguments());
  scf::ConditionOp::create(b, loc, cmp(arith::CmpIPredicate::ult, tile, count),
                           carried);
  Block *after = b.createBlock(&loop.getAfter(), {}, withTile,
                               SmallVector<Location>(withTile.size(), loc));
  b.setInsertionPointToStart(after);
  currentTile = after->getArgument(0);
  mapTile(currentTile);
  FailureOr<SmallVector<Value>> next =
      emitTile(after->getArguments().drop_front(), consumer, body);
  if (failed(next))
    return failure();
  scf::YieldOp::create(b, loc, *next);
  currentTile = Value();
  b.setInsertionPointAfter(loop);
  if (!consumer) {
    // The end: the query's next slot once the consumers are done with it,
    // a tile past the last, and the fill completed without bytes.
    // The last tile's rounds, then the end.
    startTile(loop.getResults().drop_front());
    padRounds();
    auto [slot, phase] = placeFill(query, index(0), noPhase);
    waitEmpty(queryBuffer, slot, phase);
    memref::StoreOp::create(b, loc, count, word, ValueRange{slot});
    arriveOn(queryBuffer, slot, /*empty=*/false);
    ringStarts.clear();
  }
  return success();
}

Value WarpSpecializedEmitter::slotOf(Value channel, Value slot) {
  return placeFill(channel, slot, arith::ConstantIntOp::create(b, loc, 0, 1))
      .first;
}

std::pair<Value, Value>
WarpSpecializedEmitter::placeFill(Value channel, Value slot, Value phase) {
  auto it = ringStarts.find(channel.getDefiningOp());
  if (it == ringStarts.end())
    return {slot, phase};
  RingStart start = it->second;
  if (start.flip)
    return {slot, arith::XOrIOp::create(b, loc, phase, start.flip)};
  // A rotating ring: fill `slot` of round `phase` of the IR is the ring's
  // fill start + slot (mod 2 S), its slot that mod S, its phase flipped
  // once in each round before.
  Value stages = index(bufferOf(channel).stages);
  Value at =
      add(arith::IndexCastUIOp::create(b, loc, b.getIndexType(), start.count),
          slot);
  return {
      arith::RemUIOp::create(b, loc, at, stages),
      arith::XOrIOp::create(b, loc, phase,
                            isOdd(arith::DivUIOp::create(b, loc, at, stages)))};
}

FailureOr<Value> WarpSpecializedEmitter::countFills(Block &block,
                                                    Operation *channel,
                                                    bool waits) {
  Value total = index(0);
  for (Operation &op : block) {
    Value count;
    if (auto commit = dyn_cast<ChannelCommitOp>(op)) {
      if (!waits && commit.getChannel().getDefiningOp() == channel)
        count = index(1);
    } else if (auto wait = dyn_cast<ChannelWaitOp>(op)) {
      if (waits && wait.getChannel().getDefiningOp() == channel)
        count = index(1);
    } else if (auto section = dyn_cast<OrderedOp>(op)) {
      FailureOr<Value> inside =
          countFills(section.getBody().front(), channel, waits);
      if (failed(inside))
        return failure();
      count = *inside;
    } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
      FailureOr<Value> each = countFills(*loop.getBody(), channel, waits);
      if (failed(each))
        return failure();
      if (isConstantIntValue(*each, 0))
        continue;
      FailureOr<Value> lo = get(loop.getLowerBound()),
                       hi = get(loop.getUpperBound()),
                       step = get(loop.getStep());
      if (failed(lo) || failed(hi) || failed(step))
        return failure();
      Value span = arith::MaxSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, *hi, *lo), index(0));
      count = mul(arith::CeilDivUIOp::create(b, loc, span, *step), *each);
    } else if (auto guard = dyn_cast<scf::IfOp>(op)) {
      FailureOr<Value> then = countFills(*guard.thenBlock(), channel, waits);
      FailureOr<Value> otherwise =
          guard.elseBlock() ? countFills(*guard.elseBlock(), channel, waits)
                            : FailureOr<Value>(index(0));
      if (failed(then) || failed(otherwise))
        return failure();
      if (isConstantIntValue(*then, 0) && isConstantIntValue(*otherwise, 0))
        continue;
      FailureOr<Value> condition = get(guard.getCondition());
      if (failed(condition))
        return failure();
      count = select(*condition, *then, *otherwise);
    }
    if (count)
      total = isConstantIntValue(total, 0) ? count : add(total, count);
  }
  return total;
}

LogicalResult WarpSpecializedEmitter::consumeUnusedFills() {
  for (AllocChannelOp channel : channels()) {
    const ChannelBuffer &buffer = buffers[channel];
    FailureOr<Value> from =
        countFills(roleBody(/*consumer=*/true), channel, /*waits=*/true);
    FailureOr<Value> to =
        countFills(roleBody(/*consumer=*/false), channel, /*waits=*/false);
    if (failed(from) || failed(to))
      return failure();
    // A ring kept in whole rounds: the producer's pads too.
    if (ringStarts.lookup(channel).flip)
      to = roundEnd(*to, buffer.stages);
    std::optional<int64_t> f = getConstantIntValue(*from),
                           t = getConstantIntValue(*to);
    if (f && t && *f == *t)
      continue;
    // Fill i of the tile: slot i mod S, phase (i / S) mod 2 of the IR.
    auto loop = scf::ForOp::create(b, loc, *from, *to, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value i = loop.getInductionVar();
    Value stages = index(buffer.stages);
    auto [slot, phase] =
        placeFill(channel, arith::RemUIOp::create(b, loc, i, stages),
                  isOdd(arith::DivUIOp::create(b, loc, i, stages)));
    waitBarrier(barrier(buffer, slot, /*empty=*/false), phase);
    arriveOn(buffer, slot, /*empty=*/true);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Producer
//===----------------------------------------------------------------------===//

void WarpSpecializedEmitter::emitCommit(ChannelCommitOp commit,
                                        MutableArrayRef<ChannelCopyOp> copies) {
  ChannelBuffer &buffer = bufferOf(commit.getChannel());
  Value slot = slotOf(commit.getChannel(), *get(commit.getSlot()));
  Value full = barrier(buffer, slot, /*empty=*/false);
  // The barrier completes when every byte the copies bring has landed; a
  // disabled copy brings none.
  Value bytes = index(0);
  SmallVector<Value> enabled;
  for (ChannelCopyOp copy : copies) {
    enabled.push_back(*get(copy.getEnabled()));
    int64_t tileBytes = buffer.slotBytes();
    bytes = add(bytes, select(enabled.back(), index(tileBytes), index(0)));
  }
  // A persistent causal kernel's tile, for the consumers, goes with the
  // query's fill.
  if (currentTile && commit.getChannel().getDefiningOp() ==
                         AllocChannelOp(plan.queryChannel).getOperation())
    memref::StoreOp::create(b, loc, currentTile, tileWord(), ValueRange{slot});
  nvgpu::MBarrierArriveExpectTxOp::create(b, loc, barriers, bytes, full,
                                          Value());
  Value base = slotOffset(buffer, slot);
  auto boxType =
      cast<nvgpu::TensorMapDescriptorType>(buffer.map.getType()).getTensor();
  for (auto [copy, on] : llvm::zip(copies, enabled)) {
    Value row = *get(copy.getRow()), headIndex = *get(copy.getHead()),
          batchIndex = *get(copy.getBatch());
    for (int64_t block = 0; block < buffer.cols / kSpanColumns; ++block) {
      Value dst =
          sharedView(add(base, index(block * buffer.blockBytes())), boxType);
      // Coordinates innermost first: column, row, head, batch. Rows past the
      // sequence read as zero.
      nvgpu::TmaAsyncLoadOp::create(
          b, loc, dst, barriers, buffer.map,
          ValueRange{index(block * kSpanColumns), row, headIndex, batchIndex},
          full, /*multicastMask=*/Value(), /*predicate=*/on);
    }
  }
}

LogicalResult WarpSpecializedEmitter::emitProducer(Block &block) {
  SmallVector<ChannelCopyOp> pending;
  for (Operation &op : block) {
    if (auto acquire = dyn_cast<ChannelAcquireOp>(op)) {
      FailureOr<Value> slot = get(acquire.getSlot()),
                       phase = get(acquire.getPhase());
      if (failed(slot) || failed(phase))
        return failure();
      auto [at, placed] = placeFill(acquire.getChannel(), *slot, *phase);
      waitEmpty(bufferOf(acquire.getChannel()), at, placed);
    } else if (auto copy = dyn_cast<ChannelCopyOp>(op)) {
      for (Value v :
           SmallVector<Value>{copy.getRow(), copy.getHead(), copy.getBatch(),
                              copy.getSlot(), copy.getEnabled()})
        if (failed(get(v)))
          return failure();
      pending.push_back(copy);
    } else if (auto commit = dyn_cast<ChannelCommitOp>(op)) {
      if (failed(get(commit.getSlot())))
        return failure();
      // A commit completes the copies issued into its own slot; copies into
      // other channels or slots would be counted on the wrong barrier.
      for (ChannelCopyOp copy : pending)
        if (copy.getChannel() != commit.getChannel() ||
            copy.getSlot() != commit.getSlot())
          return errorAt(copy) << "expects each copy between an acquire and "
                                  "the commit of the same channel slot";
      emitCommit(commit, pending);
      pending.clear();
      // The last tile's pads wait for its last K/V slots to be released:
      // after this tile's query, which needs no such wait.
      if (padsPending &&
          rotates(commit.getChannel().getDefiningOp<AllocChannelOp>())) {
        padRounds();
        padsPending = false;
      }
    } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
      if (loop.getNumRegionIterArgs() != 0)
        return errorAt(loop) << "expects the producer's loop to carry nothing";
      FailureOr<Value> lo = get(loop.getLowerBound()),
                       hi = get(loop.getUpperBound()),
                       step = get(loop.getStep());
      if (failed(lo) || failed(hi) || failed(step))
        return failure();
      auto kernelLoop = scf::ForOp::create(b, loc, *lo, *hi, *step);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(kernelLoop.getBody()->getTerminator());
      values.map(loop.getInductionVar(), kernelLoop.getInductionVar());
      if (failed(emitProducer(*loop.getBody())))
        return failure();
    } else if (!isa<scf::YieldOp, RoleYieldOp>(op) &&
               !isa<arith::ArithDialect>(op.getDialect())) {
      // Index arithmetic is recomputed where a channel op needs it.
      return errorAt(&op) << "cannot lower this op in the producer role";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Consumer
//===----------------------------------------------------------------------===//

LogicalResult WarpSpecializedEmitter::emitWait(ChannelWaitOp wait) {
  ChannelBuffer &buffer = bufferOf(wait.getChannel());
  FailureOr<Value> slot = get(wait.getSlot()), phase = get(wait.getPhase());
  if (failed(slot) || failed(phase))
    return failure();
  auto [at, placed] = placeFill(wait.getChannel(), *slot, *phase);
  waitBarrier(barrier(buffer, at, /*empty=*/false), placed);
  slots[wait.getResult()] = slotOffset(buffer, at);
  return success();
}

LogicalResult WarpSpecializedEmitter::emitRelease(ChannelReleaseOp release) {
  ChannelBuffer &buffer = bufferOf(release.getChannel());
  FailureOr<Value> slot = get(release.getSlot());
  if (failed(slot))
    return failure();
  // Every consumer thread arrives: measured faster on an H200 than one
  // elected arrival a warp, whose branch costs more than the arrivals (D=128,
  // S=8192: 523 against 497 TFLOP/s).
  arriveOn(buffer, slotOf(release.getChannel(), *slot), /*empty=*/true);
  return success();
}

FailureOr<int64_t> WarpSpecializedEmitter::registerCount(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (tensor && tensor.getElementType().isF32() && tensor.getRank() == 1)
    return static_cast<int64_t>(scoreLayout.rowOffsets().size());
  if (tensor && tensor.getElementType().isF32() && tensor.getRank() == 2 &&
      (tensor.getDimSize(1) == tileN || tensor.getDimSize(1) == valueHeadDim))
    return tileRegisters(tensor.getDimSize(1));
  return failure();
}

FailureOr<WarpSpecializedEmitter::Tile>
WarpSpecializedEmitter::constantTile(Value, float value, int64_t count) {
  return Tile{SmallVector<Value>(count, f32(value))};
}

FailureOr<AccumulatorLayout> WarpSpecializedEmitter::layoutOf(Value v) {
  auto tensor = cast<RankedTensorType>(v.getType());
  if (tensor.getRank() == 2 && tensor.getDimSize(1) == tileN)
    return scoreLayout;
  if (tensor.getRank() == 2 && tensor.getDimSize(1) == valueHeadDim)
    return outputLayout;
  return errorAt(v.getDefiningOp() ? v.getDefiningOp()
                                   : v.getParentRegion()->getParentOp())
         << "expects a tile of " << tileN << " or " << valueHeadDim
         << " columns";
}

FailureOr<WarpSpecializedEmitter::Tile>
WarpSpecializedEmitter::tileOf(Value v) {
  auto it = tiles.find(v);
  if (it != tiles.end())
    return it->second;
  // Constants (the loop's initial O, sums and maxima) are made where used.
  DenseElementsAttr dense;
  FailureOr<int64_t> count = registerCount(v.getType());
  if (matchPattern(v, m_Constant(&dense)) && dense.isSplat() &&
      succeeded(count))
    return constantTile(v, dense.getSplatValue<APFloat>().convertToFloat(),
                        *count);
  Operation *at = v.getDefiningOp() ? v.getDefiningOp()
                                    : v.getParentRegion()->getParentOp();
  return errorAt(at) << "cannot keep this value in the consumer's registers";
}

Value WarpSpecializedEmitter::scaledOutput(ArrayRef<Value> values,
                                           Value scale) {
  Type type = cast<ShapedType>(output.getType()).getElementType();
  SmallVector<Value, 8> scaled;
  for (Value v : values)
    scaled.push_back(arith::TruncFOp::create(
        b, loc, type, arith::MulFOp::create(b, loc, v, scale)));
  return vector::FromElementsOp::create(
      b, loc, VectorType::get({int64_t(values.size())}, type), scaled);
}

Value WarpSpecializedEmitter::scaledOutputPair(Value first, Value second,
                                               Value scale) {
  return scaledOutput({first, second}, scale);
}

void WarpSpecializedEmitter::storeOutputPair(Value pair, Value row, Value col) {
  vector::StoreOp::create(b, loc, pair, output,
                          ValueRange{batch, head, row, col}, false,
                          llvm::Align(4));
}

std::pair<SmallVector<Value>, SmallVector<Value>> &
WarpSpecializedEmitter::rowSums(Value sum, ArrayRef<Value> partial) {
  auto it = sums.find(sum);
  if (it != sums.end())
    return it->second;
  auto &entry = sums[sum];
  finishRowSums(*this, scoreLayout, partial, entry.first, entry.second);
  return entry;
}

/// Whether `factor` rescales from one lazy row max to the next
/// (attn.row_exp of the old max against an attn.row_max with a threshold):
/// then it is exactly 1 wherever the max stayed.
static bool isLazyFactor(Value factor) {
  auto exp = factor.getDefiningOp<RowExpOp>();
  auto max = exp ? exp.getMax().getDefiningOp<RowMaxOp>() : RowMaxOp();
  return max && max.getThresholdAttr() && exp.getInput() == max.getInit();
}

LogicalResult WarpSpecializedEmitter::emitSection(OrderedOp section) {
  ArrayRef<int32_t> ids = section.getBarriers();
  int64_t groups = ids.size();
  // Warpgroup g takes its turn on ids[g] and hands it to the next one.
  auto idOf = [&](Value group) {
    Value id = i32(ids[0]);
    for (int64_t g = 1; g < groups; ++g) {
      Value isGroup = cmp(arith::CmpIPredicate::eq, group, index(g));
      Value other = i32(ids[g]);
      id = select(isGroup, other, id);
    }
    return id;
  };
  Value threads = i32(kTurnThreads);
  NVVM::BarrierOp::create(b, loc, TypeRange{}, idOf(consumer), threads,
                          NVVM::BarrierReductionAttr(), Value());
  Block &body = section.getBody().front();
  if (failed(emitConsumerBlock(body)))
    return failure();
  for (auto [result, product] :
       llvm::zip(section.getResults(), body.getTerminator()->getOperands()))
    issued[result] = issued.lookup(product);
  Value after = add(consumer, index(1));
  Value next = arith::RemUIOp::create(b, loc, after, index(groups));
  NVVM::BarrierArriveOp::create(b, loc, idOf(next), threads);
  return success();
}

void WarpSpecializedEmitter::unflatten(ValueRange values, ValueRange flat,
                                       ArrayRef<size_t> counts,
                                       ArrayRef<Tile> kinds) {
  size_t at = 0;
  for (auto [i, value] : llvm::enumerate(values)) {
    tiles[value] = {SmallVector<Value>(flat.slice(at, counts[i])),
                    kinds[i].packed, kinds[i].inTensorMemory};
    at += counts[i];
  }
}

LogicalResult WarpSpecializedEmitter::emitLoop(scf::ForOp loop) {
  FailureOr<Value> lo = get(loop.getLowerBound()),
                   hi = get(loop.getUpperBound()), step = get(loop.getStep());
  if (failed(lo) || failed(hi) || failed(step))
    return failure();
  // The carried tiles, flattened; P, read only as P V's operand, is carried
  // packed (half the registers of its f32 form); a tile in tensor memory
  // carries no registers.
  SmallVector<Tile> kinds;
  SmallVector<Value> init;
  SmallVector<size_t> counts;
  for (auto [arg, value] :
       llvm::zip(loop.getRegionIterArgs(), loop.getInitArgs())) {
    FailureOr<Tile> tile = tileOf(value);
    if (failed(tile))
      return failure();
    bool pack =
        !arg.use_empty() && llvm::all_of(arg.getUses(), [](OpOperand &use) {
          auto pv = dyn_cast<PVMatmulOp>(use.getOwner());
          return pv && use.get() == pv.getProbs();
        });
    Tile t = pack ? packed(*tile) : *tile;
    if (t.packed && !pack)
      return errorAt(loop) << "cannot carry P in the K/V loop for other uses "
                              "than P V";
    kinds.push_back({{}, pack, t.inTensorMemory});
    counts.push_back(t.regs.size());
    llvm::append_range(init, t.regs);
  }
  // The chip's own state follows the tiles.
  size_t stateAt = init.size();
  llvm::append_range(init, loopState);
  auto kernelLoop = scf::ForOp::create(b, loc, *lo, *hi, *step, init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kernelLoop.getBody());
    values.map(loop.getInductionVar(), kernelLoop.getInductionVar());
    loopState.assign(kernelLoop.getRegionIterArgs().begin() + stateAt,
                     kernelLoop.getRegionIterArgs().end());
    unflatten(loop.getRegionIterArgs(), kernelLoop.getRegionIterArgs(), counts,
              kinds);
    if (failed(emitConsumerBlock(*loop.getBody())))
      return failure();
    SmallVector<Value> next;
    for (auto [i, value] : llvm::enumerate(loop.getYieldedValues())) {
      FailureOr<Tile> tile = tileOf(value);
      if (failed(tile))
        return failure();
      Tile t = kinds[i].packed ? packed(*tile) : *tile;
      if (t.inTensorMemory != kinds[i].inTensorMemory)
        return errorAt(loop) << "expects each carried tile to stay where it "
                                "starts (registers or tensor memory)";
      llvm::append_range(next, t.regs);
    }
    llvm::append_range(next, loopState);
    scf::YieldOp::create(b, loc, next);
  }
  unflatten(loop.getResults(), kernelLoop.getResults(), counts, kinds);
  loopState.assign(kernelLoop.getResults().begin() + stateAt,
                   kernelLoop.getResults().end());
  return success();
}

LogicalResult WarpSpecializedEmitter::emitGuard(scf::IfOp guard) {
  FailureOr<Value> condition = get(guard.getCondition());
  if (failed(condition))
    return failure();
  SmallVector<Type> types;
  SmallVector<size_t> counts;
  for (Type type : guard.getResultTypes()) {
    FailureOr<int64_t> count = registerCount(type);
    if (failed(count))
      return errorAt(guard) << "expects the branches to yield tiles";
    counts.push_back(*count);
    types.append(*count, b.getF32Type());
  }
  auto kernelIf = scf::IfOp::create(b, loc, types, *condition,
                                    /*withElseRegion=*/true);
  SmallVector<Value> state = loopState;
  for (auto [from, to] : {std::pair(guard.thenBlock(), kernelIf.thenBlock()),
                          std::pair(guard.elseBlock(), kernelIf.elseBlock())}) {
    OpBuilder::InsertionGuard inBranch(b);
    b.setInsertionPointToStart(to);
    if (failed(emitConsumerBlock(*from)))
      return failure();
    if (loopState != state)
      return errorAt(guard) << "cannot complete a matrix product in a branch";
    SmallVector<Value> yielded;
    for (Value value : from->getTerminator()->getOperands()) {
      FailureOr<Tile> tile = tileOf(value);
      if (failed(tile) || tile->packed || tile->inTensorMemory)
        return errorAt(guard)
               << "expects the branches to yield f32 tiles in registers";
      llvm::append_range(yielded, tile->regs);
    }
    scf::YieldOp::create(b, loc, yielded);
  }
  unflatten(guard.getResults(), kernelIf.getResults(), counts,
            SmallVector<Tile>(counts.size()));
  return success();
}

LogicalResult WarpSpecializedEmitter::emitConsumerBlock(Block &block) {
  for (Operation &op : block) {
    if (failed(emitConsumerOp(op)))
      return failure();
    if (&op == lastChannelUse && failed(consumeUnusedFills()))
      return failure();
  }
  return success();
}

LogicalResult WarpSpecializedEmitter::emitConsumerOp(Operation &op) {
  // Index arithmetic is recomputed where an op needs it; terminators are
  // read by the op that owns them.
  if (isa<scf::YieldOp, RoleYieldOp, OrderedYieldOp>(op) ||
      (isa<arith::ArithDialect>(op.getDialect()) &&
       llvm::all_of(op.getResultTypes(),
                    [](Type t) { return t.isIntOrIndex(); })) ||
      matchPattern(&op, m_Constant()))
    return success();
  // The registers of the op's f32 tile operands, in order.
  SmallVector<Tile> in;
  if (isa<MaskScoresOp, RowMaxOp, RowExpOp, RowScaleOp, RowSumOp, PVMatmulOp,
          NormalizeOp, LseOp>(op)) {
    for (Value v : op.getOperands()) {
      auto tensor = dyn_cast<RankedTensorType>(v.getType());
      if (!tensor || !tensor.getElementType().isF32())
        continue;
      FailureOr<Tile> tile = tileOf(v);
      if (failed(tile))
        return failure();
      in.push_back(*tile);
    }
  }
  // The result of a tile op that computes one.
  auto result = [&](Tile tile) {
    tiles[op.getResult(0)] = std::move(tile);
    return success();
  };
  auto isRows = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getRank() == 1;
  };
  return TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](ChannelWaitOp wait) { return emitWait(wait); })
      .Case([&](ChannelReleaseOp release) { return emitRelease(release); })
      .Case([&](scf::ForOp loop) { return emitLoop(loop); })
      .Case([&](scf::IfOp guard) { return emitGuard(guard); })
      .Case([&](OrderedOp section) { return emitSection(section); })
      .Case([&](QKMatmulOp qk) { return emitScores(qk); })
      .Case([&](PVMatmulOp pv) { return emitOutputProduct(pv, in[0], in[1]); })
      .Case([&](MatmulWaitOp wait) { return emitMatmulWait(wait); })
      .Case([&](MaskScoresOp mask) -> LogicalResult {
        FailureOr<Value> col = get(mask.getCol());
        if (failed(col))
          return failure();
        // The scale is folded into the row max and the exponentials.
        applySoftcapAndMask(*this, plan, scoreLayout, frame, *col, in[0].regs);
        return result(in[0]);
      })
      .Case([&](RowMaxOp max) {
        std::optional<float> threshold;
        if (FloatAttr t = max.getThresholdAttr())
          threshold = t.getValueAsDouble();
        return result({emitRowMax(*this, plan, scoreLayout, in[0].regs,
                                  in[1].regs, threshold)});
      })
      .Case([&](RowExpOp exp) {
        if (isRows(exp.getInput()))
          in[0].regs = emitRescaleFactors(*this, in[0].regs, in[1].regs);
        else
          emitScoreExponentials(*this, plan, scoreLayout, in[0].regs,
                                in[1].regs);
        return result(in[0]);
      })
      .Case([&](RowScaleOp scale) -> LogicalResult {
        if (isRows(scale.getInput())) {
          emitRowScale(*this, in[0].regs, in[1].regs);
          return result(in[0]);
        }
        FailureOr<AccumulatorLayout> layout = layoutOf(scale.getInput());
        if (failed(layout))
          return failure();
        scaleOutput(*layout, in[0], in[1].regs,
                    isLazyFactor(scale.getFactor()));
        return result(in[0]);
      })
      .Case([&](RowSumOp) {
        emitRowSum(*this, scoreLayout, in[0].regs, in[1].regs);
        return result(in[1]);
      })
      .Case([&](NormalizeOp normalize) {
        storeOutput(in[0], rowSums(normalize.getSum(), in[1].regs).second);
        return success();
      })
      .Case([&](LseOp lseOp) {
        storeLse(*this, scoreLayout, frame, in[0].regs,
                 rowSums(lseOp.getSum(), in[1].regs).first, lse,
                 ValueRange{batch, head});
        return success();
      })
      .Default([&](Operation *other) {
        return errorAt(other) << "cannot lower this op in the consumer role";
      });
}

//===----------------------------------------------------------------------===//
// The kernel
//===----------------------------------------------------------------------===//

FailureOr<int64_t> WarpSpecializedEmitter::emit() {
  ScheduleAttr schedule = plan.schedule;
  headDim = plan.headDim;
  valueHeadDim = plan.valueHeadDim;
  tileM = plan.tileM;
  tileN = plan.tileN;
  elementType = plan.elementType;
  const TargetInfo *target = lookupTarget(chip);

  if (!plan.roles)
    return fail("needs the warp-specialised form; run -attn-warp-specialize");
  if (!elementType.isBF16() && !elementType.isF16())
    return fail("needs bf16 or f16 inputs");
  if (plan.kvChunk > 0)
    return fail("does not take split-KV (kv_chunk) yet");
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Type outputElementType =
      cast<ShapedType>(plan.grid->getResult(0).getType()).getElementType();
  std::string problem = target->kernelShapeProblem(
      {headDim, valueHeadDim, elementBytes, tileM, tileN, schedule.getStages(),
       schedule.getWarps(), elementType, outputElementType});
  if (!problem.empty())
    return fail(problem);
  WarpSpecializeOp roles = plan.roles;
  int64_t consumers = tileM / consumerRows();
  if (roles.getNumRegions() != 2 || roles.getRole(0).getWarps() != 4 ||
      roles.getRole(1).getWarps() != 4 * consumers)
    return fail(Twine("needs two roles: a producer of 4 warps, then a "
                      "consumer of ") +
                Twine(4 * consumers) + " warps (one warpgroup per " +
                Twine(consumerRows()) + " rows)");
  int64_t querySlots = AllocChannelOp(plan.queryChannel).getType().getStages();
  if (querySlots > kMaxQuerySlots ||
      (querySlots > 1 && !plan.schedule.getPersistent()))
    return fail(Twine("needs one query slot, or up to ") +
                Twine(kMaxQuerySlots) + " with persistent CTAs; found " +
                Twine(querySlots));

  SharedLayout layout = layOutSharedMemory(plan, extraBarriers());
  firstExtraBarrier = layout.barriers - extraBarriers();
  for (auto [channel, buffer] : llvm::zip(channels(), layout.channels))
    buffers[channel] = buffer;
  int64_t totalBytes = layout.bytes();
  if (totalBytes > target->maxSharedMemoryPerBlock)
    return fail(Twine("needs ") + Twine(totalBytes) +
                " bytes of shared memory, more than the " +
                Twine(target->maxSharedMemoryPerBlock) + " " + chip + " has");

  // The roles' budgets decide how many CTAs share an SM.
  SmallVector<WarpRoleAttr> roleList;
  for (unsigned i = 0; i < roles.getNumRegions(); ++i)
    roleList.push_back(roles.getRole(i));
  WarpRoleTotals totals = sumWarpRoles(roleList);
  int64_t threads = totals.warps * attn::kWarpSize;
  int64_t atEntry = sm90::entryRegisters(1, threads);
  if (totals.registers > atEntry * threads)
    return fail(Twine("needs its roles' registers (") +
                Twine(totals.registers) + " in all) within what the CTA " +
                "starts with (" + Twine(atEntry) + " x " + Twine(threads) +
                " threads): setmaxnreg.inc would wait forever");
  if (failed(checkKernel()))
    return failure();

  MLIRContext *ctx = b.getContext();
  // setmaxnreg needs the register count at entry fixed: as many CTAs an SM
  // as the roles' budgets allow (what a persistent launch counts on too).
  kernel->setAttr("nvvm.minctasm", b.getI32IntegerAttr(residentCtas(plan)));
  Block &entry = kernel.getBody().front();
  b.setInsertionPoint(entry.getTerminator());
  Attribute space = getSharedMemorySpace(ctx);
  // The tensor maps arrive as pointers to the by-value parameter.
  auto tensorMap = [&](StringRef name, int64_t rows) -> Value {
    auto box = MemRefType::get(boxShape(rows), elementType,
                               MemRefLayoutAttrInterface{}, space);
    auto mapType = nvgpu::TensorMapDescriptorType::get(
        ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
        nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
        nvgpu::TensorMapOOBKind::OOB_ZERO,
        nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
    return UnrealizedConversionCastOp::create(
               b, loc, mapType, args.get(name, KernelParamKind::tensor_map))
        .getResult(0);
  };
  static const StringRef names[] = {"query", "key", "value"};
  for (auto [channel, name] : llvm::zip(channels(), names)) {
    ChannelBuffer &buffer = buffers[channel];
    buffer.map = tensorMap(name, buffer.rows);
  }
  outputStaging = layout.outputStaging;
  outputOffset = layout.outputOffset;
  outputBoxRows = layout.outputBoxRows;
  if (outputStaging != OutputStaging::none)
    outputMap = tensorMap("output", outputBoxRows);
  Value query = args.memref("query"), key = args.memref("key");
  output = args.memref("output");
  if (plan.hasLse)
    lse = args.memref("lse");
  seqQ = memref::DimOp::create(b, loc, query, 2);
  seqKv = memref::DimOp::create(b, loc, key, 2);
  if (drawsTiles(plan)) {
    tileCounter = args.memref("tile_counter");
    tileWordOffset = layout.tileWordOffset();
  }
  if (schedule.getPersistent()) {
    tileCount = index(1);
    for (OpFoldResult extent : scf::ForallOp(plan.grid).getMixedUpperBound()) {
      FailureOr<Value> v = values.get(b, extent);
      if (failed(v))
        return failure();
      gridExtents.push_back(*v);
      tileCount = mul(tileCount, *v);
    }
  }

  // One thread initialises the barriers: full ones complete on the
  // producer's arrival plus the bytes it expects, empty ones on the release
  // of every consumer thread.
  barriers = nvgpu::MBarrierCreateOp::create(
      b, loc, nvgpu::MBarrierGroupType::get(ctx, space, layout.barriers));
  tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value first = cmp(arith::CmpIPredicate::eq, tid, index(0));
  int64_t consumerThreads = roles.getRole(1).getWarps() * attn::kWarpSize;
  for (AllocChannelOp channel : channels()) {
    const ChannelBuffer &buffer = buffers[channel];
    for (int64_t slot = 0; slot < buffer.stages; ++slot) {
      nvgpu::MBarrierInitOp::create(b, loc, barriers, index(1),
                                    index(buffer.firstBarrier + slot), first);
      nvgpu::MBarrierInitOp::create(
          b, loc, barriers, index(consumerThreads),
          index(buffer.firstBarrier + buffer.stages + slot), first);
    }
  }
  emitPrologue();
  // The initialised barriers are seen by TMA's completions too.
  NVVM::FenceMbarrierInitOp::create(b, loc);
  gpu::BarrierOp::create(b, loc);

  Value warpgroup = arith::DivUIOp::create(b, loc, tid, index(kWarpgroupSize));
  auto split = scf::IfOp::create(
      b, loc, cmp(arith::CmpIPredicate::eq, warpgroup, index(0)),
      /*withElseRegion=*/true);
  {
    // Producer: the warpgroup gives registers back; one elected thread of
    // its first warp issues every copy.
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(split.thenBlock());
    NVVM::SetMaxRegisterOp::create(b, loc, roles.getRole(0).getRegisters(),
                                   NVVM::SetMaxRegisterAction::decrease);
    auto firstWarp = scf::IfOp::create(
        b, loc, cmp(arith::CmpIPredicate::ult, tid, index(attn::kWarpSize)),
        false);
    b.setInsertionPointToStart(firstWarp.thenBlock());
    Value elected = NVVM::ElectSyncOp::create(b, loc, b.getI1Type(), Value());
    auto leader = scf::IfOp::create(b, loc, elected, false);
    b.setInsertionPointToStart(leader.thenBlock());
    for (AllocChannelOp channel : channels())
      nvgpu::TmaPrefetchOp::create(b, loc, buffers[channel].map, Value());
    if (outputMap)
      nvgpu::TmaPrefetchOp::create(b, loc, outputMap, Value());
    if (failed(forEachTile(/*consumer=*/false, [&]() -> LogicalResult {
          return emitProducer(roles.getBodies().front().front());
        })))
      return failure();
  }
  {
    // Consumers: warpgroup 1 + i computes query rows [r i, r i + r), r the
    // chip's consumerRows().
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(split.elseBlock());
    NVVM::SetMaxRegisterOp::create(b, loc, roles.getRole(1).getRegisters(),
                                   NVVM::SetMaxRegisterAction::increase);
    groupThread = arith::RemUIOp::create(b, loc, tid, index(kWarpgroupSize));
    consumer = arith::SubIOp::create(b, loc, warpgroup, index(1));
    scoreLayout = accumulatorLayout(tileN);
    outputLayout = accumulatorLayout(valueHeadDim);
    frame = {Value(),
             mul(consumer, index(consumerRows())),
             scoreLayout.thread.row.emit(b, loc, groupThread, kWarpgroupSize),
             scoreLayout.thread.col.emit(b, loc, groupThread, kWarpgroupSize),
             seqQ,
             seqKv};
    Value smem = sharedBytes();
    smemBase = arith::IndexCastUIOp::create(
        b, loc, b.getI64Type(),
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, smem));
    emitConsumerPrologue();
    Region &consumerRegion = roles.getBodies().back();
    OrderedOp firstSection;
    consumerRegion.walk([&](OrderedOp section) {
      if (!firstSection)
        firstSection = section;
    });
    if (firstSection) {
      // The turns start with warpgroup 0: the last one hands it the first.
      ArrayRef<int32_t> ids = firstSection.getBarriers();
      auto last = scf::IfOp::create(
          b, loc,
          cmp(arith::CmpIPredicate::eq, consumer, index(ids.size() - 1)),
          false);
      OpBuilder::InsertionGuard inLast(b);
      b.setInsertionPointToStart(last.thenBlock());
      Value first = i32(ids[0]);
      Value threads = i32(kTurnThreads);
      NVVM::BarrierArriveOp::create(b, loc, first, threads);
    }
    if (schedule.getPersistent()) {
      for (Operation &op : consumerRegion.front())
        if (op.walk([](Operation *inner) {
                return isa<ChannelWaitOp, ChannelReleaseOp>(inner)
                           ? WalkResult::interrupt()
                           : WalkResult::advance();
              }).wasInterrupted())
          lastChannelUse = &op;
      if (!lastChannelUse)
        return fail("needs a consumer that waits on its channels");
    }
    LogicalResult built =
        forEachTile(/*consumer=*/true, [&]() -> LogicalResult {
          // The tile's rows, head and batch.
          SmallVector<Value> ivs = scf::ForallOp(plan.grid).getInductionVars();
          FailureOr<Value> row = get(plan.queryRow), headOr = get(ivs[1]),
                           batchOr = get(ivs[2]);
          if (failed(row) || failed(headOr) || failed(batchOr))
            return failure();
          frame.queryRow = *row;
          head = *headOr;
          batch = *batchOr;
          return emitConsumerBlock(consumerRegion.front());
        });
    if (failed(built))
      return failure();
    // Shared memory must outlive the last TMA store's reads of O.
    if (outputStaging != OutputStaging::none)
      NVVM::CpAsyncBulkWaitGroupOp::create(b, loc, 0, b.getUnitAttr());
    emitConsumerEpilogue();
  }
  return layout.dynamicBytes();
}
