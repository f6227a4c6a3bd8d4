//===- OutlineAttention.cpp - attention into a function of its own --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The GPU kernel is made from a function that is only the attention: Q, K
// and V in, O (and the LSE) out. A frontend's function holds more around it
// (reshapes, producers, consumers); this pass moves each attention of such a
// function into a function of its own and calls it, so the kernel can be
// built while the rest stays with the caller.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNOUTLINEATTENTIONPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// The operands a kernel reads: Q, K, V and, for a paged cache, the block
/// table and the lengths.
SmallVector<Value> kernelInputs(AttentionOp op) {
  SmallVector<Value> inputs = {op.getQuery(), op.getKey(), op.getValue()};
  if (op.isPaged())
    inputs.append({op.getBlockTable(), op.getCacheLengths()});
  return inputs;
}

/// Whether `func` is only `op`: its inputs (kernelInputs) the first
/// arguments, the op's results returned as they are, and nothing else but
/// what builds the destinations (constants, tensor.dim, tensor.empty).
bool isOnlyTheAttention(func::FuncOp func, AttentionOp op) {
  Block &body = func.getBody().front();
  SmallVector<Value> inputs = kernelInputs(op);
  if (func.getNumArguments() < inputs.size() || op->getBlock() != &body)
    return false;
  for (auto [i, input] : llvm::enumerate(inputs))
    if (input != func.getArgument(i))
      return false;
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  if (ret.getOperands() != ValueRange(op->getResults()))
    return false;
  return llvm::all_of(body, [&](Operation &other) {
    return &other == op.getOperation() || &other == ret.getOperation() ||
           isa<arith::ConstantOp, tensor::DimOp, tensor::EmptyOp>(other);
  });
}

/// The destination of result `index` of `op`, made inside the outlined
/// function from its arguments: O is [B, Hq, Sq, Dv] and the LSE [B, Hq,
/// Sq], with dynamic sizes read from Q (and Dv from V).
Value makeDestination(OpBuilder &b, Location loc, AttentionOp op,
                      unsigned index, Value query, Value value) {
  auto type = cast<RankedTensorType>(op->getResult(index).getType());
  SmallVector<Value> dynamic;
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    if (!type.isDynamicDim(dim))
      continue;
    Value source = dim == 3 ? value : query;
    dynamic.push_back(tensor::DimOp::create(b, loc, source, dim));
  }
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType(), dynamic);
}

/// Moves `op` of `func` into a new function placed after `after` and calls
/// it in its place; returns the new function.
func::FuncOp outline(func::FuncOp func, AttentionOp op, Operation *after,
                     SymbolTable &symbols) {
  Location loc = op.getLoc();
  OpBuilder b(func);
  b.setInsertionPointAfter(after);
  SmallVector<Value> inputs = kernelInputs(op);
  auto type = b.getFunctionType(ValueRange(inputs).getTypes(),
                                op->getResultTypes());
  auto callee =
      func::FuncOp::create(b, loc, (func.getSymName() + "_attention").str(),
                           type);
  callee.setPrivate();
  // Renamed to `_1`, `_2`, ... when the name is taken.
  symbols.insert(callee);

  Block *entry = callee.addEntryBlock();
  b.setInsertionPointToStart(entry);
  SmallVector<Value> outs;
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    outs.push_back(makeDestination(b, loc, op, i, entry->getArgument(0),
                                   entry->getArgument(2)));
  IRMapping mapping;
  for (auto [input, arg] : llvm::zip(inputs, entry->getArguments()))
    mapping.map(input, arg);
  for (auto [init, out] : llvm::zip(op.getOutputs(), outs))
    mapping.map(init, out);
  Operation *moved = b.clone(*op, mapping);
  func::ReturnOp::create(b, loc, moved->getResults());

  b.setInsertionPoint(op);
  auto call = func::CallOp::create(b, loc, callee, inputs);
  op->replaceAllUsesWith(call.getResults());
  SmallVector<Value> inits(op.getOutputs());
  op->erase();
  // The caller's destinations, and the sizes only they read, are dead now.
  SmallVector<Operation *> dead;
  for (Value init : inits)
    if (Operation *def = init.getDefiningOp())
      dead.push_back(def);
  while (!dead.empty()) {
    Operation *def = dead.pop_back_val();
    if (!isa<tensor::EmptyOp, tensor::DimOp>(def) || !def->use_empty())
      continue;
    for (Value operand : def->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        dead.push_back(producer);
    def->erase();
  }
  return callee;
}

struct AttnOutlineAttentionPass
    : attn::impl::AttnOutlineAttentionPassBase<AttnOutlineAttentionPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<std::pair<func::FuncOp, AttentionOp>> work;
    for (auto func : module.getOps<func::FuncOp>()) {
      // Ops on tensors: a bufferized op writes its destinations in place,
      // which a call returning them would not.
      SmallVector<AttentionOp> ops;
      func.walk([&](AttentionOp op) {
        if (llvm::all_of(op->getOperandTypes(), llvm::IsaPred<TensorType>))
          ops.push_back(op);
      });
      if (ops.size() == 1 && isOnlyTheAttention(func, ops.front()))
        continue;
      for (AttentionOp op : ops)
        work.push_back({func, op});
    }
    // A function's attentions follow it in program order.
    DenseMap<Operation *, Operation *> last;
    for (auto [func, op] : work) {
      Operation *&after = last[func];
      if (!after)
        after = func;
      after = outline(func, op, after, symbols);
    }
  }
};

} // namespace
