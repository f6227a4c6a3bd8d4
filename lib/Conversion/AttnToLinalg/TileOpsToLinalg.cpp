//===- TileOpsToLinalg.cpp - tile-level attn ops to linalg ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Lowers the ops of the tiled (L2) and online (L3) levels to linalg on
// tensors, one generic per op, so that a tiled kernel runs on the CPU and can
// be checked against the reference. Each lowering is the op's documented
// definition, written out.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "attn/Target/Exp2Polynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;

namespace {

using utils::IteratorType;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

/// The shared emitter, on tensors: tile ops have value semantics.
LinalgEmitter onTensors(RewriterBase &b, Location loc) {
  return LinalgEmitter(b, loc, /*onTensors=*/true);
}

/// A new tensor.empty of the static tile type `type`.
Value emptyLike(RewriterBase &b, Location loc, Type type) {
  auto tile = cast<RankedTensorType>(type);
  return onTensors(b, loc).empty(
      getAsIndexOpFoldResult(b.getContext(), tile.getShape()),
      tile.getElementType());
}

/// A new f32 tile of the static type `type`, filled with `value`.
Value filled(RewriterBase &b, Location loc, Type type, float value) {
  auto tile = cast<RankedTensorType>(type);
  return onTensors(b, loc).filled(
      getAsIndexOpFoldResult(b.getContext(), tile.getShape()), value);
}

AffineMap identityMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}

/// The map from a tile's loops to its row vector: (i, ...) -> (i).
AffineMap rowMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::get(rank, 0, getAffineDimExpr(0, ctx), ctx);
}

/// An elementwise generic over `like`'s shape whose inputs are `values`,
/// each indexed by the identity or, for row vectors, by the row.
Value rowwise(RewriterBase &b, Location loc, ValueRange values, Type resultType,
              BodyBuilder body) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = cast<ShapedType>(resultType).getRank();
  SmallVector<AffineMap> maps;
  for (Value value : values)
    maps.push_back(cast<ShapedType>(value.getType()).getRank() == rank
                       ? identityMap(ctx, rank)
                       : rowMap(ctx, rank));
  maps.push_back(identityMap(ctx, rank));
  SmallVector<IteratorType> loops(rank, IteratorType::parallel);
  return onTensors(b, loc).generic(values, emptyLike(b, loc, resultType), maps,
                                   loops, body);
}

/// A body that combines its first two block arguments with `OpTy`.
template <typename OpTy>
Value combine(OpBuilder &b, Location loc, ValueRange args) {
  return OpTy::create(b, loc, args[0], args[1]);
}

/// exp or exp2 of `x - max`, and 0 where the row's max is -inf. With
/// `polyEvery`, inside a generic over a tile, the columns j with
/// j % polyEvery = 0 take the polynomial exp2 of degree `polyDegree`.
Value expRelative(OpBuilder &b, Location loc, Value x, Value max, bool base2,
                  std::optional<uint64_t> polyEvery = std::nullopt,
                  std::optional<uint64_t> polyDegree = std::nullopt) {
  Value isEmpty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, max,
                                        f32Constant(b, loc, kNegInf));
  Value shifted = arith::SubFOp::create(b, loc, x, max);
  Value e = base2 ? math::Exp2Op::create(b, loc, shifted).getResult()
                  : math::ExpOp::create(b, loc, shifted).getResult();
  if (polyEvery) {
    Value j = linalg::IndexOp::create(b, loc, 1);
    Value picked = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(
            b, loc, j, arith::ConstantIndexOp::create(b, loc, *polyEvery)),
        arith::ConstantIndexOp::create(b, loc, 0));
    e = arith::SelectOp::create(
        b, loc, picked, buildPolynomialExp2(b, loc, shifted, *polyDegree), e);
  }
  return arith::SelectOp::create(b, loc, isEmpty, f32Constant(b, loc, 0.0f), e);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Copies the rows that exist into a zero tile. A packed tile (`heads(G)`)
