// RUN: attn-opt %s -attn-warp-specialize -verify-diagnostics

// The pipelined form (-attn-pipeline-async's output) of an fa4 schedule
// with FlashAttention-4's roles and a call in the consumer's loop that no
// role owns: every role would make it, so the split stops there.
func.func private @side_effect(index) -> index
func.func @attention(%arg0: tensor<?x4x?x128xbf16>, %arg1: tensor<?x2x?x128xbf16>, %arg2: tensor<?x2x?x128xbf16>) -> (tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>) {
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c0 = arith.constant 0 : index
  %c0_0 = arith.constant 0 : index
  %c2_1 = arith.constant 2 : index
  %dim = tensor.dim %arg0, %c0_0 : tensor<?x4x?x128xbf16>
  %dim_2 = tensor.dim %arg0, %c2_1 : tensor<?x4x?x128xbf16>
  %0 = tensor.empty(%dim, %dim_2) : tensor<?x4x?x128xbf16>
  %1 = tensor.empty(%dim, %dim_2) : tensor<?x4x?xf32>
  %dim_3 = tensor.dim %arg0, %c0 : tensor<?x4x?x128xbf16>
  %dim_4 = tensor.dim %arg0, %c2 : tensor<?x4x?x128xbf16>
  %dim_5 = tensor.dim %arg1, %c2 : tensor<?x2x?x128xbf16>
  %2 = arith.ceildivui %dim_4, %c256 : index
  %3:2 = scf.forall (%arg3, %arg4, %arg5) in (%2, 4, %dim_3) shared_outs(%arg6 = %0, %arg7 = %1) -> (tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>) {
    %4 = attn.alloc_ring : !attn.ring<1, tensor<256x128xbf16>>
    %5 = attn.alloc_ring : !attn.ring<2, tensor<128x128xbf16>>
    %6 = attn.alloc_ring : !attn.ring<2, tensor<128x128xbf16>>
    %7 = arith.muli %arg3, %c256 : index
    %8 = arith.divui %arg4, %c2 : index
    %true = arith.constant true
    %c0_6 = arith.constant 0 : index
    %9 = attn.copy_tile_async %arg0[%arg5, %arg4, %7] into %4[%c0_6] if %true : tensor<?x4x?x128xbf16>, !attn.ring<1, tensor<256x128xbf16>>
    %10 = arith.subi %dim_5, %dim_4 : index
    %11 = arith.addi %7, %c256 : index
    %12 = arith.minsi %11, %dim_4 : index
    %13 = arith.addi %12, %10 : index
    %14 = arith.maxsi %13, %c0 : index
    %15 = arith.minsi %14, %dim_5 : index
    %cst = arith.constant dense<0xFF800000> : tensor<256xf32>
    %cst_7 = arith.constant dense<0.000000e+00> : tensor<256x128xf32>
    %cst_8 = arith.constant dense<0.000000e+00> : tensor<256xf32>
    %c0_9 = arith.constant 0 : index
    %16 = arith.cmpi sgt, %15, %c0 : index
    %c0_10 = arith.constant 0 : index
    %17 = attn.copy_tile_async %arg1[%arg5, %8, %c0] into %5[%c0_10] if %16 : tensor<?x2x?x128xbf16>, !attn.ring<2, tensor<128x128xbf16>>
    %c0_11 = arith.constant 0 : index
    %18 = attn.copy_tile_async %arg2[%arg5, %8, %c0] into %6[%c0_11] if %16 : tensor<?x2x?x128xbf16>, !attn.ring<2, tensor<128x128xbf16>>
    %19 = attn.wait_tile %9 pending(2) : !attn.future<tensor<256x128xbf16>>
    %20:5 = scf.for %arg8 = %c0 to %15 step %c128 iter_args(%arg9 = %cst_7, %arg10 = %cst_8, %arg11 = %cst, %arg12 = %17, %arg13 = %18) -> (tensor<256x128xf32>, tensor<256xf32>, tensor<256xf32>, !attn.future<tensor<128x128xbf16>>, !attn.future<tensor<128x128xbf16>>) {
      %c1 = arith.constant 1 : index
      %25 = arith.addi %arg8, %c128 : index
      %26 = arith.cmpi slt, %25, %15 : index
      %27 = arith.divui %arg8, %c128 : index
      %c2_13 = arith.constant 2 : index
      %c1_14 = arith.constant 1 : index
      %28 = arith.addi %27, %c1_14 : index
      %29 = arith.remui %28, %c2_13 : index
      %30 = attn.wait_tile %arg12 pending(1) : !attn.future<tensor<128x128xbf16>>
      %31 = attn.copy_tile_async %arg1[%arg5, %8, %25] into %5[%29] if %26 : tensor<?x2x?x128xbf16>, !attn.ring<2, tensor<128x128xbf16>>
      %32 = attn.qk_matmul %19, %30 : tensor<256x128xbf16>, tensor<128x128xbf16> -> tensor<256x128xf32>
      %33 = attn.mask_scores %32 at(%7, %arg8) seq(%dim_4, %dim_5) causal scale(0.127517432) : tensor<256x128xf32>
      %34 = attn.row_max %33, %arg11 threshold(8.000000e+00) : tensor<256x128xf32>, tensor<256xf32>
      %35 = attn.row_exp %arg11, %34 base2 : tensor<256xf32>, tensor<256xf32>
      %36 = attn.row_exp %33, %34 base2 : tensor<256x128xf32>, tensor<256xf32>
      // expected-error @below {{attn-warp-specialize: has no FlashAttention-4 role for this op, which every role would run with its side effects}}
      %tok = func.call @side_effect(%arg8) : (index) -> index
      %37 = attn.row_scale %arg10, %35 : tensor<256xf32>, tensor<256xf32>
      %38 = attn.row_sum %36, %37 : tensor<256x128xf32>, tensor<256xf32>
      %39 = attn.wait_tile %arg13 pending(1) : !attn.future<tensor<128x128xbf16>>
      %40 = attn.copy_tile_async %arg2[%arg5, %8, %25] into %6[%29] if %26 : tensor<?x2x?x128xbf16>, !attn.ring<2, tensor<128x128xbf16>>
      %41 = attn.row_scale %arg9, %35 : tensor<256x128xf32>, tensor<256xf32>
      %42 = attn.pv_matmul %36, %39, %41 : tensor<256x128xf32>, tensor<128x128xbf16>, tensor<256x128xf32>
      scf.yield %42, %38, %34, %31, %40 : tensor<256x128xf32>, tensor<256xf32>, tensor<256xf32>, !attn.future<tensor<128x128xbf16>>, !attn.future<tensor<128x128xbf16>>
    }
    %21 = arith.subi %dim_4, %7 : index
    %22 = arith.minsi %21, %c256 : index
    %23 = attn.normalize %20#0, %20#1 : tensor<256x128xf32>, tensor<256xf32> -> tensor<256x128xbf16>
    %extracted_slice = tensor.extract_slice %23[0, 0] [%22, 128] [1, 1] : tensor<256x128xbf16> to tensor<?x128xbf16>
    %24 = attn.lse %20#2, %20#1 base2 : tensor<256xf32>
    %extracted_slice_12 = tensor.extract_slice %24[0] [%22] [1] : tensor<256xf32> to tensor<?xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %extracted_slice into %arg6[%arg5, %arg4, %7, 0] [1, 1, %22, 128] [1, 1, 1, 1] : tensor<?x128xbf16> into tensor<?x4x?x128xbf16>
      tensor.parallel_insert_slice %extracted_slice_12 into %arg7[%arg5, %arg4, %7] [1, 1, %22] [1, 1, 1] : tensor<?xf32> into tensor<?x4x?xf32>
    }
  } {attn.schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>], rescale_threshold = 8.000000e+00 : f32>}
  return %3#0, %3#1 : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
}
