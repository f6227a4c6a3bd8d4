// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: attn-opt %s -attn-select-schedule=chip=sm_90a | FileCheck %s --check-prefix=SM90
// RUN: attn-opt %s -attn-select-schedule=chip=sm_100a | FileCheck %s --check-prefix=SM100
// RUN: attn-opt %s -attn-select-schedule="chip=sm_80 rescale-threshold=8" | FileCheck %s --check-prefix=LAZY
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a ping-pong=false overlap=false" | FileCheck %s --check-prefix=PLAIN
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=1" | FileCheck %s --check-prefix=PERSISTENT
// RUN: attn-opt %s -attn-select-schedule="chip=sm_80 persistent=1" | FileCheck %s --check-prefix=SM80
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=0" | FileCheck %s --check-prefix=ONE
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a query-stages=1" | FileCheck %s --check-prefix=QONE
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a rescale-threshold=0" | FileCheck %s --check-prefix=EVERY

// The schedule per chip and head dim: FA2-like tiles on sm_80 (a warp takes
// two m16 row blocks up to head dim 80, one above), FA3-like
// warpgroups on sm_90a, FA4-like on sm_100a; above head dim 128 sm_80 keeps
// one K and one V slot.
// SM80-LABEL: func.func @head_dims
//       SM80: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x8x?x64xbf16>
//       SM80: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x8x?x128xf16>
//       SM80: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>} -> tensor<?x8x?x256xbf16>
// FA3: a producer warpgroup at the smallest register budget, consumer
// warpgroups of 64 rows sharing the rest of the register file: three at
// head dim 64, two above; the consumers overlap Q K^T with the softmax, and
// three take turns at the tensor cores, unless the options turn that off.
// From head dim 128 O is rescaled lazily (threshold 8) unless a threshold
// is asked for. Without a mask, up to head dim 128, the CTAs are persistent,
// with a second query slot for the next tile's query.
// SM90-LABEL: func.func @head_dims
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 192, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 12, registers = 160>], ping_pong = true, overlap = true, persistent = true, query_stages = 2>} -> tensor<?x8x?x64xbf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], overlap = true, rescale_threshold = 8.000000e+00 : f32, persistent = true, query_stages = 2>} -> tensor<?x8x?x128xf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], overlap = true, rescale_threshold = 8.000000e+00 : f32>} -> tensor<?x8x?x256xbf16>
// EVERY-LABEL: func.func @head_dims
//   EVERY-NOT: rescale_threshold
// Persistent CTAs are the warp-specialised kernels' (sm_80 ignores the
// request, as it does ping-pong's); asked for, causal ones get them too,
// and asked not to, none.
// PERSISTENT-LABEL: func.func @head_dims
//       PERSISTENT: kind = fa3, tile_m = 192, {{.*}}, ping_pong = true, overlap = true, persistent = true, query_stages = 2>}
//       PERSISTENT: kind = fa3, tile_m = 128, {{.*}}, rescale_threshold = 8.000000e+00 : f32, persistent = true, query_stages = 2>}
//       PERSISTENT: attn.attention causal {{.*}}, rescale_threshold = 8.000000e+00 : f32, persistent = true>}
// ONE-LABEL: func.func @head_dims
//   ONE-NOT: persistent

