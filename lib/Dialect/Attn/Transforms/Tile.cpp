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
// Two schedule choices for decoding change the grid: packed GQA (the grid
// runs over key/value heads and a query tile holds the rows of every query
// head of the group) and split-KV (a fourth grid dimension cuts the K/V range
// into chunks, each writing a partial output and LSE that
// attn.combine_splits merges after the grid).
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

/// The rows by which causal tiles of a warp-specialised schedule shift to
/// end at Sq come in blocks of this many.
static constexpr int64_t kShiftRows = 64;

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
        tileN(schedule.getTileN()), kvChunk(schedule.getKvChunk()) {}

  /// The values that replace the op's results, or failure (with an error on
  /// the op) when the schedule cannot tile it.
  FailureOr<SmallVector<Value>> build();

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
  /// The K or V tile of `source` at key `col` of this grid body's batch and
  /// key/value head, through the block table when the cache is paged.
  Value loadKeys(Type tileType, Value source, Value col) {
    if (!op.isPaged())
      return LoadTileOp::create(b, loc, tileType, source, batchIv, kvHead, col);
    return LoadTileOp::create(b, loc, tileType, source, batchIv, kvHead, col,
                              op.getBlockTable(), seqKv, IntegerAttr());
  }
  Value maskedScores(Value col);
  IntegerAttr packedHeadsAttr() {
    return packedHeads > 1 ? b.getI64IntegerAttr(packedHeads) : IntegerAttr();
  }
  /// `rows` rows of each head of `tile` (`[M, ...]`) from its first row
  /// that exists, as `[rows, ...]`, or `[G, rows, ...]` when G heads are
  /// packed.
  Value existingRows(Value tile, Value rows);
  /// Inserts `rows` (from existingRows) into `dest` at this program
  /// instance's place: `[split,] batch, head, first existing row`, then
  /// zeros.
  void insertRows(Value rows, Value dest, Value rowCount);

  RewriterBase &b;
  OpBuilder constants;
  // std::map: every int64_t is a valid key (window extents reach INT64_MAX,
  // which DenseMap reserves).
  std::map<int64_t, Value> indexConstants;
  AttentionOp op;
  Location loc;
  ScheduleAttr schedule;
  int64_t tileM, tileN, kvChunk;
  // Query heads per tile (packed GQA) and query rows of each: tileM / heads.
  int64_t packedHeads = 1, queryRows = 0;

  // Set while the grid body is built: the grid's batch index, the first query
  // head of the tile, its key/value head, its first query row (negative for
  // the first causal tile when the tiles end at Sq), the tile's first row
  // that exists (null: its first), the query row that one is, and, with a
  // split, the chunk.
  Value batchIv, headIv, kvHead, row, firstRow, storedRow, split, queryTile,
      seqQ, seqKv;
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
      arith<arith::MinSIOp>(arith<arith::AddIOp>(row, index(queryRows)), seqQ);
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
  Value keyTile = loadKeys(keyTileType, op.getKey(), col);
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
                              softcap, packedHeadsAttr());
}

Value AttentionTiler::existingRows(Value tile, Value rows) {
  auto type = cast<RankedTensorType>(tile.getType());
  SmallVector<int64_t> shape = {packedHeads, queryRows};
  llvm::append_range(shape, type.getShape().drop_front());
  if (packedHeads > 1) {
    SmallVector<ReassociationIndices> groups = {{0, 1}};
    for (int64_t d = 2, e = shape.size(); d < e; ++d)
      groups.push_back({d});
    tile = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), tile,
        groups);
  } else {
    shape.erase(shape.begin());
  }
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> sizes;
  for (int64_t size : shape)
    sizes.push_back(b.getIndexAttr(size));
  sizes[packedHeads > 1 ? 1 : 0] = rows;
  SmallVector<OpFoldResult> offsets(shape.size(), zero);
  if (firstRow)
    offsets[0] = firstRow;
  return tensor::ExtractSliceOp::create(
      b, loc, tile, offsets, sizes,
      SmallVector<OpFoldResult>(shape.size(), one));
}

void AttentionTiler::insertRows(Value rows, Value dest, Value rowCount) {
  auto destType = cast<RankedTensorType>(dest.getType());
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets, sizes;
  if (split) {
    offsets.push_back(split);
    sizes.push_back(one);
  }
  llvm::append_values(offsets, batchIv, headIv, storedRow);
  sizes.append({one, b.getIndexAttr(packedHeads), rowCount});
  // The head dim of an output (V's, static; O's may be dynamic); none for
  // an LSE.
  if (offsets.size() < size_t(destType.getRank())) {
    offsets.push_back(zero);
    sizes.push_back(b.getIndexAttr(
        cast<ShapedType>(op.getValue().getType()).getDimSize(3)));
  }
  tensor::ParallelInsertSliceOp::create(
      b, loc, rows, dest, offsets, sizes,
      SmallVector<OpFoldResult>(offsets.size(), one));
}

