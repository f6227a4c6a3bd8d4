//===- FlashAttention3.cpp - the sm_90a kernel on wgmma -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Emits FlashAttention-3's structure for Hopper from the warp-specialised
// form (-attn-warp-specialize), on the roles, channels and tile loops of
// WarpSpecializedKernel.h:
//   - one CTA per (query tile, head, batch) of a producer warpgroup, which
//     lowers its register budget with setmaxnreg and whose elected thread
//     issues its channel ops, and two or three consumer warpgroups, which
//     raise theirs and each compute 64 query rows;
//   - S = Q K^T by wgmma with both operands in shared memory (K-major), O +=
//     P V by wgmma with P from registers (V MN-major); each group fenced,
//     committed and waited for where the IR uses its result;
//   - the online softmax on the accumulators (OnlineSoftmax.h over the
//     wgmma layout of Target/SM90/WgmmaLayout.h), O normalised and written
//     from registers, the LSE.
//
//===----------------------------------------------------------------------===//

#include "../WarpSpecializedKernel.h"
#include "SM90.h"

#include "attn/Target/SM90/WgmmaLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm90;

namespace {

class FlashAttention3Emitter final : public WarpSpecializedEmitter {
public:
  FlashAttention3Emitter(const KernelPlan &plan, const KernelArguments &args,
                         IndexMaterializer &values)
      : WarpSpecializedEmitter(plan, args, values, "sm_90a") {}

private:
  int64_t consumerRows() const override { return kWgmmaM; }
  AccumulatorLayout accumulatorLayout(int64_t n) const override {
    return sm90::accumulatorLayout(n);
  }
  LogicalResult checkKernel() override;
  int64_t tileRegisters(int64_t cols) const override { return cols / 2; }
  Tile packed(const Tile &p) override;
  LogicalResult emitScores(QKMatmulOp qk) override;
  LogicalResult emitOutputProduct(PVMatmulOp pv, const Tile &p,
                                  const Tile &acc) override;
  LogicalResult emitMatmulWait(MatmulWaitOp wait) override;
  void scaleOutput(const AccumulatorLayout &layout, Tile &out,
                   ArrayRef<Value> factors, bool onlyMoved) override;
  void storeOutput(const Tile &out, ArrayRef<Value> inverse) override;

  /// Writes the warp's rows of O into the staging buffer and stores them
  /// with TMA, one 16 x 64 box a 64-column block.
  void storeStagedOutput(const Tile &out, ArrayRef<Value> inverse);

  /// A wgmma matrix descriptor of the tile at shared byte offset `offset`.
  Value descriptor(Value offset, int64_t leadingBytes);
  /// Issues S = Q K^T for the warpgroup's 64 query rows as one wgmma group.
  Value issueScores(Value query, Value key);
  /// Issues acc + P V as one wgmma group, P packed.
  Value issueOutput(ArrayRef<Value> p, Value value, ArrayRef<Value> acc);
  /// Waits until at most `pending` groups are in flight and reads the
  /// `count` registers of `product`.
  SmallVector<Value> completeProduct(Value product, int64_t count,
                                     int64_t pending);
};

} // namespace

LogicalResult FlashAttention3Emitter::checkKernel() {
  // The consumer's budget must hold S, P and O with room to spare.
  int64_t accumulators = consumerAccumulatorRegisters(tileN, valueHeadDim);
  int64_t consumerBudget =
      WarpSpecializeOp(plan.roles).getRole(1).getRegisters();
  if (accumulators > consumerBudget - kConsumerHeadroom)
    return fail(Twine("needs ") + Twine(accumulators + kConsumerHeadroom) +
                " registers a consumer thread (S, P and O, and " +
                Twine(kConsumerHeadroom) + " more), the consumer role has " +
                Twine(consumerBudget));
  return success();
}

/// Whether every use of `product` waits for it (or yields it from a section
/// to one): the product was issued asynchronously.
static bool isAwaited(Value product) {
  return llvm::all_of(product.getUsers(), [](Operation *user) {
    return isa<MatmulWaitOp, OrderedYieldOp>(user);
  });
}

Value FlashAttention3Emitter::descriptor(Value offset, int64_t leadingBytes) {
  Value address = arith::AddIOp::create(
      b, loc, smemBase,
      arith::IndexCastUIOp::create(b, loc, b.getI64Type(), offset));
  uint64_t fixed = encodeMatrixDescriptor(0, leadingBytes, kAtomBytes,
                                          Swizzle::Bytes128);
  Value field = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, address, i64(4)), i64(0x3fff));
  return arith::OrIOp::create(b, loc, field,
                              i64(static_cast<int64_t>(fixed)));
}

/// Inline-asm constraints of `count` f32 results, each tied to the operand
/// of the same position.
static std::string tiedF32Constraints(int64_t count) {
  std::string constraints;
  for (int64_t i = 0; i < count; ++i)
    constraints += "=f,";
  for (int64_t i = 0; i < count; ++i)
    constraints += std::to_string(i) + (i + 1 < count ? "," : "");
  return constraints;
}

