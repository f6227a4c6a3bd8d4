// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -verify-diagnostics
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_75 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: unknown chip 'sm_75': expected one of sm_80, sm_90a, sm_100a

func.func @f32_has_no_tensor_core_schedule(%q: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{has no tensor-core schedule for 'f32' on sm_80: expected bf16 or f16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>)
         outs(%q : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @head_dim_not_a_multiple_of_16(%q: tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16> {
  // expected-error @below {{head dim 72 is not supported on sm_80: it must be a multiple of 16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>)
         outs(%q : tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16>
  return %r : tensor<1x1x?x72xbf16>
}
