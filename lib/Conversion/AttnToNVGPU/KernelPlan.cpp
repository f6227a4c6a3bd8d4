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

/// Every diagnostic of the conversion starts with its flag.
static constexpr StringLiteral kPass = "convert-attn-to-nvgpu";

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

/// max(ceildiv(Skv, chunk), 1): split-KV's chunk count, at least one.
static bool isChunkCount(OpFoldResult bound, Value key, int64_t chunk) {
  int64_t size = cast<ShapedType>(key.getType()).getDimSize(2);
  if (std::optional<int64_t> c = getConstantIntValue(bound))
    return !ShapedType::isDynamic(size) &&
           *c == std::max<int64_t>((size + chunk - 1) / chunk, 1);
  auto max = cast<Value>(bound).getDefiningOp<arith::MaxUIOp>();
  return max && getConstantIntValue(max.getRhs()) == 1 &&
         isQueryExtent(max.getLhs(), key, 2, chunk);
}

/// max(ceildiv(max_pages * page, chunk), 1): the chunk count over a paged
/// cache's capacity, with `max_pages` dimension 1 of the block table.
static bool isPagedChunkCount(OpFoldResult bound, Value table, int64_t pageSize,
                              int64_t chunk) {
  if (std::optional<int64_t> c = getConstantIntValue(bound)) {
    int64_t maxPages = cast<ShapedType>(table.getType()).getDimSize(1);
    return !ShapedType::isDynamic(maxPages) &&
           *c == std::max<int64_t>(llvm::divideCeil(maxPages * pageSize, chunk),
                                   1);
  }
  auto max = cast<Value>(bound).getDefiningOp<arith::MaxUIOp>();
  if (!max || getConstantIntValue(max.getRhs()) != 1)
    return false;
  auto div = max.getLhs().getDefiningOp<arith::CeilDivUIOp>();
  if (!div || getConstantIntValue(div.getRhs()) != chunk)
    return false;
  auto capacity = div.getLhs().getDefiningOp<arith::MulIOp>();
  return capacity && getConstantIntValue(capacity.getRhs()) == pageSize &&
         isQueryExtent(capacity.getLhs(), table, 1, 1);
}

namespace {
/// A copy into one of the kernel's buffers, from either form: its source,
/// batch and head, which of Q (0), K (1), V (2) it fills, and for a paged
/// read its block table and length.
struct TileCopy {
  Operation *op;
  Value source, batch, head;
  unsigned role;
  Value blockTable = {}, length = {};
};

/// What the async form says about the query tile and the three tiles'
/// types, for the checks both forms share.
struct AsyncFacts {
  Value querySource, queryHead, queryRow;
  /// Heads the query tile packs (`heads(G)` of its copy; 1 when not).
  int64_t queryHeads = 1;
  RankedTensorType queryTile, keyTile, valueTile;
  SmallVector<TileCopy> copies;
};
} // namespace

