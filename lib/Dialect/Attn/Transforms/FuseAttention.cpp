//===- FuseAttention.cpp - naive attention to attn.attention ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Matches softmax(scale * Q K^T [+ causal mask]) V written in linalg and
// replaces it with one attn.attention. The match starts at the P V contraction
// and walks up through its left operand: softmax, mask and scale (in either
// order), then the Q K^T contraction. Every step must be proven (a body that
// computes exactly the expected function, a reduction over the last dimension,
// intermediates with no other users); otherwise the graph is left untouched.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include <cmath>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEATTENTIONPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

//===----------------------------------------------------------------------===//
// Reading linalg bodies
//===----------------------------------------------------------------------===//

/// A linalg.generic on tensors with all loops parallel, one result written
/// through the identity map, and every input read through the identity map
/// or through the map that drops the last loop (a per-row value).
struct Elementwise {
  mutable linalg::GenericOp op;
  /// The value the body yields.
  Value yielded;

  /// The input index of a body value that is an input's block argument.
  std::optional<unsigned> inputOf(Value bodyValue) const {
    auto arg = dyn_cast<BlockArgument>(bodyValue);
    if (!arg || arg.getOwner() != op.getBody() ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    return arg.getArgNumber();
  }
  Value input(unsigned index) const { return op.getDpsInputs()[index]; }
  /// Whether input `index` is read per row rather than per element.
  bool isPerRow(unsigned index) const {
    return !op.getIndexingMapsArray()[index].isIdentity();
  }
};

std::optional<Elementwise> matchElementwise(Value value) {
  auto op = value.getDefiningOp<linalg::GenericOp>();
  if (!op || op->getNumResults() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops())
    return std::nullopt;
  unsigned rank = op.getNumLoops();
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap perRow =
      AffineMap::getMultiDimIdentityMap(rank, ctx).getMajorSubMap(
          rank == 0 ? 0 : rank - 1);
  for (auto [index, map] : llvm::enumerate(maps)) {
    bool isInit = index == maps.size() - 1;
    if (!map.isIdentity() && (isInit || map != perRow))
      return std::nullopt;
  }
  // The init is only a destination.
  if (op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  return Elementwise{op, yield.getOperand(0)};
}

/// The value of a float constant: a scalar, or a tensor splat.
std::optional<double> getConstantFloat(Value value) {
  FloatAttr attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attr.getValueAsDouble();
  SplatElementsAttr splat;
  if (matchPattern(value, m_Constant(&splat)) &&
      isa<FloatType>(splat.getElementType()))
    return splat.getSplatValue<APFloat>().convertToDouble();
  return std::nullopt;
}

/// A float constant, whether defined in the body, captured from outside, or
/// passed as a scalar or splat input.
std::optional<double> matchConstant(const Elementwise &e, Value bodyValue) {
  if (std::optional<double> value = getConstantFloat(bodyValue))
    return value;
  if (std::optional<unsigned> index = e.inputOf(bodyValue))
    return getConstantFloat(e.input(*index));
  return std::nullopt;
}

/// Whether `op` only changes the float type of its tensor operand: an
/// arith.extf or arith.truncf on tensors.
bool isTensorCast(Operation *op) {
  return isa_and_present<arith::ExtFOp, arith::TruncFOp>(op) &&
         isa<RankedTensorType>(op->getResult(0).getType());
}

/// The input of an elementwise op that only changes the float type (a
/// linalg.generic, or arith.extf / arith.truncf on the tensor itself).
Value peelCast(Value value) {
  if (!value.hasOneUse())
    return value;
  if (isTensorCast(value.getDefiningOp()))
    return value.getDefiningOp()->getOperand(0);
  std::optional<Elementwise> e = matchElementwise(value);
  if (!e || e->op.getNumDpsInputs() != 1)
    return value;
  Operation *cast = e->yielded.getDefiningOp();
  if (!isa_and_present<arith::ExtFOp, arith::TruncFOp>(cast) ||
      e->inputOf(cast->getOperand(0)) != 0u)
    return value;
  return e->input(0);
}

/// Whether `init` is a tensor filled (by linalg.fill or as a splat
/// constant) with a float that `accept` takes.
bool isFilledWith(Value init, function_ref<bool(double)> accept) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    init = fill.getInputs()[0];
  std::optional<double> value = getConstantFloat(init);
  return value && accept(*value);
}

//===----------------------------------------------------------------------===//
// Contractions: Q K^T and P V
//===----------------------------------------------------------------------===//

/// A batched matrix product out[batch.., m, n] = sum_k lhs * rhs, with lhs
/// read as [batch.., m, k] and rhs as [batch.., k, n] or, when
/// `rhsTransposed`, as [batch.., n, k].
struct Contraction {
  mutable linalg::LinalgOp op;
  Value lhs, rhs;
  bool rhsTransposed;
};

FailureOr<Contraction> matchContraction(Value value) {
  auto op = value.getDefiningOp<linalg::LinalgOp>();
  if (!op || op->getNumResults() != 1 || op.getNumDpsInputs() != 2 ||
      !op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op) ||
      op.getNumReductionLoops() != 1)
    return failure();
  // It must start from zero, not accumulate into something else.
  if (!isFilledWith(op.getDpsInits()[0], [](double v) { return v == 0.0; }))
    return failure();

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap out = maps[2];
  unsigned rank = out.getNumResults();
  if (rank < 2 || !out.isProjectedPermutation())
    return failure();
  std::optional<unsigned> k;
  for (unsigned d = 0, e = op.getNumLoops(); d < e; ++d)
    if (op.getIteratorTypesArray()[d] == utils::IteratorType::reduction)
      k = d;
  // out = [batch.., m, n] in loop order, then the operand layouts.
  SmallVector<AffineExpr> batch(out.getResults().take_front(rank - 2));
  AffineExpr m = out.getResult(rank - 2), n = out.getResult(rank - 1);
  AffineExpr kExpr = getAffineDimExpr(*k, op.getContext());
  auto layout = [&](AffineExpr a, AffineExpr b) {
    SmallVector<AffineExpr> results(batch);
    results.append({a, b});
    return AffineMap::get(op.getNumLoops(), 0, results, op.getContext());
  };
  if (maps[0] != layout(m, kExpr))
    return failure();
  Contraction c{op, op.getDpsInputs()[0], op.getDpsInputs()[1], false};
  if (maps[1] == layout(n, kExpr))
    c.rhsTransposed = true;
  else if (maps[1] != layout(kExpr, n))
    return failure();
  return c;
}

