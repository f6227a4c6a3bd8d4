// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize | FileCheck %s

// A warp-specialised schedule: the rings become channels; the producer
// issues the pipeline's copies (the query, the prologue's tile, then each
// K/V tile from the second on, in the step that copies it) between acquire
// and commit, and leaves out the last step's copy of a tile past the end;
// the consumer waits on each step's slot, releases it after the tile's last
// use, and computes the epilogue. Slot = tile mod 2, phase = (tile / 2)
// mod 2.
// CHECK-LABEL: func.func @fa3
//   CHECK-DAG: %[[QC:.*]] = attn.alloc_channel : !attn.channel<1, tensor<64x64xbf16>>
//   CHECK-DAG: %[[KC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<32x64xbf16>>
//   CHECK-DAG: %[[VC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<32x64xbf16>>
//       CHECK: %[[OUT:.*]] = attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>] {
//       CHECK:   %[[FALSE:.*]] = arith.constant false
//       CHECK:   attn.channel_acquire %[[QC]][%{{.*}}] phase(%[[FALSE]])
//  CHECK-NEXT:   attn.channel_copy %{{.*}} into %[[QC]]
//  CHECK-NEXT:   attn.channel_commit %[[QC]]
//       CHECK:   attn.channel_acquire %[[KC]][%{{.*}}] phase(%[[FALSE]])
//  CHECK-NEXT:   attn.channel_copy %{{.*}} into %[[KC]]
//  CHECK-NEXT:   attn.channel_commit %[[KC]]
//       CHECK:   attn.channel_acquire %[[VC]]
// Tiles 1 .. Skv / 32 - 1, each in slot tile mod 2 as the pipeline computed
// it (a step back: (tile - 1 + 1) mod 2), its phase from its fill number;
// every tile the loop visits exists.
//       CHECK:   %[[EXISTS:.*]] = arith.constant true
//       CHECK:   scf.for %[[IV:.*]] = %c32{{.*}} to %{{.*}} step %c32 {
//       CHECK:     %[[STEP:.*]] = arith.subi %[[IV]], %c32
//       CHECK:     %[[ROW:.*]] = arith.addi %[[STEP]], %c32
//       CHECK:     %[[PREV:.*]] = arith.divui %[[STEP]], %c32
//       CHECK:     %[[AHEAD:.*]] = arith.addi %[[PREV]], %c1
//       CHECK:     %[[SLOT:.*]] = arith.remui %[[AHEAD]], %c2
//       CHECK:     %[[TILE:.*]] = arith.divui %[[IV]], %c32
//       CHECK:     %[[FILL:.*]] = arith.divui %[[TILE]], %c2
//       CHECK:     %[[ODD:.*]] = arith.remui %[[FILL]], %c2
//       CHECK:     %[[PHASE:.*]] = arith.cmpi ne, %[[ODD]], %c0
//       CHECK:     attn.channel_acquire %[[KC]][%[[SLOT]]] phase(%[[PHASE]])
//  CHECK-NEXT:     attn.channel_copy %arg1[%{{.*}}, %{{.*}}, %[[ROW]]] into %[[KC]][%[[SLOT]]] if %[[EXISTS]]
//  CHECK-NEXT:     attn.channel_commit %[[KC]][%[[SLOT]]]
//  CHECK-NEXT:     attn.channel_acquire %[[VC]][%[[SLOT]]] phase(%[[PHASE]])
//  CHECK-NEXT:     attn.channel_copy %arg2[%{{.*}}, %{{.*}}, %[[ROW]]] into %[[VC]][%[[SLOT]]] if %[[EXISTS]]
//       CHECK:   }
//       CHECK: }, {
//       CHECK:   %[[Q:.*]] = attn.channel_wait %[[QC]][%{{.*}}] phase(%{{.*}}) for %arg0
//       CHECK:   %[[R:.*]]:3 = scf.for %[[CIV:.*]] = {{.*}} iter_args
//       CHECK:     %[[CT:.*]] = arith.divui %[[CIV]], %c32
//       CHECK:     %[[CS:.*]] = arith.remui %[[CT]], %c2
//       CHECK:     %[[K:.*]] = attn.channel_wait %[[KC]][%[[CS]]] phase(%{{.*}}) for %arg1[%{{.*}}, %{{.*}}, %[[CIV]]]
//  CHECK-NEXT:     attn.qk_matmul %[[Q]], %[[K]]
//  CHECK-NEXT:     attn.channel_release %[[KC]][%[[CS]]]
//       CHECK:     %[[V:.*]] = attn.channel_wait %[[VC]][%[[CS]]]
//       CHECK:     attn.pv_matmul %{{.*}}, %[[V]]
//  CHECK-NEXT:     attn.channel_release %[[VC]][%[[CS]]]
//  CHECK-NEXT:     scf.yield
//       CHECK:   attn.channel_release %[[QC]]
//       CHECK:   %[[N:.*]] = attn.normalize %[[R]]#0, %[[R]]#1
//       CHECK:   attn.role_yield %[[N]] : tensor<64x64xbf16>
//       CHECK: } -> tensor<64x64xbf16>
//       CHECK: tensor.extract_slice %[[OUT]]
func.func @fa3(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
               %v: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x64xbf16>
  return %r : tensor<1x2x?x64xbf16>
}

// -----

