//===- FlashAttention4.cpp - the sm_100a kernel on tcgen05 ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Emits the Blackwell kernel from the warp-specialised form, on the roles,
// channels and tile loops of WarpSpecializedKernel.h (the producer
// warpgroup's TMA copies are the sm_90a kernel's):
//   - tensor memory: one warp allocates, for each consumer warpgroup, tile_n
//     columns of S and Dv columns of O (Target/SM100/TmemLayout.h), gives up
//     the allocation permit and frees them at the end;
//   - each consumer warpgroup computes 128 query rows: one elected thread
//     issues S = Q K^T as tcgen05.mma from shared-memory descriptors (Q and
//     K K-major) into S's columns and commits it to the warpgroup's
//     mbarrier; the warpgroup waits on it and loads S with tcgen05.ld
//     (thread t holds row t, so row reductions need no shuffles);
//   - the online softmax on those registers (OnlineSoftmax.h); P goes back
//     over S with tcgen05.st, and after every thread's store (wait, fence,
//     the warpgroup's named barrier) the elected thread issues O += P V with
//     A = P from tensor memory and B = V's descriptor (MN-major), committed
//     and waited for the same way. Every product is complete before the next
//     is issued, so S, P and O are never read and written at once;
//   - O never leaves tensor memory until the end: it is zeroed before the
//     K/V loop, rescaled in place (load, scale, store; with the lazy row
//     max, only by warps where a row's max moved) and finally loaded,
//     normalised and written to global memory.
// Each consumer has two mbarriers, one that S's MMAs complete and one that
// O's do: each completes once a K/V step, and between two completions of
// one every thread has passed the warpgroup's named barrier, so none can
// be a whole phase behind (one barrier for both could complete twice while
// a slow warp still waits on the first). Their phases flip at each
// completion; the consumer's loops carry them. Nothing here has run on a Blackwell GPU: ptxas checks the PTX, not the
// descriptors' fields, which follow the PTX ISA.
//
//===----------------------------------------------------------------------===//

#include "../WarpSpecializedKernel.h"
#include "SM100.h"

#include "attn/Target/SM100/TmemLayout.h"
#include "attn/Target/SM90/WgmmaLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm100;

namespace {

/// The shared word tcgen05.alloc writes the tensor memory's address to.
constexpr StringLiteral kTmemSlotSymbol = "attn_tmem_slot";
/// Named barriers: consumer c's warpgroup syncs on kFirstNamedBarrier + c
/// before its elected thread reads what all wrote to tensor memory; every
/// consumer thread syncs on kFirstNamedBarrier + consumers before freeing it.
constexpr int64_t kFirstNamedBarrier = 1;

class FlashAttention4Emitter final : public WarpSpecializedEmitter {
public:
  FlashAttention4Emitter(const KernelPlan &plan, const KernelArguments &args,
                         IndexMaterializer &values)
      : WarpSpecializedEmitter(plan, args, values, "sm_100a") {}

private:
  int64_t consumerRows() const override { return kMmaM; }
  AccumulatorLayout accumulatorLayout(int64_t n) const override {
    return sm100::accumulatorLayout(n);
  }
  LogicalResult checkKernel() override;
  int64_t extraBarriers() const override { return 2 * consumers(); }
  void emitPrologue() override;
  void emitConsumerPrologue() override;
  void emitConsumerEpilogue() override;
  int64_t tileRegisters(int64_t cols) const override { return cols; }
  Tile packed(const Tile &p) override;
  FailureOr<Tile> constantTile(Value v, float value, int64_t count) override;
  LogicalResult emitScores(QKMatmulOp qk) override;
  LogicalResult emitOutputProduct(PVMatmulOp pv, const Tile &p,
                                  const Tile &acc) override;
  LogicalResult emitMatmulWait(MatmulWaitOp wait) override;
  void scaleOutput(const AccumulatorLayout &layout, Tile &out,
                   ArrayRef<Value> factors, bool onlyMoved) override;
  void storeOutput(const Tile &out, ArrayRef<Value> inverse) override;
  /// Writes this thread's row of O into the staging buffer, 16 bytes at a
  /// time, and the warp's 32 rows leave by TMA.
  void storeStagedOutput(ArrayRef<Value> inverse);

