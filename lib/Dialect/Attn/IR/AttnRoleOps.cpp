//===- AttnRoleOps.cpp - attn warp-specialised operations -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseSet.h"

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

LogicalResult WarpSpecializeOp::verify() {
  if (getBodies().size() < 2)
    return emitOpError() << "needs at least two warp roles, got "
                         << getBodies().size();
  if (getRoles().size() != getBodies().size())
    return emitOpError() << "has " << getRoles().size() << " roles for "
                         << getBodies().size() << " regions";
  SmallVector<WarpRoleAttr> roles;
  for (Attribute attr : getRoles()) {
    auto role = dyn_cast<WarpRoleAttr>(attr);
    if (!role)
      return emitOpError() << "expects #attn.warp_role roles, got " << attr;
    roles.push_back(role);
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

static LogicalResult verifyChannelOrder(Region &region) {
  for (Block &block : region) {
    ChannelOrder order;
    for (Operation &op : block) {
      if (failed(order.visit(&op)))
        return failure();
      for (Region &nested : op.getRegions())
        if (failed(verifyChannelOrder(nested)))
          return failure();
    }
    if (failed(order.finish()))
      return failure();
  }
  return success();
}

LogicalResult WarpSpecializeOp::verifyRegions() {
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