/// The pipelined form (L4): rings, copies and waits in the grid body and the
/// loop.
static FailureOr<AsyncFacts> readRings(KernelPlan &plan,
                                       const OnlineGrid &online) {
  QKMatmulOp qk = online.scores;
  PVMatmulOp pv = online.output;
  Block &body = *plan.grid.getBody();
  Block &loop = *plan.kvLoop.getBody();
  // The tiles come from waits: the query's in the grid body, K's and V's in
  // the loop on futures the loop carries.
  auto queryWait = qk.getQuery().getDefiningOp<WaitTileOp>();
  auto keyWait = qk.getKey().getDefiningOp<WaitTileOp>();
  auto valueWait = pv.getValue().getDefiningOp<WaitTileOp>();
  if (!queryWait || !keyWait || !valueWait)
    return qk.emitError()
           << kPass
           << ": expects the tiles of Q K^T and P V to come from "
              "attn.wait_tile; run -attn-pipeline-async first";
  auto queryCopy = queryWait.getFuture().getDefiningOp<CopyTileAsyncOp>();
  if (!queryCopy || queryCopy->getBlock() != &body ||
      queryWait->getBlock() != &body)
    return queryWait.emitError() << kPass
                                 << ": expects the query tile to be copied and "
                                    "waited for in the grid "
                                    "body";
  plan.queryRing = getRingOfFuture(plan.kvLoop, queryCopy.getFuture());
  plan.keyRing = getRingOfFuture(plan.kvLoop, keyWait.getFuture());
  plan.valueRing = getRingOfFuture(plan.kvLoop, valueWait.getFuture());
  if (!plan.queryRing || !plan.keyRing || !plan.valueRing ||
      keyWait->getBlock() != &loop || valueWait->getBlock() != &loop ||
      plan.keyRing == plan.valueRing)
    return qk.emitError()
           << kPass
           << ": expects Q, K and V in rings of their own, K and "
              "V waited for in the loop";

  // Every future the loop carries stays in one ring, so that the kernel
  // carries only its slot.
  for (auto [init, arg, next] :
       llvm::zip(plan.kvLoop.getInitArgs(), plan.kvLoop.getRegionIterArgs(),
                 plan.kvLoop.getYieldedValues())) {
    if (!isa<FutureType>(arg.getType()))
      continue;
    AllocRingOp ring = getRingOfFuture(plan.kvLoop, init);
    if (!ring || getRingOfFuture(plan.kvLoop, next) != ring)
      return plan.kvLoop.emitError()
             << kPass
             << ": expects each future the loop carries to stay in one ring";
  }

  // Copies and waits, in the order the kernel issues them.
  auto isAsync = [](Operation &op) {
    return isa<CopyTileAsyncOp, WaitTileOp>(op);
  };
  bool afterLoop = false;
  for (Operation &op : body) {
    afterLoop |= &op == plan.kvLoop.getOperation();
    if (!isAsync(op))
      continue;
    if (afterLoop)
      return op.emitError()
             << kPass << ": expects no copies or waits after the K/V loop";
    plan.entryAsync.push_back(&op);
  }
  for (Operation &op : loop)
    if (isAsync(op))
      plan.loopAsync.push_back(&op);

  AsyncFacts facts;
  for (Operation *op :
       llvm::concat<Operation *>(plan.entryAsync, plan.loopAsync)) {
    auto copy = dyn_cast<CopyTileAsyncOp>(op);
    if (!copy)
      continue;
    auto ring = copy.getRing().getDefiningOp<AllocRingOp>();
    const AllocRingOp rings[] = {plan.queryRing, plan.keyRing, plan.valueRing};
    const auto *it = llvm::find(rings, ring);
    if (it == std::end(rings))
      return copy.emitError()
             << kPass << ": expects copies into the Q, K or V ring";
    facts.copies.push_back({copy, copy.getSource(), copy.getBatch(),
                            copy.getHead(),
                            static_cast<unsigned>(it - std::begin(rings)),
                            copy.getBlockTable(), copy.getLength()});
  }
  facts.querySource = queryCopy.getSource();
  facts.queryHead = queryCopy.getHead();
  facts.queryHeads = queryCopy.getHeads().value_or(1);
  facts.queryRow = queryCopy.getRow();
  facts.queryTile = queryWait.getType();
  facts.keyTile = keyWait.getType();
  facts.valueTile = valueWait.getType();
  return facts;
}

