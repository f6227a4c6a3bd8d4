//===- AttnToLinalg.cpp - attn to the linalg reference ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Lowers attn.attention to the naive computation it is defined by. Query heads
// are viewed as [Hkv, G] with G = Hq / Hkv, so every generic below iterates
// over (b, hkv, g, i, ...) and reads K and V at (b, hkv, ...): grouped-query
// attention needs no integer division in an indexing map.
//
//===----------------------------------------------------------------------===//

#include "attn/Conversion/AttnToLinalg/AttnToLinalg.h"
#include "Common.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTOLINALGPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Emits the reference computation of attn.attention: the head layout
/// helpers on top of the shared linalg emitter.
class ReferenceEmitter : public LinalgEmitter {
public:
  using LinalgEmitter::LinalgEmitter;

  /// A new [d0, d1, d2, d3] tensor or buffer whose element at (i0, i1, i2,
  /// i3) is `element(at)`: a gather, since an indexing map cannot divide
  /// or go through a table.
  Value
  gather(ArrayRef<OpFoldResult> sizes, Type elementType,
         function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> element) {
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, b.getContext());
    SmallVector<utils::IteratorType> loops(4, utils::IteratorType::parallel);
    return generic({}, empty(sizes, elementType), {identity}, loops,
                   [&](OpBuilder &nb, Location nl, ValueRange) -> Value {
                     SmallVector<Value> at;
                     for (int64_t d = 0; d < 4; ++d)
                       at.push_back(linalg::IndexOp::create(nb, nl, d));
                     return element(nb, nl, at);
                   });
  }

  /// K or V with every head repeated `group` times, [B, Hq, S, D], read with
  /// a gather so that `group` may be a runtime value.
  Value repeatHeads(Value kv, OpFoldResult heads, Value group) {
    auto type = cast<ShapedType>(kv.getType());
    return gather(
        {dim(kv, 0), heads, dim(kv, 2), dim(kv, 3)}, type.getElementType(),
        [&](OpBuilder &nb, Location nl, ArrayRef<Value> at) {
          Value head = arith::DivUIOp::create(nb, nl, at[1], group);
          return readElement(nb, nl, kv, ValueRange{at[0], head, at[2], at[3]});
        });
  }

  /// The key count of batch `batchIv` of a paged cache: its cache length,
  /// held to [0, capacity] so that no read leaves the cache.
  Value cacheLength(OpBuilder &nb, Location nl, Value lengths, Value batchIv,
                    Value capacity) {
    return buildCacheLength(nb, nl, readElement(nb, nl, lengths, batchIv),
                            capacity);
  }

  /// A paged cache `[P, page, Hkv, D]` gathered into `[B, Hkv, capacity, D]`
  /// through the block table; keys past a batch's length read as zero (the
  /// mask hides them).
  Value gatherPages(Value cache, Value table, Value lengths, OpFoldResult batch,
                    Value capacity) {
    auto type = cast<ShapedType>(cache.getType());
    return gather(
        {batch, dim(cache, 2), capacity, dim(cache, 3)}, type.getElementType(),
        [&](OpBuilder &nb, Location nl, ArrayRef<Value> at) {
          Value length = cacheLength(nb, nl, lengths, at[0], capacity);
          return readPagedElement(nb, nl, cache, table, at[0], at[2], length,
                                  at[1], at[3]);
        });
  }

  /// Splits dimension 1 (query heads) of `value` into [Hkv, G].
  Value splitHeads(Value value, OpFoldResult hkv, OpFoldResult group) {
    auto type = cast<ShapedType>(value.getType());
    SmallVector<OpFoldResult> sizes;
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
      if (d == 1) {
        groups.push_back({1, 2});
        sizes.append({hkv, group});
        continue;
      }
      int64_t next = static_cast<int64_t>(sizes.size());
      groups.push_back({next});
      sizes.push_back(dim(value, d));
    }
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamic;
    dispatchIndexOpFoldResults(sizes, dynamic, shape);
    // A static head count can only be split into static factors.
    if (!ShapedType::isDynamic(type.getDimSize(1)) &&
        (ShapedType::isDynamic(shape[1]) || ShapedType::isDynamic(shape[2]))) {
      SmallVector<int64_t> relaxed(type.getShape());
      relaxed[1] = ShapedType::kDynamic;
      value = castTo(value, type.clone(relaxed));
    }
    if (onTensors)
      return tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get(shape, type.getElementType()), value,
          groups, sizes);
    return memref::ExpandShapeOp::create(b, loc, shape, value, groups, sizes);
  }

  /// Undoes splitHeads on a tensor result, back to the destination's type.
  Value mergeHeads(Value value, Type destType) {
    int64_t rank = cast<ShapedType>(value.getType()).getRank();
    SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
    for (int64_t d = 3; d < rank; ++d)
      groups.push_back({d});
    Value merged = tensor::CollapseShapeOp::create(b, loc, value, groups);
    return castTo(merged, destType);
  }
};

