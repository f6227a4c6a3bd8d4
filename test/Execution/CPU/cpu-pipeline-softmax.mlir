// The CPU pipeline lowers linalg.softmax (a graph -attn-fuse-attention leaves
// alone keeps it) rather than passing it through to mlir-runner, which could
// not run it: every row of the result sums to one, largest where the input is.
// Element-wise arith on tensors (@doubled_softmax) is lowered too, not left
// unbufferized.
// RUN: attn-opt %s -attn-lower-to-cpu-pipeline | FileCheck %s --check-prefix=LOWERED
// RUN: attn-opt %s -attn-lower-to-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so | FileCheck %s
// LOWERED-NOT: linalg.softmax
// LOWERED: llvm.func @softmax
// LOWERED: llvm.func @doubled_softmax
// LOWERED-NOT: tensor<
// CHECK: Unranked Memref base@ = {{.*}} rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
// CHECK-NEXT: {{\[}}[0.0900306,   0.244728,   0.665241],
// CHECK-NEXT:  [0.333333,   0.333333,   0.333333]]
// CHECK: Unranked Memref base@ = {{.*}} rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
// CHECK-NEXT: {{\[}}[0.180061,   0.489457,   1.33048],
// CHECK-NEXT:  [0.666667,   0.666667,   0.666667]]
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %p = linalg.softmax dimension(1) ins(%x : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %p : tensor<2x3xf32>
}

func.func @doubled_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %p = func.call @softmax(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %d = arith.addf %p, %p : tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [-5.0, -5.0, -5.0]]> : tensor<2x3xf32>
  %p = func.call @softmax(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %u = tensor.cast %p : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  %d = func.call @doubled_softmax(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %w = tensor.cast %d : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%w) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
