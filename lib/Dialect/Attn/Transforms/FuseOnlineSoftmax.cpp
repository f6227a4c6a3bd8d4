//===- FuseOnlineSoftmax.cpp - the online softmax recurrence ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Turns the tiled two-pass softmax of level L2 (a K/V loop for the row max,
// then a K/V loop for the row sums and P V) into the one-pass online
// recurrence of level L3: the max loop disappears, and the sum loop carries
// the running max and rescales its sum and accumulator when the max moves.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Target/Exp2Polynomial.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEONLINESOFTMAXPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr double kLog2E = 1.4426950408889634;

/// The two loops of one tiled softmax and the ops the rewrite touches.
struct TwoPassSoftmax {
  scf::ForOp maxLoop, sumLoop;
  MaskScoresOp scores;
  RowExpOp probs;
  RowSumOp sum;
  PVMatmulOp pv;
};

/// Whether `a`, computed in `loopA`, and `b`, computed in `loopB`, are the
/// same computation of the same induction variable.
bool sameComputation(Value a, scf::ForOp loopA, Value b, scf::ForOp loopB) {
  if (a == b)
    return true;
  if (a == loopA.getInductionVar() && b == loopB.getInductionVar())
    return true;
  auto resultA = dyn_cast<OpResult>(a), resultB = dyn_cast<OpResult>(b);
  if (!resultA || !resultB ||
      resultA.getResultNumber() != resultB.getResultNumber())
    return false;
  Operation *opA = resultA.getOwner(), *opB = resultB.getOwner();
  if (!loopA->isProperAncestor(opA) || !loopB->isProperAncestor(opB) ||
      !isPure(opA))
    return false;
  return OperationEquivalence::isEquivalentTo(
      opA, opB,
      [&](Value x, Value y) {
        return success(sameComputation(x, loopA, y, loopB));
      },
      /*markEquivalent=*/nullptr, OperationEquivalence::IgnoreLocations);
}

/// Matches the sum loop around `probs`, whose max operand is the result of
/// the max loop, in the shape attn-tile builds.
FailureOr<TwoPassSoftmax> matchTwoPassSoftmax(RowExpOp probs) {
  TwoPassSoftmax m;
  m.probs = probs;
  if (probs.getBase2() || !isa<RankedTensorType>(probs.getInput().getType()) ||
      cast<ShapedType>(probs.getInput().getType()).getRank() != 2)
    return failure();
  m.maxLoop = probs.getMax().getDefiningOp<scf::ForOp>();
  m.sumLoop = dyn_cast<scf::ForOp>(probs->getParentOp());
  if (!m.maxLoop || !m.sumLoop || m.maxLoop->getNumResults() != 1 ||
      m.sumLoop->getNumResults() != 2 ||
      m.maxLoop->getBlock() != m.sumLoop->getBlock())
    return failure();
  if (m.maxLoop.getLowerBound() != m.sumLoop.getLowerBound() ||
      m.maxLoop.getUpperBound() != m.sumLoop.getUpperBound() ||
      m.maxLoop.getStep() != m.sumLoop.getStep())
    return failure();

  // Max loop: m' = row_max(scores, m), nothing else carried.
  auto maxYield = cast<scf::YieldOp>(m.maxLoop.getBody()->getTerminator());
  auto rowMax = maxYield.getOperand(0).getDefiningOp<RowMaxOp>();
  if (!rowMax || rowMax.getThreshold() ||
      rowMax.getInit() != m.maxLoop.getRegionIterArgs()[0])
    return failure();

  // Sum loop: p = row_exp(scores, m); l' = row_sum(p, l); acc' = pv(p, v, acc).
  m.scores = probs.getInput().getDefiningOp<MaskScoresOp>();
  if (!m.scores || !m.scores->hasOneUse())
    return failure();
  auto sumYield = cast<scf::YieldOp>(m.sumLoop.getBody()->getTerminator());
  m.pv = sumYield.getOperand(0).getDefiningOp<PVMatmulOp>();
  m.sum = sumYield.getOperand(1).getDefiningOp<RowSumOp>();
  ValueRange iterArgs = m.sumLoop.getRegionIterArgs();
  if (!m.pv || !m.sum || m.pv.getProbs() != probs ||
      m.sum.getInput() != probs || m.pv.getAcc() != iterArgs[0] ||
      m.sum.getInit() != iterArgs[1] || !iterArgs[0].hasOneUse() ||
      !iterArgs[1].hasOneUse())
    return failure();

  // Both loops must compute the same scores, and the max may only be used
  // by this loop and by log-sum-exps after it.
  if (!sameComputation(rowMax.getScores(), m.maxLoop, m.scores, m.sumLoop))
    return failure();
  for (Operation *user : m.maxLoop->getResult(0).getUsers())
    if (user != probs && !isa<LseOp>(user))
      return failure();
  return m;
}

/// Moves `scores` to the base-2 domain: log2(e) joins the last multiplier.
void foldLog2E(RewriterBase &rewriter, MaskScoresOp scores) {
  rewriter.modifyOpInPlace(scores, [&] {
    if (FloatAttr softcap = scores.getSoftcapAttr())
      scores.setSoftcapAttr(
          rewriter.getF32FloatAttr(softcap.getValueAsDouble() * kLog2E));
    else
      scores.setScaleAttr(rewriter.getF32FloatAttr(
          scores.getScaleAttr().getValueAsDouble() * kLog2E));
  });
}