/// The f32 registers of an m64nN accumulator, as NVVM returns them.
static Type accumulatorStruct(MLIRContext *ctx, int64_t n) {
  SmallVector<Type> fields(n / 2, Float32Type::get(ctx));
  return LLVM::LLVMStructType::getLiteral(ctx, fields);
}

Value FlashAttention3Emitter::issueScores(Value query, Value key) {
  MLIRContext *ctx = b.getContext();
  auto wgmmaType =
      elementType.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16;
  Type accType = accumulatorStruct(ctx, tileN);
  // The warpgroup's 64 rows of Q start 64 i rows into each block.
  Value queryRows = add(query, mul(frame.groupRow, index(kSpanBytes)));
  Value qDesc = descriptor(queryRows, kSpanBytes);
  Value kDesc = descriptor(key, kSpanBytes);
  NVVM::WgmmaFenceAlignedOp::create(b, loc);
  Value d = LLVM::ZeroOp::create(b, loc, accType);
  for (int64_t kk = 0; kk < headDim / kWgmmaK; ++kk) {
    Value da = arith::AddIOp::create(b, loc, qDesc,
                                     i64(kMajorStepBytes(tileM, kk) >> 4));
    Value db = arith::AddIOp::create(b, loc, kDesc,
                                     i64(kMajorStepBytes(tileN, kk) >> 4));
    d = NVVM::WgmmaMmaAsyncOp::create(
        b, loc, accType, d, da, db,
        NVVM::MMAShapeAttr::get(ctx, kWgmmaM, tileN, kWgmmaK), wgmmaType,
        wgmmaType, NVVM::WGMMATypes::f32,
        kk == 0 ? NVVM::WGMMAScaleOut::zero : NVVM::WGMMAScaleOut::one,
        NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
        NVVM::MMALayout::row, NVVM::MMALayout::col, nullptr);
  }
  NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
  return d;
}

Value FlashAttention3Emitter::issueOutput(ArrayRef<Value> p, Value value,
                                          ArrayRef<Value> acc) {
  MLIRContext *ctx = b.getContext();
  int64_t n = valueHeadDim, regs = n / 2;
  // V is MN-major: blocks of 64 output columns lie tile_n rows apart (the
  // leading byte offset), and a k16 step is 16 rows.
  Value vDesc = descriptor(value, tileN * kSpanBytes);
  // MLIR has no register-A form of wgmma: inline PTX, accumulators tied.
  std::string asmString;
  llvm::raw_string_ostream os(asmString);
  std::string type = elementType.isBF16() ? "bf16" : "f16";
  os << "{\n.reg .pred p;\nsetp.ne.b32 p, $" << 2 * regs + 5
     << ", 0;\nwgmma.mma_async.sync.aligned.m64n" << n << "k16.f32." << type
     << "." << type << " {";
  for (int64_t i = 0; i < regs; ++i)
    os << (i ? ", $" : "$") << i;
  os << "}, {$" << 2 * regs << ", $" << 2 * regs + 1 << ", $" << 2 * regs + 2
     << ", $" << 2 * regs + 3 << "}, $" << 2 * regs + 4
     << ", p, 1, 1, 1;\n}";
  std::string constraints = tiedF32Constraints(regs) + ",r,r,r,r,l,r";
  Type resultType = accumulatorStruct(ctx, n);
  Value accumulate = i32(1);

  NVVM::WgmmaFenceAlignedOp::create(b, loc);
  SmallVector<Value> out(acc);
  Value result;
  for (int64_t kk = 0; kk < tileN / kWgmmaK; ++kk) {
    SmallVector<Value> operands(out);
    llvm::append_range(operands, p.slice(4 * kk, 4));
    operands.push_back(arith::AddIOp::create(
        b, loc, vDesc, i64((kk * kWgmmaK * kSpanBytes) >> 4)));
    operands.push_back(accumulate);
    result = inlinePtx(resultType, operands, asmString, constraints);
    for (int64_t i = 0; i < regs; ++i)
      out[i] = LLVM::ExtractValueOp::create(b, loc, result, i);
  }
  NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
  return result;
}

SmallVector<Value> FlashAttention3Emitter::completeProduct(Value product,
                                                           int64_t count,
                                                           int64_t pending) {
  NVVM::WgmmaWaitGroupSyncOp::create(b, loc, pending);
  // The registers pass through an empty asm after the wait, so that no use
  // of them is scheduled before it (the wgmma writes them asynchronously).
  SmallVector<Value> raw;
  for (int64_t i = 0; i < count; ++i)
    raw.push_back(LLVM::ExtractValueOp::create(b, loc, product, i));
  Value fenced = inlinePtx(accumulatorStruct(b.getContext(), 2 * count), raw,
                           "", tiedF32Constraints(count));
  SmallVector<Value> out;
  for (int64_t i = 0; i < count; ++i)
    out.push_back(LLVM::ExtractValueOp::create(b, loc, fenced, i));
  return out;
}

