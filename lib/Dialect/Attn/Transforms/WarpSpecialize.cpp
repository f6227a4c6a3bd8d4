//===- WarpSpecialize.cpp - split the pipelined grid into warp roles ------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Turns each pipelined grid (L4, -attn-pipeline-async's output) whose
// schedule is warp-specialised into an attn.warp_specialize with a producer
// and a consumer role, FlashAttention-3's structure. The rings become
// channels of as many slots. The producer issues the pipeline's copies, in
// its order (the query, the prologue's stages - 1 K/V tiles, then each K/V
// tile from stages - 1 on), each between an acquire of its slot and a
// commit; the pipeline's copies past the last tile move nothing and are
// left out, so that they hold no slot the next tile of a persistent CTA
// needs. The consumer keeps the online softmax loop, the
// normalisation and the LSE; each wait becomes a channel wait on the slot of
// the tile it consumes and a release after the tile's last use. Tile `j` of
// a channel sits in slot j mod stages with phase (j / stages) mod 2, the
// same on both sides, so the pass that decided the stages still decides
// them and this one only assigns them to roles.
//
// With FlashAttention-4's roles (producer, mma, softmax, correction,
// epilogue) the last four share the consumer's region, which is split into
// attn.in_role sections: the channel waits and releases and the matrix
// products are the MMA warp's, the mask, row max, exponentials and row sums
// the softmax warps', O's rescale the correction warps', and the
// normalisation and LSE the epilogue's. Read in order the region is still
// the consumer's computation; a section's results are what one role hands
// another.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNWARPSPECIALIZEPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr StringLiteral kPass = "attn-warp-specialize";
// FlashAttention-4's roles, in the schedule's order.
constexpr StringLiteral kProducer = "producer", kMma = "mma",
                        kSoftmax = "softmax", kCorrection = "correction",
                        kEpilogue = "epilogue";

/// The pipelined grid's async ops, as -attn-pipeline-async leaves them.
struct Pipeline {
  OnlineGrid online;
  WaitTileOp queryWait;
  /// Copies and waits in the grid body (before the loop) and in the loop.
  SmallVector<CopyTileAsyncOp> entryCopies, loopCopies;
  SmallVector<WaitTileOp> loopWaits;
  SmallVector<AllocRingOp> rings;
  LseOp lse;
};

/// Whether `copy` copies the tile `ahead` steps past `loop`'s current one
/// and is enabled exactly where that tile exists.
bool copiesTileAhead(CopyTileAsyncOp copy, scf::ForOp loop, int64_t ahead) {
  Value iv = loop.getInductionVar(), row = copy.getRow();
  bool rowAhead = ahead == 0 && row == iv;
  if (auto add = row.getDefiningOp<arith::AddIOp>()) {
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    rowAhead = add.getLhs() == iv && step &&
               getConstantIntValue(add.getRhs()) == *step * ahead;
  }
  auto exists = copy.getEnabled().getDefiningOp<arith::CmpIOp>();
  return rowAhead && exists &&
         exists.getPredicate() == arith::CmpIPredicate::slt &&
         exists.getLhs() == row && exists.getRhs() == loop.getUpperBound();
}