/// is a [G, M / G] block of rows of G consecutive heads, collapsed.
struct LoadTileLowering : OpRewritePattern<LoadTileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LoadTileOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    auto tileType = cast<RankedTensorType>(op.getType());
    if (op.isPaged()) {
      // Each row through the block table.
      AffineMap identity = b.getMultiDimIdentityMap(2);
      auto gather = linalg::GenericOp::create(
          b, loc, tileType, ValueRange{}, emptyLike(b, loc, tileType), identity,
          {utils::IteratorType::parallel, utils::IteratorType::parallel},
          [&](OpBuilder &nb, Location nl, ValueRange) {
            Value r = linalg::IndexOp::create(nb, nl, 0);
            Value col = linalg::IndexOp::create(nb, nl, 1);
            Value key = arith::AddIOp::create(nb, nl, op.getRow(), r);
            linalg::YieldOp::create(
                nb, nl,
                readPagedElement(nb, nl, op.getSource(), op.getBlockTable(),
                                 op.getBatch(), key, op.getLength(),
                                 op.getHead(), col));
          });
      b.replaceOp(op, gather.getResults());
      return success();
    }
    std::optional<uint64_t> heads = op.getHeads();
    int64_t tileRows = tileType.getDimSize(0) / heads.value_or(1);
    int64_t width = tileType.getDimSize(1);
    Value length = tensor::DimOp::create(b, loc, op.getSource(), 2);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value tileRowCount = arith::ConstantIndexOp::create(b, loc, tileRows);
    // Rows outside [0, length) are zeros: `lead` of them before the first
    // row read (a causal tile ending at Sq starts before 0).
    Value start = arith::MaxSIOp::create(
        b, loc, arith::MinSIOp::create(b, loc, op.getRow(), length), zero);
    Value lead = arith::MaxSIOp::create(
        b, loc,
        arith::MinSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, start, op.getRow()),
            tileRowCount),
        zero);
    Value remaining = arith::SubIOp::create(b, loc, length, start);
    Value rows = arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, remaining, zero),
        arith::SubIOp::create(b, loc, tileRowCount, lead));
    OpFoldResult one = b.getIndexAttr(1), none = b.getIndexAttr(0);
    // Sizes of the block read, outermost first: [G,] rows, width.
    SmallVector<int64_t> blockShape = {tileRows, width};
    SmallVector<OpFoldResult> sizes = {rows, b.getIndexAttr(width)};
    if (heads) {
      blockShape.insert(blockShape.begin(), *heads);
      sizes.insert(sizes.begin(), b.getIndexAttr(*heads));
    }
    SmallVector<int64_t> sliceShape(blockShape);
    sliceShape[sliceShape.size() - 2] = ShapedType::kDynamic;
    SmallVector<OpFoldResult> sourceSizes(4 - sizes.size(), one);
    llvm::append_range(sourceSizes, sizes);
    Type element = tileType.getElementType();
    Value slice = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(sliceShape, element), op.getSource(),
        ArrayRef<OpFoldResult>{op.getBatch(), op.getHead(), start, none},
        sourceSizes, SmallVector<OpFoldResult>(4, one));
    Value zeros =
        linalg::FillOp::create(
            b, loc,
            arith::ConstantOp::create(b, loc, b.getZeroAttr(element))
                .getResult(),
            emptyLike(b, loc, RankedTensorType::get(blockShape, element)))
            .getResult(0);
    SmallVector<OpFoldResult> offsets(sizes.size(), none);
    offsets[offsets.size() - 2] = lead;
    Value block = tensor::InsertSliceOp::create(
        b, loc, slice, zeros, offsets, sizes,
        SmallVector<OpFoldResult>(sizes.size(), one));
    if (!heads) {
      b.replaceOp(op, block);
      return success();
    }
    b.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, tileType, block, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    return success();
  }
};

