//===- AttnOps.cpp - attn dialect operations --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// Mask syntax: `causal` or `sliding_window(left = L, right = R)`; nothing for
// no mask.
//===----------------------------------------------------------------------===//

static ParseResult parseMask(OpAsmParser &parser, MaskKindAttr &mask,
                             IntegerAttr &left, IntegerAttr &right) {
  MLIRContext *ctx = parser.getContext();
  if (succeeded(parser.parseOptionalKeyword("causal"))) {
    mask = MaskKindAttr::get(ctx, MaskKind::causal);
    return success();
  }
  if (failed(parser.parseOptionalKeyword("sliding_window")))
    return success();
  int64_t l, r;
  if (parser.parseLParen() || parser.parseKeyword("left") ||
      parser.parseEqual() || parser.parseInteger(l) || parser.parseComma() ||
      parser.parseKeyword("right") || parser.parseEqual() ||
      parser.parseInteger(r) || parser.parseRParen())
    return failure();
  Type i64 = IntegerType::get(ctx, 64);
  mask = MaskKindAttr::get(ctx, MaskKind::sliding_window);
  left = IntegerAttr::get(i64, l);
  right = IntegerAttr::get(i64, r);
  return success();
}

static void printMask(OpAsmPrinter &printer, Operation *, MaskKindAttr mask,
                      IntegerAttr left, IntegerAttr right) {
  if (!mask)
    return;
  switch (mask.getValue()) {
  case MaskKind::none:
    return;
  case MaskKind::causal:
    printer << "causal";
    return;
  case MaskKind::sliding_window:
    printer << "sliding_window(left = " << (left ? left.getInt() : 0)
            << ", right = " << (right ? right.getInt() : 0) << ")";
    return;
  }
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

float AttentionOp::getEffectiveScale() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToFloat();
  int64_t headDim = cast<ShapedType>(getQuery().getType()).getDimSize(3);
  return 1.0f / std::sqrt(static_cast<float>(headDim));
}

std::optional<int64_t> AttentionOp::getStaticGroupSize() {
  int64_t hq = cast<ShapedType>(getQuery().getType()).getDimSize(1);
  int64_t hkv = cast<ShapedType>(getKey().getType()).getDimSize(getKvHeadDim());
  if (ShapedType::isDynamic(hq) || ShapedType::isDynamic(hkv) || hkv == 0)
    return std::nullopt;
  return hq / hkv;
}

namespace {
/// One named operand of the op, for diagnostics that say which one is wrong.
struct NamedOperand {
  StringRef name;
  ShapedType type;
};
} // namespace

/// Checks that dimension `da` of `a` and dimension `db` of `b` can be equal,
/// that is, that they are equal or one of them is dynamic.
static LogicalResult verifySameDim(Operation *op, StringRef what,
                                   NamedOperand a, unsigned da, NamedOperand b,
                                   unsigned db) {
  int64_t x = a.type.getDimSize(da), y = b.type.getDimSize(db);
  if (ShapedType::isDynamic(x) || ShapedType::isDynamic(y) || x == y)
    return success();
  return op->emitOpError() << what << " mismatch: " << a.name << " has " << x
                           << " but " << b.name << " has " << y;
}

static LogicalResult verifyHeadDim(AttentionOp op, NamedOperand operand,
                                   StringRef name) {
  int64_t dim = operand.type.getDimSize(3);
  if (ShapedType::isDynamic(dim))
    return op.emitOpError() << name << " must be static, but " << operand.name
                            << " has a dynamic dimension 3";
  if (dim < 8 || dim > 256 || dim % 8 != 0)
    return op.emitOpError() << "unsupported " << name << " " << dim
                            << ": expected a multiple of 8 in [8, 256]";
  return success();
}

static bool isAttentionElementType(Type type) {
  return type.isBF16() || type.isF16() || type.isF32();
}

LogicalResult mlir::attn::verifyPositiveFinite(Operation *op, StringRef name,
                                               std::optional<APFloat> value) {
  if (!value)
    return success();
  if (value->isFiniteNonZero() && !value->isNegative())
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "'" << name
                            << "' must be a positive finite float, got ";
  if (value->isNaN())
    diag << "nan";
  else if (value->isInfinity())
    diag << (value->isNegative() ? "-inf" : "inf");
  else
    diag << value->convertToFloat();
  return diag;
}