FailureOr<Pipeline> matchPipeline(scf::ForallOp grid) {
  FailureOr<OnlineGrid> online = matchOnlineGrid(grid, kPass);
  if (failed(online))
    return failure();
  Pipeline p;
  p.online = *online;
  Block &body = *grid.getBody();
  scf::ForOp loop = online->kvLoop;
  auto fail = [&](Operation *at, const Twine &message) {
    return at->emitError() << kPass << ": " << message;
  };
  // Channels move one head's rows; a packed tile gathers several.
  if (online->schedule.getPackGqa())
    return fail(grid, "packed GQA (pack_gqa) has no warp-specialised form");
  p.queryWait = online->scores.getQuery().getDefiningOp<WaitTileOp>();
  if (!p.queryWait || p.queryWait->getBlock() != &body)
    return fail(online->scores, "expects the pipelined form, the query tile "
                                "waited for in the grid body; run "
                                "-attn-pipeline-async first");
  for (Operation &op : body) {
    if (auto copy = dyn_cast<CopyTileAsyncOp>(op)) {
      if (!op.isBeforeInBlock(loop))
        return fail(&op, "expects no copies after the K/V loop");
      p.entryCopies.push_back(copy);
    } else if (auto ring = dyn_cast<AllocRingOp>(op)) {
      p.rings.push_back(ring);
    } else if (auto lse = dyn_cast<LseOp>(op)) {
      p.lse = lse;
    } else if (isa<WaitTileOp>(op) && &op != p.queryWait.getOperation()) {
      return fail(&op, "expects one wait in the grid body, the query's");
    }
  }
  for (Operation &op : *loop.getBody()) {
    if (auto copy = dyn_cast<CopyTileAsyncOp>(op))
      p.loopCopies.push_back(copy);
    else if (auto wait = dyn_cast<WaitTileOp>(op))
      p.loopWaits.push_back(wait);
  }
  // Channels name rows of a [B, H, S, D] tensor; a paged cache has none.
  for (CopyTileAsyncOp copy :
       llvm::concat<CopyTileAsyncOp>(p.entryCopies, p.loopCopies))
    if (copy.isPaged())
      return fail(copy, "a paged K/V cache has no warp-specialised form");
  for (Operation *op : {online->normalize.getOperation(),
                        p.lse ? p.lse.getOperation() : nullptr})
    if (op && op->isBeforeInBlock(loop))
      return fail(op, "expects the epilogue after the K/V loop");
  // Nothing else may use what the loop carries or the async ops produce.
  for (OpResult result : loop.getResults())
    for (Operation *user : result.getUsers())
      if (user != online->normalize && user != p.lse)
        return fail(user, "expects the loop's results to be used by the "
                          "normalisation and the LSE only");
  if (p.loopWaits.empty())
    return fail(loop, "expects the K/V loop's tiles to come from waits; run "
                      "-attn-pipeline-async first");
  // The producer's loop starts where the copies' tiles do and enables
  // every copy: each copies the tile stages - 1 steps ahead, enabled exactly
  // where that tile exists, and both rings are as deep.
  for (CopyTileAsyncOp copy : p.loopCopies) {
    int64_t stages = copy.getRing().getType().getStages();
    if (stages != p.loopCopies.front().getRing().getType().getStages())
      return fail(copy, "expects the K/V loop's rings to have one depth");
    if (!copiesTileAhead(copy, loop, stages - 1))
      return fail(copy, "expects each copy in the K/V loop to copy the tile "
                        "stages - 1 steps ahead, enabled where that tile "
                        "exists (-attn-pipeline-async's form)");
  }
  // Every wait's future comes from a copy into one of the grid's rings: the
  // query's in the grid body, the loop's through the futures it carries (or,
  // with one stage, from a copy in the same step).
  auto copiedIntoRing = [&](Value future) {
    auto copy = future.getDefiningOp<CopyTileAsyncOp>();
    return copy && llvm::is_contained(
                       p.rings, copy.getRing().getDefiningOp<AllocRingOp>());
  };
  if (!copiedIntoRing(p.queryWait.getFuture()))
    return fail(p.queryWait, "expects the query's future to come from a copy "
                             "into a ring of the grid");
  for (WaitTileOp wait : p.loopWaits) {
    CopyTileAsyncOp copy = getCopyOfFuture(loop, wait.getFuture());
    bool carried = isa<BlockArgument>(wait.getFuture());
    if (!copy || !copiedIntoRing(copy.getResult()) ||
        (!carried && (copy->getBlock() != loop.getBody() ||
                      copy.getRing().getType().getStages() != 1)))
      return fail(wait, "expects each wait in the K/V loop to take a future "
                        "the loop carries (or, with one stage, this step "
                        "makes) from a copy into a ring");
  }
  return p;
}

class Specializer {
public:
  Specializer(Pipeline &p, ArrayRef<WarpRoleAttr> roles)
      : p(p), roles(roles), b(p.online.grid.getContext()),
        loop(p.online.kvLoop), loc(loop.getLoc()) {}

