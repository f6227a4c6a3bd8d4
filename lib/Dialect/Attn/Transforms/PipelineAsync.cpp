//===- PipelineAsync.cpp - K/V tiles loaded stages ahead --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Turns the tile loads of each online grid (level L3) into the explicit
// pipeline of level L4: rings of buffers, asynchronous copies issued
// `stages - 1` tiles ahead (with one stage, one K and one V slot, each
// refilled after the other's wait), and waits where the tiles are consumed,
// each with the number of younger copies that may still be in flight.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNPIPELINEASYNCPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// The loads of one online grid that become copies.
struct TileLoads {
  scf::ForOp loop;
  LoadTileOp query, key, value;
};

FailureOr<TileLoads> findLoads(scf::ForallOp grid) {
  auto fail = [&](Operation *at, const Twine &message) {
    return at->emitError() << "attn-pipeline-async: " << message;
  };
  FailureOr<OnlineGrid> online = matchOnlineGrid(grid, "attn-pipeline-async");
  if (failed(online))
    return failure();
  TileLoads loads;
  loads.loop = online->kvLoop;
  Block &loop = *loads.loop.getBody();
  if (!loop.getOps<WaitTileOp>().empty())
    return fail(loads.loop, "the K/V loop is already pipelined");

  QKMatmulOp qk = online->scores;
  PVMatmulOp pv = online->output;
  Value iv = loads.loop.getInductionVar();
  loads.query = qk.getQuery().getDefiningOp<LoadTileOp>();
  loads.key = qk.getKey().getDefiningOp<LoadTileOp>();
  loads.value = pv.getValue().getDefiningOp<LoadTileOp>();
  if (!loads.query || loads.query->getBlock() != grid.getBody())
    return fail(qk, "expects the query tile to be loaded in the grid body");
  for (LoadTileOp load : {loads.key, loads.value})
    if (!load || load->getBlock() != &loop || load.getRow() != iv)
      return fail(load ? load.getOperation() : qk.getOperation(),
                  "expects the K and V tiles to be loaded in the K/V loop at "
                  "its induction variable");
  return loads;
}

/// How many copies issued after the one `wait` waits for may still be in
/// flight. Each iteration issues the copies of `body` in order, the prologue
/// issues stages - 1 iterations' copies in the same order, and the awaited
/// tile's copy is `refill`'s, stages - 1 iterations earlier.
int64_t pendingCopies(Block &body, WaitTileOp wait, CopyTileAsyncOp refill,
                      int64_t stages) {
  int64_t perIteration = 0, afterRefill = 0, beforeWait = 0;
  for (CopyTileAsyncOp copy : body.getOps<CopyTileAsyncOp>()) {
    ++perIteration;
    if (refill->isBeforeInBlock(copy))
      ++afterRefill;
    if (copy->isBeforeInBlock(wait))
      ++beforeWait;
  }
  return afterRefill + (stages - 2) * perIteration + beforeWait;
}

Value allocRing(OpBuilder &b, LoadTileOp load, int64_t slots) {
  return AllocRingOp::create(
      b, load.getLoc(), RingType::get(b.getContext(), slots, load.getType()));
}

Value copyTile(OpBuilder &b, LoadTileOp load, Value row, Value ring, Value slot,
               Value enabled) {
  return CopyTileAsyncOp::create(b, load.getLoc(), load.getSource(),
                                 load.getBatch(), load.getHead(), row,
                                 load.getBlockTable(), load.getLength(), ring,
                                 slot, enabled, load.getHeadsAttr());
}

/// The K/V loads in the order a step issues them.
std::array<LoadTileOp, 2> loadOrder(TileLoads loads) {
  if (loads.value->isBeforeInBlock(loads.key))
    return {loads.value, loads.key};
  return {loads.key, loads.value};
}

/// Copies the query tile into slot 0 of a ring of `slots` where it was
/// loaded and waits for it at `b`'s insertion point, after the K/V
/// prologue, with `pending` of the prologue's copies still in flight. A
/// tile fills its query once: more slots are for persistent CTAs, whose
/// kernel fills them tile after tile.
void pipelineQuery(IRRewriter &b, TileLoads loads, int64_t pending,
                   int64_t slots = 1) {
  LoadTileOp query = loads.query;
  Location loc = loads.loop.getLoc();
  OpBuilder::InsertPoint waitAt = b.saveInsertionPoint();
  // At the start of the grid body: ahead of the K/V rings, allocated before.
  b.setInsertionPointToStart(query->getBlock());
  Value ring = allocRing(b, query, slots);
  b.setInsertionPoint(query);
  Value future = copyTile(b, query, query.getRow(), ring,
                          arith::ConstantIndexOp::create(b, loc, 0),
                          arith::ConstantIntOp::create(b, loc, 1, 1));
  b.restoreInsertionPoint(waitAt);
  auto wait = WaitTileOp::create(b, loc, future, pending);
  b.replaceOp(query, wait.getResult());
}

