// RUN: attn-opt %s | attn-opt | FileCheck %s

// A warp-specialised schedule and a kernel ABI print and parse back.
// CHECK-LABEL: func.func @fa3
// CHECK-SAME: #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], ping_pong = true, cluster = [2, 1, 1], rescale_threshold = 8.000000e+00 : f32>
func.func @fa3() attributes {s = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 12,
    roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>],
    ping_pong = true, cluster = [2, 1, 1], rescale_threshold = 8.0 : f32>} {
  return
}

// CHECK-LABEL: func.func @abi
// CHECK-SAME: #attn.kernel_abi<tensors = [<name = "query", type = tensor<?x8x?x64xbf16>>, <name = "output", type = tensor<?x8x?x64xbf16>>], params = [<kind = tensor_map, tensor = 0, box = [1, 1, 128, 64], swizzle = 128>, <kind = memref, tensor = 1>, <kind = scalar, tensor = 0, type = i32, dim = 2>], grid = [<tensor = 0, dim = 2, divisor = 128>, <tensor = 0, dim = 1, divisor = 1>, <tensor = 0, dim = 0, divisor = 1>], cluster = [1, 1, 1]>
func.func @abi() attributes {abi = #attn.kernel_abi<
    tensors = [<name = "query", type = tensor<?x8x?x64xbf16>>, <name = "output", type = tensor<?x8x?x64xbf16>>],
    params = [<kind = tensor_map, tensor = 0, box = [1, 1, 128, 64], swizzle = 128>, <kind = memref, tensor = 1>,
              <kind = scalar, tensor = 0, type = i32, dim = 2>],
    grid = [<tensor = 0, dim = 2, divisor = 128>, <tensor = 0, dim = 1, divisor = 1>, <tensor = 0, dim = 0, divisor = 1>],
    cluster = [1, 1, 1]>} {
  return
}


// The decode choices: split-KV chunks and packed GQA.
// CHECK-LABEL: func.func @decode
// CHECK-SAME: #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, kv_chunk = 1024, pack_gqa = true>
func.func @decode() attributes {s = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4,
    kv_chunk = 1024, pack_gqa = true>} {
  return
}