  LogicalResult run();

private:
  Value index(int64_t v) {
    return b.createOrFold<arith::ConstantIndexOp>(loc, v);
  }
  /// Phase of tile `tile` (an index) of a channel of `stages` slots.
  Value phaseOf(Value tile, int64_t stages);
  /// Slot and phase of tile `tile`.
  std::pair<Value, Value> slotAndPhase(Value tile, int64_t stages) {
    Value slot = b.createOrFold<arith::RemUIOp>(loc, tile, index(stages));
    return {slot, phaseOf(tile, stages)};
  }
  /// The index of the K/V loop's tile at induction variable `iv`.
  Value tileIndex(Value iv) {
    return b.createOrFold<arith::DivUIOp>(
        loc, b.createOrFold<arith::SubIOp>(loc, iv, loop.getLowerBound()),
        loop.getStep());
  }
  void produce(CopyTileAsyncOp copy, const IRMapping &mapping, Value slot,
               Value phase);
  void buildProducer(Block &block);
  void buildConsumer(Block &block);
  /// Splits `block` (and the blocks of its loops and branches) into
  /// attn.in_role sections of FlashAttention-4's roles.
  LogicalResult sectionBlock(Block &block);

  Pipeline &p;
  ArrayRef<WarpRoleAttr> roles;
  IRRewriter b;
  scf::ForOp loop;
  Location loc;
  DenseMap<Operation *, Value> channels; // ring -> channel
};

Value Specializer::phaseOf(Value tile, int64_t stages) {
  Value fill = b.createOrFold<arith::DivUIOp>(loc, tile, index(stages));
  return b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::ne,
      b.createOrFold<arith::RemUIOp>(loc, fill, index(2)), index(0));
}

void Specializer::produce(CopyTileAsyncOp copy, const IRMapping &mapping,
                          Value slot, Value phase) {
  Value channel = channels.lookup(copy.getRing().getDefiningOp());
  auto get = [&](Value v) { return mapping.lookupOrDefault(v); };
  ChannelAcquireOp::create(b, copy.getLoc(), channel, slot, phase);
  ChannelCopyOp::create(b, copy.getLoc(), copy.getSource(),
                        get(copy.getBatch()), get(copy.getHead()),
                        get(copy.getRow()), channel, slot,
                        get(copy.getEnabled()));
  ChannelCommitOp::create(b, copy.getLoc(), channel, slot);
}

void Specializer::buildProducer(Block &block) {
  b.setInsertionPointToStart(&block);
  // The query and the prologue: tile t of each ring in slot t, phase 0.
  Value phase0 = b.createOrFold<arith::ConstantIntOp>(loc, 0, 1);
  IRMapping none;
  for (CopyTileAsyncOp copy : p.entryCopies)
    produce(copy, none, copy.getSlot(), phase0);

  // Each K/V tile from stages - 1 on, in the K/V step that copies it, with
  // the step's index math cloned. The pipeline's last stages - 1 steps copy
  // tiles past the end, nothing: the producer leaves them out, so that a
  // persistent CTA's next tile takes their slots.
  int64_t ahead =
      p.loopCopies.empty()
          ? 0
          : p.loopCopies.front().getRing().getType().getStages() - 1;
  Value distance =
      b.createOrFold<arith::MulIOp>(loc, loop.getStep(), index(ahead));
  Value exists = arith::ConstantIntOp::create(b, loc, 1, 1);
  auto producerLoop = scf::ForOp::create(
      b, loc,
      b.createOrFold<arith::AddIOp>(loc, loop.getLowerBound(), distance),
      loop.getUpperBound(), loop.getStep());
  b.setInsertionPoint(producerLoop.getBody()->getTerminator());
  Value tileRow = producerLoop.getInductionVar();
  IRMapping mapping;
  mapping.map(loop.getInductionVar(),
              b.createOrFold<arith::SubIOp>(loc, tileRow, distance));
  llvm::SetVector<Operation *> needed;
  SmallVector<Value> worklist;
  for (CopyTileAsyncOp copy : p.loopCopies)
    worklist.append(
        {copy.getBatch(), copy.getHead(), copy.getRow(), copy.getSlot()});
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || def->getBlock() != loop.getBody() || !needed.insert(def))
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  for (Operation &op : *loop.getBody())
    if (needed.contains(&op))
      b.clone(op, mapping);
  // The phase of the copied tile; every tile the loop visits exists.
  Value phase = phaseOf(tileIndex(tileRow), ahead + 1);
  for (CopyTileAsyncOp copy : p.loopCopies) {
    mapping.map(copy.getEnabled(), exists);
    produce(copy, mapping, mapping.lookupOrDefault(copy.getSlot()), phase);
  }
  b.setInsertionPointToEnd(&block);
  RoleYieldOp::create(b, loc);
}