struct AttentionToLinalg : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool onTensors = isa<RankedTensorType>(op.getQuery().getType());
    ReferenceEmitter e(rewriter, loc, onTensors);
    MLIRContext *ctx = op.getContext();
    float negInf = -std::numeric_limits<float>::infinity();

    Value q = op.getQuery(), k = op.getKey(), v = op.getValue();
    OpFoldResult batch = e.dim(q, 0);
    // A paged cache is first gathered into [B, Hkv, capacity, D], the keys
    // of every batch up to the longest it can hold; the mask then hides each
    // batch's keys past its length.
    Value capacity;
    if (op.isPaged()) {
      capacity = arith::MulIOp::create(rewriter, loc,
                                       e.index(e.dim(op.getBlockTable(), 1)),
                                       e.index(e.dim(k, 1)));
      k = e.gatherPages(k, op.getBlockTable(), op.getCacheLengths(), batch,
                        capacity);
      v = e.gatherPages(v, op.getBlockTable(), op.getCacheLengths(), batch,
                        capacity);
    }
    OpFoldResult hkv = e.dim(k, 1), seqQ = e.dim(q, 2), seqKv = e.dim(k, 2),
                 headDimV = e.dim(v, 3);
    OpFoldResult group;
    if (std::optional<int64_t> g = op.getStaticGroupSize()) {
      group = rewriter.getIndexAttr(*g);
    } else {
      // With a runtime group size, [Hkv, G] would have two dynamic factors,
      // which expand-strided-metadata cannot take: repeat K/V heads instead.
      OpFoldResult hq = e.dim(q, 1);
      Value hqValue = e.index(hq), hkvValue = e.index(hkv);
      Value runtimeGroup =
          arith::DivUIOp::create(rewriter, loc, hqValue, hkvValue);
      k = e.repeatHeads(k, hq, runtimeGroup);
      v = e.repeatHeads(v, hq, runtimeGroup);
      hkv = hq;
      group = rewriter.getIndexAttr(1);
    }

    // Loop dimensions: (b, h, g, i, j, d) for Q K^T; (b, h, g, i, j, e) for
    // P V; (b, h, g, i, j) for elementwise work on scores.
    AffineExpr b, h, g, i, j, d;
    bindDims(ctx, b, h, g, i, j, d);
    auto map = [&](unsigned numDims, ArrayRef<AffineExpr> results) {
      return AffineMap::get(numDims, 0, results, ctx);
    };
    using utils::IteratorType;
    auto par = IteratorType::parallel, red = IteratorType::reduction;

    // S = Q K^T.
    Value q5 = e.splitHeads(q, hkv, group);
    Value scores = e.filled({batch, hkv, group, seqQ, seqKv}, 0.0f);
    scores =
        e.generic({q5, k}, scores,
                  {map(6, {b, h, g, i, d}), map(6, {b, h, j, d}),
                   map(6, {b, h, g, i, j})},
                  {par, par, par, par, par, red},
                  [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                    Value qv = toF32(nb, nl, args[0]);
                    Value kv = toF32(nb, nl, args[1]);
                    Value prod = arith::MulFOp::create(nb, nl, qv, kv);
                    return arith::AddFOp::create(nb, nl, args[2], prod);
                  });

    // Scale, softcap, mask.
    // Query i sits at key position i + Skv - Sq; a paged batch's Skv is its
    // own length, read where the mask is built.
    Value seqKvValue = op.isPaged() ? Value() : e.index(seqKv);
    Value seqQValue = e.index(seqQ);
    Value offset;
    if (!op.isPaged())
      offset = arith::SubIOp::create(rewriter, loc, seqKvValue, seqQValue);
    float scale = op.getEffectiveScale();
    std::optional<float> softcap;
    if (std::optional<APFloat> cap = op.getSoftcap())
      softcap = cap->convertToFloat();
    std::optional<std::pair<int64_t, int64_t>> window = getWindow(op);
    AffineMap scoresMap = map(5, {b, h, g, i, j});
    SmallVector<IteratorType> scoresLoops(5, par);
    scores =
        e.generic({}, scores, {scoresMap}, scoresLoops,
                  [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                    Value s = arith::MulFOp::create(nb, nl, args[0],
                                                    f32Constant(nb, nl, scale));
                    if (softcap) {
                      Value capValue = f32Constant(nb, nl, *softcap);
                      Value t = math::TanhOp::create(
                          nb, nl, arith::DivFOp::create(nb, nl, s, capValue));
                      s = arith::MulFOp::create(nb, nl, capValue, t);
                    }
                    Value row = linalg::IndexOp::create(nb, nl, 3);
                    Value col = linalg::IndexOp::create(nb, nl, 4);
                    Value visible;
                    if (op.isPaged()) {
                      // A paged batch aligns its mask to its own length and
                      // sees no key past it.
                      Value length = e.cacheLength(
                          nb, nl, op.getCacheLengths(),
                          linalg::IndexOp::create(nb, nl, 0), capacity);
                      Value batchOffset =
                          arith::SubIOp::create(nb, nl, length, seqQValue);
                      Value masked = isVisible(nb, nl, op.getMask(), window,
                                               row, col, batchOffset);
                      Value inSequence = arith::CmpIOp::create(
                          nb, nl, arith::CmpIPredicate::slt, col, length);
                      visible =
                          arith::AndIOp::create(nb, nl, masked, inSequence);
                    } else {
                      visible = isVisible(nb, nl, op.getMask(), window, row,
                                          col, offset);
                    }
                    return arith::SelectOp::create(nb, nl, visible, s,
                                                   f32Constant(nb, nl, negInf));
                  });

    // Row max m, with -inf for rows that see no key.
    AffineMap rowMap = map(5, {b, h, g, i});
    SmallVector<IteratorType> rowReduction = {par, par, par, par, red};
    Value rowMax = e.filled({batch, hkv, group, seqQ}, negInf);
    rowMax =
        e.generic({scores}, rowMax, {scoresMap, rowMap}, rowReduction,
                  [](OpBuilder &nb, Location nl, ValueRange args) {
                    return arith::MaximumFOp::create(nb, nl, args[0], args[1])
                        .getResult();
                  });

    // P = exp(S - m), subtracting 0 instead of -inf in fully masked rows so
    // that they give exp(-inf) = 0 rather than NaN.
    auto safeMax = [&](OpBuilder &nb, Location nl, Value m) -> Value {
      Value isEmpty = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ,
                                            m, f32Constant(nb, nl, negInf));
      return arith::SelectOp::create(nb, nl, isEmpty, f32Constant(nb, nl, 0.0f),
                                     m);
    };
    scores =
        e.generic({rowMax}, scores, {rowMap, scoresMap}, scoresLoops,
                  [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                    Value shifted = arith::SubFOp::create(
                        nb, nl, args[1], safeMax(nb, nl, args[0]));
                    return math::ExpOp::create(nb, nl, shifted);
                  });

    // Row sum l.
    Value rowSum = e.filled({batch, hkv, group, seqQ}, 0.0f);
    rowSum = e.generic(
        {scores}, rowSum, {scoresMap, rowMap}, rowReduction,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return arith::AddFOp::create(nb, nl, args[0], args[1]).getResult();
        });

    // PV = P V (loop dimension 5 is now the value head dim).
    Value pv = e.filled({batch, hkv, group, seqQ, headDimV}, 0.0f);
    pv = e.generic({scores, v}, pv,
                   {map(6, {b, h, g, i, j}), map(6, {b, h, j, d}),
                    map(6, {b, h, g, i, d})},
                   {par, par, par, par, red, par},
                   [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                     Value prod = arith::MulFOp::create(nb, nl, args[0],
                                                        toF32(nb, nl, args[1]));
                     return arith::AddFOp::create(nb, nl, args[2], prod);
                   });

    // O = PV / l, and 0 where l = 0.
    Value output = op.getOutput();
    Type outputElement = cast<ShapedType>(output.getType()).getElementType();
    Value o5 = e.splitHeads(output, hkv, group);
    o5 = e.generic(
        {pv, rowSum}, o5,
        {map(5, {b, h, g, i, j}), rowMap, map(5, {b, h, g, i, j})}, scoresLoops,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value zero = f32Constant(nb, nl, 0.0f);
          Value isEmpty = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, args[1], zero);
          Value normalized = arith::DivFOp::create(nb, nl, args[0], args[1]);
          Value o = arith::SelectOp::create(nb, nl, isEmpty, zero, normalized);
          return fromF32(nb, nl, o, outputElement);
        });
    SmallVector<Value> results;
    if (onTensors)
      results.push_back(e.mergeHeads(o5, output.getType()));

    // LSE = m + log(l), which is -inf where l = 0.
    if (Value lse = op.getLse()) {
      Value lse4 = e.splitHeads(lse, hkv, group);
      AffineMap lseMap = map(4, {b, h, g, i});
      lse4 =
          e.generic({rowMax, rowSum}, lse4, {lseMap, lseMap, lseMap},
                    {par, par, par, par},
                    [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                      Value logSum = math::LogOp::create(nb, nl, args[1]);
                      return arith::AddFOp::create(
                          nb, nl, safeMax(nb, nl, args[0]), logSum);
                    });
      if (onTensors)
        results.push_back(e.mergeHeads(lse4, lse.getType()));
    }

    if (onTensors)
      rewriter.replaceOp(op, results);
    else
      rewriter.eraseOp(op);
    return success();
  }
};