/// K as [.., Skv, D] from the right operand of Q K^T: read transposed by the
/// contraction, or transposed by a linalg.transpose that nothing else uses.
/// Otherwise K is given as [.., D, Skv] and `needsTranspose` is set.
struct KeySource {
  Value value;
  bool needsTranspose;
};

SmallVector<int64_t> swapLastTwo(int64_t rank) {
  SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(permutation[rank - 1], permutation[rank - 2]);
  return permutation;
}

KeySource keyFromScoresRhs(const Contraction &qk) {
  if (qk.rhsTransposed)
    return {qk.rhs, false};
  int64_t rank = cast<ShapedType>(qk.rhs.getType()).getRank();
  auto transpose = qk.rhs.getDefiningOp<linalg::TransposeOp>();
  if (transpose && qk.rhs.hasOneUse() &&
      transpose.getPermutation() == ArrayRef<int64_t>(swapLastTwo(rank)))
    return {transpose.getInput(), false};
  return {qk.rhs, true};
}

/// `value` ([.., D, Skv]) transposed to [.., Skv, D].
Value transposeLastTwo(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  std::swap(sizes[rank - 1], sizes[rank - 2]);
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, init, swapLastTwo(rank))
      .getResult()[0];
}

//===----------------------------------------------------------------------===//
// Softmax, mask and scale
//===----------------------------------------------------------------------===//

enum class Combiner { Max, Sum };