void Specializer::buildConsumer(Block &block) {
  OnlineGrid &g = p.online;
  // The query: one slot, waited for once, released after the loop.
  CopyTileAsyncOp queryCopy =
      p.queryWait.getFuture().getDefiningOp<CopyTileAsyncOp>();
  Value queryChannel = channels.lookup(queryCopy.getRing().getDefiningOp());
  b.setInsertionPointToStart(&block);
  Value phase0 = b.createOrFold<arith::ConstantIntOp>(loc, 0, 1);
  auto queryWait = ChannelWaitOp::create(
      b, p.queryWait.getLoc(), queryChannel, queryCopy.getSlot(), phase0,
      queryCopy.getSource(), queryCopy.getBatch(), queryCopy.getHead(),
      queryCopy.getRow());
  b.replaceOp(p.queryWait, queryWait.getResult());

  // The loop without its copies, carrying no futures.
  SmallVector<Value> inits;
  SmallVector<unsigned> kept;
  for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
    if (isa<FutureType>(arg.getType()))
      continue;
    kept.push_back(i);
    inits.push_back(loop.getInitArgs()[i]);
  }
  auto consumerLoop =
      scf::ForOp::create(b, loc, loop.getLowerBound(), loop.getUpperBound(),
                         loop.getStep(), inits);
  Block *body = consumerLoop.getBody();
  Block *old = loop.getBody();
  body->getOperations().splice(body->begin(), old->getOperations(),
                               old->begin(), std::prev(old->end()));
  loop.getInductionVar().replaceAllUsesWith(consumerLoop.getInductionVar());
  auto oldYield = cast<scf::YieldOp>(old->getTerminator());
  SmallVector<Value> yielded;
  for (auto [n, i] : llvm::enumerate(kept)) {
    loop.getRegionIterArgs()[i].replaceAllUsesWith(
        consumerLoop.getRegionIterArgs()[n]);
    loop.getResult(i).replaceAllUsesWith(consumerLoop.getResult(n));
    yielded.push_back(oldYield.getOperand(i));
  }
  b.setInsertionPointToEnd(body);
  scf::YieldOp::create(b, loc, yielded);

  // Each wait: the slot and phase of this step's tile, released after the
  // tile's last use.
  b.setInsertionPointToStart(body);
  Value tile = tileIndex(consumerLoop.getInductionVar());
  DenseMap<int64_t, std::pair<Value, Value>> slots;
  for (WaitTileOp wait : p.loopWaits) {
    CopyTileAsyncOp init = getCopyOfFuture(loop, wait.getFuture());
    auto ring = init.getRing().getDefiningOp<AllocRingOp>();
    int64_t stages = ring.getType().getStages();
    if (!slots.count(stages))
      slots[stages] = slotAndPhase(tile, stages);
    auto [slot, phase] = slots[stages];
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(wait);
    auto channelWait = ChannelWaitOp::create(
        b, wait.getLoc(), channels.lookup(ring), slot, phase, init.getSource(),
        init.getBatch(), init.getHead(), consumerLoop.getInductionVar());
    Operation *lastUse = channelWait;
    for (Operation *user : wait.getResult().getUsers()) {
      Operation *inBody = body->findAncestorOpInBlock(*user);
      if (inBody && lastUse->isBeforeInBlock(inBody))
        lastUse = inBody;
    }
    Location waitLoc = wait.getLoc();
    b.replaceOp(wait, channelWait.getResult());
    b.setInsertionPointAfter(lastUse);
    ChannelReleaseOp::create(b, waitLoc, channels.lookup(ring), slot);
  }
  b.eraseOp(loop);
  for (CopyTileAsyncOp copy : p.loopCopies)
    b.eraseOp(copy);
  // The index math that only fed the copies goes with them.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (isOpTriviallyDead(&op))
      b.eraseOp(&op);

  // Release the query, then normalise (and take the LSE) in the consumer.
  b.setInsertionPointAfter(consumerLoop);
  ChannelReleaseOp::create(b, loc, queryChannel, queryCopy.getSlot());
  SmallVector<Value> results;
  for (Operation *op :
       {g.normalize.getOperation(), p.lse ? p.lse.getOperation() : nullptr}) {
    if (!op)
      continue;
    op->moveBefore(&block, block.end());
    results.push_back(op->getResult(0));
  }
  b.setInsertionPointToEnd(&block);
  RoleYieldOp::create(b, loc, results);
}

