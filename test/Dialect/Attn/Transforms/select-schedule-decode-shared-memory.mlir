// sm_90a builds the sm_80 kernel for a packed decode step, within sm_80's
// shared memory (163 KB, as that kernel's emitter checks): five 64-key K/V
// stages at head dim 128 (180 KB) do not fit, so both chips halve tile_n.
// RUN: attn-opt %s -attn-select-schedule="chip=sm_80 stages=5" | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a stages=5" | FileCheck %s

// CHECK: {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 5, warps = 4, pack_gqa = true>}
func.func @decode(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x8x?x128xbf16>,
                  %v: tensor<?x8x?x128xbf16>) -> tensor<?x32x1x128xbf16> {
  %0 = attn.attention causal ins(%q, %k, %v : tensor<?x32x1x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%q : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %0 : tensor<?x32x1x128xbf16>
}
