//===- Exp2PolynomialTest.cpp - the polynomial exp2 against exp2 ----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Measures include/attn/Target/Exp2Polynomial.h's exp2 at every degree over
// the f32 inputs it takes (-125 to 127; every 61st bit pattern, so every
// exponent and a spread of mantissas) against exp2 in double, and checks the
// inputs below -125 give 0 and those above 127 a finite 2^127. Prints one line
// per degree; exits non-zero when an error passes its bound.
//
//===----------------------------------------------------------------------===//

#include "attn/Target/Exp2Polynomial.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

using namespace mlir::attn;

int main() {
  // The bound of each degree, a little above what the fit gives.
  const double bounds[] = {2.0e-3, 8.0e-5, 3.0e-6, 3.0e-7};
  int failed = 0;
  for (int64_t degree = kMinExp2PolynomialDegree;
       degree <= kMaxExp2PolynomialDegree; ++degree) {
    double worst = 0.0;
    float worstAt = 0.0f;
    uint64_t count = 0;
    auto measure = [&](float x) {
      double exact = std::exp2(double(x));
      double err =
          std::fabs(double(evaluatePolynomialExp2(x, degree)) - exact) / exact;
      if (!(err <= worst)) {
        worst = err;
        worstAt = x;
      }
      ++count;
    };
    // Non-negative inputs up to 127, then negative ones down to -125.
    for (uint32_t bits = 0; bits <= llvm::bit_cast<uint32_t>(127.0f);
         bits += 61)
      measure(llvm::bit_cast<float>(bits));
    for (uint32_t bits = llvm::bit_cast<uint32_t>(-0.0f);
         bits <= llvm::bit_cast<uint32_t>(-125.0f); bits += 61)
      measure(llvm::bit_cast<float>(bits));
    bool zeros = evaluatePolynomialExp2(-125.5f, degree) == 0.0f &&
                 evaluatePolynomialExp2(-INFINITY, degree) == 0.0f;
    // Above 127 the result saturates, finite.
    float high = evaluatePolynomialExp2(200.0f, degree);
    zeros = zeros && std::isfinite(high) && high > 1.0e38f;
    double bound = bounds[degree - kMinExp2PolynomialDegree];
    bool ok = worst <= bound && zeros;
    failed += !ok;
    std::printf("degree %lld: max relative error %.3e at %.9g over %llu "
                "inputs (bound %.1e), below -125 and above 127 %s: %s\n",
                (long long)degree, worst, worstAt, (unsigned long long)count,
                bound, zeros ? "as promised" : "wrong", ok ? "PASS" : "FAIL");
  }
  return failed ? 1 : 0;
}