/// `value` = the reduction of some [.., n] tensor over its last dimension,
/// starting from the combiner's identity; returns that tensor.
FailureOr<Value> matchRowReduction(Value value, Combiner kind) {
  auto op = value.getDefiningOp<linalg::LinalgOp>();
  if (!op || op->getNumResults() != 1 || op.getNumDpsInputs() != 1 ||
      op.getNumReductionLoops() != 1 || !op.hasPureTensorSemantics())
    return failure();
  unsigned loops = op.getNumLoops();
  if (op.getIteratorTypesArray()[loops - 1] != utils::IteratorType::reduction)
    return failure();
  MLIRContext *ctx = op.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(loops, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != identity || maps[1] != identity.getMajorSubMap(loops - 1))
    return failure();
  Block *body = op.getBlock();
  Operation *combine = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!combine || combine->getBlock() != body ||
      !llvm::is_contained(combine->getOperands(), body->getArgument(0)) ||
      !llvm::is_contained(combine->getOperands(), body->getArgument(1)))
    return failure();
  bool isMax = isa<arith::MaximumFOp, arith::MaxNumFOp>(combine);
  if ((kind == Combiner::Max) != isMax ||
      (kind == Combiner::Sum && !isa<arith::AddFOp>(combine)))
    return failure();
  // Max starts below every finite score; sum starts at zero.
  auto accept = [&](double init) {
    return kind == Combiner::Sum ? init == 0.0 : init <= -3.0e38;
  };
  if (!isFilledWith(op.getDpsInits()[0], accept))
    return failure();
  return op.getDpsInputs()[0];
}

/// The input of `e` that is read per element and its argument in the body.
std::optional<unsigned> fullInput(const Elementwise &e, Value bodyValue) {
  std::optional<unsigned> index = e.inputOf(bodyValue);
  if (!index || e.isPerRow(*index))
    return std::nullopt;
  return index;
}

/// Matches `body = op(a, b)` where `a` is a full input and `b` a per-row one;
/// returns (full input, per-row input).
template <typename OpTy>
std::optional<std::pair<Value, Value>> matchRowBinary(const Elementwise &e,
                                                      Value body) {
  auto op = body.getDefiningOp<OpTy>();
  if (!op)
    return std::nullopt;
  std::optional<unsigned> full = fullInput(e, op.getLhs());
  std::optional<unsigned> row = e.inputOf(op.getRhs());
  if (!full || !row || !e.isPerRow(*row))
    return std::nullopt;
  return std::make_pair(e.input(*full), e.input(*row));
}

/// Matches `softmax(x)` over the last dimension: linalg.softmax, or
/// exp(x - max(x)) / sum(exp(x - max(x))) spelled out; returns x.
FailureOr<Value> matchSoftmax(Value probs) {
  if (auto softmax = probs.getDefiningOp<linalg::SoftmaxOp>()) {
    auto type = cast<ShapedType>(softmax.getInput().getType());
    if (softmax.getDimension() != uint64_t(type.getRank() - 1) ||
        !softmax.getInput().hasOneUse())
      return failure();
    return softmax.getInput();
  }
  // probs = e / sum(e)
  std::optional<Elementwise> div = matchElementwise(probs);
  if (!div)
    return failure();
  auto divided = matchRowBinary<arith::DivFOp>(*div, div->yielded);
  if (!divided)
    return failure();
  auto [exps, sum] = *divided;
  FailureOr<Value> summed = matchRowReduction(sum, Combiner::Sum);
  if (failed(summed) || *summed != exps || !sum.hasOneUse())
    return failure();

  // exps = exp(x - max), as one generic or as exp of a subtraction.
  std::optional<Elementwise> exp = matchElementwise(exps);
  if (!exp || !llvm::hasNItems(exps.getUses(), 2))
    return failure();
  auto expOp = exp->yielded.getDefiningOp<math::ExpOp>();
  if (!expOp)
    return failure();
  std::optional<std::pair<Value, Value>> shifted =
      matchRowBinary<arith::SubFOp>(*exp, expOp.getOperand());
  if (!shifted) {
    std::optional<unsigned> sub = fullInput(*exp, expOp.getOperand());
    std::optional<Elementwise> subOp =
        sub ? matchElementwise(exp->input(*sub)) : std::nullopt;
    if (!subOp || !exp->input(*sub).hasOneUse())
      return failure();
    shifted = matchRowBinary<arith::SubFOp>(*subOp, subOp->yielded);
  }
  if (!shifted)
    return failure();
  auto [scores, max] = *shifted;
  FailureOr<Value> maxOf = matchRowReduction(max, Combiner::Max);
  if (failed(maxOf) || *maxOf != scores || !max.hasOneUse() ||
      !llvm::hasNItems(scores.getUses(), 2))
    return failure();
  return scores;
}

/// The predicate p' with (a p b) == (b p' a).
arith::CmpIPredicate swapOperands(arith::CmpIPredicate pred) {
  using P = arith::CmpIPredicate;
  switch (pred) {
  case P::slt:
    return P::sgt;
  case P::sgt:
    return P::slt;
  case P::sle:
    return P::sge;
  case P::sge:
    return P::sle;
  case P::ult:
    return P::ugt;
  case P::ugt:
    return P::ult;
  case P::ule:
    return P::uge;
  case P::uge:
    return P::ule;
  case P::eq:
  case P::ne:
    return pred;
  }
  llvm_unreachable("unknown predicate");
}