/// The warp-specialised form: channels filled by the producer role and
/// waited for by the consumer role.
static FailureOr<AsyncFacts> readChannels(KernelPlan &plan,
                                          const OnlineGrid &online) {
  QKMatmulOp qk = online.scores;
  PVMatmulOp pv = online.output;
  plan.roles = online.roles;
  auto queryWait = qk.getQuery().getDefiningOp<ChannelWaitOp>();
  auto keyWait = qk.getKey().getDefiningOp<ChannelWaitOp>();
  auto valueWait = pv.getValue().getDefiningOp<ChannelWaitOp>();
  Block &loop = *plan.kvLoop.getBody();
  if (!queryWait || !keyWait || !valueWait ||
      queryWait->getBlock() != &online.computeBlock() ||
      keyWait->getBlock() != &loop || valueWait->getBlock() != &loop)
    return qk.emitError() << kPass
                          << ": expects the tiles of Q K^T and P V to come "
                             "from attn.channel_wait, the query's before the "
                             "K/V loop and K's and V's in it";
  plan.queryChannel = queryWait.getChannel().getDefiningOp<AllocChannelOp>();
  plan.keyChannel = keyWait.getChannel().getDefiningOp<AllocChannelOp>();
  plan.valueChannel = valueWait.getChannel().getDefiningOp<AllocChannelOp>();
  if (!plan.queryChannel || !plan.keyChannel || !plan.valueChannel ||
      plan.queryChannel == plan.keyChannel ||
      plan.keyChannel == plan.valueChannel ||
      plan.queryChannel == plan.valueChannel)
    return qk.emitError()
           << kPass << ": expects Q, K and V in channels of their own";

  AsyncFacts facts;
  const AllocChannelOp channels[] = {plan.queryChannel, plan.keyChannel,
                                     plan.valueChannel};
  for (Region &region : plan.roles.getBodies()) {
    WalkResult result = region.walk([&](ChannelCopyOp copy) {
      const auto *it =
          llvm::find(channels, copy.getChannel().getDefiningOp<AllocChannelOp>());
      if (it == std::end(channels)) {
        copy.emitError() << kPass
                         << ": expects copies into the Q, K or V channel";
        return WalkResult::interrupt();
      }
      facts.copies.push_back({copy, copy.getSource(), copy.getBatch(),
                              copy.getHead(),
                              static_cast<unsigned>(it - std::begin(channels))});
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return failure();
  }
  // The kernel loads what the producer copies and masks and stores by what
  // the consumer says it waits for: the two must name the same rows.
  for (const TileCopy &copy : facts.copies) {
    auto channelCopy = cast<ChannelCopyOp>(copy.op);
    if (copy.role == 0 &&
        (channelCopy.getRow() != queryWait.getRow() ||
         channelCopy.getHead() != queryWait.getHead() ||
         channelCopy.getSource() != queryWait.getSource()))
      return channelCopy.emitError()
             << kPass
             << ": expects the query tile copied to be the one the consumer "
                "waits for (same tensor, head and row)";
  }
  facts.querySource = queryWait.getSource();
  facts.queryHead = queryWait.getHead();
  facts.queryRow = queryWait.getRow();
  facts.queryTile = queryWait.getType();
  facts.keyTile = keyWait.getType();
  facts.valueTile = valueWait.getType();
  return facts;
}

FailureOr<KernelPlan> mlir::attn::readKernelPlan(func::FuncOp func) {
  KernelPlan plan;
  plan.func = func;
  SmallVector<scf::ForallOp> grids = getScheduledGrids(func);
  if (grids.empty())
    return func.emitError()
           << kPass
           << ": expects an attention grid (scf.forall with an "
              "#attn.schedule); run -attn-select-schedule, -attn-tile and "
              "-attn-fuse-online-softmax first";
  for (auto roles : grids.front().getBody()->getOps<WarpSpecializeOp>())
    if (!roles.getSharedRoles().empty())
      return roles.emitError()
             << kPass
             << ": no kernel takes FlashAttention-4's mma, softmax, "
                "correction and epilogue roles (attn.in_role sections) yet; "
                "the warp-specialised kernels run a producer and a consumer "
                "role";
  FailureOr<OnlineGrid> online = matchOnlineGrid(grids.front(), kPass);
  if (failed(online))
    return failure();
  scf::ForallOp grid = plan.grid = online->grid;
  plan.schedule = online->schedule;
  plan.kvChunk = plan.schedule.getKvChunk();
  plan.kvLoop = online->kvLoop;
  plan.scores = online->scores;
  plan.output = online->output;
  MaskScoresOp maskOp = online->mask;
  RowMaxOp rowMax = online->rowMax;
  Block &loop = *plan.kvLoop.getBody();

  // The function returns the grid's results, or with split-KV their merge,
  // which the kernel does itself.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ValueRange results = grid.getResults();
  CombineSplitsOp combine;
  if (plan.kvChunk > 0) {
    combine = ret.getNumOperands() > 0
                  ? ret.getOperand(0).getDefiningOp<CombineSplitsOp>()
                  : CombineSplitsOp();
    if (!combine || combine.getPartialOutput() != grid.getResult(0) ||
        combine.getPartialLse() != grid.getResult(1))
      return grid.emitError() << kPass
                              << ": expects the function to return the merge "
                                 "(attn.combine_splits) of the split grid";
    results = combine.getResults();
  }
  if (grid->getParentOp() != func || ret.getOperands() != results)
    return grid.emitError()
           << kPass << ": expects the function to return the grid's results "
           << "directly";
  for (RowExpOp exp : loop.getOps<RowExpOp>()) {
    if (!exp.getBase2())
      return exp.emitError() << kPass << ": expects base-2 exponentials";
    if (std::optional<uint64_t> every = exp.getPolyEvery()) {
      plan.polyEvery = *every;
      plan.polyDegree = *exp.getPolyDegree();
    }
  }

  FailureOr<AsyncFacts> facts =
      online->roles ? readChannels(plan, *online) : readRings(plan, *online);
  if (failed(facts))
    return failure();

  // A paged cache: every K/V copy reads through the function's argument 3
  // (the block table) up to one length of the grid body, or none does.
  std::optional<bool> kvPaged;
  for (const TileCopy &copy : facts->copies) {
    bool paged = static_cast<bool>(copy.blockTable);
    if (copy.role != 0 && !kvPaged)
      kvPaged = paged;
    // The query is never paged; K and V all are, or none is.
    if (paged != (copy.role != 0 && *kvPaged))
      return copy.op->emitError()
             << kPass << ": expects every K and V copy to read the same paged "
             << "cache, or none to";
    if (!paged)
      continue;
    if (!plan.kvLength)
      plan.kvLength = copy.length;
    if (copy.length != plan.kvLength ||
        !isFuncArgument(func, copy.blockTable) ||
        cast<BlockArgument>(copy.blockTable).getArgNumber() != 3)
      return copy.op->emitError()
             << kPass << ": expects K and V copies of a paged cache to read "
             << "the function's argument 3 (the block table) up to one length";
  }
  plan.paged = kvPaged.value_or(false);
  if (plan.paged) {
    plan.pageSize =
        cast<ShapedType>(func.getArgument(1).getType()).getDimSize(1);
    if (ShapedType::isDynamic(plan.pageSize))
      return func.emitError() << kPass << ": expects a static page size "
                              << "(dimension 1 of the paged K and V)";
    if (plan.kvChunk % plan.pageSize != 0)
      return grid.emitError() << kPass << ": expects split-KV chunks of "
                              << "whole pages: kv_chunk = " << plan.kvChunk
                              << ", pages of " << plan.pageSize << " keys";
    if (maskOp.getSeqKv() != plan.kvLength)
      return maskOp.emitError() << kPass << ": expects the mask of a paged "
                                << "cache to use the length its copies read";
  }

  // The kernel's tensors are the function's first three arguments (Q, K,
  // V; with a paged cache five, the block table and the lengths too), then
  // its results (O and the optional LSE): each buffer must be filled from its
  // own one. Further arguments may only be the grid's destinations
  // (destination-passing callers hand in the output buffer), which the
  // kernel writes through its O and LSE parameters instead.
  if (func.getNumArguments() < plan.numInputs())
    return func.emitError()
           << kPass << ": expects the function to take Q, K "
           << "and V"
           << (plan.paged ? ", the block table "
                            "and the cache lengths"
                          : "")
           << " as its first " << (plan.paged ? "five" : "three")
           << " arguments, found " << func.getNumArguments();
  DestinationStyleOpInterface destinations =
      combine ? cast<DestinationStyleOpInterface>(combine.getOperation())
              : cast<DestinationStyleOpInterface>(grid.getOperation());
  for (BlockArgument arg : func.getArguments().drop_front(plan.numInputs())) {
    bool onlyDestination = llvm::all_of(arg.getUses(), [&](OpOperand &use) {
      return use.getOwner() == destinations.getOperation() &&
             destinations.isDpsInit(&use);
    });
    if (!onlyDestination)
      return func.emitError()
             << kPass << ": expects the function's arguments after Q, K and "
             << "V to be only the attention's destinations; argument "
             << arg.getArgNumber() << " is used otherwise";
  }
  if (results.size() < 1 || results.size() > 2)
    return grid.emitError() << kPass
                            << ": expects the grid to yield O and optionally "
                               "the LSE";
  SmallVector<Value> ivs = grid.getInductionVars();
  for (const TileCopy &copy : facts->copies) {
    if (!isFuncArgument(func, copy.source))
      return copy.op->emitError()
             << kPass << ": expects Q, K and V to be arguments of the function";
    if (copy.batch != ivs[2])
      return copy.op->emitError()
             << kPass << ": expects tiles of the grid's batch";
    if (cast<BlockArgument>(copy.source).getArgNumber() != copy.role)
      return copy.op->emitError()
             << kPass << ": expects the "
             << (copy.role == 0   ? "query"
                 : copy.role == 1 ? "key"
                                  : "value")
             << " tiles to come from argument " << copy.role
             << " of the function (Q, K and V are three distinct arguments, "
                "in that order; pass one tensor three times to share it)";
  }
  // A packed tile starts at the first query head of the grid's key/value
  // head: the head times the group.
  plan.packedHeads = online->mask.getHeads().value_or(1);
  if (facts->queryHeads != plan.packedHeads ||
      plan.schedule.getPackGqa() != (plan.packedHeads > 1))
    return online->mask.emitError()
           << kPass << ": expects the query copy, the mask and the schedule "
           << "to agree on packed heads (" << facts->queryHeads << ", "
           << plan.packedHeads
           << ", pack_gqa = " << (plan.schedule.getPackGqa() ? "true" : "false")
           << ")";
  Value headIv = facts->queryHead;
  if (plan.packedHeads > 1) {
    auto times = headIv.getDefiningOp<arith::MulIOp>();
    headIv = times && getConstantIntValue(times.getRhs()) == plan.packedHeads
                 ? times.getLhs()
                 : Value();
  }
  if (headIv != ivs[1])
    return plan.scores.emitError()
           << kPass << ": expects the query tile of the grid's head";
  plan.queryHead = facts->queryHead;
  Value iv = plan.kvLoop.getInductionVar();
  if (maskOp.getRow() != facts->queryRow || maskOp.getCol() != iv)
    return maskOp.emitError()
           << kPass
           << ": expects the scores of the query tile at the loop's position";

  Value query = facts->querySource;
  if (!isFuncArgument(func, query))
    return plan.scores.emitError()
           << kPass << ": expects Q, K and V to be arguments of the function";
  SmallVector<OpFoldResult> ubs = grid.getMixedUpperBound();
  plan.tileM = facts->queryTile.getDimSize(0);
  plan.headDim = facts->queryTile.getDimSize(1);
  plan.elementType = facts->queryTile.getElementType();
  plan.tileN = facts->keyTile.getDimSize(0);
  plan.valueHeadDim = facts->valueTile.getDimSize(1);
  int64_t queryRows = plan.queryRowsPerTile();
  Value headSource = plan.packedHeads > 1 ? func.getArgument(1) : query;
  int64_t headDimIndex = plan.packedHeads > 1 ? plan.kvHeadDim() : 1;
  bool chunks =
      plan.kvChunk == 0 ||
      (plan.paged ? isPagedChunkCount(ubs[3], func.getArgument(3),
                                      plan.pageSize, plan.kvChunk)
                  : isChunkCount(ubs[3], func.getArgument(1), plan.kvChunk));
  if (!isQueryExtent(ubs[0], query, 2, queryRows) ||
      !isQueryExtent(ubs[1], headSource, headDimIndex, 1) ||
      !isQueryExtent(ubs[2], query, 0, 1) || !chunks)
    return grid.emitError()
           << kPass << ": expects the grid to cover (ceildiv(Sq, " << queryRows
           << "), " << (plan.packedHeads > 1 ? "key/value heads" : "heads")
           << ", batch" << (plan.kvChunk > 0 ? ", K/V chunks" : "")
           << ") of the query";
  if (plan.kvChunk > 0)
    plan.kvSplits = ubs[3];
  if (getConstantIntValue(plan.kvLoop.getStep()) != plan.tileN)
    return plan.kvLoop.emitError()
           << kPass << ": expects the K/V loop to step by tiles";

  plan.queryRow = facts->queryRow;
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
  plan.hasLse = results.size() == 2;
  return plan;
}

bool mlir::attn::isMultipleOf(Value value, int64_t n) {
  if (std::optional<int64_t> c = getConstantIntValue(value))
    return *c % n == 0;
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    return loop && arg == loop.getInductionVar() &&
           isMultipleOf(loop.getLowerBound(), n) &&
           isMultipleOf(loop.getStep(), n);
  }
  Operation *def = value.getDefiningOp();
  if (auto mul = dyn_cast_or_null<arith::MulIOp>(def))
    return isMultipleOf(mul.getLhs(), n) || isMultipleOf(mul.getRhs(), n);
  if (isa_and_nonnull<arith::AddIOp, arith::SubIOp, arith::MaxSIOp,
                      arith::MinSIOp, arith::MaxUIOp, arith::MinUIOp>(def))
    return isMultipleOf(def->getOperand(0), n) &&
           isMultipleOf(def->getOperand(1), n);
  return false;
}

SmallVector<Operation *> KernelPlan::loopAsyncBetween(Operation *after,
                                                      Operation *op) const {
  SmallVector<Operation *> ops;
  for (Operation *async : loopAsync)
    if ((!after || after->isBeforeInBlock(async)) && async->isBeforeInBlock(op))
      ops.push_back(async);
  return ops;
}

IndexMaterializer::IndexMaterializer(const KernelPlan &plan,
                                     std::function<Value(unsigned)> tensorValue)
    : plan(plan), tensorValue(std::move(tensorValue)) {}

Value IndexMaterializer::lookup(OpBuilder &b, Value value) const {
  if (Value known = fixed.lookupOrNull(value))
    return known;
  auto it = made.find(value);
  if (it == made.end())
    return {};
  Block *block = b.getInsertionBlock();
  for (Value candidate : it->second) {
    Block *defBlock = candidate.getParentBlock();
    if (defBlock == block) {
      Operation *def = candidate.getDefiningOp();
      if (b.getInsertionPoint() == block->end() ||
          def->isBeforeInBlock(&*b.getInsertionPoint()))
        return candidate;
      continue;
    }
    // Made in an enclosing block: it dominates everything nested in it.
    if (!defBlock->getParent()->isAncestor(block->getParent()))
      continue;
    Operation *nest = defBlock->findAncestorOpInBlock(*block->getParentOp());
    if (nest && candidate.getDefiningOp()->isBeforeInBlock(nest))
      return candidate;
  }
  return {};
}

FailureOr<Value> IndexMaterializer::get(OpBuilder &b, OpFoldResult value) {
  if (auto v = dyn_cast<Value>(value))
    return get(b, v);
  return arith::ConstantIndexOp::create(b, b.getUnknownLoc(),
                                        *getConstantIntValue(value))
      .getResult();
}

FailureOr<Value> IndexMaterializer::get(OpBuilder &b, Value value) {
  if (Value known = lookup(b, value))
    return known;
  Location loc = value.getLoc();
  auto remember = [&](Value result) {
    made[value].push_back(result);
    return result;
  };
  scf::ForallOp grid = plan.grid;
  SmallVector<Value> ivs = grid.getInductionVars();
  const gpu::Dimension dims[] = {gpu::Dimension::x, gpu::Dimension::y,
                                 gpu::Dimension::z};
  // Split-KV: x counts (query tile, chunk) pairs, the chunk fastest.
  if (plan.kvChunk > 0 && (value == ivs[0] || value == ivs[3])) {
    FailureOr<Value> splits = get(b, plan.kvSplits);
    if (failed(splits))
      return failure();
    Value x = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    if (value == ivs[0])
      return remember(arith::DivUIOp::create(b, loc, x, *splits));
    return remember(arith::RemUIOp::create(b, loc, x, *splits));
  }
  for (int64_t i = 0; i < 3; ++i)
    if (value == ivs[i])
      return remember(gpu::BlockIdOp::create(b, loc, dims[i]));
  Operation *def = value.getDefiningOp();
  // An element of an argument (a paged cache's length): a load.
  if (auto extract = dyn_cast_or_null<tensor::ExtractOp>(def)) {
    if (isFuncArgument(plan.func, extract.getTensor())) {
      SmallVector<Value> indices;
      for (Value index : extract.getIndices()) {
        FailureOr<Value> kernelIndex = get(b, index);
        if (failed(kernelIndex))
          return failure();
        indices.push_back(*kernelIndex);
      }
      auto arg = cast<BlockArgument>(extract.getTensor());
      return remember(memref::LoadOp::create(
          b, loc, tensorValue(arg.getArgNumber()), indices));
    }
  }
  if (auto dim = dyn_cast_or_null<tensor::DimOp>(def)) {
    std::optional<int64_t> index = getConstantIntValue(dim.getIndex());
    if (isFuncArgument(plan.func, dim.getSource()) && index) {
      auto arg = cast<BlockArgument>(dim.getSource());
      return remember(memref::DimOp::create(
          b, loc, tensorValue(arg.getArgNumber()), *index));
    }
  }
  if (!def || def->getNumRegions() != 0 ||
      !isa<arith::ArithDialect>(def->getDialect()))
    return emitError(loc) << "convert-attn-to-nvgpu: cannot recompute this "
                             "value inside the kernel";
  IRMapping operands;
  for (Value operand : def->getOperands()) {
    FailureOr<Value> kernelOperand = get(b, operand);
    if (failed(kernelOperand))
      return failure();
    operands.map(operand, *kernelOperand);
  }
  Operation *clone = b.clone(*def, operands);
  return remember(clone->getResult(cast<OpResult>(value).getResultNumber()));
}