  int64_t consumers() const { return plan.tileM / kMmaM; }
  /// Columns tcgen05.alloc is asked for.
  int64_t columns() const {
    return allocationColumns(
        attentionColumns(plan.tileN, plan.valueHeadDim, consumers()));
  }
  /// The warp that allocates and frees tensor memory: the first consumer
  /// warp (a consumer thread is the last to use it).
  Value isAllocatingWarp();
  Value tmemSlot();
  /// The tensor-memory address of this warp's lanes at column `column` of
  /// this consumer's S (or, with `output`, O).
  Value tmemAt(int64_t column, bool output);
  /// A shared-memory descriptor of a 128-byte swizzled operand at byte
  /// offset `offset` of the dynamic shared memory.
  Value descriptor(Value offset, int64_t leadingBytes);
  /// Runs `body` in the consumer warpgroup's first thread, the one that
  /// issues its MMAs.
  void inIssuingThread(function_ref<void()> body);
  /// A consumer's two mbarriers: the one S's MMAs complete, and O's.
  enum class Product { scores = 0, output = 1 };
  /// Commits the issuing thread's MMAs to the consumer's mbarrier of
  /// `product`, and waits (every thread) for them to complete.
  void completeMmas(Product product);
  /// Every thread's tcgen05.st done and seen by the issuing thread.
  void syncStores();
  /// Loads `count` f32 columns of this thread's row of S (or O) from
  /// `firstColumn`, 32 at a time.
  SmallVector<Value> load(int64_t firstColumn, int64_t count, bool output);
  /// Stores `words` (32-bit) to consecutive columns of this thread's row of
  /// S (or O) from `firstColumn`.
  void store(ArrayRef<Value> words, int64_t firstColumn, bool output);

  /// The tensor memory's base address, as tcgen05.alloc wrote it, and this
  /// thread's: its warp's lanes (tcgen05.ld and .st reach lanes 32 (w % 4)
  /// from warp w of a warpgroup; lane 0 for the issuing thread, in warp 0)
  /// at this consumer's first column (its S, then its O).
  Value tmemBase, tmemRow;
};

} // namespace

LogicalResult FlashAttention4Emitter::checkKernel() {
  if (plan.schedule.getPersistent())
    return fail("does not take persistent schedules yet");
  if (plan.schedule.getOverlap() || plan.schedule.getPingPong())
    return fail("does not take overlapped or ping-pong consumers yet; its "
                "MMAs complete before their results are used");
  int64_t budget = WarpSpecializeOp(plan.roles).getRole(1).getRegisters();
  if (tileN + sm90::kConsumerHeadroom > budget)
    return fail(Twine("needs ") + Twine(tileN + sm90::kConsumerHeadroom) +
                " registers a consumer thread (S, and " +
                Twine(sm90::kConsumerHeadroom) +
                " more), the consumer role has " + Twine(budget));
  return success();
}

Value FlashAttention4Emitter::isAllocatingWarp() {
  return cmp(arith::CmpIPredicate::eq,
             arith::DivUIOp::create(b, loc, tid, index(attn::kWarpSize)),
             index(kWarpgroupSize / attn::kWarpSize));
}

Value FlashAttention4Emitter::tmemSlot() {
  auto module = kernel->getParentOfType<gpu::GPUModuleOp>();
  auto type = MemRefType::get({1}, b.getI32Type(), MemRefLayoutAttrInterface{},
                              getSharedMemorySpace(b.getContext()));
  if (!module.lookupSymbol(kTmemSlotSymbol)) {
    OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
    memref::GlobalOp::create(top, loc, kTmemSlotSymbol,
                             top.getStringAttr("private"), type, Attribute(),
                             /*constant=*/false, top.getI64IntegerAttr(16));
  }
  return memref::GetGlobalOp::create(b, loc, type, kTmemSlotSymbol);
}

