//===- OrderWarpgroups.cpp - consumer warpgroups take turns at the MMAs ---===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// FlashAttention-3's ping-pong as IR: every run of matrix products the
// consumer role issues back to back becomes an attn.ordered section, which
// the role's warpgroups run one at a time, in turn. A warpgroup issues its
// products, passes the turn on, and runs its softmax while the next one's
// products occupy the tensor cores. This pass is the one place that assigns
// the named barriers of the turns: one per consumer warpgroup, ids 1 to n
// (0 is the CTA-wide barrier).
//
// Products that were synchronous come out of their section through an
// attn.matmul_wait right after it, so no warpgroup waits for its tensor
// cores while it holds the turn.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNORDERWARPGROUPSPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr StringLiteral kPass = "attn-order-warpgroups";

bool isMatmul(Operation &op) { return isa<QKMatmulOp, PVMatmulOp>(op); }

/// The runs of matrix products issued back to back in `region`'s blocks.
void collectRuns(Region &region,
                 SmallVectorImpl<SmallVector<Operation *>> &runs) {
  for (Block &block : region) {
    SmallVector<Operation *> run;
    for (Operation &op : block) {
      if (isMatmul(op)) {
        run.push_back(&op);
        continue;
      }
      if (!run.empty())
        runs.push_back(std::move(run));
      run.clear();
      for (Region &nested : op.getRegions())
        collectRuns(nested, runs);
    }
  }
}

/// Moves `run` into a section on `barriers`; waits after it stand in for the
/// uses of products that had no attn.matmul_wait.
void makeSection(ArrayRef<Operation *> run, ArrayRef<int32_t> barriers) {
  IRRewriter b(run.front()->getContext());
  b.setInsertionPoint(run.front());
  Location loc = run.front()->getLoc();
  SmallVector<Type> types;
  for (Operation *op : run)
    types.push_back(op->getResult(0).getType());
  auto section = OrderedOp::create(b, loc, types, barriers);
  Block &body = section.getBody().emplaceBlock();
  b.setInsertionPointToStart(&body);
  SmallVector<Value> yielded;
  for (Operation *op : run) {
    op->moveBefore(&body, body.end());
    yielded.push_back(op->getResult(0));
  }
  auto yield = OrderedYieldOp::create(b, loc, yielded);
  b.setInsertionPointAfter(section);
  for (auto [i, op] : llvm::enumerate(run)) {
    Value product = op->getResult(0), out = section.getResult(i);
    bool waited = llvm::all_of(product.getUsers(), [](Operation *user) {
      return isa<MatmulWaitOp, OrderedYieldOp>(user);
    });
    // Issued in order: the products after this one may still run.
    Value replacement =
        waited ? out
               : MatmulWaitOp::create(b, loc, out, int64_t(run.size() - 1 - i))
                     .getResult();
    product.replaceUsesWithIf(replacement, [&](OpOperand &use) {
      return use.getOwner() != yield;
    });
  }
}

struct AttnOrderWarpgroupsPass
    : attn::impl::AttnOrderWarpgroupsPassBase<AttnOrderWarpgroupsPass> {
  void runOnOperation() override {
    for (scf::ForallOp grid : getScheduledGrids(getOperation())) {
      auto schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
      if (!schedule.getPingPong())
        continue;
      FailureOr<WarpSpecializeOp> found = getWarpRoles(grid, kPass);
      if (failed(found))
        return signalPassFailure();
      WarpSpecializeOp roles = *found;
      unsigned last = roles.getNumRegions() - 1;
      WarpRoleAttr consumer = roles.getRole(last);
      int64_t groups = consumer.getWarps() / 4;
      if (consumer.getWarps() % 4 != 0 || groups < 2) {
        roles.emitError() << kPass << ": ping-pong needs a consumer role of "
                          << "at least two warpgroups, role '"
                          << consumer.getName().getValue() << "' has "
                          << consumer.getWarps() << " warps";
        return signalPassFailure();
      }
      Region &region = roles.getBodies()[last];
      bool ordered = false;
      region.walk([&](OrderedOp) { ordered = true; });
      if (ordered)
        continue; // Its turns are already assigned.
      SmallVector<int32_t> barriers;
      for (int32_t id = 1; id <= groups; ++id)
        barriers.push_back(id);
      SmallVector<SmallVector<Operation *>> runs;
      collectRuns(region, runs);
      for (ArrayRef<Operation *> run : runs)
        makeSection(run, barriers);
    }
  }
};

} // namespace
