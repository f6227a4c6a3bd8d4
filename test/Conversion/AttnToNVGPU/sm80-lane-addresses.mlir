// The sm_80 kernel's shared-memory addresses. Each ring is indexed as one
// dimension: in the K/V loop a lane computes four ldmatrix bases a ring
// (its swizzled column with 0, 16, 32 and 48 XOR-ed in, plus the slot's and
// its row's offset), and every MMA step adds a constant to one of them (the
// next 16-row block: 16 x 128 = 2048 elements). A thread's cp.async chunks
// sit whole swizzle periods of rows apart (8 rows of 128: 1024 elements).
// Their global offsets are chained in a view of the tensor as one
// dimension: each pass adds the pass's row stride (8 rows), read afresh
// each tile through an opaque move, and a row past the sequence reads
// nothing (a source size of 0).
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 -canonicalize -cse | FileCheck %s

// CHECK-LABEL: gpu.func @d128
//       CHECK: %[[KEYSRC:.*]] = memref.reinterpret_cast %arg1 to offset: [%{{.*}}], sizes: [{{[0-9]+}}], strides: [1] : memref<?x8x?x128xbf16, strided<[?, ?, ?, 1], offset: ?>> to memref<?xbf16, strided<[1], offset: ?>>
//       CHECK: %[[QUERY:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : memref<1x128x128xbf16, 3> into memref<16384xbf16, 3>
//       CHECK: %[[KEYS:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : memref<2x64x128xbf16, 3> into memref<16384xbf16, 3>
//       CHECK: scf.for
//       CHECK: %[[LEFT:.*]] = arith.subi
//       CHECK: %[[FRESH:.*]] = llvm.inline_asm has_side_effects {{.*}}"mov.b64 $0, $1;", "=l,l"
//       CHECK: %[[STEP:.*]] = arith.index_cast %[[FRESH]] : i64 to index
//       CHECK: arith.cmpi sgt, %[[LEFT]], %c0 : index
//       CHECK: nvgpu.device_async_copy %[[KEYSRC]][%[[G0:.*]]], %[[KEYS]][%[[CHUNK:.*]]], 8
//  CHECK-NEXT: %[[G1:.*]] = arith.addi %[[G0]], %[[STEP]] : index
//  CHECK-NEXT: arith.cmpi sgt, %[[LEFT]], %c8 : index
//       CHECK: %[[NEXT:.*]] = arith.addi %[[CHUNK]], %c1024 : index
//       CHECK: nvgpu.device_async_copy %[[KEYSRC]][%[[G1]]], %[[KEYS]][%[[NEXT]]], 8
//       CHECK: %[[QROW:.*]] = arith.muli %{{.*}}, %c128 : index
//       CHECK: %[[QCOL:.*]] = arith.addi %{{.*}}, %{{.*}} : index
//  CHECK-NEXT: %[[Q0:.*]] = arith.addi %[[QROW]], %[[QCOL]] : index
//  CHECK-NEXT: %[[QCOL1:.*]] = arith.xori %[[QCOL]], %c16 : index
//  CHECK-NEXT: %[[Q1:.*]] = arith.addi %[[QROW]], %[[QCOL1]] : index
//  CHECK-NEXT: arith.xori %[[QCOL]], %c32 : index
//  CHECK-NEXT: arith.addi %[[QROW]]
//  CHECK-NEXT: arith.xori %[[QCOL]], %c48 : index
//  CHECK-NEXT: arith.addi %[[QROW]]
//       CHECK: nvgpu.ldmatrix %[[QUERY]][%[[Q0]]]
//       CHECK: %[[QBLOCK:.*]] = arith.addi %[[Q0]], %c2048 : index
//  CHECK-NEXT: nvgpu.ldmatrix %[[QUERY]][%[[QBLOCK]]]
//       CHECK: nvgpu.ldmatrix %[[QUERY]][%[[Q1]]]
//   CHECK-NOT: arith.xori
//       CHECK: nvgpu.ldmatrix %[[KEYS]]
//       CHECK: gpu.return
func.func @d128(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x8x?x128xbf16>,
                %v: tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}


// -----

// Rows of 12 chunks over 128 threads: a thread's passes repeat every three
// of them (gcd(12, 128) = 4), 32 rows further down, so its copies keep the
// first three passes' columns and chunk offsets, and each later pass adds
// 32 rows of 128 elements (4096) to the one it repeats: the query's 128
// rows take twelve passes, four periods.
// CHECK-LABEL: gpu.func @d96
//       CHECK: %[[QUERY:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : memref<1x128x128xbf16, 3> into memref<16384xbf16, 3>
//       CHECK: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C0:.*]]], %[[QUERY]][%[[P0:[0-9a-z_]+]]], 8
//       CHECK: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C1:.*]]], %[[QUERY]][%[[P1:[0-9a-z_]+]]], 8
//       CHECK: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C2:.*]]], %[[QUERY]][%[[P2:[0-9a-z_]+]]], 8
//       CHECK: %[[P3:.*]] = arith.addi %[[P0]], %c4096 : index
//  CHECK-NEXT: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C0]]], %[[QUERY]][%[[P3]]], 8
//       CHECK: %[[P4:.*]] = arith.addi %[[P1]], %c4096 : index
//  CHECK-NEXT: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C1]]], %[[QUERY]][%[[P4]]], 8
//       CHECK: %[[P5:.*]] = arith.addi %[[P2]], %c4096 : index
//  CHECK-NEXT: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C2]]], %[[QUERY]][%[[P5]]], 8
//       CHECK: %[[P6:.*]] = arith.addi %[[P0]], %c8192 : index
//  CHECK-NEXT: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C0]]], %[[QUERY]][%[[P6]]], 8
func.func @d96(%q: tensor<?x8x?x96xbf16>, %k: tensor<?x8x?x96xbf16>,
               %v: tensor<?x8x?x96xbf16>) -> tensor<?x8x?x96xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x96xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x96xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x96xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x96xbf16>, tensor<?x8x?x96xbf16>, tensor<?x8x?x96xbf16>)
         outs(%init : tensor<?x8x?x96xbf16>) -> tensor<?x8x?x96xbf16>
  return %o : tensor<?x8x?x96xbf16>
}