void FlashAttention4Emitter::emitPrologue() {
  // The consumers' mbarriers (S's, then O's, of each) complete on one
  // tcgen05.commit each.
  Value first = cmp(arith::CmpIPredicate::eq, tid, index(0));
  for (int64_t i = 0; i < extraBarriers(); ++i)
    nvgpu::MBarrierInitOp::create(b, loc, barriers, index(1),
                                  index(firstExtraBarrier + i), first);
  auto allocating = scf::IfOp::create(b, loc, isAllocatingWarp(), false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(allocating.thenBlock());
    Value slot =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, tmemSlot());
    Value pointer = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext(), 3),
        Value(arith::IndexCastUIOp::create(b, loc, b.getI64Type(), slot)));
    NVVM::Tcgen05AllocOp::create(b, loc, pointer, i32(columns()));
    NVVM::Tcgen05RelinquishAllocPermitOp::create(b, loc);
  }
  // The address is published by the CTA's barrier that follows.
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
}

void FlashAttention4Emitter::emitConsumerPrologue() {
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  tmemBase = memref::LoadOp::create(b, loc, tmemSlot(), ValueRange{index(0)});
  Value warp =
      arith::DivUIOp::create(b, loc, groupThread, index(attn::kWarpSize));
  Value lane = mul(warp, index(attn::kWarpSize));
  Value consumerColumn =
      mul(consumer, index(attentionColumns(tileN, valueHeadDim, 1)));
  tmemRow = arith::AddIOp::create(
      b, loc, tmemBase,
      arith::IndexCastUIOp::create(
          b, loc, b.getI32Type(),
          add(arith::ShLIOp::create(b, loc, lane, index(kTmemLaneShift)),
              consumerColumn)));
  // The phases of S's and O's mbarriers: none of their completions seen.
  Value none = arith::ConstantIntOp::create(b, loc, 0, 1);
  loopState = {none, none};
}

void FlashAttention4Emitter::emitConsumerEpilogue() {
  // Every consumer's last tcgen05.ld is done before the memory is freed.
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
  NVVM::BarrierOp::create(
      b, loc, TypeRange{}, i32(kFirstNamedBarrier + consumers()),
      i32(consumers() * kWarpgroupSize), NVVM::BarrierReductionAttr(), Value());
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  auto allocating = scf::IfOp::create(b, loc, isAllocatingWarp(), false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(allocating.thenBlock());
  Value base = LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext(), 6), tmemBase);
  NVVM::Tcgen05DeallocOp::create(b, loc, base, i32(columns()));
}

Value FlashAttention4Emitter::tmemAt(int64_t column, bool output) {
  Value address = arith::AddIOp::create(b, loc, tmemRow,
                                        i32(column + (output ? tileN : 0)));
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext(), 6), address);
}

Value FlashAttention4Emitter::descriptor(Value offset, int64_t leadingBytes) {
  Type i32Type = b.getI32Type();
  Value address = arith::AddIOp::create(
      b, loc, smemBase,
      arith::IndexCastUIOp::create(b, loc, b.getI64Type(), offset));
  Value start = arith::TruncIOp::create(
      b, loc, i32Type, arith::ShRUIOp::create(b, loc, address, i64(4)));
  auto i8 = [&](int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI8Type(), v);
  };
  // Swizzle mode 2: 128 bytes (PTX ISA, tcgen05 shared memory descriptor);
  // the byte offsets in 16-byte units.
  return NVVM::Tcgen05MmaSmemDescOp::create(
      b, loc, b.getI64Type(), start, i32(leadingBytes >> 4),
      i32(kAtomBytes >> 4), i8(0), arith::ConstantIntOp::create(b, loc, 0, 1),
      i8(2));
}