FailureOr<SmallVector<Value>> AttentionTiler::build() {
  Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
  Value batch = dim(query, 0), heads = dim(query, 1);
  Value kvHeads = dim(key, op.getKvHeadDim());
  seqQ = dim(query, 2);
  // The keys of the grid: a paged cache's capacity, max_pages * page_size;
  // each batch's own length is read in the grid body.
  Value capacity =
      op.isPaged()
          ? arith<arith::MulIOp>(dim(op.getBlockTable(), 1), dim(key, 1))
          : dim(key, 2);
  seqKv = capacity;
  std::optional<int64_t> staticGroup = op.getStaticGroupSize();
  Value group =
      staticGroup ? index(*staticGroup) : arith<arith::DivUIOp>(heads, kvHeads);
  if (schedule.getPackGqa()) {
    if (!staticGroup)
      return op.emitError()
             << "attn-tile: pack_gqa needs static query and key/value head "
                "counts";
    if (tileM % *staticGroup != 0)
      return op.emitError()
             << "attn-tile: pack_gqa: tile_m = " << tileM << " cannot hold the "
             << *staticGroup << " query heads of a group equally";
    packedHeads = *staticGroup;
  }
  queryRows = tileM / packedHeads;
  Value numQueryTiles = arith<arith::CeilDivUIOp>(seqQ, index(queryRows));

  // The grid: (query tile, head, batch), where a packed tile's head is a
  // key/value head, and with a split the K/V chunk last.
  auto queryType = cast<ShapedType>(query.getType());
  int64_t headDim = queryType.getDimSize(3);
  int64_t valueHeadDim = cast<ShapedType>(value.getType()).getDimSize(3);
  SmallVector<OpFoldResult> gridSizes = {
      getAsOpFoldResult(numQueryTiles),
      getAsOpFoldResult(packedHeads > 1 ? kvHeads : heads),
      getAsOpFoldResult(batch)};
  SmallVector<Value> destinations(op.getOutputs());
  if (kvChunk > 0) {
    // At least one chunk: with no keys, one empty chunk writes the zeros.
    Value splits = arith<arith::MaxUIOp>(
        arith<arith::CeilDivUIOp>(seqKv, index(kvChunk)), index(1));
    gridSizes.push_back(getAsOpFoldResult(splits));
    SmallVector<OpFoldResult> sizes = {
        getAsOpFoldResult(splits), getAsOpFoldResult(batch),
        getAsOpFoldResult(heads), getAsOpFoldResult(seqQ)};
    Value partialLse = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    sizes.push_back(b.getIndexAttr(valueHeadDim));
    Value partialOutput =
        tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    destinations = {partialOutput, partialLse};
  }
  auto grid = scf::ForallOp::create(b, loc, gridSizes, destinations,
                                    /*mapping=*/std::nullopt);
  grid->setAttr(kGridScheduleAttrName, schedule);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(grid.getBody());
    Value queryTileIv = grid.getInductionVar(0);
    batchIv = grid.getInductionVar(2);
    if (kvChunk > 0)
      split = grid.getInductionVar(3);
    row = arith<arith::MulIOp>(queryTileIv, index(queryRows));
    if (op.getMask() == MaskKind::causal && packedHeads == 1 && kvChunk == 0 &&
        schedule.getKind() != KernelKind::fa2) {
      // Causal tiles end at Sq, so that the one tile of fewer rows is the
      // first, which sees the fewest keys, instead of the last, which runs
      // every K/V step (D = 64, S = 1024, 192-row tiles: 27 tile steps a
      // head instead of 32). Its rows before 0 load as zeros (TMA reads
      // them as it does rows past Sq; FA2's cp.async copies would need a
      // second bound on every row) and are not stored. The shift is whole
      // 64-row blocks, a warpgroup's rows: a TMA store must not start
      // before 0, and every kernel's O store boxes (16 or 32 rows) then lie
      // wholly before 0, to be skipped, or not at all.
      Value pad = arith<arith::SubIOp>(
          arith<arith::MulIOp>(numQueryTiles, index(queryRows)), seqQ);
      pad = arith<arith::MulIOp>(arith<arith::DivUIOp>(pad, index(kShiftRows)),
                                 index(kShiftRows));
      row = arith<arith::SubIOp>(row, pad);
      firstRow =
          arith<arith::MaxSIOp>(arith<arith::SubIOp>(index(0), row), index(0));
    }
    if (packedHeads > 1) {
      kvHead = grid.getInductionVar(1);
      headIv = arith<arith::MulIOp>(kvHead, index(packedHeads));
    } else {
      headIv = grid.getInductionVar(1);
      kvHead = arith<arith::DivUIOp>(headIv, group);
    }

    if (op.isPaged()) {
      Value length = tensor::ExtractOp::create(b, loc, op.getCacheLengths(),
                                               ValueRange{batchIv});
      seqKv = buildCacheLength(b, loc, length, capacity);
    }
    queryTile = LoadTileOp::create(
        b, loc,
        RankedTensorType::get({tileM, headDim}, queryType.getElementType()),
        query, batchIv, headIv, row, /*block_table=*/Value(),
        /*length=*/Value(), packedHeadsAttr());
    auto [lo, hi] = keyRange();
    if (split) {
      // The chunk's part of the visible range.
      Value chunkStart = arith<arith::MulIOp>(split, index(kvChunk));
      lo = arith<arith::MaxSIOp>(lo, chunkStart);
      hi = arith<arith::MinSIOp>(
          hi, arith<arith::AddIOp>(chunkStart, index(kvChunk)));
    }
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
    auto valueTileType = RankedTensorType::get({tileN, valueHeadDim},
                                               queryType.getElementType());
    auto sumLoop = scf::ForOp::create(
        b, loc, lo, hi, step,
        ValueRange{splat({tileM, valueHeadDim}, 0.0f), splat({tileM}, 0.0f)},
        [&](OpBuilder &, Location, Value col, ValueRange iterArgs) {
          Value scores = maskedScores(col);
          Value probs = RowExpOp::create(b, loc, scores.getType(), scores,
                                         rowMax, /*base2=*/false);
          Value sum = RowSumOp::create(b, loc, rowsType, probs, iterArgs[1]);
          Value valueTile = loadKeys(valueTileType, value, col);
          Value acc = PVMatmulOp::create(b, loc, accType, probs, valueTile,
                                         iterArgs[0]);
          scf::YieldOp::create(b, loc, ValueRange{acc, sum});
        });
    Value acc = sumLoop.getResult(0), rowSum = sumLoop.getResult(1);

    // Normalise and store the rows of this tile that exist; a chunk's
    // partial output stays in f32 for the merge.
    Value rows = arith<arith::MinSIOp>(arith<arith::SubIOp>(seqQ, row),
                                       index(queryRows));
    storedRow = row;
    if (firstRow) {
      rows = arith<arith::SubIOp>(rows, firstRow);
      storedRow = arith<arith::AddIOp>(row, firstRow);
    }
    Type outputElement =
        kvChunk > 0
            ? b.getF32Type()
            : cast<ShapedType>(op.getOutput().getType()).getElementType();
    Value outputTile = NormalizeOp::create(
        b, loc, RankedTensorType::get({tileM, valueHeadDim}, outputElement),
        acc, rowSum);
    Value outputRows = existingRows(outputTile, rows);
    Value lseRows;
    if (kvChunk > 0 || op.getLse())
      lseRows = existingRows(
          LseOp::create(b, loc, rowsType, rowMax, rowSum, /*base2=*/false),
          rows);

    b.setInsertionPointToStart(grid.getTerminator().getBody());
    ValueRange outs = grid.getRegionIterArgs();
    insertRows(outputRows, outs[0], rows);
    if (lseRows)
      insertRows(lseRows, outs[1], rows);
  }
  if (kvChunk == 0)
    return SmallVector<Value>(grid.getResults());
  auto combine =
      CombineSplitsOp::create(b, loc, op->getResultTypes(), grid.getResult(0),
                              grid.getResult(1), op.getOutputs());
  return SmallVector<Value>(combine.getResults());
}

