// RUN: attn-opt %s -split-input-file -verify-diagnostics

// expected-error @below {{warp role 'consumer' has a register budget of 250; expected a multiple of 8 from 24 to 256}}
func.func @budget_not_a_multiple_of_8() attributes {r = #attn.warp_role<name = "consumer", warps = 8, registers = 250>} {
  return
}

// -----

// expected-error @below {{warp role 'producer' has a register budget of 16; expected a multiple of 8 from 24 to 256}}
func.func @budget_too_small() attributes {r = #attn.warp_role<name = "producer", warps = 4, registers = 16>} {
  return
}

// -----

// 4 x 32 x 240 + 8 x 32 x 240 registers: more than one SM's 65536.
// expected-error @below {{warp roles need 92160 registers, more than the 65536 of the register file}}
func.func @budgets_over_the_register_file() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12,
    roles = [<name = "producer", warps = 4, registers = 240>, <name = "consumer", warps = 8, registers = 240>]>} {
  return
}

// -----

// expected-error @below {{warp roles take 8 warps, the schedule has 12}}
func.func @roles_short_of_the_warps() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12,
    roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 4, registers = 240>]>} {
  return
}

// -----

// expected-error @below {{a fa3 schedule needs warp roles}}
func.func @fa3_without_roles() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12>} {
  return
}

// -----

// expected-error @below {{an fa2 schedule has no warp roles, ping-pong or overlap}}
func.func @fa2_ping_pong() attributes {s = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, ping_pong = true>} {
  return
}

// -----

// expected-error @below {{cluster must have three positive extents with at most 8 CTAs in all}}
func.func @cluster_too_large() attributes {s = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, cluster = [4, 4, 1]>} {
  return
}

// -----

// expected-error @below {{swizzle must be 0, 32, 64 or 128 bytes, got 48}}
func.func @bad_swizzle() attributes {p = #attn.kernel_param<kind = tensor_map, tensor = 0, box = [64, 64], swizzle = 48>} {
  return
}

// -----

// expected-error @below {{a box belongs to tensor_map parameters only}}
func.func @memref_with_box() attributes {p = #attn.kernel_param<kind = memref, tensor = 0, box = [64, 64]>} {
  return
}

// -----

// expected-error @below {{tensor map box needs one extent per dimension}}
func.func @box_rank() attributes {abi = #attn.kernel_abi<
    tensors = [<name = "input", type = tensor<64x64xbf16>>],
    params = [<kind = tensor_map, tensor = 0, box = [64]>],
    grid = [<tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>],
    cluster = [1, 1, 1]>} {
  return
}

// -----

// expected-error @below {{kernel parameter refers to tensor 3 of 1}}
func.func @param_tensor_out_of_range() attributes {abi = #attn.kernel_abi<
    tensors = [<name = "input", type = tensor<64x64xbf16>>],
    params = [<kind = memref, tensor = 3>],
    grid = [<tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>],
    cluster = [1, 1, 1]>} {
  return
}

// -----

// A chunk starts where a K/V tile would.
// expected-error @below {{kv_chunk must be 0 or a positive multiple of tile_n = 64, got 96}}
func.func @chunk_not_whole_tiles() attributes {s = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, kv_chunk = 96>} {
  return
}

// -----

// expected-error @below {{kv_chunk must be 0 or a positive multiple of tile_n = 64, got -64}}
func.func @chunk_negative() attributes {s = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, kv_chunk = -64>} {
  return
}

// -----

// A persistent CTA loops over whole tiles of the warp-specialised kernel.
// expected-error @below {{persistent needs a warp-specialised kind and no kv_chunk}}
func.func @persistent_fa2() attributes {s = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, persistent = true>} {
  return
}

// -----

// A CTA of one tile fills its query once: a second slot is a persistent
// CTA's.
// expected-error @below {{query_stages must be 1, or more with persistent, got 2}}
func.func @query_stages_one_tile() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], query_stages = 2>} {
  return
}

// -----

// expected-error @below {{query_stages must be 1, or more with persistent, got 0}}
func.func @query_stages_none() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], persistent = true, query_stages = 0>} {
  return
}

// -----

// expected-error @below {{persistent must be 0 or a positive number of CTAs an SM, without a cluster}}
func.func @persistent_cluster() attributes {abi = #attn.kernel_abi<
    tensors = [<name = "input", type = tensor<64x64xbf16>>],
    params = [<kind = memref, tensor = 0>],
    grid = [<tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>, <tensor = 0, dim = 0, divisor = 64>],
    cluster = [2, 1, 1], persistent = 1>} {
  return
}

// -----

// An untyped float literal parses as f64; the threshold is an f32.
// expected-error @below {{rescale_threshold must be an f32 (e.g. 8.0 : f32), got 'f64'}}
func.func @rescale_threshold_f64() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], rescale_threshold = 8.0>} {
  return
}