LogicalResult mlir::attn::verifyMaskAttrs(Operation *op, MaskKind mask,
                                          IntegerAttr left, IntegerAttr right) {
  bool isWindow = mask == MaskKind::sliding_window;
  if (isWindow && !(left && right))
    return op->emitOpError()
           << "a sliding_window mask needs 'window_left' and 'window_right'";
  if (!isWindow && (left || right))
    return op->emitOpError() << "'window_left' and 'window_right' are only "
                                "allowed with a sliding_window mask";
  if (isWindow && (left.getInt() < 0 || right.getInt() < 0))
    return op->emitOpError()
           << "sliding window extents must be non-negative, got left = "
           << left.getInt() << ", right = " << right.getInt();
  return success();
}

/// The operands of a paged K/V cache: K [P, page, Hkv, D] and V
/// [P, page, Hkv, Dv] share their pages, block_table is i32 [B, max_pages]
/// and cache_lengths i32 [B].
static LogicalResult verifyPagedOperands(AttentionOp op, NamedOperand q,
                                         NamedOperand k, NamedOperand v,
                                         NamedOperand table,
                                         NamedOperand lengths) {
  for (auto [operand, rank] : {std::pair(table, 2), std::pair(lengths, 1)}) {
    if (!operand.type.getElementType().isSignlessInteger(32))
      return op.emitOpError()
             << operand.name << " must have element type i32, got "
             << operand.type.getElementType();
    if (operand.type.getRank() != rank)
      return op.emitOpError()
             << operand.name << " must have rank " << rank << " ("
             << (rank == 2 ? "[batch, max_pages]" : "[batch]") << "), got rank "
             << operand.type.getRank();
  }
  int64_t pageSize = k.type.getDimSize(1);
  if (pageSize == 0)
    return op.emitOpError() << "the page size (dimension 1 of key) must be "
                               "positive";
  return failure(failed(verifySameDim(op, "page count", k, 0, v, 0)) ||
                 failed(verifySameDim(op, "page size", k, 1, v, 1)) ||
                 failed(verifySameDim(op, "batch size", q, 0, table, 0)) ||
                 failed(verifySameDim(op, "batch size", q, 0, lengths, 0)));
}

