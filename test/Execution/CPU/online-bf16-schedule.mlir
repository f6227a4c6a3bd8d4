// bf16 inputs through the schedule sm_80 gets (128 x 128 tiles for D = 64),
// tiling and the online softmax.
// RUN: attn-cpu-run %s --batch 1 --heads 8 --kv-heads 2 --seq-q 130 --seq-kv 1000 --passes "-attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax" | FileCheck %s
// CHECK: Hq=8 Hkv=2 Sq=130 Skv=1000 D=64 Dv=64 bf16 mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>,
                     %v: tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x64xbf16>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x64xbf16>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x64xbf16>
  %r = attn.attention causal
         ins(%q, %k, %v : tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>)
         outs(%o : tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16>
  return %r : tensor<?x?x?x64xbf16>
}
