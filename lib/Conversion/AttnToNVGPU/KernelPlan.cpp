//===- KernelPlan.cpp - read the online grid a GPU kernel is built from ---===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::attn;

/// The only op of type OpTy in `block`, or null (with an error) when there is
/// not exactly one.
template <typename OpTy>
static OpTy findSingle(Block &block, Operation *where, StringRef what) {
  OpTy found;
  for (auto op : block.getOps<OpTy>()) {
    if (found) {
      where->emitError() << "expects one " << what << ", found several";
      return {};
    }
    found = op;
  }
  if (!found)
    where->emitError() << "expects " << what;
  return found;
}

static bool isFuncArgument(func::FuncOp func, Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  return arg && arg.getOwner() == &func.getBody().front();
}

/// Whether `bound` is `size` as a constant or as `tensor.dim %query, dim`,
/// optionally divided (rounding up) by `divisor`.
static bool isQueryExtent(OpFoldResult bound, Value query, int64_t dim,
                          int64_t divisor) {
  int64_t size = cast<ShapedType>(query.getType()).getDimSize(dim);
  if (std::optional<int64_t> c = getConstantIntValue(bound))
    return !ShapedType::isDynamic(size) && *c == (size + divisor - 1) / divisor;
  auto value = cast<Value>(bound);
  if (divisor != 1) {
    auto div = value.getDefiningOp<arith::CeilDivUIOp>();
    return div && getConstantIntValue(div.getRhs()) == divisor &&
           isQueryExtent(div.getLhs(), query, dim, 1);
  }
  auto dimOp = value.getDefiningOp<tensor::DimOp>();
  return dimOp && dimOp.getSource() == query &&
         getConstantIntValue(dimOp.getIndex()) == dim;
}

FailureOr<KernelPlan> mlir::attn::readKernelPlan(func::FuncOp func) {
  KernelPlan plan;
  plan.func = func;
  func.walk([&](scf::ForallOp forall) {
    if (forall->hasAttr(kGridScheduleAttrName) && !plan.grid)
      plan.grid = forall;
  });
  if (!plan.grid)
    return func.emitError()
           << "expects an attention grid (scf.forall with an #attn.schedule); "
              "run -attn-select-schedule, -attn-tile and "
              "-attn-fuse-online-softmax first";
  scf::ForallOp grid = plan.grid;
  plan.schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));

  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (grid->getParentOp() != func ||
      ret.getOperands() != ValueRange(grid.getResults()))
    return grid.emitError()
           << "expects the function to return the grid's results directly";
  if (grid.getRank() != 3)
    return grid.emitError() << "expects a grid over (query tile, head, batch)";

  Block &body = *grid.getBody();
  SmallVector<scf::ForOp> loops(body.getOps<scf::ForOp>());
  if (loops.size() != 1)
    return grid.emitError()
           << "expects one K/V loop in the online softmax form, found "
           << loops.size() << "; run -attn-fuse-online-softmax first";
  plan.kvLoop = loops.front();
  Block &loop = *plan.kvLoop.getBody();

  auto queryLoad = findSingle<LoadTileOp>(body, grid, "one query tile load");
  auto qk = findSingle<QKMatmulOp>(loop, plan.kvLoop, "attn.qk_matmul");
  auto maskOp = findSingle<MaskScoresOp>(loop, plan.kvLoop, "attn.mask_scores");
  auto rowMax = findSingle<RowMaxOp>(loop, plan.kvLoop, "attn.row_max");
  auto pv = findSingle<PVMatmulOp>(loop, plan.kvLoop, "attn.pv_matmul");
  auto normalize = findSingle<NormalizeOp>(body, grid, "attn.normalize");
  if (!queryLoad || !qk || !maskOp || !rowMax || !pv || !normalize)
    return failure();
  for (RowExpOp exp : loop.getOps<RowExpOp>())
    if (!exp.getBase2())
      return exp.emitError() << "expects base-2 exponentials";

  // The products read the query tile, and K/V tiles loaded at the loop's
  // induction variable from function arguments.
  Value iv = plan.kvLoop.getInductionVar();
  auto keyLoad = qk.getKey().getDefiningOp<LoadTileOp>();
  auto valueLoad = pv.getValue().getDefiningOp<LoadTileOp>();
  if (qk.getQuery() != queryLoad.getResult() || !keyLoad || !valueLoad ||
      keyLoad->getBlock() != &loop || valueLoad->getBlock() != &loop ||
      keyLoad.getRow() != iv || valueLoad.getRow() != iv ||
      keyLoad.getHead() != valueLoad.getHead() ||
      keyLoad.getBatch() != valueLoad.getBatch())
    return qk.emitError() << "expects Q K^T and P V on the query tile and the "
                             "K/V tiles at the loop's position";
  ValueRange ivs = grid.getInductionVars();
  if (queryLoad.getBatch() != ivs[2] || queryLoad.getHead() != ivs[1] ||
      keyLoad.getBatch() != ivs[2])
    return queryLoad.emitError()
           << "expects tiles of the grid's batch and head";
  for (Value source :
       {queryLoad.getSource(), keyLoad.getSource(), valueLoad.getSource()})
    if (!isFuncArgument(func, source))
      return queryLoad.emitError()
             << "expects Q, K and V to be arguments of the function";
  if (maskOp.getRow() != queryLoad.getRow() || maskOp.getCol() != iv)
    return maskOp.emitError()
           << "expects the scores of the query tile at the loop's position";

  Value query = queryLoad.getSource();
  SmallVector<OpFoldResult> ubs = grid.getMixedUpperBound();
  auto queryType = cast<RankedTensorType>(queryLoad.getType());
  plan.tileM = queryType.getDimSize(0);
  plan.headDim = queryType.getDimSize(1);
  plan.elementType = queryType.getElementType();
  plan.tileN = cast<RankedTensorType>(keyLoad.getType()).getDimSize(0);
  if (!isQueryExtent(ubs[0], query, 2, plan.tileM) ||
      !isQueryExtent(ubs[1], query, 1, 1) ||
      !isQueryExtent(ubs[2], query, 0, 1))
    return grid.emitError() << "expects the grid to cover (ceildiv(Sq, "
                            << plan.tileM << "), heads, batch) of the query";
  if (getConstantIntValue(plan.kvLoop.getStep()) != plan.tileN)
    return plan.kvLoop.emitError() << "expects the K/V loop to step by tiles";

  plan.queryRow = queryLoad.getRow();
  plan.kvHead = keyLoad.getHead();
  plan.kvLower = plan.kvLoop.getLowerBound();
  plan.kvUpper = plan.kvLoop.getUpperBound();
  plan.mask = maskOp.getMask();
  if (plan.mask == MaskKind::sliding_window)
    plan.window = maskOp.getWindowExtents();
  plan.scale = maskOp.getScale().convertToFloat();
  if (std::optional<APFloat> c = maskOp.getSoftcap())
    plan.softcap = c->convertToFloat();
  if (std::optional<APFloat> t = rowMax.getThreshold())
    plan.rescaleThreshold = t->convertToFloat();
  plan.hasLse = grid.getNumResults() == 2;
  return plan;
}

