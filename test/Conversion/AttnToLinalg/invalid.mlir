// RUN: attn-opt %s -split-input-file -convert-attn-to-linalg -verify-diagnostics

// The reference splits query heads with memref.expand_shape, which needs a
// strided layout.
#not_strided = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3, d2 mod 2)>
func.func @not_strided(%q: memref<1x4x8x16xf32, #not_strided>, %k: memref<1x4x8x16xf32>,
                       %v: memref<1x4x8x16xf32>, %o: memref<1x4x8x16xf32>) {
  // expected-error @+1 {{convert-attn-to-linalg: cannot lower an attention to the linalg reference: 'memref<1x4x8x16xf32, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3, d2 mod 2)>>' has a layout that is not strided}}
  attn.attention ins(%q, %k, %v : memref<1x4x8x16xf32, #not_strided>, memref<1x4x8x16xf32>, memref<1x4x8x16xf32>)
                 outs(%o : memref<1x4x8x16xf32>)
  return
}