void FlashAttention4Emitter::inIssuingThread(function_ref<void()> body) {
  auto issuing = scf::IfOp::create(
      b, loc, cmp(arith::CmpIPredicate::eq, groupThread, index(0)), false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(issuing.thenBlock());
  body();
}

void FlashAttention4Emitter::completeMmas(Product product) {
  int64_t which = static_cast<int64_t>(product);
  Value index = add(mul(consumer, this->index(2)),
                    this->index(firstExtraBarrier + which));
  inIssuingThread([&] {
    Value address =
        nvgpu::MBarrierGetOp::create(b, loc, b.getI32Type(), barriers, index);
    Value pointer = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext(), 3), address);
    NVVM::Tcgen05CommitOp::create(b, loc, pointer, Value());
  });
  waitBarrier(index, loopState[which]);
  loopState[which] = arith::XOrIOp::create(
      b, loc, loopState[which], arith::ConstantIntOp::create(b, loc, 1, 1));
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
}

void FlashAttention4Emitter::syncStores() {
  NVVM::Tcgen05WaitOp::create(b, loc, NVVM::Tcgen05WaitKind::STORE);
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
  NVVM::BarrierOp::create(
      b, loc, TypeRange{},
      arith::IndexCastUIOp::create(b, loc, b.getI32Type(),
                                   add(consumer, index(kFirstNamedBarrier))),
      i32(kWarpgroupSize), NVVM::BarrierReductionAttr(), Value());
  NVVM::Tcgen05FenceOp::create(b, loc,
                               NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
}

SmallVector<Value> FlashAttention4Emitter::load(int64_t firstColumn,
                                                int64_t count, bool output) {
  auto shape = NVVM::Tcgen05LdStShape::SHAPE_32X32B;
  auto words = VectorType::get({kLoadColumns}, b.getI32Type());
  auto floats = VectorType::get({kLoadColumns}, b.getF32Type());
  SmallVector<Value> chunks;
  for (int64_t col = 0; col < count; col += kLoadColumns)
    chunks.push_back(
        NVVM::Tcgen05LdOp::create(b, loc, words, /*pack=*/false, shape,
                                  tmemAt(firstColumn + col, output), Value()));
  NVVM::Tcgen05WaitOp::create(b, loc, NVVM::Tcgen05WaitKind::LOAD);
  SmallVector<Value> out;
  for (Value chunk : chunks) {
    Value f = vector::BitCastOp::create(b, loc, floats, chunk);
    for (int64_t i = 0; i < kLoadColumns; ++i)
      out.push_back(vector::ExtractOp::create(b, loc, f, i));
  }
  return out;
}

void FlashAttention4Emitter::store(ArrayRef<Value> words, int64_t firstColumn,
                                   bool output) {
  auto type = VectorType::get({kLoadColumns}, b.getI32Type());
  for (int64_t col = 0; col < static_cast<int64_t>(words.size());
       col += kLoadColumns) {
    Value chunk = vector::FromElementsOp::create(
        b, loc, type, words.slice(col, kLoadColumns));
    NVVM::Tcgen05StOp::create(
        b, loc, /*unpack=*/false, NVVM::Tcgen05LdStShape::SHAPE_32X32B,
        tmemAt(firstColumn + col, output), chunk, Value());
  }
}

FlashAttention4Emitter::Tile FlashAttention4Emitter::packed(const Tile &p) {
  if (p.packed)
    return p;
  // P in tensor memory as the A operand: column c holds elements 2c and
  // 2c + 1 of the thread's row.
  Tile out{{}, true};
  for (size_t i = 0; i + 1 < p.regs.size(); i += 2)
    out.regs.push_back(packPair(p.regs[i], p.regs[i + 1], elementType));
  return out;
}

FailureOr<FlashAttention4Emitter::Tile>
FlashAttention4Emitter::constantTile(Value v, float value, int64_t count) {
  auto tensor = cast<RankedTensorType>(v.getType());
  if (tensor.getRank() != 2)
    return WarpSpecializedEmitter::constantTile(v, value, count);
  // O starts as zeros in tensor memory (the only 2-D constant the
  // consumer holds: S comes from Q K^T).
  if (value != 0.0f || tensor.getDimSize(1) != valueHeadDim)
    return errorAt(v.getDefiningOp()) << "expects the initial O to be zeros of "
                                      << valueHeadDim << " columns";
  Value zero = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 0);
  store(SmallVector<Value>(valueHeadDim, zero), 0, /*output=*/true);
  return Tile{{}, false, true};
}

