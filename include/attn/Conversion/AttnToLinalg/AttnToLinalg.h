//===- AttnToLinalg.h - attn to the linalg reference ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
#define ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H

namespace mlir {
class RewritePatternSet;

namespace attn {
/// Adds the pattern that rewrites `attn.attention` into the naive reference
/// computation in linalg.
void populateAttnToLinalgConversionPatterns(RewritePatternSet &patterns);
} // namespace attn
} // namespace mlir

#endif // ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