LogicalResult AttentionOp::verify() {
  if (getOutputs().empty() || getOutputs().size() > 2)
    return emitOpError() << "expected one or two 'outs' operands (output and "
                            "optional log-sum-exp), got "
                         << getOutputs().size();
  if (static_cast<bool>(getBlockTable()) !=
      static_cast<bool>(getCacheLengths()))
    return emitOpError() << "a paged K/V cache needs both 'block_table' and "
                            "'cache_lengths'";

  // Operands are ranked and are either all tensors or all memrefs.
  SmallVector<std::pair<StringRef, Value>> named = {
      {"query", getQuery()}, {"key", getKey()}, {"value", getValue()}};
  if (isPaged())
    named.append({{"block_table", getBlockTable()},
                  {"cache_lengths", getCacheLengths()}});
  named.push_back({"output", getOutput()});
  if (getLse())
    named.push_back({"lse", getLse()});
  SmallVector<NamedOperand> operands;
  for (auto [name, value] : named) {
    auto type = dyn_cast<ShapedType>(value.getType());
    if (!type || !type.hasRank() ||
        !isa<RankedTensorType, MemRefType>(value.getType()))
      return emitOpError() << name << " must be a ranked tensor or memref, got "
                           << value.getType();
    operands.push_back({name, type});
  }
  bool onTensors = isa<RankedTensorType>(operands.front().type);
  for (const NamedOperand &operand : operands)
    if (isa<RankedTensorType>(operand.type) != onTensors)
      return emitOpError() << "expected all operands to be tensors or all to "
                              "be memrefs, but "
                           << operand.name << " is " << operand.type;

  NamedOperand q = operands[0], k = operands[1], v = operands[2],
               o = operands[isPaged() ? 5 : 3];
  for (const NamedOperand &operand : {q, k, v, o})
    if (operand.type.getRank() != 4)
      return emitOpError() << operand.name << " must have rank 4 ("
                           << (isPaged() && (operand.name == "key" ||
                                             operand.name == "value")
                                   ? "[pages, page_size, heads, head_dim]"
                                   : "[batch, heads, seq, head_dim]")
                           << "), got rank " << operand.type.getRank();

  // Element types.
  Type elementType = q.type.getElementType();
  if (!isAttentionElementType(elementType))
    return emitOpError() << "unsupported element type " << elementType
                         << ": expected bf16, f16 or f32";
  for (const NamedOperand &operand : {k, v})
    if (operand.type.getElementType() != elementType)
      return emitOpError() << "query, key and value must share one element "
                              "type, but query has "
                           << elementType << " and " << operand.name << " has "
                           << operand.type.getElementType();
  if (!isAttentionElementType(o.type.getElementType()))
    return emitOpError() << "unsupported output element type "
                         << o.type.getElementType()
                         << ": expected bf16, f16 or f32";

  // Shapes: Q [B, Hq, Sq, D], K [B, Hkv, Skv, D], V [B, Hkv, Skv, Dv],
  // O [B, Hq, Sq, Dv]; paged, K [P, page, Hkv, D] and V [P, page, Hkv, Dv].
  if (isPaged()) {
    if (failed(verifyPagedOperands(*this, q, k, v, operands[3], operands[4])))
      return failure();
  } else if (failed(verifySameDim(*this, "batch size", q, 0, k, 0)) ||
             failed(verifySameDim(*this, "batch size", q, 0, v, 0)) ||
             failed(verifySameDim(*this, "key/value sequence length", k, 2, v,
                                  2))) {
    return failure();
  }
  unsigned kvHeads = getKvHeadDim();
  if (failed(verifySameDim(*this, "batch size", q, 0, o, 0)) ||
      failed(verifySameDim(*this, "key/value head count", k, kvHeads, v,
                           kvHeads)) ||
      failed(verifySameDim(*this, "query head count", q, 1, o, 1)) ||
      failed(verifySameDim(*this, "query sequence length", q, 2, o, 2)) ||
      failed(verifySameDim(*this, "head dim", q, 3, k, 3)) ||
      failed(verifySameDim(*this, "value head dim", v, 3, o, 3)))
    return failure();
  if (failed(verifyHeadDim(*this, q, "head dim")) ||
      failed(verifyHeadDim(*this, v, "value head dim")))
    return failure();
  int64_t hq = q.type.getDimSize(1), hkv = k.type.getDimSize(kvHeads);
  if (hkv == 0)
    return emitOpError() << "key/value head count must be positive";
  if (!ShapedType::isDynamic(hq) && !ShapedType::isDynamic(hkv) &&
      hq % hkv != 0)
    return emitOpError() << "query head count " << hq
                         << " must be a multiple of the key/value head count "
                         << hkv;

  // Log-sum-exp: f32 [B, Hq, Sq].
  if (getLse()) {
    NamedOperand lse = operands.back();
    if (!lse.type.getElementType().isF32())
      return emitOpError() << "lse must have element type f32, got "
                           << lse.type.getElementType();
    if (lse.type.getRank() != 3)
      return emitOpError() << "lse must have rank 3 ([batch, heads, seq]), "
                              "got rank "
                           << lse.type.getRank();
    if (failed(verifySameDim(*this, "batch size", q, 0, lse, 0)) ||
        failed(verifySameDim(*this, "query head count", q, 1, lse, 1)) ||
        failed(verifySameDim(*this, "query sequence length", q, 2, lse, 2)))
      return failure();
  }

  if (failed(verifyMaskAttrs(*this, getMask(), getWindowLeftAttr(),
                             getWindowRightAttr())))
    return failure();

  return failure(failed(verifyPositiveFinite(*this, "scale", getScale())) ||
                 failed(verifyPositiveFinite(*this, "softcap", getSoftcap())));
}

/// On tensors a destination-passing op of ours is pure; on memrefs it reads
/// its inputs and overwrites its destinations without reading them.
static void getDpsEffects(
    DestinationStyleOpInterface op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand *input : op.getDpsInputOperands())
    if (isa<MemRefType>(input->get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), input, /*stage=*/0,
                           /*effectOnFullRegion=*/true,
                           SideEffects::DefaultResource::get());
  for (OpOperand &init : op.getDpsInitsMutable())
    if (isa<MemRefType>(init.get().getType()))
      effects.emplace_back(MemoryEffects::Write::get(), &init, /*stage=*/0,
                           /*effectOnFullRegion=*/true,
                           SideEffects::DefaultResource::get());
}

void AttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getDpsEffects(*this, effects);
}

//===----------------------------------------------------------------------===//
// CombineSplitsOp
//===----------------------------------------------------------------------===//

