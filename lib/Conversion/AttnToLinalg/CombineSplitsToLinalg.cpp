//===- CombineSplitsToLinalg.cpp - the merge of split-KV in linalg -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The merge of split-KV partial results, written out in linalg.generic: the
// largest partial LSE, the sum of exponentials against it, the merged LSE,
// then the weighted sum of the partial outputs. Chunks with an LSE of -inf
// weigh 0, so empty chunks (and rows no chunk sees) never produce NaN; the
// scalar math is attn::buildChunkWeight and buildMergedLse, which the sm_80
// kernel's merge builds too.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include <limits>

using namespace mlir;
using namespace mlir::attn;

namespace {

struct CombineSplitsToLinalg : OpRewritePattern<CombineSplitsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CombineSplitsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value partialOutput = op.getPartialOutput(),
          partialLse = op.getPartialLse();
    bool onTensors = isa<RankedTensorType>(partialOutput.getType());
    LinalgEmitter e(rewriter, loc, onTensors);
    MLIRContext *ctx = op.getContext();
    float negInf = -std::numeric_limits<float>::infinity();
    SmallVector<OpFoldResult> rows = {
        e.dim(partialLse, 1), e.dim(partialLse, 2), e.dim(partialLse, 3)};

    // Loop dimensions (b, h, s, n) for the LSEs, (b, h, s, d, n) for O.
    AffineExpr b, h, s, x, y;
    bindDims(ctx, b, h, s, x, y);
    auto map = [&](unsigned numDims, ArrayRef<AffineExpr> results) {
      return AffineMap::get(numDims, 0, results, ctx);
    };
    using utils::IteratorType;
    auto par = IteratorType::parallel, red = IteratorType::reduction;
    AffineMap rowMap = map(4, {b, h, s}), partialMap = map(4, {x, b, h, s});
    AffineMap rows3 = map(3, {b, h, s});
    Value max = e.generic(
        {partialLse}, e.filled(rows, negInf), {partialMap, rowMap},
        {par, par, par, red}, [](OpBuilder &nb, Location nl, ValueRange args) {
          return arith::MaximumFOp::create(nb, nl, args[0], args[1])
              .getResult();
        });
    Value sum = e.generic(
        {partialLse, max}, e.filled(rows, 0.0f), {partialMap, rowMap, rowMap},
        {par, par, par, red},
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          return arith::AddFOp::create(
              nb, nl, args[2], buildChunkWeight(nb, nl, args[0], args[1]));
        });
    Value lse = e.generic({max, sum}, e.empty(rows, rewriter.getF32Type()),
                          {rows3, rows3, rows3}, {par, par, par},
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return buildMergedLse(nb, nl, args[0], args[1]);
                          });

    SmallVector<OpFoldResult> outputSizes(rows);
    outputSizes.push_back(e.dim(partialOutput, 4));
    AffineMap outMap = map(5, {b, h, s, x});
    Value acc = e.generic(
        {partialOutput, partialLse, lse}, e.filled(outputSizes, 0.0f),
        {map(5, {y, b, h, s, x}), map(5, {y, b, h, s}), map(5, {b, h, s}),
         outMap},
        {par, par, par, par, red},
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          Value term = arith::MulFOp::create(
              nb, nl, args[0], buildChunkWeight(nb, nl, args[1], args[2]));
          return arith::AddFOp::create(nb, nl, args[3], term);
        });
    Value output = op.getOutput();
    Type outputElement = cast<ShapedType>(output.getType()).getElementType();
    SmallVector<Value> results;
    results.push_back(e.generic(
        {acc}, output, {map(4, {b, h, s, x}), map(4, {b, h, s, x})},
        {par, par, par, par}, [&](OpBuilder &nb, Location nl, ValueRange args) {
          return fromF32(nb, nl, args[0], outputElement);
        }));
    if (Value lseDest = op.getLse())
      results.push_back(e.generic(
          {lse}, lseDest, {rows3, rows3}, {par, par, par},
          [](OpBuilder &, Location, ValueRange args) { return args[0]; }));

    if (onTensors)
      rewriter.replaceOp(op, results);
    else
      rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::attn::populateCombineSplitsToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<CombineSplitsToLinalg>(patterns.getContext());
}
