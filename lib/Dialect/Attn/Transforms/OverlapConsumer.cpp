//===- OverlapConsumer.cpp - software-pipeline the consumer's K/V loop ----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// FlashAttention-3's intra-warpgroup overlap as a rewrite of the consumer
// role (-attn-warp-specialize's output): step j of the K/V loop issues
// S_j = Q K_j^T and O += P_{j-1} V_{j-1} together, then runs the softmax of
// S_j while the second product is still on the tensor cores. The matrix
// products become asynchronous; attn.matmul_wait says where each result is
// needed and how many later products may still run then. The loop gets a
// prologue (tile 0's scores and softmax) and an epilogue (the last tile's
// P V), all under one test that the K/V range is not empty.
//
// The rescale of O moves after the product it follows: O leaves step j
// scaled to step j's row max, so P_j V_j, added in step j + 1, lands on the
// same reference. Nothing else changes, so the result runs on the CPU like
// the form it came from.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNOVERLAPCONSUMERPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr StringLiteral kPass = "attn-overlap-consumer";

/// The consumer's K/V loop as -attn-warp-specialize leaves it.
struct ConsumerLoop {
  scf::ForOp loop;
  QKMatmulOp qk;
  PVMatmulOp pv;
  ChannelWaitOp keyWait, valueWait;
  ChannelReleaseOp keyRelease, valueRelease;
  /// The iteration argument that is O, and the ops that rescale it before
  /// P V (a chain of attn.row_scale from the argument to P V's accumulator).
  unsigned accIndex = 0;
  SmallVector<RowScaleOp> accScale;
  /// The softmax: every other tile op of the body, in order.
  SmallVector<Operation *> softmax;
};

ChannelReleaseOp findRelease(Block &body, ChannelWaitOp wait) {
  for (auto release : body.getOps<ChannelReleaseOp>())
    if (release.getChannel() == wait.getChannel() &&
        release.getSlot() == wait.getSlot())
      return release;
  return {};
}

FailureOr<ConsumerLoop> matchConsumerLoop(scf::ForOp loop) {
  ConsumerLoop c;
  c.loop = loop;
  Block &body = *loop.getBody();
  auto fail = [&](Operation *at, const Twine &message) {
    return at->emitError() << kPass << ": " << message;
  };
  for (Operation &op : body) {
    if (auto qk = dyn_cast<QKMatmulOp>(op))
      c.qk = qk;
    if (auto pv = dyn_cast<PVMatmulOp>(op))
      c.pv = pv;
  }
  if (!c.qk || !c.pv)
    return fail(loop, "expects Q K^T and P V in the K/V loop");
  c.keyWait = c.qk.getKey().getDefiningOp<ChannelWaitOp>();
  c.valueWait = c.pv.getValue().getDefiningOp<ChannelWaitOp>();
  if (!c.keyWait || !c.valueWait || c.keyWait->getBlock() != &body ||
      c.valueWait->getBlock() != &body)
    return fail(loop, "expects K and V from channel waits in the K/V loop; "
                      "run -attn-warp-specialize first");
  c.keyRelease = findRelease(body, c.keyWait);
  c.valueRelease = findRelease(body, c.valueWait);
  if (!c.keyRelease || !c.valueRelease)
    return fail(loop, "expects the K and V slots released in the K/V loop");

  // O: the iteration argument P V accumulates onto, through its rescales.
  auto yield = cast<scf::YieldOp>(body.getTerminator());
  Value acc = c.pv.getAcc();
  while (auto scale = acc.getDefiningOp<RowScaleOp>()) {
    c.accScale.insert(c.accScale.begin(), scale);
    acc = scale.getInput();
  }
  auto accArg = dyn_cast<BlockArgument>(acc);
  if (!accArg || accArg.getOwner() != &body ||
      accArg == loop.getInductionVar() ||
      yield.getOperand(accArg.getArgNumber() - 1) != c.pv.getResult() ||
      !c.pv.getResult().hasOneUse())
    return fail(c.pv, "expects P V to accumulate onto an iteration argument "
                      "of the K/V loop and to be yielded as its next value");
  c.accIndex = accArg.getArgNumber() - 1;
  for (Operation *user : accArg.getUsers())
    if (!llvm::is_contained(c.accScale, user))
      return fail(user, "expects O used only by its rescale before P V");

  for (Operation &op : body) {
    if (&op == c.qk.getOperation() || &op == c.pv.getOperation() ||
        isa<ChannelWaitOp, ChannelReleaseOp, scf::YieldOp>(op) ||
        isa<arith::ArithDialect>(op.getDialect()))
      continue;
    if (llvm::is_contained(c.accScale, &op))
      continue;
    if (op.getNumRegions() != 0 || !isMemoryEffectFree(&op))
      return fail(&op, "cannot move this op of the K/V loop");
    c.softmax.push_back(&op);
  }
  return c;
}

