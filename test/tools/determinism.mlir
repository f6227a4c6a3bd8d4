// The same input gives byte-identical IR at every level, run to run: a
// fused, tiled and online graph, and a scheduled, tiled, online attention
// lowered for the CPU.
// RUN: attn-opt %attn_src_root/examples/naive-attention.mlir -attn-fuse-attention -attn-tile -attn-fuse-online-softmax -o %t.l3.1 2>&1 | count 0
// RUN: attn-opt %attn_src_root/examples/naive-attention.mlir -attn-fuse-attention -attn-tile -attn-fuse-online-softmax -o %t.l3.2
// RUN: diff %t.l3.1 %t.l3.2
// RUN: attn-opt %attn_src_root/examples/attention.mlir -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-lower-to-cpu-pipeline -o %t.llvm.1 2>&1 | count 0
// RUN: attn-opt %attn_src_root/examples/attention.mlir -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-lower-to-cpu-pipeline -o %t.llvm.2
// RUN: diff %t.llvm.1 %t.llvm.2
