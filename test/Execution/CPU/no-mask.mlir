// Unmasked attention on bf16 inputs with head dim 64 (error from rounding the
// output to bf16 is expected to be a few 1e-3).
// RUN: attn-cpu-run %s --batch 2 --heads 4 --seq-q 37 --seq-kv 91 | FileCheck %s --check-prefix=RAGGED
// RUN: attn-cpu-run %s --batch 1 --heads 1 --seq-q 1 --seq-kv 1 | FileCheck %s --check-prefix=ONE
// The check can fail: bf16 output rounding is far above a 1e-4 tolerance.
// RUN: not attn-cpu-run %s --seq-q 16 --tolerance 1e-4 2>&1 | FileCheck %s --check-prefix=STRICT
// STRICT: FAIL
// STRICT: error: output error {{.*}} above 1.0e-04
// RAGGED: B=2 Hq=4 Hkv=4 Sq=37 Skv=91 D=64 Dv=64 bf16 mask=none {{.*}} PASS
// ONE: Sq=1 Skv=1 {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>,
                     %v: tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x64xbf16>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x64xbf16>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x64xbf16>
  %r = attn.attention
         ins(%q, %k, %v : tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>)
         outs(%o : tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16>
  return %r : tensor<?x?x?x64xbf16>
}
