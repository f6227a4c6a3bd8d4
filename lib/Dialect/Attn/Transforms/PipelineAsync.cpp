//===- PipelineAsync.cpp - K/V tiles loaded stages ahead --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Turns the tile loads of each online grid (level L3) into the explicit
// pipeline of level L4: rings of buffers, asynchronous copies issued
// `stages - 1` tiles ahead, and waits where the tiles are consumed, each
// with the number of younger copies that may still be in flight.
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

LogicalResult pipelineGrid(scf::ForallOp grid, int64_t stages) {
  FailureOr<TileLoads> found = findLoads(grid);
  if (failed(found))
    return failure();
  TileLoads loads = *found;
  scf::ForOp loop = loads.loop;
  MLIRContext *ctx = grid.getContext();
  IRRewriter b(ctx);
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto ringFor = [&](LoadTileOp load, int64_t slots) -> Value {
    return AllocRingOp::create(b, loc,
                               RingType::get(ctx, slots, load.getType()));
  };
  auto copy = [&](LoadTileOp load, Value row, Value ring, Value slot,
                  Value enabled) -> Value {
    return CopyTileAsyncOp::create(b, load.getLoc(), load.getSource(),
                                   load.getBatch(), load.getHead(), row,
                                   load.getBlockTable(), load.getLength(), ring,
                                   slot, enabled, load.getHeadsAttr());
  };

  b.setInsertionPointToStart(grid.getBody());
  Value queryRing = ringFor(loads.query, 1);
  Value keyRing = ringFor(loads.key, stages);
  Value valueRing = ringFor(loads.value, stages);

  // The query copy, then the prologue: the K/V tiles of the first
  // stages - 1 iterations, in the order the loop body issues them.
  b.setInsertionPoint(loads.query);
  Value queryFuture =
      copy(loads.query, loads.query.getRow(), queryRing, index(0),
           arith::ConstantIntOp::create(b, loc, 1, 1));
  SmallVector<std::pair<LoadTileOp, Value>> order = {{loads.key, keyRing},
                                                     {loads.value, valueRing}};
  if (loads.value->isBeforeInBlock(loads.key))
    std::swap(order[0], order[1]);
  // One slot is refilled at the top of the next step: safe only when the
  // first ring's readers are done before the second ring's wait (which every
  // thread passes).
  if (stages == 1) {
    LoadTileOp first = order[0].first, second = order[1].first;
    for (Operation *user : first->getUsers()) {
      Operation *inLoop = loop.getBody()->findAncestorOpInBlock(*user);
      if (inLoop && !inLoop->isBeforeInBlock(second))
        return user->emitError()
               << "attn-pipeline-async: with one stage, expects every use of "
                  "the tile loaded first in a K/V step before the other "
                  "tile's load";
    }
  }
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
          copy(entry.first, row, entry.second, index(t), inRange));
  }
  auto queryWait = WaitTileOp::create(b, loc, queryFuture,
                                      /*pending=*/2 * (stages - 1));
  b.replaceOp(loads.query, queryWait.getResult());
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
        Value now = copy(load, ahead, ring, slot, inRange);
        auto wait = WaitTileOp::create(b, load.getLoc(), now, 0);
        b.replaceOp(load, wait.getResult());
        waits.emplace_back(wait, now.getDefiningOp<CopyTileAsyncOp>());
        continue;
      }
      ArrayRef<BlockArgument> queue =
          futures.slice(i * (stages - 1), stages - 1);
      auto wait = WaitTileOp::create(b, load.getLoc(), queue.front(), 0);
      Value next = copy(load, ahead, ring, slot, inRange);
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

struct AttnPipelineAsyncPass
    : attn::impl::AttnPipelineAsyncPassBase<AttnPipelineAsyncPass> {
  void runOnOperation() override {
    for (scf::ForallOp grid : getScheduledGrids(getOperation())) {
      // The schedule's verifier keeps stages positive.
      auto schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
      if (failed(pipelineGrid(grid, schedule.getStages())))
        return signalPassFailure();
    }
  }
};

} // namespace