IndexMaterializer::IndexMaterializer(const KernelPlan &plan,
                                     gpu::GPUFuncOp kernel)
    : plan(plan), kernel(kernel) {}

FailureOr<Value> IndexMaterializer::get(OpBuilder &b, Value value) {
  if (Value known = mapping.lookupOrNull(value))
    return known;
  Location loc = value.getLoc();
  scf::ForallOp grid = plan.grid;
  ValueRange ivs = grid.getInductionVars();
  const gpu::Dimension dims[] = {gpu::Dimension::x, gpu::Dimension::y,
                                 gpu::Dimension::z};
  for (int64_t i = 0; i < 3; ++i) {
    if (value == ivs[i]) {
      Value id = gpu::BlockIdOp::create(b, loc, dims[i]);
      mapping.map(value, id);
      return id;
    }
  }
  Operation *def = value.getDefiningOp();
  if (auto dim = dyn_cast_or_null<tensor::DimOp>(def)) {
    std::optional<int64_t> index = getConstantIntValue(dim.getIndex());
    if (isFuncArgument(plan.func, dim.getSource()) && index) {
      auto arg = cast<BlockArgument>(dim.getSource());
      Value result = memref::DimOp::create(
          b, loc, kernel.getArgument(arg.getArgNumber()), *index);
      mapping.map(value, result);
      return result;
    }
  }
  if (!def || def->getNumRegions() != 0 ||
      !isa<arith::ArithDialect>(def->getDialect()))
    return emitError(loc) << "cannot recompute this value inside the kernel";
  for (Value operand : def->getOperands())
    if (failed(get(b, operand)))
      return failure();
  Operation *clone = b.clone(*def, mapping);
  return clone->getResult(cast<OpResult>(value).getResultNumber());
}
