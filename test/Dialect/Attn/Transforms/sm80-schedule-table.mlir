// The sm_80 schedule per head dim (SelectSchedule.cpp's table): two m16
// row blocks a warp (128 x 64 tiles of 4 warps) up to head dim 128; one
// block a warp above: 128 x 64 tiles of 8 warps with one K slot and one V
// slot (256 threads split a tile's 16-byte chunks evenly: at 200-224 rows
// of 28 chunks, 7 a thread); 64 x 32 of 4 warps where the stages asked
// for shrink tile_n below what 8 warps split (the second RUN line: three
// stages of 32 keys at 224, rows of 28 chunks).
// Causal masks rescale O lazily up to head dim 32.
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 stages=3" | FileCheck %s --check-prefix=STAGES

// CHECK-LABEL: func.func @d32
//       CHECK: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4, rescale_threshold = 8.000000e+00 : f32>}
func.func @d32(%q: tensor<?x4x?x32xbf16>) -> tensor<?x4x?x32xbf16> {
  %o = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x32xbf16>, tensor<?x4x?x32xbf16>, tensor<?x4x?x32xbf16>)
         outs(%q : tensor<?x4x?x32xbf16>) -> tensor<?x4x?x32xbf16>
  return %o : tensor<?x4x?x32xbf16>
}

// -----

// CHECK-LABEL: func.func @d64
//       CHECK: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>}
func.func @d64(%q: tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %o = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>)
         outs(%q : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}

// -----

// CHECK-LABEL: func.func @d80
//       CHECK: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>}
func.func @d80(%q: tensor<?x4x?x80xbf16>) -> tensor<?x4x?x80xbf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<?x4x?x80xbf16>, tensor<?x4x?x80xbf16>, tensor<?x4x?x80xbf16>)
         outs(%q : tensor<?x4x?x80xbf16>) -> tensor<?x4x?x80xbf16>
  return %o : tensor<?x4x?x80xbf16>
}

// -----

// CHECK-LABEL: func.func @d96
//       CHECK: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>}
func.func @d96(%q: tensor<?x4x?x96xbf16>) -> tensor<?x4x?x96xbf16> {
  %o = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x96xbf16>, tensor<?x4x?x96xbf16>, tensor<?x4x?x96xbf16>)
         outs(%q : tensor<?x4x?x96xbf16>) -> tensor<?x4x?x96xbf16>
  return %o : tensor<?x4x?x96xbf16>
}

// -----

// CHECK-LABEL: func.func @d128
//       CHECK: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>}
func.func @d128(%q: tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>)
         outs(%q : tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16>
  return %o : tensor<?x4x?x128xbf16>
}

// -----

// CHECK-LABEL: func.func @d160
//       CHECK: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>}
func.func @d160(%q: tensor<?x4x?x160xbf16>) -> tensor<?x4x?x160xbf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<?x4x?x160xbf16>, tensor<?x4x?x160xbf16>, tensor<?x4x?x160xbf16>)
         outs(%q : tensor<?x4x?x160xbf16>) -> tensor<?x4x?x160xbf16>
  return %o : tensor<?x4x?x160xbf16>
}

// -----

// CHECK-LABEL: func.func @d192
// STAGES-LABEL: func.func @d192
//       STAGES: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 32, stages = 3, warps = 8>}
//       CHECK: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>}
func.func @d192(%q: tensor<?x4x?x192xbf16>) -> tensor<?x4x?x192xbf16> {
  %o = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x192xbf16>, tensor<?x4x?x192xbf16>, tensor<?x4x?x192xbf16>)
         outs(%q : tensor<?x4x?x192xbf16>) -> tensor<?x4x?x192xbf16>
  return %o : tensor<?x4x?x192xbf16>
}

// -----

// CHECK-LABEL: func.func @d224
// STAGES-LABEL: func.func @d224
//       STAGES: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 3, warps = 4>}
//       CHECK: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>}
func.func @d224(%q: tensor<?x4x?x224xbf16>) -> tensor<?x4x?x224xbf16> {
  %o = attn.attention ins(%q, %q, %q : tensor<?x4x?x224xbf16>, tensor<?x4x?x224xbf16>, tensor<?x4x?x224xbf16>)
         outs(%q : tensor<?x4x?x224xbf16>) -> tensor<?x4x?x224xbf16>
  return %o : tensor<?x4x?x224xbf16>
}

// -----

// CHECK-LABEL: func.func @d256
//       CHECK: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>}
func.func @d256(%q: tensor<?x4x?x256xbf16>) -> tensor<?x4x?x256xbf16> {
  %o = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x256xbf16>, tensor<?x4x?x256xbf16>, tensor<?x4x?x256xbf16>)
         outs(%q : tensor<?x4x?x256xbf16>) -> tensor<?x4x?x256xbf16>
  return %o : tensor<?x4x?x256xbf16>
}
