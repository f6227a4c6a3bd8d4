//===- AttnTileOps.cpp - attn tile-level operations -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the tile-level ops. ODS already checks ranks and element
// types; these check that tiles are static and that their sizes agree.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::attn;

static ShapedType shapeOf(Value value) {
  return cast<ShapedType>(value.getType());
}

/// Tiles live in registers or shared memory, so their sizes are static.
static LogicalResult verifyStatic(Operation *op, ValueRange values) {
  for (Value value : values)
    if (!shapeOf(value).hasStaticShape())
      return op->emitOpError()
             << "expected a static tile shape, got " << value.getType();
  return success();
}

/// Checks `lhs` dimension `lhsDim` against `rhs` dimension `rhsDim`.
static LogicalResult verifyDim(Operation *op, StringRef what, Value lhs,
                               int64_t lhsDim, Value rhs, int64_t rhsDim) {
  int64_t a = shapeOf(lhs).getDimSize(lhsDim);
  int64_t b = shapeOf(rhs).getDimSize(rhsDim);
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b)
    return success();
  return op->emitOpError() << what << " mismatch: " << a << " vs " << b;
}

/// A row vector must have one entry per row of the tile.
static LogicalResult verifyRows(Operation *op, Value tile, Value rows) {
  return verifyDim(op, "row count", tile, 0, rows, 0);
}

/// Checks that `tile` can hold rows of the `[B, H, S, D]` tensor `source`.
static LogicalResult verifyRowsOf(Operation *op, Value source, Type tileType) {
  auto tile = cast<ShapedType>(tileType);
  ShapedType rows = shapeOf(source);
  if (rows.getElementType() != tile.getElementType())
    return op->emitOpError() << "element type mismatch between source "
                             << source.getType() << " and tile " << tile;
  int64_t d = rows.getDimSize(3);
  if (!ShapedType::isDynamic(d) && d != tile.getDimSize(1))
    return op->emitOpError()
           << "head dim mismatch: " << d << " vs " << tile.getDimSize(1);
  return success();
}

/// With `heads(G)` a tile holds G heads' rows, an equal number each.
static LogicalResult verifyPackedRows(Operation *op, Type tileType,
                                      std::optional<uint64_t> heads) {
  int64_t rows = cast<ShapedType>(tileType).getDimSize(0);
  if (heads && rows % static_cast<int64_t>(*heads) != 0)
    return op->emitOpError() << "a tile of " << rows << " rows cannot hold "
                             << *heads << " heads' rows equally";
  return success();
}

/// A paged read names both its block table and its length, and reads keys,
/// which are never packed.
static LogicalResult verifyPages(Operation *op, Value table, Value length,
                                 std::optional<uint64_t> heads) {
  if (static_cast<bool>(table) != static_cast<bool>(length))
    return op->emitOpError()
           << "a paged read needs both a block table and a length";
  if (table && heads)
    return op->emitOpError() << "a paged read cannot pack heads";
  return success();
}

LogicalResult LoadTileOp::verify() {
  if (failed(verifyStatic(*this, getResult())) ||
      failed(verifyPackedRows(*this, getResult().getType(), getHeads())) ||
      failed(verifyPages(*this, getBlockTable(), getLength(), getHeads())))
    return failure();
  return verifyRowsOf(*this, getSource(), getResult().getType());
}

LogicalResult CopyTileAsyncOp::verify() {
  Type tile = getRing().getType().getTile();
  if (failed(verifyPackedRows(*this, tile, getHeads())) ||
      failed(verifyPages(*this, getBlockTable(), getLength(), getHeads())))
    return failure();
  return verifyRowsOf(*this, getSource(), tile);
}

LogicalResult QKMatmulOp::verify() {
  if (failed(verifyStatic(*this, {getQuery(), getKey(), getResult()})))
    return failure();
  if (shapeOf(getQuery()).getElementType() !=
      shapeOf(getKey()).getElementType())
    return emitOpError() << "query and key tiles must share an element type";
  return failure(
      failed(verifyDim(*this, "head dim", getQuery(), 1, getKey(), 1)) ||
      failed(verifyDim(*this, "query rows", getQuery(), 0, getResult(), 0)) ||
      failed(verifyDim(*this, "key rows", getKey(), 0, getResult(), 1)));
}

LogicalResult MaskScoresOp::verify() {
  if (failed(verifyStatic(*this, getScores())) ||
      failed(verifyPackedRows(*this, getScores().getType(), getHeads())) ||
      failed(verifyMaskAttrs(*this, getMask(), getWindowLeftAttr(),
                             getWindowRightAttr())))
    return failure();
  return failure(failed(verifyPositiveFinite(*this, "scale", getScale())) ||
                 failed(verifyPositiveFinite(*this, "softcap", getSoftcap())));
}

LogicalResult RowMaxOp::verify() {
  if (failed(verifyStatic(*this, {getScores(), getInit()})) ||
      failed(verifyRows(*this, getScores(), getInit())))
    return failure();
  if (std::optional<APFloat> threshold = getThreshold())
    if (!threshold->isFinite() || threshold->isNegative())
      return emitOpError() << "'threshold' must be a non-negative finite float";
  return success();
}

LogicalResult RowExpOp::verify() {
  if (failed(verifyStatic(*this, {getInput(), getMax()})))
    return failure();
  if (getPolyEvery().has_value() != getPolyDegree().has_value())
    return emitOpError() << "'poly_every' and 'poly_degree' go together";
  if (getPolyEvery() && !getBase2())
    return emitOpError() << "poly_exp2 computes exp2: it needs 'base2'";
  if (getPolyEvery() &&
      cast<RankedTensorType>(getInput().getType()).getRank() != 2)
    return emitOpError() << "poly_exp2 applies to score tiles, not rows";
  return verifyRows(*this, getInput(), getMax());
}

LogicalResult RowSumOp::verify() {
  if (failed(verifyStatic(*this, {getInput(), getInit()})))
    return failure();
  return verifyRows(*this, getInput(), getInit());
}

LogicalResult RowScaleOp::verify() {
  if (failed(verifyStatic(*this, {getInput(), getFactor()})))
    return failure();
  return verifyRows(*this, getInput(), getFactor());
}

LogicalResult PVMatmulOp::verify() {
  if (failed(verifyStatic(*this, {getProbs(), getValue(), getAcc()})))
    return failure();
  return failure(
      failed(verifyDim(*this, "key rows", getProbs(), 1, getValue(), 0)) ||
      failed(verifyDim(*this, "query rows", getProbs(), 0, getAcc(), 0)) ||
      failed(verifyDim(*this, "value head dim", getValue(), 1, getAcc(), 1)));
}

LogicalResult NormalizeOp::verify() {
  if (failed(verifyStatic(*this, {getAcc(), getSum(), getResult()})) ||
      failed(verifyRows(*this, getAcc(), getSum())))
    return failure();
  if (shapeOf(getAcc()).getShape() != shapeOf(getResult()).getShape())
    return emitOpError() << "result shape must match the accumulator "
                         << getAcc().getType();
  return success();
}

LogicalResult LseOp::verify() { return verifyStatic(*this, getResult()); }

LogicalResult ChannelCopyOp::verify() {
  return verifyRowsOf(*this, getSource(), getChannel().getType().getTile());
}

LogicalResult ChannelWaitOp::verify() {
  return verifyRowsOf(*this, getSource(), getResult().getType());
}