class Overlapper {
public:
  explicit Overlapper(ConsumerLoop &c)
      : c(c), b(c.loop), loc(c.loop.getLoc()) {}
  void run();

private:
  /// Clones `op` at the insertion point, and first, inside the loop body,
  /// the index arithmetic its operands need that `map` does not have.
  Operation *cloneWithOperands(Operation *op, IRMapping &map);
  /// Clones the loop's `op` as step `iv` of it, whose iteration arguments
  /// are `args`.
  Operation *cloneAt(Operation *op, Value iv, ValueRange args, IRMapping &map) {
    map.map(c.loop.getInductionVar(), iv);
    for (auto [from, to] : llvm::zip(c.loop.getRegionIterArgs(), args))
      map.map(from, to);
    return cloneWithOperands(op, map);
  }
  Value wait(Value async, int64_t pending) {
    return MatmulWaitOp::create(b, loc, async, pending).getResult();
  }
  /// The softmax of step `map`'s scores.
  void cloneSoftmax(IRMapping &map) {
    for (Operation *op : c.softmax)
      cloneWithOperands(op, map);
  }
  /// O = `acc` rescaled by step `map`'s factor.
  Value rescale(Value acc, IRMapping &map) {
    map.map(c.loop.getRegionIterArgs()[c.accIndex], acc);
    for (RowScaleOp op : c.accScale)
      cloneWithOperands(op, map);
    return c.accScale.empty() ? acc : map.lookup(c.accScale.back().getResult());
  }
  /// The values the old loop yields, after step `map`, with O = `acc`.
  SmallVector<Value> yielded(IRMapping &map, Value acc) {
    SmallVector<Value> out;
    for (auto [i, v] : llvm::enumerate(c.loop.getYieldedValues()))
      out.push_back(i == c.accIndex ? acc : map.lookupOrDefault(v));
    return out;
  }

  ConsumerLoop &c;
  OpBuilder b;
  Location loc;
};

Operation *Overlapper::cloneWithOperands(Operation *op, IRMapping &map) {
  Block *body = c.loop.getBody();
  for (Value operand : op->getOperands()) {
    Operation *def = operand.getDefiningOp();
    if (def && def->getBlock() == body && !map.contains(operand))
      cloneWithOperands(def, map);
  }
  return b.clone(*op, map);
}

