// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -verify-diagnostics
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_75 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: attn-select-schedule: unknown chip 'sm_75' (supported: sm_80, sm_90a, sm_100a)
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 rescale-threshold=-1" 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// THRESHOLD: error: attn-select-schedule: rescale-threshold must be a non-negative finite number, got -1

func.func @f32_has_no_tensor_core_schedule(%q: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: no tensor-core schedule for 'f32' on sm_80: expected bf16 or f16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>)
         outs(%q : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @head_dim_not_a_multiple_of_16(%q: tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16> {
  // expected-error @below {{attn-select-schedule: head dim 72 is not supported on sm_80: it must be a multiple of 16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>)
         outs(%q : tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16>
  return %r : tensor<1x1x?x72xbf16>
}

// -----

// The sm_80 kernel's own limits are asked before tiling: head dims 16, 32
// and 48 are multiples of 16 that its swizzled rows cannot hold.
func.func @head_dim_48(%q: tensor<1x1x?x48xbf16>) -> tensor<1x1x?x48xbf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs a head dim that is a multiple of 16 and at least 64, found 48}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x48xbf16>, tensor<1x1x?x48xbf16>, tensor<1x1x?x48xbf16>)
         outs(%q : tensor<1x1x?x48xbf16>) -> tensor<1x1x?x48xbf16>
  return %r : tensor<1x1x?x48xbf16>
}

// -----

func.func @head_dim_16(%q: tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs a head dim that is a multiple of 16 and at least 64, found 16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>)
         outs(%q : tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16>
  return %r : tensor<1x1x?x16xf16>
}

// -----

// Head dim 96 has 12 16-byte chunks a row, which 256 threads do not split.
func.func @head_dim_96(%q: tensor<1x1x?x96xbf16>) -> tensor<1x1x?x96xbf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs tiles whose rows split evenly over the 256 threads (head dim 96 has 12 16-byte chunks per row)}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x96xbf16>, tensor<1x1x?x96xbf16>, tensor<1x1x?x96xbf16>)
         outs(%q : tensor<1x1x?x96xbf16>) -> tensor<1x1x?x96xbf16>
  return %r : tensor<1x1x?x96xbf16>
}

// -----

// V's head dim differs from Q's: the sm_80 kernel sizes V and O by Q's.
func.func @value_head_dim(%q: tensor<1x1x?x64xbf16>, %v: tensor<1x1x?x128xbf16>,
                          %o: tensor<1x1x?x128xbf16>) -> tensor<1x1x?x128xbf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs V's head dim to equal Q's (64), found 128}}
  %r = attn.attention ins(%q, %q, %v : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x128xbf16>)
         outs(%o : tensor<1x1x?x128xbf16>) -> tensor<1x1x?x128xbf16>
  return %r : tensor<1x1x?x128xbf16>
}

// -----

// The sm_80 kernel stores O in the inputs' element type; an output of
// another type is refused before tiling, naming both.
func.func @output_bf16_to_f32(%q: tensor<1x1x?x64xbf16>, %o: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (bf16), found f32}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%o : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @output_f16_to_f32(%q: tensor<1x1x?x64xf16>, %o: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (f16), found f32}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>)
         outs(%o : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @output_f16_to_bf16(%q: tensor<1x1x?x64xf16>, %o: tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (f16), found bf16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>)
         outs(%o : tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16>
  return %r : tensor<1x1x?x64xbf16>
}

// -----

func.func @output_bf16_to_f16(%q: tensor<1x1x?x64xbf16>, %o: tensor<1x1x?x64xf16>) -> tensor<1x1x?x64xf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (bf16), found f16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%o : tensor<1x1x?x64xf16>) -> tensor<1x1x?x64xf16>
  return %r : tensor<1x1x?x64xf16>
}
