//===- AttnRoleOps.cpp - attn warp-specialised operations -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// WarpSpecializeOp: assembly
//===----------------------------------------------------------------------===//

// attn.warp_specialize roles [<role>, ...] {region}, {region} attr-dict
//   (-> type, ...)?
ParseResult WarpSpecializeOp::parse(OpAsmParser &parser,
                                    OperationState &result) {
  SmallVector<Attribute> roles;
  if (parser.parseKeyword("roles") ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
            WarpRoleAttr role;
            if (parser.parseCustomAttributeWithFallback(role))
              return failure();
            roles.push_back(role);
            return success();
          }))
    return failure();
  result.addAttribute(getRolesAttrName(result.name),
                      parser.getBuilder().getArrayAttr(roles));
  do {
    Region *region = result.addRegion();
    if (parser.parseRegion(*region))
      return failure();
    WarpSpecializeOp::ensureTerminator(*region, parser.getBuilder(),
                                       result.location);
  } while (succeeded(parser.parseOptionalComma()));
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();
  if (succeeded(parser.parseOptionalArrow()) &&
      parser.parseTypeList(result.types))
    return failure();
  return success();
}

void WarpSpecializeOp::print(OpAsmPrinter &p) {
  p << " roles [";
  llvm::interleaveComma(getRoles(), p, [&](Attribute role) {
    p.printStrippedAttrOrType(cast<WarpRoleAttr>(role));
  });
  p << "] ";
  llvm::interleave(
      getBodies(), p,
      [&](Region &region) {
        bool yieldsValues = region.front().getTerminator()->getNumOperands();
        p.printRegion(region, /*printEntryBlockArgs=*/false,
                      /*printBlockTerminators=*/yieldsValues);
      },
      ", ");
  p.printOptionalAttrDict((*this)->getAttrs(), {getRolesAttrName()});
  if (getNumResults()) {
    p << " -> ";
    llvm::interleaveComma(getResultTypes(), p);
  }
}

//===----------------------------------------------------------------------===//
// WarpSpecializeOp: verification
//===----------------------------------------------------------------------===//

SmallVector<WarpRoleAttr> WarpSpecializeOp::getSharedRoles() {
  SmallVector<WarpRoleAttr> shared;
  size_t regions = getBodies().size();
  if (regions > 0 && getRoles().size() > regions)
    for (Attribute role : getRoles().getValue().drop_front(regions - 1))
      if (auto warpRole = dyn_cast<WarpRoleAttr>(role))
        shared.push_back(warpRole);
  return shared;
}

LogicalResult WarpSpecializeOp::verify() {
  if (getBodies().size() < 2)
    return emitOpError() << "needs at least two warp roles, got "
                         << getBodies().size();
  if (getRoles().size() < getBodies().size())
    return emitOpError() << "has " << getRoles().size() << " roles for "
                         << getBodies().size() << " regions";
  SmallVector<WarpRoleAttr> roles;
  for (Attribute attr : getRoles()) {
    auto role = dyn_cast<WarpRoleAttr>(attr);
    if (!role)
      return emitOpError() << "expects #attn.warp_role roles, got " << attr;
    roles.push_back(role);
  }
  // Sections name the roles that share the last region, so every role's
  // name says which warps it is.
  if (!getSharedRoles().empty()) {
    llvm::StringSet<> names;
    for (WarpRoleAttr role : roles)
      if (!names.insert(role.getName().getValue()).second)
        return emitOpError()
               << "has two roles named '" << role.getName().getValue()
               << "'; roles sharing a region need distinct names";
  }
  auto [warps, registers] = sumWarpRoles(roles);
  if (registers > kRegisterFile)
    return emitOpError() << "roles need " << registers
                         << " registers, more than the " << kRegisterFile
                         << " of the register file";
  // Inside a scheduled grid, the roles are the schedule's warps.
  if (auto grid = (*this)->getParentOfType<scf::ForallOp>())
    if (auto schedule =
            grid->getAttrOfType<ScheduleAttr>(kGridScheduleAttrName))
      if (schedule.getWarps() != warps)
        return emitOpError()
               << "roles take " << warps << " warps, the grid's schedule has "
               << schedule.getWarps();
  for (auto [i, region] : llvm::enumerate(getBodies())) {
    Operation *yield = region.front().getTerminator();
    bool last = i + 1 == getBodies().size();
    if (!last && yield->getNumOperands())
      return yield->emitOpError()
             << "only the last role yields the results, role '"
             << getRole(i).getName().getValue() << "' yields "
             << yield->getNumOperands() << " values";
    if (last && TypeRange(yield->getOperandTypes()) != getResultTypes())
      return yield->emitOpError()
             << "yields " << yield->getOperandTypes()
             << ", the op's results are " << getResultTypes();
  }
  return success();
}

