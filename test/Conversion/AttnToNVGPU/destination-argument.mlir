// Destination-passing at the function level, as bufferized callers write
// it: the output buffer is the function's fourth argument and only the
// attention's destination. The kernel takes Q, K, V and O, and writes O
// through its own parameter.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s

// CHECK-LABEL: gpu.func @dps(
//  CHECK-SAME: %{{.*}}: memref<?x4x?x64xbf16, {{.*}}>, %{{.*}}: memref<?x4x?x64xbf16, {{.*}}>, %{{.*}}: memref<?x4x?x64xbf16, {{.*}}>, %{{.*}}: memref<?x4x?x64xbf16, {{.*}}>) kernel
//  CHECK-SAME: attn.abi = #attn.kernel_abi<tensors = [<name = "query", {{.*}}>, <name = "key", {{.*}}>, <name = "value", {{.*}}>, <name = "output", {{.*}}>], params = [<kind = memref, tensor = 0>, <kind = memref, tensor = 1>, <kind = memref, tensor = 2>, <kind = memref, tensor = 3>]
func.func @dps(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x4x?x64xbf16>,
               %v: tensor<?x4x?x64xbf16>, %out: tensor<?x4x?x64xbf16>)
    -> tensor<?x4x?x64xbf16> {
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>,
                          tensor<?x4x?x64xbf16>)
         outs(%out : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}