void FlashAttention3Emitter::storeOutput(const Tile &out,
                                         ArrayRef<Value> inverse) {
  if (outputStaging != OutputStaging::none)
    return storeStagedOutput(out, inverse);
  // Each thread holds column pairs: one 4-byte store per pair, rows outside
  // the sequence skipped.
  Value threadRow = threadQueryRow(*this, frame);
  for (int64_t reg = 0; reg < valueHeadDim / 2; reg += 2) {
    Coord at = outputLayout.registers[reg];
    Value v = scaledOutputPair(out.regs[reg], out.regs[reg + 1],
                               inverse[outputLayout.rowOf(reg)]);
    Value row = add(threadRow, index(at.row));
    Value col = add(frame.threadCol, index(at.col));
    auto ifOp =
        scf::IfOp::create(b, loc, queryRowExists(*this, frame, row), false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    storeOutputPair(v, row, col);
  }
}

void FlashAttention3Emitter::storeStagedOutput(const Tile &out,
                                               ArrayRef<Value> inverse) {
  // A thread's rows are its frame row plus multiples of 8, so one swizzle
  // phase serves them all; its pairs of a register's columns, 4 bytes
  // each, cover all 32 banks once a warp. The thread's coordinates are
  // recomputed here rather than held through the tile loop, where
  // registers are scarcest (head dim 64).
  StagingThread at = stagingThread();
  Value threadRow =
      outputLayout.thread.row.emit(b, loc, at.thread, kWarpgroupSize);
  Value threadCol =
      outputLayout.thread.col.emit(b, loc, at.thread, kWarpgroupSize);
  Value first = stagedFirst(add(frame.groupRow, threadRow), threadCol);
  Value staging = beginStagedOutput();
  for (int64_t reg = 0; reg < valueHeadDim / 2; reg += 2) {
    Coord offset = outputLayout.registers[reg];
    assert(offset.row % 8 == 0 && offset.col % 8 == 0 &&
           "a register's offset keeps the thread's swizzle phase");
    Value v = scaledOutputPair(out.regs[reg], out.regs[reg + 1],
                               inverse[outputLayout.rowOf(reg)]);
    vector::StoreOp::create(
        b, loc, v, staging,
        ValueRange{stagedElement(first, offset.col / 8, offset.row)}, false,
        llvm::Align(4));
  }
  finishStagedOutput(at);
}

FlashAttention3Emitter::Tile FlashAttention3Emitter::packed(const Tile &p) {
  if (p.packed)
    return p;
  // The A fragment of each k16 step: four registers of two elements.
  Tile out{{}, true};
  for (int64_t kk = 0; kk < tileN / kWgmmaK; ++kk)
    for (int64_t reg = 0; reg < 4; ++reg) {
      int64_t first = operandAFromAccumulators(kk, reg).first;
      out.regs.push_back(
          packPair(p.regs[first], p.regs[first + 1], elementType));
    }
  return out;
}

LogicalResult FlashAttention3Emitter::emitScores(QKMatmulOp qk) {
  Value product =
      issueScores(slots.lookup(qk.getQuery()), slots.lookup(qk.getKey()));
  issued[qk.getResult()] = product;
  if (!isAwaited(qk.getResult()))
    tiles[qk.getResult()] = {completeProduct(product, tileN / 2, 0)};
  return success();
}

LogicalResult FlashAttention3Emitter::emitOutputProduct(PVMatmulOp pv,
                                                        const Tile &p,
                                                        const Tile &acc) {
  // P is packed before the fence: a register written between the fence and
  // the wgmma reading it makes ptxas fence again (C7519).
  Value product =
      issueOutput(packed(p).regs, slots.lookup(pv.getValue()), acc.regs);
  issued[pv.getResult()] = product;
  if (!isAwaited(pv.getResult()))
    tiles[pv.getResult()] = {completeProduct(product, valueHeadDim / 2, 0)};
  return success();
}

LogicalResult FlashAttention3Emitter::emitMatmulWait(MatmulWaitOp wait) {
  FailureOr<int64_t> count = registerCount(wait.getType());
  Value product = issued.lookup(wait.getInput());
  if (failed(count) || !product)
    return errorAt(wait) << "expects a wait for a product it issued";
  tiles[wait.getResult()] = {
      completeProduct(product, *count, wait.getPending())};
  return success();
}

void FlashAttention3Emitter::scaleOutput(const AccumulatorLayout &layout,
                                         Tile &out, ArrayRef<Value> factors,
                                         bool onlyMoved) {
  if (onlyMoved)
    emitRowScaleWhereMoved(*this, layout, out.regs, factors);
  else
    emitRowScale(*this, layout, out.regs, factors);
}

KernelAbiAttr mlir::attn::sm90::buildKernelAbi(const KernelPlan &plan) {
  return buildWarpSpecializedAbi(plan);
}

FailureOr<int64_t>
mlir::attn::sm90::emitFlashAttention3(const KernelPlan &plan,
                                      const KernelArguments &args,
                                      IndexMaterializer &values) {
  return FlashAttention3Emitter(plan, args, values).emit();
}