// The LSE is computed by the consumer too, and is the op's second result.
// CHECK-LABEL: func.func @fa3_lse
//       CHECK: %[[WS:.*]]:2 = attn.warp_specialize
//       CHECK:   attn.lse
//       CHECK:   attn.role_yield %{{.*}}, %{{.*}} : tensor<64x64xbf16>, tensor<64xf32>
//       CHECK: } -> tensor<64x64xbf16>, tensor<64xf32>
func.func @fa3_lse(%q: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>, %l: tensor<1x2x?xf32>)
    -> (tensor<1x2x?x64xbf16>, tensor<1x2x?xf32>) {
  %r:2 = attn.attention causal ins(%q, %q, %q : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o, %l : tensor<1x2x?x64xbf16>, tensor<1x2x?xf32>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x64xbf16>, tensor<1x2x?xf32>
  return %r#0, %r#1 : tensor<1x2x?x64xbf16>, tensor<1x2x?xf32>
}

// -----

// FlashAttention-2 schedules keep every warp on every job: nothing changes.
// CHECK-LABEL: func.func @fa2
//   CHECK-NOT: attn.warp_specialize
//       CHECK: attn.wait_tile
func.func @fa2(%q: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %r = attn.attention ins(%q, %q, %q : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 2, warps = 4>}
         -> tensor<1x2x?x64xbf16>
  return %r : tensor<1x2x?x64xbf16>
}

// -----

// Three stages: the prologue copies tiles 0 and 1 (each enabled where it
// exists); the producer's loop starts two tiles in, tile j in slot j mod 3
// with phase (j / 3) mod 2.
// CHECK-LABEL: func.func @three_stages
//       CHECK: attn.warp_specialize
//       CHECK:   attn.channel_copy %arg0[%{{.*}}, %{{.*}}, %c0] into %{{.*}} if %[[FIRST:[^ ]*]]
//       CHECK:   attn.channel_copy %arg0[%{{.*}}, %{{.*}}, %c32{{.*}}] into %{{.*}} if %[[SECOND:[^ ]*]]
//       CHECK:   %[[EXISTS:.*]] = arith.constant true
//       CHECK:   scf.for %[[IV:.*]] = %c64{{.*}} to %{{.*}} step %c32 {
//       CHECK:     %[[STEP:.*]] = arith.subi %[[IV]], %c64
//       CHECK:     %[[ROW:.*]] = arith.addi %[[STEP]], %c64
//       CHECK:     %[[PREV:.*]] = arith.divui %[[STEP]], %c32
//       CHECK:     %[[AHEAD:.*]] = arith.addi %[[PREV]], %c2
//       CHECK:     %[[SLOT:.*]] = arith.remui %[[AHEAD]], %c3
//       CHECK:     %[[TILE:.*]] = arith.divui %[[IV]], %c32
//       CHECK:     %[[FILL:.*]] = arith.divui %[[TILE]], %c3
//       CHECK:     %[[ODD:.*]] = arith.remui %[[FILL]], %c2
//       CHECK:     %[[PHASE:.*]] = arith.cmpi ne, %[[ODD]], %c0
//       CHECK:     attn.channel_acquire %{{.*}}[%[[SLOT]]] phase(%[[PHASE]]) : !attn.channel<3
//  CHECK-NEXT:     attn.channel_copy %arg0[%{{.*}}, %{{.*}}, %[[ROW]]] into %{{.*}}[%[[SLOT]]] if %[[EXISTS]]
func.func @three_stages(%q: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %r = attn.attention ins(%q, %q, %q : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 3, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x64xbf16>
  return %r : tensor<1x2x?x64xbf16>
}

// -----

// A sliding window's K/V loop starts at the window's first tile: the
// producer's loop one tile later, its tiles counted from the loop's start.
// CHECK-LABEL: func.func @window
//       CHECK: attn.warp_specialize
//       CHECK:   attn.channel_copy %arg0[%{{.*}}, %{{.*}}, %[[LO:[0-9]+]]] into %{{.*}} if %{{.*}} : tensor<1x2x?x64xbf16>, !attn.channel<2, tensor<32x64xbf16>>
//       CHECK:   %[[EXISTS:.*]] = arith.constant true
//       CHECK:   %[[START:.*]] = arith.addi %[[LO]], %c32
//       CHECK:   scf.for %[[IV:.*]] = %[[START]] to %{{.*}} step %c32 {
//       CHECK:     %[[STEP:.*]] = arith.subi %[[IV]], %c32
//       CHECK:     %[[ROW:.*]] = arith.addi %[[STEP]], %c32
//       CHECK:     %[[FROM:.*]] = arith.subi %[[STEP]], %[[LO]]
//       CHECK:     %[[PREV:.*]] = arith.divui %[[FROM]], %c32
//       CHECK:     %[[AHEAD:.*]] = arith.addi %[[PREV]], %c1
//       CHECK:     %[[SLOT:.*]] = arith.remui %[[AHEAD]], %c2
//       CHECK:     %[[OFFSET:.*]] = arith.subi %[[IV]], %[[LO]]
//       CHECK:     %[[TILE:.*]] = arith.divui %[[OFFSET]], %c32
//       CHECK:     %[[FILL:.*]] = arith.divui %[[TILE]], %c2
//       CHECK:     attn.channel_acquire %{{.*}}[%[[SLOT]]]
//  CHECK-NEXT:     attn.channel_copy %arg0[%{{.*}}, %{{.*}}, %[[ROW]]] into %{{.*}}[%[[SLOT]]] if %[[EXISTS]]
func.func @window(%q: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %r = attn.attention sliding_window(left = 100, right = 0) ins(%q, %q, %q : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x64xbf16>
  return %r : tensor<1x2x?x64xbf16>
}
