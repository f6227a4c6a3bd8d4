// The naive graph of examples/naive-attention.mlir (GQA by repeating K/V
// heads, Q K^T, divide by sqrt(D), causal mask, softmax spelled out, P V)
// runs through fusion, tiling and the online softmax; the same inputs also
// run through the unfused graph itself. Both are checked against float64.
// RUN: attn-opt %attn_src_root/examples/naive-attention.mlir -attn-fuse-attention | FileCheck %s --check-prefix=FUSED
// RUN: attn-cpu-run %attn_src_root/examples/naive-attention.mlir --passes "-attn-fuse-attention -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s
// FUSED: attn.attention causal scale(1.250000e-01)
// FUSED-NOT: linalg.generic
// CHECK: B=1 Hq=8 Hkv=2 Sq=130 Skv=130 D=64 Dv=64 f32 mask=causal {{.*}} PASS
