//===- Passes.cpp - C API of the attn passes ------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-c/Passes.h"

#include "attn/InitAllPasses.h"

#include "mlir/CAPI/Pass.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::attn;

#include "attn/Conversion/Passes.capi.cpp.inc"
#include "attn/Dialect/Attn/Transforms/Passes.capi.cpp.inc"

void attnRegisterAllPasses(void) { mlir::attn::registerAllPasses(); }