void Overlapper::run() {
  scf::ForOp loop = c.loop;
  Value lo = loop.getLowerBound(), hi = loop.getUpperBound(),
        step = loop.getStep();
  ValueRange inits = loop.getInitArgs();
  Value p = c.pv.getProbs();

  // The whole schedule runs only when there is a tile: the prologue reads
  // tile 0 unconditionally.
  Value any = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, lo, hi);
  auto guard = scf::IfOp::create(b, loc, loop.getResultTypes(), any,
                                 /*withElseRegion=*/true);
  b.setInsertionPointToStart(guard.elseBlock());
  scf::YieldOp::create(b, loc, inits);
  b.setInsertionPointToStart(guard.thenBlock());

  // Prologue: the scores and softmax of tile 0.
  IRMapping first;
  cloneAt(c.keyWait, lo, inits, first);
  auto qk0 = cast<QKMatmulOp>(cloneWithOperands(c.qk, first));
  first.map(c.qk.getResult(), wait(qk0.getResult(), 0));
  cloneWithOperands(c.keyRelease, first);
  cloneSoftmax(first);
  Value acc0 = rescale(inits[c.accIndex], first);

  // Steps 1..n-1: Q K_j^T and P_{j-1} V_{j-1} issued together, the softmax
  // of S_j under the second.
  SmallVector<Value> carried = yielded(first, acc0);
  carried.push_back(first.lookup(p));
  Value next = arith::AddIOp::create(b, loc, lo, step);
  auto steady = scf::ForOp::create(b, loc, next, hi, step, carried);
  {
    OpBuilder::InsertionGuard inLoop(b);
    b.setInsertionPointToStart(steady.getBody());
    Value j = steady.getInductionVar();
    Value prev = arith::SubIOp::create(b, loc, j, step);
    ValueRange args = steady.getRegionIterArgs();
    ValueRange old = args.drop_back();
    IRMapping cur, last;
    cloneAt(c.keyWait, j, old, cur);
    cloneAt(c.valueWait, prev, old, last);
    auto qk = cast<QKMatmulOp>(cloneWithOperands(c.qk, cur));
    last.map(p, args.back());
    last.map(c.pv.getAcc(), old[c.accIndex]);
    auto pv = cast<PVMatmulOp>(cloneWithOperands(c.pv, last));
    cur.map(c.qk.getResult(), wait(qk.getResult(), 1));
    cloneWithOperands(c.keyRelease, cur);
    cloneSoftmax(cur);
    Value acc = wait(pv.getResult(), 0);
    cloneWithOperands(c.valueRelease, last);
    SmallVector<Value> out = yielded(cur, rescale(acc, cur));
    out.push_back(cur.lookup(p));
    scf::YieldOp::create(b, loc, out);
  }

  // Epilogue: P V of the last tile, at lo + (ceil((hi - lo) / step) - 1)
  // step.
  Value span = arith::SubIOp::create(b, loc, hi, lo);
  Value tiles = arith::CeilDivUIOp::create(b, loc, span, step);
  Value lastRow = arith::AddIOp::create(
      b, loc, lo,
      arith::MulIOp::create(
          b, loc,
          arith::SubIOp::create(b, loc, tiles,
                                arith::ConstantIndexOp::create(b, loc, 1)),
          step));
  ValueRange results = steady.getResults();
  IRMapping tail;
  cloneAt(c.valueWait, lastRow, results.drop_back(), tail);
  tail.map(p, results.back());
  tail.map(c.pv.getAcc(), results[c.accIndex]);
  auto pv = cast<PVMatmulOp>(cloneWithOperands(c.pv, tail));
  Value acc = wait(pv.getResult(), 0);
  cloneWithOperands(c.valueRelease, tail);
  SmallVector<Value> out(results.drop_back());
  out[c.accIndex] = acc;
  scf::YieldOp::create(b, loc, out);

  loop.replaceAllUsesWith(guard.getResults());
  loop.erase();
}

struct AttnOverlapConsumerPass
    : attn::impl::AttnOverlapConsumerPassBase<AttnOverlapConsumerPass> {
  void runOnOperation() override {
    for (scf::ForallOp grid : getScheduledGrids(getOperation())) {
      auto schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
      if (!schedule.getOverlap())
        continue;
      FailureOr<WarpSpecializeOp> roles = getWarpRoles(grid, kPass);
      if (failed(roles))
        return signalPassFailure();
      Block &consumer = roles->getBodies().back().front();
      WalkResult scheduled = consumer.walk([](Operation *op) {
        return isa<MatmulWaitOp, OrderedOp>(op) ? WalkResult::interrupt()
                                                : WalkResult::advance();
      });
      if (scheduled.wasInterrupted()) {
        roles->emitError() << kPass
                           << ": expects synchronous matrix products; the "
                           << "consumer is already scheduled";
        return signalPassFailure();
      }
      SmallVector<scf::ForOp> loops(consumer.getOps<scf::ForOp>());
      if (loops.size() != 1) {
        roles->emitError() << kPass
                           << ": expects one K/V loop in the consumer role";
        return signalPassFailure();
      }
      FailureOr<ConsumerLoop> loop = matchConsumerLoop(loops.front());
      if (failed(loop))
        return signalPassFailure();
      Overlapper(*loop).run();
    }
  }
};

} // namespace