namespace {
/// Checks that one block uses each channel in protocol order: acquire,
/// copies, commit on the producer side; wait, then release on the consumer
/// side; every slot taken in the block is given back in it.
struct ChannelOrder {
  DenseMap<Value, Operation *> acquired, waited;

  LogicalResult visit(Operation *op) {
    if (auto acquire = dyn_cast<ChannelAcquireOp>(op)) {
      if (!acquired.try_emplace(acquire.getChannel(), op).second)
        return op->emitOpError()
               << "acquires a channel slot again before committing the last";
    } else if (auto copy = dyn_cast<ChannelCopyOp>(op)) {
      if (!acquired.count(copy.getChannel()))
        return op->emitOpError()
               << "copies into a channel slot it has not acquired";
    } else if (auto commit = dyn_cast<ChannelCommitOp>(op)) {
      if (!acquired.erase(commit.getChannel()))
        return op->emitOpError()
               << "commits a channel slot it has not acquired";
    } else if (auto wait = dyn_cast<ChannelWaitOp>(op)) {
      if (!waited.try_emplace(wait.getChannel(), op).second)
        return op->emitOpError()
               << "waits on a channel again before releasing the last slot";
    } else if (auto release = dyn_cast<ChannelReleaseOp>(op)) {
      if (!waited.erase(release.getChannel()))
        return op->emitOpError()
               << "releases a channel slot it has not waited for";
    }
    return success();
  }

  LogicalResult finish() {
    if (!acquired.empty())
      return acquired.begin()->second->emitOpError()
             << "acquires a channel slot it never commits in this block";
    if (!waited.empty())
      return waited.begin()->second->emitOpError()
             << "waits on a channel slot it never releases in this block";
    return success();
  }
};
} // namespace

static LogicalResult verifyChannelOrder(Region &region);

/// Visits the ops of `block` in order; the ops of attn.in_role sections are
/// read in place, as the shared region reads in order.
static LogicalResult visitChannelOps(Block &block, ChannelOrder &order) {
  for (Operation &op : block) {
    if (auto section = dyn_cast<InRoleOp>(op)) {
      if (failed(visitChannelOps(section.getBody().front(), order)))
        return failure();
      continue;
    }
    if (failed(order.visit(&op)))
      return failure();
    for (Region &nested : op.getRegions())
      if (failed(verifyChannelOrder(nested)))
        return failure();
  }
  return success();
}

static LogicalResult verifyChannelOrder(Region &region) {
  for (Block &block : region) {
    ChannelOrder order;
    if (failed(visitChannelOps(block, order)) || failed(order.finish()))
      return failure();
  }
  return success();
}

/// The role of the attn.in_role section `op` is in, or "" outside any.
static StringRef sectionRoleOf(Operation *op) {
  auto section = op->getParentOfType<InRoleOp>();
  return section ? section.getRole() : StringRef();
}

