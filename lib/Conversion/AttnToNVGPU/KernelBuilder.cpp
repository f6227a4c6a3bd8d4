//===- KernelBuilder.cpp - building blocks of every kernel emitter --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include <cstring>

using namespace mlir;
using namespace mlir::attn;

Value KernelBuilder::index(int64_t v) {
  Value &c = indexConstants[v];
  constants.setInsertionPointToStart(&kernel.getBody().front());
  if (!c)
    c = arith::ConstantIndexOp::create(constants, loc, v);
  return c;
}

Value KernelBuilder::f32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  Value &c = floatConstants[bits];
  constants.setInsertionPointToStart(&kernel.getBody().front());
  if (!c)
    c = arith::ConstantOp::create(constants, loc, constants.getF32FloatAttr(v));
  return c;
}
