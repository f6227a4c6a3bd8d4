// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a

// A schedule written into the IR skips the chooser, so the sm_90a kernel
// checks its shape rule itself.

// One consumer warpgroup per 64 rows, two or three of them: a 64-row query
// tile would leave the producer with one consumer.
func.func @tile_m_64(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                     %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs tile_m = 64 x 2 or 64 x 3 (64 query rows per consumer warpgroup), found 64}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}

// -----

// 256 keys a tile at head dim 256: S, P and O would not fit a consumer
// thread's registers.
func.func @too_many_registers(%q: tensor<1x1x128x256xbf16>, %k: tensor<1x1x256x256xbf16>,
                              %v: tensor<1x1x256x256xbf16>) -> tensor<1x1x128x256xbf16> {
  %init = tensor.empty() : tensor<1x1x128x256xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs at most 208 accumulator registers a consumer thread (S, P and O) with 2 consumer warpgroups, found 320 at tile_n 256, value head dim 256}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x256xbf16>,
                          tensor<1x1x256x256xbf16>, tensor<1x1x256x256xbf16>)
         outs(%init : tensor<1x1x128x256xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 256, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x128x256xbf16>
  return %o : tensor<1x1x128x256xbf16>
}

// -----

// Head dim 96 is not a whole number of 64-column TMA boxes.
func.func @head_dim_96(%q: tensor<1x1x128x96xbf16>, %k: tensor<1x1x128x96xbf16>,
                       %v: tensor<1x1x128x96xbf16>) -> tensor<1x1x128x96xbf16> {
  %init = tensor.empty() : tensor<1x1x128x96xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs head dims that are multiples of 64 from 64 to 256, found 96}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x96xbf16>,
                          tensor<1x1x128x96xbf16>, tensor<1x1x128x96xbf16>)
         outs(%init : tensor<1x1x128x96xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x128x96xbf16>
  return %o : tensor<1x1x128x96xbf16>
}

// -----

// Three consumer warpgroups (tile_m 192) are 16 warps, not 12.
func.func @warps_for_three_consumers(%q: tensor<1x1x192x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                                     %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x192x64xbf16> {
  %init = tensor.empty() : tensor<1x1x192x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs 16 warps at tile_m 192 (a producer warpgroup and one consumer warpgroup per 64 rows), found 12}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x192x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x192x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 192, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x192x64xbf16>
  return %o : tensor<1x1x192x64xbf16>
}

// -----

// Budgets that fill the whole register file (32 x 128 + 240 x 256 = 65536)
// are more than a CTA of 384 threads starts with (168 each, 64512 in all):
// the consumers' setmaxnreg.inc would wait forever, so it is an error.
func.func @budgets_past_the_entry_allocation(%q: tensor<1x1x128x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                                             %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x128x64xbf16> {
  %init = tensor.empty() : tensor<1x1x128x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs its roles' registers (65536 in all) within what the CTA starts with (168 x 384 threads): setmaxnreg.inc would wait forever}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 32>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x128x64xbf16>
  return %o : tensor<1x1x128x64xbf16>
}

// -----

// A consumer budget too small for S, P and O (64 + 32 + 32 registers and 32
// to spare at 128 x 128, head dim 64).
func.func @consumer_budget_too_small(%q: tensor<1x1x128x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                                     %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x128x64xbf16> {
  %init = tensor.empty() : tensor<1x1x128x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs 160 registers a consumer thread (S, P and O, and 32 more), the consumer role has 112}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 112>]>}
         -> tensor<1x1x128x64xbf16>
  return %o : tensor<1x1x128x64xbf16>
}

// -----

// A drawn tile's number goes with its query's fill, one shared-memory word
// a query slot, for up to four slots.
func.func @five_query_slots(%q: tensor<1x1x128x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                            %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x128x64xbf16> {
  %init = tensor.empty() : tensor<1x1x128x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs one query slot, or up to 4 with persistent CTAs; found 5}}
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                                 tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], persistent = true, query_stages = 5>}
         -> tensor<1x1x128x64xbf16>
  return %o : tensor<1x1x128x64xbf16>
}
