// The IR fuzzer runs every pipeline on what it parses: the example gets
// through each one, every chip's to PTX. Guards against a fuzzer whose pass
// managers run on nothing.
// REQUIRES: attn-fuzz, libdevice
// RUN: env ATTN_FUZZ_DIAGNOSTICS=1 attn-fuzz %attn_src_root/examples/attention.mlir 2>&1 | FileCheck %s
// CHECK: ok: attn-fuse-attention
// CHECK-NEXT: ok: attn-select-schedule{chip=sm_80},attn-tile,attn-fuse-online-softmax,attn-pipeline-async
// CHECK-NEXT: ok: attn-lower-to-nvvm-pipeline{chip=sm_80}
// CHECK-NEXT: ok: attn-lower-to-nvvm-pipeline{chip=sm_90a}
// CHECK-NEXT: ok: attn-lower-to-nvvm-pipeline{chip=sm_100a}
// CHECK-NEXT: ok: attn-tile{tile-m=16 tile-n=16},attn-fuse-online-softmax{rescale-threshold=8}
// CHECK-NEXT: ok: attn-fuse-attention,attn-tile,attn-fuse-online-softmax,attn-lower-to-cpu-pipeline
// CHECK-NEXT: ok: attn-select-schedule{chip=sm_80},attn-tile,attn-fuse-online-softmax,attn-pipeline-async,attn-lower-to-cpu-pipeline
// CHECK-NEXT: ok: attn-select-schedule{chip=sm_90a},attn-tile,attn-fuse-online-softmax,attn-pipeline-async,attn-warp-specialize,attn-lower-to-cpu-pipeline
// CHECK-NEXT: ok: attn-select-schedule{chip=sm_90a},attn-tile,attn-fuse-online-softmax,attn-pipeline-async,attn-warp-specialize,attn-overlap-consumer,attn-order-warpgroups,attn-lower-to-cpu-pipeline
// CHECK-NEXT: ok: attn-tile,attn-fuse-online-softmax,attn-pipeline-async,attn-warp-specialize,attn-lower-to-cpu-pipeline
// CHECK-NEXT: ok: convert-attn-to-linalg