/// The unmasked scores and the constant factor the mask's body applies to
/// them first (1 when none).
struct Unmasked {
  Value scores;
  double factor = 1.0;
};

/// Matches the top-left causal mask: scores with -inf where the key index
/// (last dimension) exceeds the query index, by a select or by adding a
/// select of -inf and 0, optionally scaled by a positive constant in the
/// same body (`x * c` or `x / c`); returns the unmasked scores.
FailureOr<Unmasked> matchCausalMask(Value value) {
  std::optional<Elementwise> e = matchElementwise(value);
  if (!e || e->op.getNumDpsInputs() != 1)
    return failure();
  unsigned rank = e->op.getNumLoops();
  auto isNegInf = [&](Value v) {
    std::optional<double> c = matchConstant(*e, v);
    return c && std::isinf(*c) && *c < 0;
  };
  auto isZero = [&](Value v) {
    std::optional<double> c = matchConstant(*e, v);
    return c && *c == 0.0;
  };
  // The scores as the body reads them: an input, or an input times (or
  // over) a positive constant.
  auto unscaled = [&](Value v) -> std::optional<std::pair<Value, double>> {
    if (e->inputOf(v))
      return std::pair(v, 1.0);
    std::optional<std::pair<Value, double>> found;
    if (auto mul = v.getDefiningOp<arith::MulFOp>()) {
      for (auto [x, c] : {std::pair(mul.getLhs(), mul.getRhs()),
                          std::pair(mul.getRhs(), mul.getLhs())})
        if (std::optional<double> f = matchConstant(*e, c); f && e->inputOf(x))
          found = std::pair(x, *f);
    } else if (auto div = v.getDefiningOp<arith::DivFOp>()) {
      if (std::optional<double> f = matchConstant(*e, div.getRhs());
          f && e->inputOf(div.getLhs()))
        found = std::pair(div.getLhs(), 1.0 / *f);
    }
    if (!found || !std::isfinite(found->second) || found->second <= 0)
      return std::nullopt;
    return found;
  };
  // Peel the additive form: x + select(cond, -inf, 0).
  Value body = e->yielded;
  Value scoresArg;
  double factor = 1.0;
  arith::SelectOp select;
  if (auto add = body.getDefiningOp<arith::AddFOp>()) {
    for (auto [x, m] : {std::pair(add.getLhs(), add.getRhs()),
                        std::pair(add.getRhs(), add.getLhs())})
      if (auto arg = unscaled(x); arg && m.getDefiningOp<arith::SelectOp>()) {
        std::tie(scoresArg, factor) = *arg;
        select = m.getDefiningOp<arith::SelectOp>();
      }
    if (!select ||
        !(isNegInf(select.getTrueValue()) ||
          isNegInf(select.getFalseValue())) ||
        !(isZero(select.getTrueValue()) || isZero(select.getFalseValue())))
      return failure();
  } else {
    select = body.getDefiningOp<arith::SelectOp>();
    if (!select)
      return failure();
    auto arg = unscaled(isNegInf(select.getTrueValue())
                            ? select.getFalseValue()
                            : select.getTrueValue());
    if (!arg)
      return failure();
    std::tie(scoresArg, factor) = *arg;
  }
  bool hiddenWhenTrue = isNegInf(select.getTrueValue());
  if (!hiddenWhenTrue && !isNegInf(select.getFalseValue()))
    return failure();

  // cond compares the key index j with the query index i.
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!cmp)
    return failure();
  auto dimOf = [](Value v) -> std::optional<uint64_t> {
    if (auto index = v.getDefiningOp<linalg::IndexOp>())
      return index.getDim();
    return std::nullopt;
  };
  std::optional<uint64_t> lhs = dimOf(cmp.getLhs()), rhs = dimOf(cmp.getRhs());
  if (!lhs || !rhs)
    return failure();
  using P = arith::CmpIPredicate;
  P pred = cmp.getPredicate();
  if (*lhs == rank - 2 && *rhs == rank - 1) // i ? j: read it as j ? i.
    pred = swapOperands(pred);
  else if (*lhs != rank - 1 || *rhs != rank - 2)
    return failure();
  bool condIsAbove = pred == P::sgt || pred == P::ugt;     // j > i
  bool condIsOnOrBelow = pred == P::sle || pred == P::ule; // j <= i
  if (!(condIsAbove && hiddenWhenTrue) && !(condIsOnOrBelow && !hiddenWhenTrue))
    return failure();
  return Unmasked{e->input(*e->inputOf(scoresArg)), factor};
}