/// A contraction of two tiles into an f32 tile: (i, j, k) loops, k reduced.
Value contract(RewriterBase &b, Location loc, Value lhs, AffineMap lhsMap,
               Value rhs, AffineMap rhsMap, Value init, BodyBuilder product) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i, j, k;
  bindDims(ctx, i, j, k);
  AffineMap outMap = AffineMap::get(3, 0, {i, j}, ctx);
  return onTensors(b, loc).generic(
      {lhs, rhs}, init, {lhsMap, rhsMap, outMap},
      {IteratorType::parallel, IteratorType::parallel, IteratorType::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value prod = product(nb, nl, args);
        return arith::AddFOp::create(nb, nl, args[2], prod);
      });
}

struct QKMatmulLowering : OpRewritePattern<QKMatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QKMatmulOp op,
                                PatternRewriter &b) const override {
    MLIRContext *ctx = b.getContext();
    AffineExpr i, j, d;
    bindDims(ctx, i, j, d);
    Location loc = op.getLoc();
    b.replaceOp(
        op, contract(b, loc, op.getQuery(), AffineMap::get(3, 0, {i, d}, ctx),
                     op.getKey(), AffineMap::get(3, 0, {j, d}, ctx),
                     filled(b, loc, op.getType(), 0.0f),
                     [](OpBuilder &nb, Location nl, ValueRange args) {
                       return arith::MulFOp::create(nb, nl,
                                                    toF32(nb, nl, args[0]),
                                                    toF32(nb, nl, args[1]))
                           .getResult();
                     }));
    return success();
  }
};

struct PVMatmulLowering : OpRewritePattern<PVMatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PVMatmulOp op,
                                PatternRewriter &b) const override {
    MLIRContext *ctx = b.getContext();
    AffineExpr i, e, j;
    bindDims(ctx, i, e, j);
    Type valueElement =
        cast<ShapedType>(op.getValue().getType()).getElementType();
    b.replaceOp(
        op,
        contract(
            b, op.getLoc(), op.getProbs(), AffineMap::get(3, 0, {i, j}, ctx),
            op.getValue(), AffineMap::get(3, 0, {j, e}, ctx), op.getAcc(),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              // P is rounded to V's type, as the tensor cores see it.
              Value p = toF32(nb, nl, fromF32(nb, nl, args[0], valueElement));
              return arith::MulFOp::create(nb, nl, p, toF32(nb, nl, args[1]))
                  .getResult();
            }));
    return success();
  }
};

struct MaskScoresLowering : OpRewritePattern<MaskScoresOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaskScoresOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Value offset = arith::SubIOp::create(b, loc, op.getSeqKv(), op.getSeqQ());
    std::optional<std::pair<int64_t, int64_t>> window = getWindow(op);
    float scale = op.getScale().convertToFloat();
    std::optional<float> softcap;
    if (std::optional<APFloat> cap = op.getSoftcap())
      softcap = cap->convertToFloat();
    b.replaceOp(
        op,
        rowwise(b, loc, op.getScores(), op.getType(),
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  Value z = arith::MulFOp::create(nb, nl, args[0],
                                                  f32Constant(nb, nl, scale));
                  if (softcap)
                    z = arith::MulFOp::create(nb, nl,
                                              f32Constant(nb, nl, *softcap),
                                              math::TanhOp::create(nb, nl, z));
                  Value tileRow = linalg::IndexOp::create(nb, nl, 0);
                  // A packed tile repeats its queries once per head.
                  if (op.getHeads())
                    tileRow = arith::RemUIOp::create(
                        nb, nl, tileRow,
                        arith::ConstantIndexOp::create(nb, nl,
                                                       op.getRowsPerHead()));
                  Value i = arith::AddIOp::create(nb, nl, op.getRow(), tileRow);
                  Value j = arith::AddIOp::create(
                      nb, nl, op.getCol(), linalg::IndexOp::create(nb, nl, 1));
                  // Unsigned: a row before 0 (a causal tile ending at Sq)
                  // is outside too.
                  auto lessThan = [&](Value x, Value bound) -> Value {
                    return arith::CmpIOp::create(
                        nb, nl, arith::CmpIPredicate::ult, x, bound);
                  };
                  Value inside =
                      arith::AndIOp::create(nb, nl, lessThan(i, op.getSeqQ()),
                                            lessThan(j, op.getSeqKv()));
                  Value visible = arith::AndIOp::create(
                      nb, nl, inside,
                      isVisible(nb, nl, op.getMask(), window, i, j, offset));
                  return arith::SelectOp::create(nb, nl, visible, z,
                                                 f32Constant(nb, nl, kNegInf))
                      .getResult();
                }));
    return success();
  }
};