/// The FlashAttention-4 role that runs `op`, or "" for ops every role runs
/// (index arithmetic, control flow).
static StringRef fa4RoleOf(Operation *op) {
  if (isa<ChannelWaitOp, ChannelReleaseOp, QKMatmulOp, PVMatmulOp>(op))
    return kMma;
  if (auto scale = dyn_cast<RowScaleOp>(op))
    return cast<RankedTensorType>(scale.getType()).getRank() == 2 ? kCorrection
                                                                  : kSoftmax;
  if (isa<MaskScoresOp, RowMaxOp, RowExpOp, RowSumOp>(op))
    return kSoftmax;
  if (isa<NormalizeOp, LseOp>(op))
    return kEpilogue;
  return "";
}

namespace {
/// Consecutive ops of one role (none: a loop or branch between runs).
struct Run {
  StringRef role;
  SmallVector<Operation *> ops;
};
} // namespace

LogicalResult Specializer::sectionBlock(Block &block) {
  // A tile's wait joins the products that read it: each wait moves down to
  // its first use, past the other roles' work in between.
  for (auto wait : llvm::to_vector(block.getOps<ChannelWaitOp>())) {
    Operation *first = nullptr;
    for (Operation *user : wait->getUsers())
      if (Operation *at = block.findAncestorOpInBlock(*user))
        if (!first || at->isBeforeInBlock(first))
          first = at;
    if (first && first != wait->getNextNode())
      wait->moveBefore(first);
  }
  // Runs of one role's ops. An op of no role that uses nothing of the run
  // moves ahead of it (every role runs it); one that does joins the run.
  SmallVector<Run> runs;
  llvm::SmallPtrSet<Operation *, 16> inRun;
  auto usesRun = [&](Operation &op) {
    return llvm::any_of(op.getOperands(), [&](Value v) {
      return inRun.contains(v.getDefiningOp());
    });
  };
  for (Operation &op : llvm::make_early_inc_range(block.without_terminator())) {
    if (op.getNumRegions()) {
      for (Region &region : op.getRegions())
        for (Block &nested : region)
          if (failed(sectionBlock(nested)))
            return failure();
      inRun.clear();
      runs.push_back({});
      continue;
    }
    StringRef role = fa4RoleOf(&op);
    bool open = !runs.empty() && !runs.back().role.empty();
    if (role.empty()) {
      if (!isMemoryEffectFree(&op))
        return op.emitError()
               << kPass
               << ": has no FlashAttention-4 role for this op, which every "
                  "role would run with its side effects";
      if (!open)
        continue;
      if (usesRun(op)) {
        runs.back().ops.push_back(&op);
        inRun.insert(&op);
      } else {
        op.moveBefore(runs.back().ops.front());
      }
      continue;
    }
    if (!open || runs.back().role != role) {
      inRun.clear();
      runs.push_back({role, {}});
    }
    runs.back().ops.push_back(&op);
    inRun.insert(&op);
  }
  // Each run becomes a section yielding what the rest of the region uses.
  for (Run &run : runs) {
    if (run.role.empty())
      continue;
    llvm::SmallPtrSet<Operation *, 16> members(run.ops.begin(), run.ops.end());
    SmallVector<Value> escaping;
    for (Operation *op : run.ops)
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !members.contains(block.findAncestorOpInBlock(*user));
            }))
          escaping.push_back(result);
    Operation *front = run.ops.front();
    b.setInsertionPoint(front);
    auto section = InRoleOp::create(b, front->getLoc(),
                                    ValueRange(escaping).getTypes(), run.role);
    Block *body = b.createBlock(&section.getBody());
    for (Operation *op : run.ops)
      op->moveBefore(body, body->end());
    b.setInsertionPointToEnd(body);
    InRoleYieldOp::create(b, section.getLoc(), escaping);
    for (auto [value, result] : llvm::zip(escaping, section.getResults()))
      value.replaceUsesWithIf(result, [&](OpOperand &use) {
        return !section->isAncestor(use.getOwner());
      });
  }
  return success();
}

