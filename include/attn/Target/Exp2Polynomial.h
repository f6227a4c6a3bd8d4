//===- Exp2Polynomial.h - exp2 on the FMA units -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// FlashAttention-4's exp2 without the special-function unit: x = n + f with
// n the nearest integer (|f| <= 1/2), 2^f by a minimax polynomial, and n
// added to the result's exponent bits. Inputs below -125 give 0 (as
// ex2.approx.ftz flushes results below 2^-126); inputs above 127 give
// 2^127 (the online softmax exponentiates at most its rescale threshold).
// NaN inputs are not NaN outputs: scores are never NaN.
// The reference lowering and both kernels build it with buildPolynomialExp2;
// evaluatePolynomialExp2 is the same arithmetic on one float, which
// test/Target/exp2-polynomial.test measures against exp2.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_EXP2POLYNOMIAL_H
#define ATTN_TARGET_EXP2POLYNOMIAL_H

#include "mlir/IR/Builders.h"

namespace mlir::attn {

constexpr int64_t kMinExp2PolynomialDegree = 2;
constexpr int64_t kMaxExp2PolynomialDegree = 5;

/// Coefficients c0, c1, ... cd of 2^f on [-1/2, 1/2] for `degree` d (2 to
/// 5), fitted for the smallest largest relative error.
ArrayRef<float> exp2PolynomialCoefficients(int64_t degree);

/// The polynomial exp2 of one float, as buildPolynomialExp2's ops compute it.
float evaluatePolynomialExp2(float x, int64_t degree);

/// The same as arith and math ops on an f32 value `x`.
Value buildPolynomialExp2(OpBuilder &b, Location loc, Value x, int64_t degree);

} // namespace mlir::attn

#endif // ATTN_TARGET_EXP2POLYNOMIAL_H