/// A reduction over the columns of `tile` into the row vector `init`.
Value reduceRows(RewriterBase &b, Location loc, Value tile, Value init,
                 BodyBuilder combine) {
  MLIRContext *ctx = b.getContext();
  return onTensors(b, loc).generic(
      tile, init, {identityMap(ctx, 2), rowMap(ctx, 2)},
      {IteratorType::parallel, IteratorType::reduction}, combine);
}

struct RowMaxLowering : OpRewritePattern<RowMaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RowMaxOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Value max = reduceRows(b, loc, op.getScores(), op.getInit(),
                           combine<arith::MaximumFOp>);
    if (std::optional<APFloat> threshold = op.getThreshold()) {
      // Keep the old reference unless the new max passed it by more than t.
      float t = threshold->convertToFloat();
      max = rowwise(
          b, loc, ValueRange{max, op.getInit()}, op.getType(),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value growth = arith::SubFOp::create(nb, nl, args[0], args[1]);
            Value moves =
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, growth,
                                      f32Constant(nb, nl, t));
            return arith::SelectOp::create(nb, nl, moves, args[0], args[1])
                .getResult();
          });
    }
    b.replaceOp(op, max);
    return success();
  }
};

struct RowExpLowering : OpRewritePattern<RowExpOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RowExpOp op,
                                PatternRewriter &b) const override {
    bool base2 = op.getBase2();
    std::optional<uint64_t> every = op.getPolyEvery(),
                            degree = op.getPolyDegree();
    b.replaceOp(op, rowwise(b, op.getLoc(), {op.getInput(), op.getMax()},
                            op.getType(),
                            [&](OpBuilder &nb, Location nl, ValueRange args) {
                              return expRelative(nb, nl, args[0], args[1],
                                                 base2, every, degree);
                            }));
    return success();
  }
};

struct RowSumLowering : OpRewritePattern<RowSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RowSumOp op,
                                PatternRewriter &b) const override {
    b.replaceOp(op, reduceRows(b, op.getLoc(), op.getInput(), op.getInit(),
                               combine<arith::AddFOp>));
    return success();
  }
};

struct RowScaleLowering : OpRewritePattern<RowScaleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RowScaleOp op,
                                PatternRewriter &b) const override {
    b.replaceOp(op, rowwise(b, op.getLoc(), {op.getInput(), op.getFactor()},
                            op.getType(), combine<arith::MulFOp>));
    return success();
  }
};

struct NormalizeLowering : OpRewritePattern<NormalizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NormalizeOp op,
                                PatternRewriter &b) const override {
    Type element = op.getType().getElementType();
    b.replaceOp(
        op, rowwise(b, op.getLoc(), {op.getAcc(), op.getSum()}, op.getType(),
                    [&](OpBuilder &nb, Location nl, ValueRange args) {
                      Value zero = f32Constant(nb, nl, 0.0f);
                      Value isEmpty = arith::CmpFOp::create(
                          nb, nl, arith::CmpFPredicate::OEQ, args[1], zero);
                      Value o = arith::SelectOp::create(
                          nb, nl, isEmpty, zero,
                          arith::DivFOp::create(nb, nl, args[0], args[1]));
                      return fromF32(nb, nl, o, element);
                    }));
    return success();
  }
};

