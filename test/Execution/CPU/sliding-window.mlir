// A sliding window of 8 keys to the left and 4 to the right of each query's
// position, in f16, for equal and unequal sequence lengths.
// RUN: attn-cpu-run %s --heads 2 --seq-q 64 | FileCheck %s --check-prefix=SQUARE
// RUN: attn-cpu-run %s --heads 2 --seq-q 37 --seq-kv 91 | FileCheck %s --check-prefix=RAGGED
// SQUARE: Sq=64 Skv=64 D=16 Dv=16 f16 mask=sliding_window(8,4) {{.*}} PASS
// RAGGED: Sq=37 Skv=91 {{.*}} mask=sliding_window(8,4) {{.*}} PASS
func.func @attention(%q: tensor<1x?x?x16xf16>, %k: tensor<1x?x?x16xf16>,
                     %v: tensor<1x?x?x16xf16>) -> tensor<1x?x?x16xf16> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %h = tensor.dim %q, %c1 : tensor<1x?x?x16xf16>
  %s = tensor.dim %q, %c2 : tensor<1x?x?x16xf16>
  %o = tensor.empty(%h, %s) : tensor<1x?x?x16xf16>
  %r = attn.attention sliding_window(left = 8, right = 4)
         ins(%q, %k, %v : tensor<1x?x?x16xf16>, tensor<1x?x?x16xf16>, tensor<1x?x?x16xf16>)
         outs(%o : tensor<1x?x?x16xf16>) -> tensor<1x?x?x16xf16>
  return %r : tensor<1x?x?x16xf16>
}