// PLAIN-LABEL: func.func @head_dims
//       PLAIN: {schedule = #attn.schedule<kind = fa3, tile_m = 192, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 12, registers = 160>], persistent = true, query_stages = 2>} -> tensor<?x8x?x64xbf16>
// sm_100a: a consumer warpgroup per 128 query rows, two where S and O of
// both fit in tensor memory's 512 columns (not at D = 256), and the lazy row
// max.
// SM100-LABEL: func.func @head_dims
//       SM100: {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], rescale_threshold = 8.000000e+00 : f32>} -> tensor<?x8x?x64xbf16>
//       SM100: {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], rescale_threshold = 8.000000e+00 : f32>} -> tensor<?x8x?x128xf16>
//       SM100: {schedule = #attn.schedule<kind = fa4, tile_m = 128, tile_n = 64, stages = 2, warps = 8, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 4, registers = 240>], rescale_threshold = 8.000000e+00 : f32>} -> tensor<?x8x?x256xbf16>
// The conditional-rescaling threshold is recorded in the schedule.
// LAZY-LABEL: func.func @head_dims
//       LAZY: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4, rescale_threshold = 8.000000e+00 : f32>} -> tensor<?x8x?x64xbf16>
// An op that already has a schedule keeps it.
//       SM80: {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1>} -> tensor<?x8x?x64xbf16>
func.func @head_dims(%q64: tensor<?x8x?x64xbf16>, %q128: tensor<?x8x?x128xf16>, %q256: tensor<?x8x?x256xbf16>)
    -> (tensor<?x8x?x64xbf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x256xbf16>, tensor<?x8x?x64xbf16>) {
  %a = attn.attention ins(%q64, %q64, %q64 : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>)
         outs(%q64 : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  %b = attn.attention ins(%q128, %q128, %q128 : tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>)
         outs(%q128 : tensor<?x8x?x128xf16>) -> tensor<?x8x?x128xf16>
  %c = attn.attention causal ins(%q256, %q256, %q256 : tensor<?x8x?x256xbf16>, tensor<?x8x?x256xbf16>, tensor<?x8x?x256xbf16>)
         outs(%q256 : tensor<?x8x?x256xbf16>) -> tensor<?x8x?x256xbf16>
  %d = attn.attention ins(%q64, %q64, %q64 : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>)
         outs(%q64 : tensor<?x8x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1>} -> tensor<?x8x?x64xbf16>
  return %a, %b, %c, %d : tensor<?x8x?x64xbf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x256xbf16>, tensor<?x8x?x64xbf16>
}

// sm_80 rescales O lazily for causal attention only at head dims up to 32,
// where it measured faster (SelectSchedule.cpp; sm80-schedule-table.mlir),
// and not at 64 nor without a mask.
// SM80-LABEL: func.func @causal_small_head
//       SM80: attn.attention causal {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x4x?x64xbf16>
//       SM80: attn.attention {{.*}} {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x4x?x64xbf16>
// EVERY-LABEL: func.func @causal_small_head
//   EVERY-NOT: rescale_threshold
func.func @causal_small_head(%q: tensor<?x4x?x64xbf16>) -> (tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>) {
  %a = attn.attention causal ins(%q, %q, %q : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>)
         outs(%q : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  %b = attn.attention ins(%q, %q, %q : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>)
         outs(%q : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  return %a, %b : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>
}

// sm_90a's causal kernels draw their tiles in persistent CTAs up to head
// dim 128, with a second query slot for the next tile's query; at 256 (no
// room to stage O, and a consumer that would spill) one CTA takes a tile.
// Asked for one query slot, they keep one.
// QONE-LABEL: func.func @causal_by_head_dim
//       QONE: attn.attention causal {{.*}}tile_m = 192, {{.*}}persistent = true>}
//       QONE: attn.attention causal {{.*}}tile_m = 128, {{.*}}persistent = true>}
//   QONE-NOT: query_stages
// SM90-LABEL: func.func @causal_by_head_dim
//       SM90: attn.attention causal {{.*}}tile_m = 192, {{.*}}persistent = true, query_stages = 2>} -> tensor<?x4x?x64xbf16>
//       SM90: attn.attention causal {{.*}}tile_m = 128, tile_n = 128, {{.*}}persistent = true, query_stages = 2>} -> tensor<?x4x?x128xbf16>
//   SM90-NOT: persistent
//       SM90: return
func.func @causal_by_head_dim(%q64: tensor<?x4x?x64xbf16>, %q128: tensor<?x4x?x128xbf16>, %q256: tensor<?x4x?x256xbf16>)
    -> (tensor<?x4x?x64xbf16>, tensor<?x4x?x128xbf16>, tensor<?x4x?x256xbf16>) {
  %a = attn.attention causal ins(%q64, %q64, %q64 : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>)
         outs(%q64 : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  %b = attn.attention causal ins(%q128, %q128, %q128 : tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>)
         outs(%q128 : tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16>
  %c = attn.attention causal ins(%q256, %q256, %q256 : tensor<?x4x?x256xbf16>, tensor<?x4x?x256xbf16>, tensor<?x4x?x256xbf16>)
         outs(%q256 : tensor<?x4x?x256xbf16>) -> tensor<?x4x?x256xbf16>
  return %a, %b, %c : tensor<?x4x?x64xbf16>, tensor<?x4x?x128xbf16>, tensor<?x4x?x256xbf16>
}

// The second query slot is measured for causal masks and for none: a
// sliding window asked to be persistent keeps one.
// PERSISTENT-LABEL: func.func @window_one_query_slot
//       PERSISTENT: attn.attention sliding_window{{.*}}tile_m = 128, {{.*}}persistent = true>}
//   PERSISTENT-NOT: query_stages
//       PERSISTENT: return
func.func @window_one_query_slot(%q: tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16> {
  %o = attn.attention sliding_window(left = 64, right = 0) ins(%q, %q, %q : tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>)
         outs(%q : tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16>
  return %o : tensor<?x4x?x128xbf16>
}