struct LseLowering : OpRewritePattern<LseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LseOp op, PatternRewriter &b) const override {
    bool base2 = op.getBase2();
    b.replaceOp(
        op,
        rowwise(b, op.getLoc(), {op.getMax(), op.getSum()}, op.getType(),
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  Value max = args[0];
                  if (base2)
                    max = arith::MulFOp::create(
                        nb, nl, max, f32Constant(nb, nl, float(M_LN2)));
                  Value lse = arith::AddFOp::create(
                      nb, nl, max, math::LogOp::create(nb, nl, args[1]));
                  Value isEmpty =
                      arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ,
                                            args[1], f32Constant(nb, nl, 0.0f));
                  return arith::SelectOp::create(
                             nb, nl, isEmpty, f32Constant(nb, nl, kNegInf), lse)
                      .getResult();
                }));
    return success();
  }
};

} // namespace

/// Replaces `op` by the ops of its single-block region `body`, its results by
/// what the block's terminator yields.
static void replaceByBody(IRRewriter &b, Operation *op, Block &body) {
  SmallVector<Value> results(body.getTerminator()->getOperands());
  b.eraseOp(body.getTerminator());
  b.inlineBlockBefore(&body, op);
  b.replaceOp(op, results);
}

void mlir::attn::lowerPipelineToLoads(Operation *root) {
  IRRewriter b(root->getContext());
  // Warp roles: the last role computes the result; the others only fill
  // channels, and each of the consumer's waits names the rows it stands for.
  SmallVector<WarpSpecializeOp> roles;
  root->walk([&](WarpSpecializeOp op) { roles.push_back(op); });
  for (WarpSpecializeOp op : roles)
    replaceByBody(b, op, op.getBodies().back().front());
  root->walk([&](ChannelWaitOp wait) {
    b.setInsertionPoint(wait);
    b.replaceOpWithNewOp<LoadTileOp>(wait, wait.getType(), wait.getSource(),
                                     wait.getBatch(), wait.getHead(),
                                     wait.getRow());
  });
  root->walk([&](ChannelReleaseOp release) { b.eraseOp(release); });
  // The consumer's schedule: turns and asynchronous products are the plain
  // products, in order.
  SmallVector<OrderedOp> sections;
  root->walk([&](OrderedOp op) { sections.push_back(op); });
  for (OrderedOp op : sections)
    replaceByBody(b, op, op.getBody().front());
  // Roles sharing a region: read in order, their sections are the
  // computation.
  SmallVector<InRoleOp> inRole;
  root->walk([&](InRoleOp op) { inRole.push_back(op); });
  for (InRoleOp op : inRole)
    replaceByBody(b, op, op.getBody().front());
  root->walk([&](MatmulWaitOp wait) { b.replaceOp(wait, wait.getInput()); });
  root->walk([&](AllocChannelOp channel) { b.eraseOp(channel); });

  // Types first, so that loops carry tiles once copies are loads.
  root->walk([](scf::ForOp loop) {
    for (auto [arg, result] :
         llvm::zip(loop.getRegionIterArgs(), loop.getResults())) {
      if (auto future = dyn_cast<FutureType>(arg.getType())) {
        arg.setType(future.getTile());
        result.setType(future.getTile());
      }
    }
  });
  root->walk([&](CopyTileAsyncOp copy) {
    b.setInsertionPoint(copy);
    b.replaceOpWithNewOp<LoadTileOp>(
        copy, copy.getRing().getType().getTile(), copy.getSource(),
        copy.getBatch(), copy.getHead(), copy.getRow(), copy.getBlockTable(),
        copy.getLength(), copy.getHeadsAttr());
  });
  // The operand is a tile now, so read it untyped.
  root->walk([&](WaitTileOp wait) { b.replaceOp(wait, wait->getOperand(0)); });
  root->walk([&](AllocRingOp ring) { b.eraseOp(ring); });
}

void mlir::attn::populateTileOpsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LoadTileLowering, QKMatmulLowering, MaskScoresLowering,
               RowMaxLowering, RowExpLowering, RowSumLowering, RowScaleLowering,
               PVMatmulLowering, NormalizeLowering, LseLowering>(
      patterns.getContext());
}