/// In the region several roles share, what every role runs (the ops outside
/// sections) must be free of side effects, and a channel slot is waited for
/// and released by one role.
static LogicalResult verifySharedRegion(Region &region) {
  DenseMap<Value, StringRef> waitingRole;
  WalkResult result = region.walk([&](Operation *op) -> WalkResult {
    if (isa<InRoleOp>(op) || op->getNumRegions() ||
        op->hasTrait<OpTrait::IsTerminator>())
      return WalkResult::advance();
    StringRef role = sectionRoleOf(op);
    if (role.empty() && !isMemoryEffectFree(op)) {
      op->emitOpError() << "is outside the attn.in_role sections of a region "
                           "several roles share, so every role would run "
                           "its side effects; put it in a section";
      return WalkResult::interrupt();
    }
    if (auto wait = dyn_cast<ChannelWaitOp>(op))
      waitingRole.try_emplace(wait.getChannel(), role);
    if (auto release = dyn_cast<ChannelReleaseOp>(op)) {
      auto it = waitingRole.find(release.getChannel());
      if (it != waitingRole.end() && it->second != role) {
        op->emitOpError() << "releases in role '" << role
                          << "' a channel slot role '" << it->second
                          << "' waited for";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult WarpSpecializeOp::verifyRegions() {
  if (!getSharedRoles().empty() &&
      failed(verifySharedRegion(getBodies().back())))
    return failure();
  // Channels each role fills and waits on.
  SmallVector<llvm::DenseSet<Value>> fills(getBodies().size());
  SmallVector<SmallVector<ChannelWaitOp>> waits(getBodies().size());
  for (auto [i, region] : llvm::enumerate(getBodies())) {
    region.walk([&](Operation *op) {
      if (auto commit = dyn_cast<ChannelCommitOp>(op))
        fills[i].insert(commit.getChannel());
      if (auto wait = dyn_cast<ChannelWaitOp>(op))
        waits[i].push_back(wait);
    });
    if (failed(verifyChannelOrder(region)))
      return failure();
  }
  for (auto [i, roleWaits] : llvm::enumerate(waits)) {
    for (ChannelWaitOp wait : roleWaits) {
      bool filled = false;
      for (auto [j, roleFills] : llvm::enumerate(fills))
        filled |= j != i && roleFills.contains(wait.getChannel());
      if (!filled)
        return wait.emitOpError()
               << "waits on a channel that no other role fills (role '"
               << getRole(i).getName().getValue() << "')";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulWaitOp
//===----------------------------------------------------------------------===//

Operation *MatmulWaitOp::getMatmul() {
  Value input = getInput();
  if (auto ordered = input.getDefiningOp<OrderedOp>()) {
    auto yield =
        cast<OrderedYieldOp>(ordered.getBody().front().getTerminator());
    input = yield.getValues()[cast<OpResult>(input).getResultNumber()];
  }
  Operation *def = input.getDefiningOp();
  return isa_and_nonnull<QKMatmulOp, PVMatmulOp>(def) ? def : nullptr;
}

LogicalResult MatmulWaitOp::verify() {
  if (!getMatmul())
    return emitOpError() << "waits for a value that is not an attn.qk_matmul "
                            "or attn.pv_matmul result";
  return success();
}

//===----------------------------------------------------------------------===//
// OrderedOp
//===----------------------------------------------------------------------===//

/// Whether `v` is the same on every warp of `roles`' regions: defined before
/// it, or index arithmetic of such values and of the induction variables of
/// loops with such bounds. Tile data and what a loop carries are not.
static bool isUniform(Value v, WarpSpecializeOp roles) {
  if (!roles->isAncestor(v.getParentRegion()->getParentOp()))
    return true;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    return loop && arg == loop.getInductionVar() &&
           isUniform(loop.getLowerBound(), roles) &&
           isUniform(loop.getUpperBound(), roles) &&
           isUniform(loop.getStep(), roles);
  }
  Operation *def = v.getDefiningOp();
  if (!isa<arith::ArithDialect>(def->getDialect()) ||
      !llvm::all_of(def->getResultTypes(),
                    [](Type t) { return t.isIntOrIndex(); }))
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value operand) { return isUniform(operand, roles); });
}

LogicalResult OrderedOp::verify() {
  auto roles = (*this)->getParentOfType<WarpSpecializeOp>();
  if (!roles)
    return emitOpError() << "must be inside an attn.warp_specialize role";
  // The control flow between the section and its role, whose warpgroups
  // take the turns.
  Operation *inRole = *this;
  for (Operation *parent = inRole->getParentOp(); parent != roles;
       inRole = parent, parent = parent->getParentOp()) {
    if (isa<OrderedOp>(parent))
      return emitOpError() << "is nested in another section: a warpgroup "
                              "holding a turn would wait for its own next one";
    if (auto loop = dyn_cast<scf::ForOp>(parent)) {
      for (Value bound :
           {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
        if (!isUniform(bound, roles))
          return emitOpError()
                 << "is in a loop whose bounds depend on per-thread values: "
                    "warpgroups taking different trip counts would stop "
                    "each other's turns";
    } else if (auto branch = dyn_cast<scf::IfOp>(parent)) {
      if (!isUniform(branch.getCondition(), roles))
        return emitOpError()
               << "is under a condition that depends on per-thread values: "
                  "a warpgroup that skipped its turn would stop the others";
    } else {
      return emitOpError() << "may only be nested in scf.for and scf.if "
                              "inside a warp role, not in '"
                           << parent->getName() << "'";
    }
  }
  Region *roleRegion = inRole->getParentRegion();
  unsigned roleIndex = roleRegion->getRegionNumber();
  WarpRoleAttr role = roles.getRole(roleIndex);
  int64_t groups = role.getWarps() / 4;
  if (role.getWarps() % 4 != 0 || groups < 2)
    return emitOpError() << "needs a role of at least two whole warpgroups; "
                            "role '"
                         << role.getName().getValue() << "' has "
                         << role.getWarps() << " warps";
  ArrayRef<int32_t> ids = getBarriers();
  if (static_cast<int64_t>(ids.size()) != groups)
    return emitOpError() << "needs one barrier per warpgroup of role '"
                         << role.getName().getValue() << "' (" << groups
                         << "), got " << ids.size();
  llvm::SmallDenseSet<int32_t> seen;
  for (int32_t id : ids) {
    if (id < 1 || id > 15)
      return emitOpError() << "barrier " << id
                           << " is outside 1..15 (0 is the CTA barrier)";
    if (!seen.insert(id).second)
      return emitOpError() << "uses barrier " << id << " twice";
  }
  WalkResult other = roleRegion->walk([&](OrderedOp section) {
    return section.getBarriers() == ids ? WalkResult::advance()
                                        : WalkResult::interrupt();
  });
  if (other.wasInterrupted())
    return emitOpError() << "uses other barriers than another section of "
                            "role '"
                         << role.getName().getValue()
                         << "': a role takes its turns on one ring";

  // The body issues matrix products; its results are their tiles.
  for (Operation &op : getBody().front().without_terminator())
    if (!isa<QKMatmulOp, PVMatmulOp, OrderedOp>(op) &&
        !isa<arith::ArithDialect>(op.getDialect()))
      return op.emitOpError() << "cannot be in an attn.ordered section, "
                                 "which issues matrix products only";
  auto yield = cast<OrderedYieldOp>(getBody().front().getTerminator());
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "yields types that differ from its results";
  for (Value v : yield.getValues())
    if (!isa_and_nonnull<QKMatmulOp, PVMatmulOp>(v.getDefiningOp()) ||
        v.getDefiningOp()->getBlock() != &getBody().front())
      return emitOpError() << "yields a value that is not a matrix product "
                              "of its body";
  for (Value result : getResults())
    for (Operation *user : result.getUsers())
      if (!isa<MatmulWaitOp>(user))
        return user->emitOpError()
               << "uses a product of an attn.ordered section before waiting "
                  "for it with attn.matmul_wait";
  return success();
}

//===----------------------------------------------------------------------===//
// InRoleOp
//===----------------------------------------------------------------------===//

LogicalResult InRoleOp::verify() {
  auto roles = (*this)->getParentOfType<WarpSpecializeOp>();
  if (!roles)
    return emitOpError() << "must be inside an attn.warp_specialize";
  Operation *inRegion = *this;
  for (Operation *parent = inRegion->getParentOp(); parent != roles;
       inRegion = parent, parent = parent->getParentOp()) {
    if (isa<InRoleOp>(parent))
      return emitOpError() << "is nested in another attn.in_role section";
    if (!isa<scf::ForOp, scf::IfOp>(parent))
      return emitOpError() << "may only be nested in scf.for and scf.if "
                              "inside the shared region, not in '"
                           << parent->getName() << "'";
  }
  SmallVector<WarpRoleAttr> shared = roles.getSharedRoles();
  if (shared.empty() ||
      inRegion->getParentRegion() != &roles.getBodies().back())
    return emitOpError() << "must be in the region several roles share (an "
                            "attn.warp_specialize with more roles than "
                            "regions, in its last region)";
  if (llvm::none_of(shared, [&](WarpRoleAttr role) {
        return role.getName().getValue() == getRole();
      })) {
    SmallVector<StringRef> names;
    for (WarpRoleAttr role : shared)
      names.push_back(role.getName().getValue());
    return emitOpError() << "names role '" << getRole()
                         << "', which is not one of the roles sharing the "
                            "region ("
                         << llvm::join(names, ", ") << ")";
  }
  auto yield = cast<InRoleYieldOp>(getBody().front().getTerminator());
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "yields types that differ from its results";
  return success();
}