LogicalResult CombineSplitsOp::verify() {
  if (getOutputs().empty() || getOutputs().size() > 2)
    return emitOpError() << "expected one or two 'outs' operands (output and "
                            "optional log-sum-exp), got "
                         << getOutputs().size();
  SmallVector<NamedOperand> operands;
  StringRef names[] = {"partial_output", "partial_lse", "output", "lse"};
  int64_t ranks[] = {5, 4, 4, 3};
  for (auto [index, value] : llvm::enumerate(getOperands())) {
    auto type = dyn_cast<ShapedType>(value.getType());
    if (!type || !isa<RankedTensorType, MemRefType>(type))
      return emitOpError() << names[index]
                           << " must be a ranked tensor or memref, got "
                           << value.getType();
    if (type.getRank() != ranks[index])
      return emitOpError() << names[index] << " must have rank " << ranks[index]
                           << ", got " << type.getRank();
    if (isa<RankedTensorType>(type) !=
        isa<RankedTensorType>(getPartialOutput().getType()))
      return emitOpError() << "expected all operands to be tensors or all to "
                              "be memrefs, but "
                           << names[index] << " is " << type;
    bool f32Only = index != 2;
    if (f32Only ? !type.getElementType().isF32()
                : !isAttentionElementType(type.getElementType()))
      return emitOpError() << names[index] << " has element type "
                           << type.getElementType() << ": expected "
                           << (f32Only ? "f32" : "bf16, f16 or f32");
    operands.push_back({names[index], type});
  }
  NamedOperand po = operands[0], pl = operands[1], o = operands[2];
  const char *what[] = {"batch size", "head count", "sequence length"};
  for (unsigned d = 0; d < 3; ++d)
    if (failed(verifySameDim(*this, what[d], po, d + 1, pl, d + 1)) ||
        failed(verifySameDim(*this, what[d], po, d + 1, o, d)) ||
        failed(verifySameDim(*this, what[d], pl, d + 1, o, d)) ||
        (getLse() &&
         failed(verifySameDim(*this, what[d], operands[3], d, o, d))))
      return failure();
  return failure(failed(verifySameDim(*this, "split count", po, 0, pl, 0)) ||
                 failed(verifySameDim(*this, "value head dim", po, 4, o, 3)));
}

void CombineSplitsOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getDpsEffects(*this, effects);
}

Value mlir::attn::isVisible(OpBuilder &b, Location loc, MaskKind mask,
                            std::optional<std::pair<int64_t, int64_t>> window,
                            Value i, Value j, Value offset) {
  // delta = j - (i + offset): how far right of the query's position the key is.
  Value delta = arith::SubIOp::create(b, loc, j,
                                      arith::AddIOp::create(b, loc, i, offset));
  auto cmp = [&](arith::CmpIPredicate pred, Value lhs, int64_t rhs) -> Value {
    return arith::CmpIOp::create(b, loc, pred, lhs,
                                 arith::ConstantIndexOp::create(b, loc, rhs));
  };
  switch (mask) {
  case MaskKind::none:
    return arith::ConstantIntOp::create(b, loc, /*value=*/1, /*width=*/1);
  case MaskKind::causal:
    return cmp(arith::CmpIPredicate::sle, delta, 0);
  case MaskKind::sliding_window: {
    auto [left, right] = *window;
    Value afterLeft = cmp(arith::CmpIPredicate::sge, delta, -left);
    Value beforeRight = cmp(arith::CmpIPredicate::sle, delta, right);
    return arith::AndIOp::create(b, loc, afterLeft, beforeRight);
  }
  }
  llvm_unreachable("unknown mask kind");
}

Value mlir::attn::buildCacheLength(OpBuilder &b, Location loc, Value length,
                                   Value capacity) {
  Value keys = arith::IndexCastOp::create(b, loc, b.getIndexType(), length);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value atLeastZero = arith::MaxSIOp::create(b, loc, keys, zero);
  return arith::MinSIOp::create(b, loc, atLeastZero, capacity);
}

/// Whether the f32 `x` is -inf (a chunk or row that saw no key).
static Value isNegInf(OpBuilder &b, Location loc, Value x) {
  return arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OEQ, x,
      arith::ConstantOp::create(
          b, loc, b.getF32FloatAttr(-std::numeric_limits<float>::infinity())));
}

Value mlir::attn::buildChunkWeight(OpBuilder &b, Location loc, Value lse,
                                   Value ref) {
  Value w =
      math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, lse, ref));
  return arith::SelectOp::create(
      b, loc, isNegInf(b, loc, lse),
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f)), w);
}

Value mlir::attn::buildMergedLse(OpBuilder &b, Location loc, Value max,
                                 Value sum) {
  Value safeMax = arith::SelectOp::create(
      b, loc, isNegInf(b, loc, max),
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f)), max);
  return arith::AddFOp::create(b, loc, safeMax,
                               math::LogOp::create(b, loc, sum));
}

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"
