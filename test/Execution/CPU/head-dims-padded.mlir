// Head dims the sm_80 kernel pads (72: not a multiple of 16) and a V head
// dim other than Q's (40), through the sm_80 schedule, tiling, the online
// softmax and the pipeline, on the CPU against float64.
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 150 --passes "-attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 150 --seq-kv 33 --passes "-attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// CHECK: D=72 Dv=40 bf16 mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x4x?x72xbf16>, %k: tensor<?x2x?x72xbf16>,
                     %v: tensor<?x2x?x40xbf16>) -> tensor<?x4x?x40xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x72xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x72xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x40xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x72xbf16>, tensor<?x2x?x72xbf16>,
                          tensor<?x2x?x40xbf16>)
         outs(%init : tensor<?x4x?x40xbf16>) -> tensor<?x4x?x40xbf16>
  return %o : tensor<?x4x?x40xbf16>
}