/// Matches a multiplication by, or a division by, a positive finite
/// constant; returns (the scaled value, the factor).
FailureOr<std::pair<Value, double>> matchScale(Value value) {
  std::optional<std::pair<Value, double>> found;
  // arith on tensors with a splat constant, or an elementwise generic.
  if (auto mul = value.getDefiningOp<arith::MulFOp>()) {
    if (std::optional<double> c = getConstantFloat(mul.getRhs()))
      found = {mul.getLhs(), *c};
    else if (std::optional<double> c = getConstantFloat(mul.getLhs()))
      found = {mul.getRhs(), *c};
  } else if (auto div = value.getDefiningOp<arith::DivFOp>()) {
    if (std::optional<double> c = getConstantFloat(div.getRhs()))
      found = {div.getLhs(), 1.0 / *c};
  } else if (std::optional<Elementwise> e = matchElementwise(value)) {
    Operation *op = e->yielded.getDefiningOp();
    if (isa_and_present<arith::MulFOp, arith::DivFOp>(op)) {
      Value lhs = op->getOperand(0), rhs = op->getOperand(1);
      bool isDiv = isa<arith::DivFOp>(op);
      for (auto [x, c] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
        std::optional<unsigned> input = fullInput(*e, x);
        std::optional<double> factor = matchConstant(*e, c);
        if (!input || !factor || (isDiv && x != lhs))
          continue;
        found = {e->input(*input), isDiv ? 1.0 / *factor : *factor};
        break;
      }
    }
  }
  if (!found || !std::isfinite(found->second) || found->second <= 0)
    return failure();
  return *found;
}

/// Replaces `operand` with what a constant scale feeding only it scaled,
/// looking through a cast on either side; returns the factor.
FailureOr<double> peelPrescale(Value &operand) {
  for (Value candidate : {operand, peelCast(operand)}) {
    if (!candidate.hasOneUse())
      continue;
    if (FailureOr<std::pair<Value, double>> s = matchScale(candidate);
        succeeded(s)) {
      operand = s->first;
      return s->second;
    }
  }
  return failure();
}

/// The element type a narrowing cast that alone reads `value` (O in f32
/// rounded to the inputs' 16-bit type, as mixed-precision graphs end)
/// turns it into, with that cast's result; nothing otherwise.
std::optional<std::pair<Value, Type>> matchNarrowingUse(Value value) {
  if (!value.hasOneUse())
    return std::nullopt;
  Operation *user = *value.getUsers().begin();
  if (user->getNumResults() != 1)
    return std::nullopt;
  Value result = user->getResult(0);
  if (peelCast(result) != value)
    return std::nullopt;
  std::optional<Elementwise> e = matchElementwise(result);
  bool narrows = isa<arith::TruncFOp>(user) ||
                 (e && isa<arith::TruncFOp>(e->yielded.getDefiningOp()));
  if (!narrows)
    return std::nullopt;
  return std::pair(result, getElementTypeOrSelf(result.getType()));
}

//===----------------------------------------------------------------------===//
// The fusion
//===----------------------------------------------------------------------===//

/// What one attention graph computes, ready to be rebuilt.
struct AttentionGraph {
  Value query, value;
  KeySource key;
  double scale = 1.0;
  bool causal = false;
  Contraction pv;
};