/// The reference views query heads as [Hkv, G] through expand_shape, which
/// needs a strided layout on buffers.
LogicalResult checkLowerable(AttentionOp op) {
  for (Value value :
       SmallVector<Value>{op.getQuery(), op.getOutput(), op.getLse()}) {
    auto type =
        dyn_cast_if_present<MemRefType>(value ? value.getType() : Type());
    if (type && !type.isStrided())
      return op.emitError()
             << "convert-attn-to-linalg: cannot lower an attention to the "
                "linalg reference: "
             << type
             << " has a layout that is not strided";
  }
  return success();
}

struct ConvertAttnToLinalgPass
    : attn::impl::ConvertAttnToLinalgPassBase<ConvertAttnToLinalgPass> {
  void runOnOperation() override {
    WalkResult checked = getOperation()->walk([](AttentionOp op) {
      return failed(checkLowerable(op)) ? WalkResult::interrupt()
                                        : WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();
    lowerPipelineToLoads(getOperation());

    ConversionTarget target(getContext());
    target.addIllegalDialect<AttnDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateAttnToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::attn::populateAttnToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<AttentionToLinalg>(patterns.getContext());
  populateTileOpsToLinalgPatterns(patterns);
  populateCombineSplitsToLinalgPatterns(patterns);
}