/// With one slot a ring, a slot is refilled once the other ring's wait has
/// passed: safe only when the first ring's readers are done before the
/// second ring's wait (which every thread passes).
LogicalResult checkOneSlotOrder(TileLoads loads) {
  auto [first, second] = loadOrder(loads);
  for (Operation *user : first->getUsers()) {
    Operation *inLoop = loads.loop.getBody()->findAncestorOpInBlock(*user);
    if (inLoop && !inLoop->isBeforeInBlock(second))
      return user->emitError()
             << "attn-pipeline-async: with one stage, expects every use of "
                "the tile loaded first in a K/V step before the other "
                "tile's load";
  }
  return success();
}

/// One slot a ring in FlashAttention-2's order: the prologue copies the
/// first ring's tile 0; in step j the second ring's tile j is copied right
/// after the first ring's wait, and the first ring's tile j + 1 right after
/// the second ring's wait. Each wait's barrier is where every thread is done
/// with the other ring's previous tile, so the copy of V_j overlaps Q K_j^T
/// and the softmax, and the copy of K_{j+1} overlaps P V_j. Every wait
/// leaves no copy in flight: the one issued after it comes later.
LogicalResult pipelineOneSlot(scf::ForallOp grid, TileLoads loads) {
  if (failed(checkOneSlotOrder(loads)))
    return failure();
  scf::ForOp loop = loads.loop;
  IRRewriter b(grid.getContext());
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto [first, second] = loadOrder(loads);
  b.setInsertionPointToStart(grid.getBody());
  Value firstRing = allocRing(b, first, 1);
  Value secondRing = allocRing(b, second, 1);

  Value lower = loop.getLowerBound(), upper = loop.getUpperBound(),
        step = loop.getStep();
  b.setInsertionPoint(loop);
  Value any = b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                            lower, upper);
  Value firstTile = copyTile(b, first, lower, firstRing, index(0), any);
  pipelineQuery(b, loads, /*pending=*/1);

  auto interleave = [&](OpBuilder &, Location,
                        ArrayRef<BlockArgument> futures) {
    Block &body = *loop.getBody();
    Value iv = loop.getInductionVar();
    b.setInsertionPoint(first);
    auto firstWait = WaitTileOp::create(b, first.getLoc(), futures.front(), 0);
    // The second tile's copy goes after the first's wait, or after the last
    // of its operands the step computes.
    Operation *after = firstWait;
    for (Value operand : second->getOperands())
      if (Operation *def = operand.getDefiningOp();
          def && def->getBlock() == &body && after->isBeforeInBlock(def))
        after = def;
    b.setInsertionPointAfter(after);
    Value secondTile = copyTile(b, second, iv, secondRing, index(0),
                                arith::ConstantIntOp::create(b, loc, 1, 1));
    b.setInsertionPoint(second);
    auto secondWait = WaitTileOp::create(b, second.getLoc(), secondTile, 0);
    b.setInsertionPointAfter(secondWait);
    Value next = b.createOrFold<arith::AddIOp>(loc, iv, step);
    Value inRange = b.createOrFold<arith::CmpIOp>(
        loc, arith::CmpIPredicate::slt, next, upper);
    Value nextTile = copyTile(b, first, next, firstRing, index(0), inRange);
    // The loads go last: the copies above read their operands.
    b.replaceOp(first, firstWait.getResult());
    b.replaceOp(second, secondWait.getResult());
    return SmallVector<Value>{nextTile};
  };
  if (failed(loop.replaceWithAdditionalYields(
          b, ValueRange{firstTile}, /*replaceInitOperandUsesInLoop=*/false,
          interleave)))
    return loop.emitError() << "attn-pipeline-async: cannot extend the loop";
  return success();
}

