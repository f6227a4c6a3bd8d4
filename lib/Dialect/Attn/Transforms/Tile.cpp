//===- Tile.cpp - tile attn.attention into a grid and K/V loops -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Produces level L2: for each (query tile, query head, batch) of an
// scf.forall grid, two K/V loops compute the exact softmax in tiles (first the
// row maximum, then the row sums and P V against it). The K/V range of each
// loop is cut to the tiles that hold a key the query tile can see.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>
#include <map>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTILEPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Tile rows and columns for an op that no target has scheduled.
constexpr int64_t kDefaultTile = 64;

/// Builds the tiled form of one attention op. Index arithmetic is created
/// with createOrFold so that static shapes give constants.
class AttentionTiler {
public:
  AttentionTiler(RewriterBase &b, AttentionOp op, ScheduleAttr schedule)
      : b(b), constants(op.getContext()), op(op), loc(op.getLoc()),
        schedule(schedule), tileM(schedule.getTileM()),
        tileN(schedule.getTileN()) {}

  scf::ForallOp build();

private:
  /// An index constant, created once, at the start of the op's block.
  Value index(int64_t value) {
    Value &constant = indexConstants[value];
    if (!constant) {
      constants.setInsertionPointToStart(op->getBlock());
      constant = arith::ConstantIndexOp::create(constants, loc, value);
    }
    return constant;
  }
  Value dim(Value tensor, int64_t i) {
    int64_t size = cast<ShapedType>(tensor.getType()).getDimSize(i);
    if (!ShapedType::isDynamic(size))
      return index(size);
    return tensor::DimOp::create(b, loc, tensor, index(i));
  }
  template <typename OpTy> Value arith(Value lhs, Value rhs) {
    return b.createOrFold<OpTy>(loc, lhs, rhs);
  }
  /// A constant tile or row vector of f32 filled with `value`.
  Value splat(ArrayRef<int64_t> shape, float value) {
    auto type = RankedTensorType::get(shape, b.getF32Type());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(value)));
  }

  std::pair<Value, Value> keyRange();
  Value maskedScores(Value col);

  RewriterBase &b;
  OpBuilder constants;
  // std::map: every int64_t is a valid key (window extents reach INT64_MAX,
  // which DenseMap reserves).
  std::map<int64_t, Value> indexConstants;
  AttentionOp op;
  Location loc;
  ScheduleAttr schedule;
  int64_t tileM, tileN;

  // Set while the grid body is built.
  Value batchIv, headIv, kvHead, row, queryTile, seqQ, seqKv;
};

/// The K/V range [lo, hi) that query rows [row, row + tileM) can see, with lo
/// rounded down to a whole tile. hi <= lo means no K/V tile is visited.
std::pair<Value, Value> AttentionTiler::keyRange() {
  Value zero = index(0);
  if (op.getMask() == MaskKind::none)
    return {zero, seqKv};
  // Query i sits at key position i + (Skv - Sq).
  Value offset = arith<arith::SubIOp>(seqKv, seqQ);
  Value rowEnd =
      arith<arith::MinSIOp>(arith<arith::AddIOp>(row, index(tileM)), seqQ);
  Value lo = zero;
  Value hi = arith<arith::AddIOp>(rowEnd, offset);
  if (op.getMask() == MaskKind::sliding_window) {
    // Positions run over [Skv - Sq, Skv) and keys over [0, Skv), so a window
    // reaching Skv keys to the left or Sq to the right sees as much as an
    // unbounded one; clamping there keeps the arithmetic below from
    // overflowing for extents near INT64_MAX, which the op allows.
    auto [leftExtent, rightExtent] = op.getWindowExtents();
    Value left = arith<arith::MinSIOp>(index(leftExtent), seqKv);
    Value right = arith<arith::MinSIOp>(index(rightExtent), seqQ);
    Value first = arith<arith::SubIOp>(arith<arith::AddIOp>(row, offset), left);
    // Start at the tile that holds the first visible key.
    Value tile = index(tileN);
    lo = arith<arith::MulIOp>(
        arith<arith::DivUIOp>(arith<arith::MaxSIOp>(first, zero), tile), tile);
    hi = arith<arith::AddIOp>(hi, right);
  }
  hi = arith<arith::MinSIOp>(arith<arith::MaxSIOp>(hi, zero), seqKv);
  return {lo, hi};
}