/// Whether `value` is made by something that looks like a softmax: a
/// linalg.softmax, or a generic that exponentiates or divides. Only graphs
/// that get this far are worth a remark when they are not fused.
bool looksLikeSoftmax(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<linalg::SoftmaxOp>(def))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(def);
  if (!generic)
    return false;
  WalkResult found = generic.getRegion().walk([](Operation *op) {
    return isa<math::ExpOp, math::Exp2Op, arith::DivFOp>(op)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

/// Matches the graph that ends in `output`. When it fails on a graph whose
/// P V reads something softmax-like, `why` says which step did not match.
FailureOr<AttentionGraph> matchAttention(Value output, std::string &why) {
  AttentionGraph g;
  FailureOr<Contraction> pv = matchContraction(output);
  if (failed(pv) || pv->rhsTransposed)
    return failure();
  g.pv = *pv;
  Value probs = peelCast(pv->lhs);
  if (!looksLikeSoftmax(probs))
    return failure();
  if (!probs.hasOneUse()) {
    why = "the probabilities are used by other ops too, so they must be "
          "materialised";
    return failure();
  }
  FailureOr<Value> logits = matchSoftmax(probs);
  if (failed(logits)) {
    auto softmax = probs.getDefiningOp<linalg::SoftmaxOp>();
    why = softmax && !softmax.getInput().hasOneUse()
              ? "the scores are used by other ops too, so they must be "
                "materialised"
              : "the softmax is not exp(s - rowmax) / rowsum over the last "
                "(key) dimension";
    return failure();
  }

  // Mask and scale, each at most once, in either order. Every value between
  // Q K^T and the softmax feeds only the next step.
  Value scores = *logits;
  bool scaled = false;
  auto usedElsewhere = [&] {
    why = "the scores between Q K^T and the softmax are used by other ops "
          "too";
    return failure();
  };
  for (int step = 0; step < 2; ++step) {
    if (scores != *logits && !scores.hasOneUse())
      return usedElsewhere();
    if (FailureOr<Unmasked> unmasked = matchCausalMask(scores);
        succeeded(unmasked) && !g.causal) {
      g.causal = true;
      // A scale inside the mask's body counts as the graph's one scale.
      if (unmasked->factor != 1.0) {
        if (scaled)
          break;
        scaled = true;
        g.scale = unmasked->factor;
      }
      scores = unmasked->scores;
    } else if (auto s = matchScale(scores); succeeded(s) && !scaled) {
      scaled = true;
      g.scale = s->second;
      scores = s->first;
    }
  }
  if (scores != *logits && !scores.hasOneUse())
    return usedElsewhere();

  FailureOr<Contraction> qk = matchContraction(scores);
  if (failed(qk)) {
    Operation *def = scores.getDefiningOp();
    why = "the softmax's input is not Q K^T after at most one causal mask "
          "and one constant scale (found " +
          (def ? "'" + def->getName().getStringRef().str() + "'"
               : std::string("a block argument")) +
          ")";
    return failure();
  }
  g.key = keyFromScoresRhs(*qk);
  g.query = qk->lhs;
  g.value = pv->rhs;
  // A constant factor on Q or K before the product (frameworks pre-scale
  // the query by D^-0.5) is a factor of the scores too, so of the op's scale.
  for (Value *operand : {&g.query, &g.key.value})
    if (FailureOr<double> factor = peelPrescale(*operand); succeeded(factor))
      g.scale *= *factor;
  return g;
}

/// K or V with repeated heads: collapse_shape [[0], [1, 2], [3], [4]] of a
/// linalg.broadcast along dimension 2; returns the unrepeated tensor.
Value unrepeatHeads(Value value) {
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || collapse.getSrcType().getRank() != 5)
    return value;
  SmallVector<ReassociationIndices> expected = {{0}, {1, 2}, {3}, {4}};
  if (collapse.getReassociationIndices() != expected)
    return value;
  auto broadcast = collapse.getSrc().getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast || broadcast.getDimensions() != ArrayRef<int64_t>{2})
    return value;
  return broadcast.getInput();
}

/// K or V of a 3-D graph with heads folded into the batch whose entries
/// were repeated: collapse_shape [[0, 1], [2], [3]] of a linalg.broadcast
/// along dimension 1 of a static [Bkv, S, D]; returns the unrepeated tensor
/// and the repeat count (1 and `value` itself when it is not one).
std::pair<Value, int64_t> unrepeatBatch(Value value) {
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || collapse.getSrcType().getRank() != 4 ||
      !collapse.getSrcType().hasStaticShape())
    return {value, 1};
  SmallVector<ReassociationIndices> expected = {{0, 1}, {2}, {3}};
  if (collapse.getReassociationIndices() != expected)
    return {value, 1};
  auto broadcast = collapse.getSrc().getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast || broadcast.getDimensions() != ArrayRef<int64_t>{1})
    return {value, 1};
  return {broadcast.getInput(), collapse.getSrcType().getDimSize(1)};
}