LogicalResult Specializer::run() {
  OnlineGrid &g = p.online;
  // Channels where the rings were.
  for (AllocRingOp ring : p.rings) {
    b.setInsertionPoint(ring);
    RingType type = ring.getType();
    channels[ring] = AllocChannelOp::create(
        b, ring.getLoc(),
        ChannelType::get(b.getContext(), type.getStages(), type.getTile()));
  }
  for (CopyTileAsyncOp copy :
       llvm::concat<CopyTileAsyncOp>(p.entryCopies, p.loopCopies))
    if (!channels.count(copy.getRing().getDefiningOp()))
      return copy.emitError() << kPass
                              << ": expects copies into the grid's "
                                 "rings";

  SmallVector<Type> resultTypes = {g.normalize.getType()};
  if (p.lse)
    resultTypes.push_back(p.lse.getType());
  SmallVector<Attribute> roleAttrs(roles.begin(), roles.end());
  b.setInsertionPoint(loop);
  // The producer's region, and the consumer's (shared by FlashAttention-4's
  // compute roles).
  auto ws = WarpSpecializeOp::create(b, loc, resultTypes,
                                     b.getArrayAttr(roleAttrs), 2);
  for (Region &region : ws.getBodies())
    b.createBlock(&region);
  Value normalized = g.normalize.getResult();
  Value lse = p.lse ? p.lse.getResult() : Value();

  buildProducer(ws.getBodies()[0].front());
  buildConsumer(ws.getBodies()[1].front());

  // Outside, the roles' results stand for the epilogue's.
  normalized.replaceUsesWithIf(ws.getResult(0), [&](OpOperand &use) {
    return !ws->isAncestor(use.getOwner());
  });
  if (lse)
    lse.replaceUsesWithIf(ws.getResult(1), [&](OpOperand &use) {
      return !ws->isAncestor(use.getOwner());
    });
  for (CopyTileAsyncOp copy : p.entryCopies)
    b.eraseOp(copy);
  for (AllocRingOp ring : p.rings)
    b.eraseOp(ring);
  // Once nothing outside the roles uses the consumer's values.
  if (roles.size() > 2)
    return sectionBlock(ws.getBodies()[1].front());
  return success();
}

struct AttnWarpSpecializePass
    : attn::impl::AttnWarpSpecializePassBase<AttnWarpSpecializePass> {
  void runOnOperation() override {
    for (scf::ForallOp grid : getScheduledGrids(getOperation())) {
      auto schedule = cast<ScheduleAttr>(grid->getAttr(kGridScheduleAttrName));
      // FlashAttention-2 schedules keep every warp on every job.
      if (schedule.getKind() == KernelKind::fa2)
        continue;
      ArrayRef<WarpRoleAttr> roles = schedule.getRoles();
      SmallVector<StringRef> names;
      for (WarpRoleAttr role : roles)
        names.push_back(role.getName().getValue());
      bool fa3 = names.size() == 2 && names[0] == kProducer;
      bool fa4 =
          llvm::equal(names, ArrayRef<StringRef>{kProducer, kMma, kSoftmax,
                                                 kCorrection, kEpilogue});
      if (!fa3 && !fa4) {
        grid.emitError() << kPass
                         << ": splits a grid into a producer and one other "
                            "role, or into FlashAttention-4's (producer, mma, "
                            "softmax, correction, epilogue); the schedule's "
                            "roles are ("
                         << llvm::join(names, ", ") << ")";
        return signalPassFailure();
      }
      if (fa4 && schedule.getKind() != KernelKind::fa4) {
        grid.emitError() << kPass
                         << ": FlashAttention-4's roles need a kind = fa4 "
                            "schedule";
        return signalPassFailure();
      }
      // Overlap and turns reorder one consumer's products; FlashAttention-4's
      // roles overlap by running concurrently.
      if (fa4 && (schedule.getOverlap() || schedule.getPingPong())) {
        grid.emitError() << kPass
                         << ": FlashAttention-4's roles take no overlap or "
                            "ping_pong (they schedule one consumer's "
                            "products; these roles run concurrently)";
        return signalPassFailure();
      }
      FailureOr<Pipeline> pipeline = matchPipeline(grid);
      if (failed(pipeline) || failed(Specializer(*pipeline, roles).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
