#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEATTENTIONPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn
using namespace mlir;
namespace {
struct AttnFuseAttentionPass
    : attn::impl::AttnFuseAttentionPassBase<AttnFuseAttentionPass> {
  void runOnOperation() override {}
};
} // namespace