/// What `exp2-emulation` and `exp2-degree` ask of the score exponentials.
struct PolyExp2 {
  IntegerAttr every, degree;
};

void rewriteOnline(RewriterBase &rewriter, TwoPassSoftmax m,
                   FloatAttr threshold, PolyExp2 poly) {
  Value maxResult = m.maxLoop->getResult(0);
  Value maxInit = m.maxLoop.getInitArgs()[0];
  Location loc = m.sumLoop.getLoc();
  auto rowsType = cast<RankedTensorType>(maxInit.getType());

  auto yieldMax = [&](OpBuilder &b, Location,
                      ArrayRef<BlockArgument> newArgs) -> SmallVector<Value> {
    Value runningMax = newArgs[0];
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointAfter(m.scores);
    foldLog2E(rewriter, m.scores);
    Value newMax =
        RowMaxOp::create(b, loc, rowsType, m.scores, runningMax, threshold);
    Value alpha = RowExpOp::create(b, loc, rowsType, runningMax, newMax,
                                   /*base2=*/true);
    rewriter.modifyOpInPlace(m.probs, [&] {
      m.probs.getMaxMutable().assign(newMax);
      m.probs.setBase2(true);
      m.probs.setPolyEveryAttr(poly.every);
      m.probs.setPolyDegreeAttr(poly.degree);
    });
    b.setInsertionPoint(m.sum);
    Value scaledSum =
        RowScaleOp::create(b, loc, rowsType, m.sum.getInit(), alpha);
    rewriter.modifyOpInPlace(m.sum,
                             [&] { m.sum.getInitMutable().assign(scaledSum); });
    b.setInsertionPoint(m.pv);
    Value scaledAcc = RowScaleOp::create(b, loc, m.pv.getAcc().getType(),
                                         m.pv.getAcc(), alpha);
    rewriter.modifyOpInPlace(m.pv,
                             [&] { m.pv.getAccMutable().assign(scaledAcc); });
    return {newMax};
  };

  rewriter.setInsertionPoint(m.sumLoop);
  FailureOr<LoopLikeOpInterface> online =
      cast<LoopLikeOpInterface>(m.sumLoop.getOperation())
          .replaceWithAdditionalYields(rewriter, maxInit,
                                       /*replaceInitOperandUsesInLoop=*/false,
                                       yieldMax);
  assert(succeeded(online) && "scf.for always takes new iter_args");
  Value onlineMax = (*online)->getResults().back();
  for (OpOperand &use : llvm::make_early_inc_range(maxResult.getUses())) {
    auto lse = cast<LseOp>(use.getOwner());
    rewriter.modifyOpInPlace(lse, [&] {
      use.set(onlineMax);
      lse.setBase2(true);
    });
  }
  rewriter.eraseOp(m.maxLoop);
}

struct AttnFuseOnlineSoftmaxPass
    : attn::impl::AttnFuseOnlineSoftmaxPassBase<AttnFuseOnlineSoftmaxPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!std::isfinite(rescaleThreshold) || rescaleThreshold < 0) {
      emitError(getOperation()->getLoc())
          << "attn-fuse-online-softmax: rescale-threshold must be a "
             "non-negative finite number, got "
          << float(rescaleThreshold);
      return signalPassFailure();
    }
    if (exp2Emulation < 0 || exp2Degree < kMinExp2PolynomialDegree ||
        exp2Degree > kMaxExp2PolynomialDegree) {
      emitError(getOperation()->getLoc())
          << "attn-fuse-online-softmax: exp2-emulation must be 0 (off) or "
             "more and exp2-degree from "
          << kMinExp2PolynomialDegree << " to " << kMaxExp2PolynomialDegree
          << ", got " << int64_t(exp2Emulation) << " and "
          << int64_t(exp2Degree);
      return signalPassFailure();
    }
    Builder builder(&getContext());
    PolyExp2 poly;
    if (exp2Emulation > 0)
      poly = {builder.getI64IntegerAttr(exp2Emulation),
              builder.getI64IntegerAttr(exp2Degree)};
    // The option overrides the schedule's threshold (for tests).
    FloatAttr override;
    if (rescaleThreshold > 0)
      override = Builder(&getContext()).getF32FloatAttr(rescaleThreshold);

    SmallVector<TwoPassSoftmax> matches;
    getOperation()->walk([&](RowExpOp probs) {
      FailureOr<TwoPassSoftmax> m = matchTwoPassSoftmax(probs);
      if (succeeded(m))
        matches.push_back(*m);
    });
    IRRewriter rewriter(&getContext());
    for (TwoPassSoftmax &m : matches) {
      FloatAttr threshold = override;
      auto grid = m.sumLoop->getParentOfType<scf::ForallOp>();
      if (!threshold && grid)
        if (auto schedule = grid->getAttrOfType<ScheduleAttr>(
                kGridScheduleAttrName))
          threshold = schedule.getRescaleThreshold();
      rewriteOnline(rewriter, m, threshold, poly);
    }
  }
};

} // namespace
