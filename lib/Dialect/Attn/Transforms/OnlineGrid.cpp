//===- OnlineGrid.cpp - match the online attention grid -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"

using namespace mlir;
using namespace mlir::attn;

SmallVector<scf::ForallOp> mlir::attn::getScheduledGrids(Operation *root) {
  SmallVector<scf::ForallOp> grids;
  root->walk([&](scf::ForallOp grid) {
    if (grid->hasAttr(kGridScheduleAttrName))
      grids.push_back(grid);
  });
  return grids;
}

CopyTileAsyncOp mlir::attn::getCopyOfFuture(scf::ForOp loop, Value future) {
  if (auto arg = dyn_cast<BlockArgument>(future)) {
    if (arg.getOwner() != loop.getBody() || arg == loop.getInductionVar())
      return {};
    future = loop.getTiedLoopInit(arg)->get();
  }
  return future.getDefiningOp<CopyTileAsyncOp>();
}

AllocRingOp mlir::attn::getRingOfFuture(scf::ForOp loop, Value future) {
  CopyTileAsyncOp copy = getCopyOfFuture(loop, future);
  return copy ? copy.getRing().getDefiningOp<AllocRingOp>() : AllocRingOp();
}

/// The warp roles of `grid`, or null before -attn-warp-specialize.
static WarpSpecializeOp findWarpRoles(scf::ForallOp grid) {
  auto roles = grid.getBody()->getOps<WarpSpecializeOp>();
  return roles.empty() ? WarpSpecializeOp() : *roles.begin();
}

/// The one error for roles whose last region holds FlashAttention-4's
/// sections: no pass reading the online grid takes them yet.
static LogicalResult rejectSharedRoles(WarpSpecializeOp roles, StringRef pass) {
  if (roles.getSharedRoles().empty())
    return success();
  return roles.emitError() << pass
                           << ": does not take FlashAttention-4's roles (the "
                              "attn.in_role sections of a shared region)";
}

/// The only op of type OpTy in `block` or in the attn.ordered sections of a
/// scheduled consumer there, or null (with an error at `where`) when there
/// is not exactly one.
template <typename OpTy>
static OpTy findSingle(Block &block, Operation *where, StringRef pass) {
  OpTy found;
  StringRef name = OpTy::getOperationName();
  SmallVector<OpTy> ops(block.getOps<OpTy>());
  for (auto section : block.getOps<OrderedOp>())
    llvm::append_range(ops, section.getBody().front().getOps<OpTy>());
  for (auto op : ops) {
    if (found) {
      where->emitError() << pass << ": expects one " << name
                         << ", found several";
      return {};
    }
    found = op;
  }
  if (!found)
    where->emitError() << pass << ": expects " << name;
  return found;
}

FailureOr<OnlineGrid> mlir::attn::matchOnlineGrid(scf::ForallOp grid,
                                                  StringRef pass) {
  OnlineGrid g;
  g.grid = grid;
  g.schedule =
      dyn_cast_or_null<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
  if (!g.schedule)
    return grid.emitError()
           << pass << ": expects an #attn.schedule on the grid";
  if (grid.getRank() != (g.schedule.getKvChunk() > 0 ? 4 : 3))
    return grid.emitError() << pass
                            << ": expects a grid over (query tile, head, "
                               "batch), and the K/V chunk with a kv_chunk";

  g.roles = findWarpRoles(grid);
  if (g.roles && failed(rejectSharedRoles(g.roles, pass)))
    return failure();
  Block &body = g.computeBlock();
  SmallVector<scf::ForOp> loops(body.getOps<scf::ForOp>());
  // -attn-overlap-consumer's form: the loop under the test that the K/V
  // range is not empty, between its prologue and epilogue.
  if (loops.empty())
    for (auto guard : body.getOps<scf::IfOp>())
      llvm::append_range(loops, guard.thenBlock()->getOps<scf::ForOp>());
  if (loops.size() != 1)
    return grid.emitError()
           << pass
           << ": expects one K/V loop in the online softmax form, found "
           << loops.size() << "; run -attn-fuse-online-softmax first";
  g.kvLoop = loops.front();
  Block &loop = *g.kvLoop.getBody();

  g.scores = findSingle<QKMatmulOp>(loop, g.kvLoop, pass);
  g.mask = findSingle<MaskScoresOp>(loop, g.kvLoop, pass);
  g.rowMax = findSingle<RowMaxOp>(loop, g.kvLoop, pass);
  g.output = findSingle<PVMatmulOp>(loop, g.kvLoop, pass);
  g.normalize = findSingle<NormalizeOp>(
      body, g.roles ? g.roles.getOperation() : grid.getOperation(), pass);
  if (!g.scores || !g.mask || !g.rowMax || !g.output || !g.normalize)
    return failure();
  return g;
}

Block &OnlineGrid::computeBlock() const {
  if (roles)
    return WarpSpecializeOp(roles).getBodies().back().front();
  return *scf::ForallOp(grid).getBody();
}

FailureOr<WarpSpecializeOp> mlir::attn::getWarpRoles(scf::ForallOp grid,
                                                     StringRef pass) {
  if (WarpSpecializeOp roles = findWarpRoles(grid)) {
    if (failed(rejectSharedRoles(roles, pass)))
      return failure();
    return roles;
  }
  return grid.emitError() << pass
                          << ": expects the warp-specialised form; run "
                             "-attn-warp-specialize first";
}
