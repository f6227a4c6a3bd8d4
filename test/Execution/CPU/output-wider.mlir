// An output wider than the inputs (bf16 or f16 in, f32 out; the op allows
// it) is held to the inputs' precision: the inputs and P are rounded to
// their type, so the default tolerance is theirs, not the output's.
// RUN: attn-cpu-run %s --seq-q 33 --seq-kv 70 | FileCheck %s --check-prefix=BF16
// RUN: attn-cpu-run %s --seq-q 33 --seq-kv 70 --passes "-attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=BF16
// RUN: sed 's/bf16/f16/g' %s > %t.f16.mlir
// RUN: attn-cpu-run %t.f16.mlir --seq-q 33 --seq-kv 70 | FileCheck %s --check-prefix=F16
// BF16: bf16 mask=none {{.*}} (tol 1e-02) PASS
// F16: f16 mask=none {{.*}} (tol 5e-03) PASS
func.func @attention(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>,
                     %v: tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x64xbf16>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x64xbf16>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x64xf32>
  %r = attn.attention
         ins(%q, %k, %v : tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>)
         outs(%o : tensor<?x?x?x64xf32>) -> tensor<?x?x?x64xf32>
  return %r : tensor<?x?x?x64xf32>
}