LogicalResult FlashAttention4Emitter::emitScores(QKMatmulOp qk) {
  Value query = slots.lookup(qk.getQuery()), key = slots.lookup(qk.getKey());
  auto format = elementType.isBF16() ? InputFormat::bf16 : InputFormat::f16;
  uint32_t idesc = encodeInstructionDescriptor(format, format, kMmaM, tileN,
                                               /*transposeA=*/false,
                                               /*transposeB=*/false);
  inIssuingThread([&] {
    // After the channels' waits: the tiles TMA brought are seen by the MMA.
    NVVM::Tcgen05FenceOp::create(b, loc,
                                 NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
    // The warpgroup's 128 rows of Q start 128 c rows into each block.
    Value queryRows = add(query, mul(frame.groupRow, index(kSpanBytes)));
    Value d = tmemAt(0, /*output=*/false);
    for (int64_t kk = 0; kk < headDim / kMmaK; ++kk) {
      Value a = descriptor(add(queryRows, index(kMajorStepBytes(tileM, kk))),
                           kSpanBytes);
      Value bDesc =
          descriptor(add(key, index(kMajorStepBytes(tileN, kk))), kSpanBytes);
      NVVM::Tcgen05MMAOp::create(
          b, loc, NVVM::Tcgen05MMAKind::F16, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMACollectorOp::DISCARD, /*aShift=*/false, d, a, bDesc,
          i32(idesc), arith::ConstantIntOp::create(b, loc, kk > 0, 1), Value(),
          Value());
    }
  });
  completeMmas(Product::scores);
  tiles[qk.getResult()] = {load(0, tileN, /*output=*/false)};
  return success();
}

LogicalResult FlashAttention4Emitter::emitOutputProduct(PVMatmulOp pv,
                                                        const Tile &p,
                                                        const Tile &acc) {
  if (!acc.inTensorMemory)
    return errorAt(pv) << "expects O in tensor memory";
  // P over S's columns, then O += P V once every thread's P is there.
  store(packed(p).regs, 0, /*output=*/false);
  syncStores();
  Value value = slots.lookup(pv.getValue());
  auto format = elementType.isBF16() ? InputFormat::bf16 : InputFormat::f16;
  uint32_t idesc =
      encodeInstructionDescriptor(format, format, kMmaM, valueHeadDim,
                                  /*transposeA=*/false,
                                  /*transposeB=*/true);
  inIssuingThread([&] {
    Value d = tmemAt(0, /*output=*/true);
    for (int64_t kk = 0; kk < tileN / kMmaK; ++kk) {
      // A k16 step is 8 columns of packed P and 16 rows of V; V's 64-column
      // blocks lie tile_n rows apart (the leading byte offset).
      Value a = tmemAt(kk * kMmaK / 2, /*output=*/false);
      Value bDesc = descriptor(add(value, index(kk * kMmaK * kSpanBytes)),
                               tileN * kSpanBytes);
      NVVM::Tcgen05MMAOp::create(
          b, loc, NVVM::Tcgen05MMAKind::F16, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMACollectorOp::DISCARD, /*aShift=*/false, d, a, bDesc,
          i32(idesc), arith::ConstantIntOp::create(b, loc, 1, 1), Value(),
          Value());
    }
  });
  completeMmas(Product::output);
  tiles[pv.getResult()] = Tile{{}, false, true};
  return success();
}

LogicalResult FlashAttention4Emitter::emitMatmulWait(MatmulWaitOp wait) {
  return errorAt(wait) << "completes every product where it is issued; "
                          "expects no attn.matmul_wait";
}

void FlashAttention4Emitter::scaleOutput(const AccumulatorLayout &, Tile &out,
                                         ArrayRef<Value> factors,
                                         bool onlyMoved) {
  Value factor = factors[0];
  // 32 columns at a time: the registers of P stay live meanwhile.
  auto rescale = [&] {
    for (int64_t col = 0; col < valueHeadDim; col += kLoadColumns) {
      SmallVector<Value> words;
      for (Value v : load(col, kLoadColumns, /*output=*/true))
        words.push_back(arith::BitcastOp::create(
            b, loc, b.getI32Type(), arith::MulFOp::create(b, loc, v, factor)));
      store(words, col, /*output=*/true);
    }
  };
  if (!onlyMoved) {
    rescale();
    return;
  }
  // tcgen05.ld and .st are warp-wide: a warp rescales when any of its rows'
  // max moved (the others' factors are exactly 1).
  Value moved = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, factor,
                                      f32(1.0f));
  Value anyMoved = NVVM::VoteSyncOp::create(b, loc, b.getI1Type(), i32(-1),
                                            moved, NVVM::VoteSyncKind::any);
  auto branch = scf::IfOp::create(b, loc, anyMoved, false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(branch.thenBlock());
  rescale();
}

void FlashAttention4Emitter::storeStagedOutput(ArrayRef<Value> inverse) {
  // Thread t holds row t of the warpgroup's rows: one swizzle phase for the
  // row's 16-byte chunks, which a warp's 32 rows spread over the banks
  // four times, the fewest 512 bytes take.
  StagingThread at = stagingThread();
  Value first = stagedFirst(
      add(frame.groupRow,
          outputLayout.thread.row.emit(b, loc, at.thread, kWarpgroupSize)),
      index(0));
  Value staging = beginStagedOutput();
  constexpr int64_t chunk = 8;
  for (int64_t firstColumn = 0; firstColumn < valueHeadDim;
       firstColumn += kLoadColumns) {
    SmallVector<Value> o = load(firstColumn, kLoadColumns, /*output=*/true);
    for (int64_t col = 0; col < kLoadColumns; col += chunk)
      vector::StoreOp::create(
          b, loc,
          scaledOutput(ArrayRef<Value>(o).slice(col, chunk), inverse[0]),
          staging,
          ValueRange{stagedElement(first, (firstColumn + col) / chunk, 0)},
          false, llvm::Align(16));
  }
  finishStagedOutput(at);
}

void FlashAttention4Emitter::storeOutput(const Tile &out,
                                         ArrayRef<Value> inverse) {
  if (outputStaging != OutputStaging::none)
    return storeStagedOutput(inverse);
  // Thread t writes row t of the warpgroup's rows, 32 columns loaded at a
  // time and stored a pair at a time; rows outside the sequence are
  // skipped (the loads are warp-wide, the stores not).
  Value row = threadQueryRow(*this, frame);
  Value inside = queryRowExists(*this, frame, row);
  for (int64_t first = 0; first < valueHeadDim; first += kLoadColumns) {
    SmallVector<Value> o = load(first, kLoadColumns, /*output=*/true);
    auto store = scf::IfOp::create(b, loc, inside, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(store.thenBlock());
    for (int64_t col = 0; col < kLoadColumns; col += 2)
      storeOutputPair(scaledOutputPair(o[col], o[col + 1], inverse[0]), row,
                      index(first + col));
  }
}

KernelAbiAttr mlir::attn::sm100::buildKernelAbi(const KernelPlan &plan) {
  return buildWarpSpecializedAbi(plan);
}

FailureOr<int64_t>
mlir::attn::sm100::emitFlashAttention4(const KernelPlan &plan,
                                       const KernelArguments &args,
                                       IndexMaterializer &values) {
  return FlashAttention4Emitter(plan, args, values).emit();
}