/// Reshapes a rank-2 or rank-3 operand to [B, H, S, D] with unit dims; a
/// rank-3 one whose batch folds `heads` heads into each entry to [B / heads,
/// heads, S, D].
Value toRank4(OpBuilder &b, Location loc, Value value, int64_t heads = 1) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups;
  SmallVector<int64_t> shape;
  if (type.getRank() == 4)
    return value;
  if (type.getRank() == 3) {
    groups = {{0, 1}, {2}, {3}};
    shape = {type.getDimSize(0) / heads, heads, type.getDimSize(1),
             type.getDimSize(2)};
  } else {
    groups = {{0, 1, 2}, {3}};
    shape = {1, 1, type.getDimSize(0), type.getDimSize(1)};
  }
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), value,
                                       groups);
}

bool isSupportedHeadDim(Value value) {
  int64_t d = cast<ShapedType>(value.getType())
                  .getDimSize(cast<ShapedType>(value.getType()).getRank() - 1);
  return !ShapedType::isDynamic(d) && d % 8 == 0 && d >= 8 && d <= 256;
}

/// Replaces the graph that ends in `output` with attn.attention; creates no
/// IR unless the whole graph is proven.
LogicalResult fuse(RewriterBase &rewriter, Value output, std::string &why) {
  FailureOr<AttentionGraph> g = matchAttention(output, why);
  if (failed(g))
    return failure();
  auto outType = cast<RankedTensorType>(output.getType());
  int64_t rank = outType.getRank();

  // Read K and V before their heads were repeated, and all three inputs
  // before a cast when they all come from one element type.
  Value query = g->query, key = g->key.value, value = g->value;
  if (rank == 4 && !g->key.needsTranspose) {
    Value k = unrepeatHeads(key), v = unrepeatHeads(value);
    if (k != key && v != value && k.getType() == v.getType()) {
      key = k;
      value = v;
    }
  }
  // Heads folded into the batch with K and V entries repeated (GQA on
  // [B*H, S, D]): read K and V unrepeated and split Q's batch into
  // (batch, heads).
  int64_t foldedHeads = 1;
  if (rank == 3 && !g->key.needsTranspose) {
    auto [k, kHeads] = unrepeatBatch(key);
    auto [v, vHeads] = unrepeatBatch(value);
    int64_t batch = cast<ShapedType>(query.getType()).getDimSize(0);
    if (kHeads > 1 && kHeads == vHeads && k.getType() == v.getType() &&
        !ShapedType::isDynamic(batch) && batch % kHeads == 0) {
      key = k;
      value = v;
      foldedHeads = kHeads;
    }
  }
  Value q = peelCast(query), k = peelCast(key), v = peelCast(value);
  auto elementOf = [](Value x) { return getElementTypeOrSelf(x.getType()); };
  // The casts' inputs, when they share a type attention takes (an f64 graph
  // narrowed to f32 keeps its f32 operands).
  if (elementOf(q) == elementOf(k) && elementOf(q) == elementOf(v) &&
      isa<Float32Type, Float16Type, BFloat16Type>(elementOf(q))) {
    query = q;
    key = k;
    value = v;
  }
  if (elementOf(query) != elementOf(key) ||
      elementOf(query) != elementOf(value)) {
    auto name = [&](Value x) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << elementOf(x);
      return text;
    };
    why = "attn.attention takes Q, K and V of one element type, found " +
          name(query) + ", " + name(key) + " and " + name(value);
    return failure();
  }

  Type element = elementOf(query);
  if (rank < 2 || rank > 4) {
    why = "attention has rank 2, 3 or 4, found " + std::to_string(rank);
    return failure();
  }
  if (!isSupportedHeadDim(query) || !isSupportedHeadDim(value)) {
    why = "head dims must be static multiples of 8 from 8 to 256";
    return failure();
  }
  if (!isa<Float32Type, Float16Type, BFloat16Type>(element) ||
      !isa<Float32Type, Float16Type, BFloat16Type>(outType.getElementType())) {
    why = "attention takes bf16, f16 or f32";
    return failure();
  }
  // The causal mask of the graph is aligned to the top left; attn.attention
  // aligns it to the bottom right. They agree when Sq = Skv.
  int64_t seqQ = cast<ShapedType>(query.getType()).getDimSize(rank - 2);
  int64_t seqKv = cast<ShapedType>(value.getType()).getDimSize(rank - 2);
  if (g->causal && (ShapedType::isDynamic(seqQ) || seqQ != seqKv)) {
    why = "a top-left causal mask is attn.attention's bottom-right one only "
          "when Sq = Skv, which the shapes do not show";
    return failure();
  }

  // A cast to 16 bits that alone reads O makes the op's output that type:
  // the attention is computed in f32 either way, and the kernels write O in
  // the inputs' type.
  std::optional<std::pair<Value, Type>> narrowed = matchNarrowingUse(output);
  if (narrowed)
    outType = outType.clone(narrowed->second);

  Operation *pvOp = g->pv.op;
  Location loc = pvOp->getLoc();
  rewriter.setInsertionPoint(pvOp);
  if (g->key.needsTranspose)
    key = transposeLastTwo(rewriter, loc, key);
  query = toRank4(rewriter, loc, query, foldedHeads);
  key = toRank4(rewriter, loc, key);
  value = toRank4(rewriter, loc, value);

  // The destination [B, Hq, Sq, Dv] in the output's element type.
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, query);
  sizes.back() = tensor::getMixedSizes(rewriter, loc, value).back();
  Value init =
      tensor::EmptyOp::create(rewriter, loc, sizes, outType.getElementType());
  MLIRContext *ctx = rewriter.getContext();
  auto attention = AttentionOp::create(
      rewriter, loc, TypeRange{init.getType()}, query, key, value,
      /*block_table=*/Value(), /*cache_lengths=*/Value(), ValueRange{init},
      MaskKindAttr::get(ctx, g->causal ? MaskKind::causal : MaskKind::none),
      /*window_left=*/IntegerAttr(), /*window_right=*/IntegerAttr(),
      rewriter.getF32FloatAttr(g->scale), /*softcap=*/FloatAttr(),
      /*schedule=*/ScheduleAttr());
  Value result = attention.getResult(0);
  if (rank < 4) {
    SmallVector<ReassociationIndices> groups =
        rank == 3 ? SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}}
                  : SmallVector<ReassociationIndices>{{0, 1, 2}, {3}};
    result = tensor::CollapseShapeOp::create(rewriter, loc, result, groups);
  }
  if (result.getType() != outType)
    result = tensor::CastOp::create(rewriter, loc, outType, result);

  // Replace the P V product (or the cast that read it), then erase what
  // only fed it.
  SmallVector<Operation *> worklist;
  for (Value operand : pvOp->getOperands())
    if (Operation *def = operand.getDefiningOp())
      worklist.push_back(def);
  if (narrowed) {
    Operation *cast = narrowed->first.getDefiningOp();
    for (Value operand : cast->getOperands())
      if (Operation *def = operand.getDefiningOp(); def && def != pvOp)
        worklist.push_back(def);
    rewriter.replaceOp(cast, result);
    rewriter.eraseOp(pvOp);
  } else {
    rewriter.replaceOp(pvOp, result);
  }
  // An op several erased ops read is queued once by each: erase it once.
  DenseSet<Operation *> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    erased.insert(op);
    // Operands, and constants the op's body captures.
    SetVector<Value> used(op->getOperands().begin(), op->getOperands().end());
    getUsedValuesDefinedAbove(op->getRegions(), used);
    for (Value value : used)
      if (Operation *def = value.getDefiningOp())
        worklist.push_back(def);
    rewriter.eraseOp(op);
  }
  return success();
}

struct AttnFuseAttentionPass
    : attn::impl::AttnFuseAttentionPassBase<AttnFuseAttentionPass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Fusing erases the graph's other contractions, so look again after each
    // fusion instead of keeping a list.
    bool fused = true;
    SmallVector<std::pair<Operation *, std::string>> unfused;
    while (fused) {
      fused = false;
      unfused.clear();
      getOperation()->walk([&](linalg::LinalgOp op) {
        if (op->getNumResults() != 1 || !linalg::isaContractionOpInterface(op))
          return WalkResult::advance();
        std::string why;
        if (failed(fuse(rewriter, op->getResult(0), why))) {
          if (!why.empty())
            unfused.emplace_back(op, why);
          return WalkResult::advance();
        }
        fused = true;
        return WalkResult::interrupt();
      });
    }
    // The last sweep fused nothing: what it left is what stays unfused.
    if (reportUnfused)
      for (auto &[op, why] : unfused)
        op->emitRemark() << "attn-fuse-attention: not fused: " << why;
  }
};

} // namespace