/// The scaled, soft-capped and masked scores of the query tile against the
/// key tile at `col`.
Value AttentionTiler::maskedScores(Value col) {
  auto queryType = cast<ShapedType>(queryTile.getType());
  auto keyTileType = RankedTensorType::get({tileN, queryType.getDimSize(1)},
                                           queryType.getElementType());
  Value keyTile = LoadTileOp::create(b, loc, keyTileType, op.getKey(), batchIv,
                                     kvHead, col);
  auto scoresType = RankedTensorType::get({tileM, tileN}, b.getF32Type());
  Value scores = QKMatmulOp::create(b, loc, scoresType, queryTile, keyTile);

  // c * tanh(s * scale / c) is written as c * tanh((scale / c) * s).
  float scale = op.getEffectiveScale();
  FloatAttr softcap = op.getSoftcapAttr();
  if (softcap)
    scale /= softcap.getValueAsDouble();
  return MaskScoresOp::create(b, loc, scoresType, scores, row, col, seqQ, seqKv,
                              op.getMaskAttr(), op.getWindowLeftAttr(),
                              op.getWindowRightAttr(), b.getF32FloatAttr(scale),
                              softcap);
}

scf::ForallOp AttentionTiler::build() {
  Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
  Value batch = dim(query, 0), heads = dim(query, 1);
  seqQ = dim(query, 2);
  seqKv = dim(key, 2);
  std::optional<int64_t> staticGroup = op.getStaticGroupSize();
  Value group = staticGroup ? index(*staticGroup)
                            : arith<arith::DivUIOp>(heads, dim(key, 1));
  Value numQueryTiles = arith<arith::CeilDivUIOp>(seqQ, index(tileM));

  auto grid = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{getAsOpFoldResult(numQueryTiles),
                             getAsOpFoldResult(heads),
                             getAsOpFoldResult(batch)},
      op.getOutputs(), /*mapping=*/std::nullopt);
  grid->setAttr(kGridScheduleAttrName, schedule);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(grid.getBody());
  Value queryTileIv = grid.getInductionVar(0);
  headIv = grid.getInductionVar(1);
  batchIv = grid.getInductionVar(2);
  row = arith<arith::MulIOp>(queryTileIv, index(tileM));
  kvHead = arith<arith::DivUIOp>(headIv, group);

  auto queryType = cast<ShapedType>(query.getType());
  int64_t headDim = queryType.getDimSize(3);
  int64_t valueHeadDim = cast<ShapedType>(value.getType()).getDimSize(3);
  queryTile = LoadTileOp::create(
      b, loc,
      RankedTensorType::get({tileM, headDim}, queryType.getElementType()),
      query, batchIv, headIv, row);
  auto [lo, hi] = keyRange();
  Value step = index(tileN);
  auto rowsType = RankedTensorType::get({tileM}, b.getF32Type());

  // Pass 1: the row maximum over every visible key.
  float negInf = -std::numeric_limits<float>::infinity();
  auto maxLoop = scf::ForOp::create(
      b, loc, lo, hi, step, ValueRange{splat({tileM}, negInf)},
      [&](OpBuilder &, Location, Value col, ValueRange iterArgs) {
        Value scores = maskedScores(col);
        Value max = RowMaxOp::create(b, loc, rowsType, scores, iterArgs[0],
                                     /*threshold=*/FloatAttr());
        scf::YieldOp::create(b, loc, max);
      });
  Value rowMax = maxLoop.getResult(0);

  // Pass 2: probabilities against that maximum, their row sums and P V.
  auto accType = RankedTensorType::get({tileM, valueHeadDim}, b.getF32Type());
  auto valueTileType =
      RankedTensorType::get({tileN, valueHeadDim}, queryType.getElementType());
  auto sumLoop = scf::ForOp::create(
      b, loc, lo, hi, step,
      ValueRange{splat({tileM, valueHeadDim}, 0.0f), splat({tileM}, 0.0f)},
      [&](OpBuilder &, Location, Value col, ValueRange iterArgs) {
        Value scores = maskedScores(col);
        Value probs = RowExpOp::create(b, loc, scores.getType(), scores, rowMax,
                                       /*base2=*/false);
        Value sum = RowSumOp::create(b, loc, rowsType, probs, iterArgs[1]);
        Value valueTile = LoadTileOp::create(b, loc, valueTileType, value,
                                             batchIv, kvHead, col);
        Value acc =
            PVMatmulOp::create(b, loc, accType, probs, valueTile, iterArgs[0]);
        scf::YieldOp::create(b, loc, ValueRange{acc, sum});
      });
  Value acc = sumLoop.getResult(0), rowSum = sumLoop.getResult(1);

  // Normalise and store the rows of this tile that exist.
  Value rows =
      arith<arith::MinSIOp>(arith<arith::SubIOp>(seqQ, row), index(tileM));
  Type outputElement =
      cast<ShapedType>(op.getOutput().getType()).getElementType();
  Value outputTile = NormalizeOp::create(
      b, loc, RankedTensorType::get({tileM, valueHeadDim}, outputElement), acc,
      rowSum);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  Value outputRows = tensor::ExtractSliceOp::create(
      b, loc, outputTile, ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{rows, b.getIndexAttr(valueHeadDim)},
      ArrayRef<OpFoldResult>{one, one});
  Value lseRows;
  if (op.getLse()) {
    Value lseTile =
        LseOp::create(b, loc, rowsType, rowMax, rowSum, /*base2=*/false);
    lseRows = tensor::ExtractSliceOp::create(
        b, loc, lseTile, ArrayRef<OpFoldResult>{zero},
        ArrayRef<OpFoldResult>{rows}, ArrayRef<OpFoldResult>{one});
  }

  b.setInsertionPointToStart(grid.getTerminator().getBody());
  ValueRange outs = grid.getRegionIterArgs();
  tensor::ParallelInsertSliceOp::create(
      b, loc, outputRows, outs[0],
      ArrayRef<OpFoldResult>{batchIv, headIv, row, zero},
      ArrayRef<OpFoldResult>{one, one, rows, b.getIndexAttr(valueHeadDim)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  if (lseRows)
    tensor::ParallelInsertSliceOp::create(
        b, loc, lseRows, outs[1], ArrayRef<OpFoldResult>{batchIv, headIv, row},
        ArrayRef<OpFoldResult>{one, one, rows},
        ArrayRef<OpFoldResult>{one, one, one});
  return grid;
}

struct AttnTilePass : attn::impl::AttnTilePassBase<AttnTilePass> {
  using Base::Base;

  /// The schedule to tile `op` with: its own, or the target-independent
  /// default when it has none, with the pass options on top.
  ScheduleAttr resolveSchedule(AttentionOp op) {
    ScheduleAttr schedule = op.getScheduleAttr();
    if (!schedule)
      schedule = ScheduleAttr::get(op.getContext(), kDefaultTile, kDefaultTile,
                                   /*stages=*/1, /*warps=*/1);
    int64_t m = tileM > 0 ? int64_t(tileM) : schedule.getTileM();
    int64_t n = tileN > 0 ? int64_t(tileN) : schedule.getTileN();
    // Only the tile sizes change; the rest of the schedule rides along.
    return ScheduleAttr::get(op.getContext(), schedule.getKind(), m, n,
                             schedule.getStages(), schedule.getWarps(),
                             schedule.getRoles(), schedule.getPingPong(),
                             schedule.getOverlap(), schedule.getCluster(),
                             schedule.getRescaleThreshold());
  }

  void runOnOperation() override {
    if (tileM < 0 || tileN < 0) {
      emitError(getOperation()->getLoc())
          << "attn-tile: tile-m and tile-n must be positive, got "
          << int64_t(tileM) << " and " << int64_t(tileN);
      return signalPassFailure();
    }
    SmallVector<AttentionOp> ops;
    getOperation()->walk([&](AttentionOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (AttentionOp op : ops) {
      if (!isa<RankedTensorType>(op.getQuery().getType())) {
        op.emitError() << "attn-tile: cannot tile an attention on memrefs: "
                          "run -attn-tile before bufferization";
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      scf::ForallOp grid =
          AttentionTiler(rewriter, op, resolveSchedule(op)).build();
      rewriter.replaceOp(op, grid.getResults());
    }
  }
};

} // namespace