/// `stages` slots a ring, tile i + stages - 1 issued right after the wait
/// for tile i; with one stage (kept for warp-specialised schedules, whose
/// producer issues the copies) each tile is copied where it is used.
LogicalResult pipelineStagesAhead(scf::ForallOp grid, TileLoads loads,
                                  int64_t stages, int64_t queryStages) {
  scf::ForOp loop = loads.loop;
  MLIRContext *ctx = grid.getContext();
  IRRewriter b(ctx);
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };

  if (stages == 1 && failed(checkOneSlotOrder(loads)))
    return failure();
  b.setInsertionPointToStart(grid.getBody());
  Value keyRing = allocRing(b, loads.key, stages);
  Value valueRing = allocRing(b, loads.value, stages);

  // The prologue: the K/V tiles of the first stages - 1 iterations, in the
  // order the loop body issues them.
  SmallVector<std::pair<LoadTileOp, Value>> order;
  for (LoadTileOp load : loadOrder(loads))
    order.emplace_back(load, load == loads.key ? keyRing : valueRing);
  Value lower = loop.getLowerBound(), upper = loop.getUpperBound(),
        step = loop.getStep();
  b.setInsertionPoint(loop);
  SmallVector<SmallVector<Value>> queues(2);
  for (int64_t t = 0; t < stages - 1; ++t) {
    Value row = b.createOrFold<arith::AddIOp>(loc, lower, b.createOrFold<arith::MulIOp>(loc, step, index(t)));
    Value inRange =
        b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, row, upper);
    for (auto [i, entry] : llvm::enumerate(order))
      queues[i].push_back(
          copyTile(b, entry.first, row, entry.second, index(t), inRange));
  }
  pipelineQuery(b, loads, /*pending=*/2 * (stages - 1), queryStages);
  SmallVector<Value> inits;
  for (auto &queue : queues)
    inits.append(queue);

  // The loop carries the futures of the next stages - 1 tiles of each ring.
  // In its body, wait where each tile was loaded and refill the slot the
  // previous iteration used right after, once every thread is done with it.
  SmallVector<std::pair<WaitTileOp, CopyTileAsyncOp>> waits;
  auto addWaitsAndRefills = [&](OpBuilder &, Location,
                                ArrayRef<BlockArgument> futures) {
    // Tile i + stages - 1: its row, its slot, and whether it exists.
    b.setInsertionPointToStart(loop.getBody());
    Value iv = loop.getInductionVar();
    Value ahead = b.createOrFold<arith::AddIOp>(loc, iv, b.createOrFold<arith::MulIOp>(loc, step, index(stages - 1)));
    Value inRange =
        b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, ahead, upper);
    Value tile = b.createOrFold<arith::DivUIOp>(loc, b.createOrFold<arith::SubIOp>(loc, iv, lower), step);
    Value slot = b.createOrFold<arith::RemUIOp>(loc, b.createOrFold<arith::AddIOp>(loc, tile, index(stages - 1)),
        index(stages));
    SmallVector<Value> yielded;
    for (auto [i, entry] : llvm::enumerate(order)) {
      auto [load, ring] = entry;
      b.setInsertionPoint(load);
      if (stages == 1) {
        // One slot: the tile is copied where it is needed and waited for at
        // once. The slot's last readers are done: they come before the
        // other ring's wait, which every thread has passed.
        Value now = copyTile(b, load, ahead, ring, slot, inRange);
        auto wait = WaitTileOp::create(b, load.getLoc(), now, 0);
        b.replaceOp(load, wait.getResult());
        waits.emplace_back(wait, now.getDefiningOp<CopyTileAsyncOp>());
        continue;
      }
      ArrayRef<BlockArgument> queue =
          futures.slice(i * (stages - 1), stages - 1);
      auto wait = WaitTileOp::create(b, load.getLoc(), queue.front(), 0);
      Value next = copyTile(b, load, ahead, ring, slot, inRange);
      b.replaceOp(load, wait.getResult());
      waits.emplace_back(wait, next.getDefiningOp<CopyTileAsyncOp>());
      yielded.append(queue.begin() + 1, queue.end());
      yielded.push_back(next);
    }
    return yielded;
  };
  FailureOr<LoopLikeOpInterface> pipelined = loop.replaceWithAdditionalYields(
      b, inits, /*replaceInitOperandUsesInLoop=*/false, addWaitsAndRefills);
  if (failed(pipelined))
    return loop.emitError() << "attn-pipeline-async: cannot extend the loop";
  Block &body = (*pipelined)->getRegion(0).front();
  for (auto [wait, refill] : waits)
    wait.setPending(pendingCopies(body, wait, refill, stages));
  return success();
}

LogicalResult pipelineGrid(scf::ForallOp grid, ScheduleAttr schedule) {
  FailureOr<TileLoads> found = findLoads(grid);
  if (failed(found))
    return failure();
  // A warp-specialised schedule's producer issues the copies as the slots
  // free up: the one-slot order between the rings is the consumer's only.
  if (schedule.getStages() == 1 && schedule.getRoles().empty())
    return pipelineOneSlot(grid, *found);
  return pipelineStagesAhead(grid, *found, schedule.getStages(),
                             schedule.getQueryStages());
}

struct AttnPipelineAsyncPass
    : attn::impl::AttnPipelineAsyncPassBase<AttnPipelineAsyncPass> {
  void runOnOperation() override {
    for (scf::ForallOp grid : getScheduledGrids(getOperation())) {
      // The schedule's verifier keeps stages positive.
      auto schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
      if (failed(pipelineGrid(grid, schedule)))
        return signalPassFailure();
    }
  }
};

} // namespace
