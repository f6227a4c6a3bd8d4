//===- Exp2Polynomial.cpp - exp2 on the FMA units --------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/Exp2Polynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstdint>

using namespace mlir;
using namespace mlir::attn;

// Minimax fits of 2^f on [-1/2, 1/2] (iteratively reweighted least squares on
// 4000 Chebyshev points, then rounded to f32). Largest relative error of the
// f32 evaluation over every input from -125 to 127
// (test/Target/exp2-polynomial.test): 1.7e-3, 7.5e-5, 2.7e-6, 2.1e-7.
static const float kDegree2[] = {1.00044310f, 0.703448057f, 0.238428921f};
static const float kDegree3[] = {0.999928057f, 0.693260968f, 0.242611140f,
                                 0.0551716685f};
static const float kDegree4[] = {0.999999285f, 0.693121791f, 0.240247443f,
                                 0.0559178628f, 0.00957010128f};
static const float kDegree5[] = {1.00000012f,   0.693146944f,   0.240221202f,
                                 0.0555071309f, 0.00967554189f, 0.00132764713f};

ArrayRef<float> mlir::attn::exp2PolynomialCoefficients(int64_t degree) {
  switch (degree) {
  case 2:
    return kDegree2;
  case 3:
    return kDegree3;
  case 4:
    return kDegree4;
  case 5:
    return kDegree5;
  }
  return {};
}

// Adding 1.5 * 2^23 rounds x to an integer held in the low mantissa bits.
static constexpr float kRoundingMagic = 12582912.0f;
static constexpr float kSmallestInput = -125.0f;
static constexpr float kLargestInput = 127.0f;

float mlir::attn::evaluatePolynomialExp2(float x, int64_t degree) {
  ArrayRef<float> c = exp2PolynomialCoefficients(degree);
  float below = x;
  x = std::fmin(x, kLargestInput);
  float shifted = x + kRoundingMagic;
  float f = x - (shifted - kRoundingMagic);
  float p = c.back();
  for (float coefficient : llvm::reverse(c.drop_back()))
    p = std::fma(p, f, coefficient);
  // shifted's low bits hold n (two's complement): shifted left by 23 they
  // are n added to the exponent.
  uint32_t bits =
      llvm::bit_cast<uint32_t>(p) + (llvm::bit_cast<uint32_t>(shifted) << 23);
  return below < kSmallestInput ? 0.0f : llvm::bit_cast<float>(bits);
}

Value mlir::attn::buildPolynomialExp2(OpBuilder &b, Location loc, Value x,
                                      int64_t degree) {
  ArrayRef<float> c = exp2PolynomialCoefficients(degree);
  auto f32 = [&](float v) {
    return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(v))
        .getResult();
  };
  Value magic = f32(kRoundingMagic);
  Value tiny = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                     f32(kSmallestInput));
  x = arith::MinNumFOp::create(b, loc, x, f32(kLargestInput));
  Value shifted = arith::AddFOp::create(b, loc, x, magic);
  Value f = arith::SubFOp::create(
      b, loc, x, arith::SubFOp::create(b, loc, shifted, magic));
  Value p = f32(c.back());
  for (float coefficient : llvm::reverse(c.drop_back()))
    p = math::FmaOp::create(b, loc, p, f, f32(coefficient));
  Type i32 = b.getI32Type();
  Value exponent = arith::ShLIOp::create(
      b, loc, arith::BitcastOp::create(b, loc, i32, shifted),
      arith::ConstantIntOp::create(b, loc, i32, 23));
  Value bits = arith::AddIOp::create(
      b, loc, arith::BitcastOp::create(b, loc, i32, p), exponent);
  return arith::SelectOp::create(
      b, loc, tiny, f32(0.0f),
      arith::BitcastOp::create(b, loc, b.getF32Type(), bits));
}
