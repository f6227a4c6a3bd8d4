//===- AttnBase.td - attn dialect definition ---------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNBASE_TD
#define ATTN_DIALECT_ATTN_IR_ATTNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Attention as first-class IR, from one semantic op down to GPU kernels";
  let description = [{
    The `attn` dialect holds scaled dot-product attention as one operation,
    `attn.attention`, so that passes can reason about the whole computation
    (softmax(scale * Q K^T + mask) V) instead of rediscovering it in a graph of
    matmuls and reductions. Later levels of the dialect make the tiled kernel
    structure and the online softmax explicit; each level can be printed,
    checked with FileCheck and lowered to the CPU to be executed.

    The operations follow destination-passing style, like `linalg`: they take
    their outputs as `outs` operands, work on tensors (returning new values)
    or on memrefs (writing in place), and bufferize with One-Shot Bufferize.
  }];
  let usePropertiesForAttributes = 1;
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
}

class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic, traits>;

#endif // ATTN_DIALECT_ATTN_IR_ATTNBASE_TD