struct AttnTilePass : attn::impl::AttnTilePassBase<AttnTilePass> {
  using Base::Base;

  /// The schedule to tile `op` with: its own, or the target-independent
  /// default when it has none, with the pass options on top; null (with an
  /// error) when the options make it invalid.
  ScheduleAttr resolveSchedule(AttentionOp op) {
    ScheduleAttr schedule = op.getScheduleAttr();
    if (!schedule)
      schedule = ScheduleAttr::get(op.getContext(), kDefaultTile, kDefaultTile,
                                   /*stages=*/1, /*warps=*/1);
    int64_t m = tileM > 0 ? int64_t(tileM) : schedule.getTileM();
    int64_t n = tileN > 0 ? int64_t(tileN) : schedule.getTileN();
    // Only these change; the rest of the schedule rides along.
    int64_t chunk = kvChunk >= 0 ? int64_t(kvChunk) : schedule.getKvChunk();
    return ScheduleAttr::getChecked(
        [&] { return op.emitError() << "attn-tile: "; }, op.getContext(),
        schedule.getKind(), m, n, schedule.getStages(), schedule.getWarps(),
        schedule.getRoles(), schedule.getPingPong(), schedule.getOverlap(),
        schedule.getCluster(), schedule.getRescaleThreshold(), chunk,
        schedule.getPackGqa() || packGqa,
        // A split's chunks are CTAs of their own, merged by the last.
        schedule.getPersistent() && chunk == 0,
        chunk == 0 ? schedule.getQueryStages() : 1);
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
      ScheduleAttr schedule = resolveSchedule(op);
      if (!schedule)
        return signalPassFailure();
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results =
          AttentionTiler(rewriter, op, schedule).build();
      if (failed(results))
        return signalPassFailure();
      rewriter.replaceOp(op, *results);
    }
  }
};

} // namespace
