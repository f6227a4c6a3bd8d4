// f32 arguments rounded to bf16 inside the function, attention in bf16,
// widened back to f32: attn-cpu-run holds the result to bf16's tolerance,
// the narrowest type the function computes in, not to its f32 arguments'.
// RUN: attn-cpu-run %s | FileCheck %s
// CHECK: f32 mask=causal {{.*}} (tol 1e-02) PASS
func.func @attention(%q0: tensor<1x2x32x16xf32>, %k0: tensor<1x2x32x16xf32>, %v0: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %q = arith.truncf %q0 : tensor<1x2x32x16xf32> to tensor<1x2x32x16xbf16>
  %k = arith.truncf %k0 : tensor<1x2x32x16xf32> to tensor<1x2x32x16xbf16>
  %v = arith.truncf %v0 : tensor<1x2x32x16xf32> to tensor<1x2x32x16xbf16>
  %e = tensor.empty() : tensor<1x2x32x16xbf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x32x16xbf16>, tensor<1x2x32x16xbf16>, tensor<1x2x32x16xbf16>)
         outs(%e : tensor<1x2x32x16xbf16>) -> tensor<1x2x32x16xbf16>
  %r = arith.extf %o : tensor<1x2x32x16xbf16> to tensor<1x2x32x16xf32>
  return %r : tensor<1x2x32x16xf32>
}
