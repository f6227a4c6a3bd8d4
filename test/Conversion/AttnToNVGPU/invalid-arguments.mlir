// The kernel's parameters are the function's Q, K and V, then its results:
// a function that shares one tensor between them, orders them differently or
// takes more is a located error, not a kernel that reads the wrong tensor
// (or, for a shared tensor, a crash).
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80

// One tensor as Q, K, V and O's initial value.
// expected-error @+1 {{expects the function to take Q, K and V as its first three arguments, found 1}}
func.func @shared(%x: tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16> {
  %r = attn.attention ins(%x, %x, %x : tensor<1x1x16x64xbf16>,
                          tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>)
         outs(%x : tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>
  return %r : tensor<1x1x16x64xbf16>
}

// -----

// K first.
func.func @key_first(%k: tensor<1x1x16x64xbf16>, %q: tensor<1x1x16x64xbf16>,
                     %v: tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16> {
  %init = tensor.empty() : tensor<1x1x16x64xbf16>
  // expected-error @+1 {{expects the query tiles to come from argument 0 of the function (Q, K and V are three distinct arguments, in that order; pass one tensor three times to share it)}}
  %r = attn.attention ins(%q, %k, %v : tensor<1x1x16x64xbf16>,
                          tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>)
         outs(%init : tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>
  return %r : tensor<1x1x16x64xbf16>
}

// -----

// An argument after Q, K and V that is not only a destination: the kernel
// would not receive it.
// expected-error @+1 {{expects the function's arguments after Q, K and V to be only the attention's destinations; argument 3 is used otherwise}}
func.func @extra(%q: tensor<1x1x?x64xbf16>, %k: tensor<1x1x?x64xbf16>,
                 %v: tensor<1x1x?x64xbf16>, %n: index)
    -> tensor<1x1x?x64xbf16> {
  %init = tensor.empty(%n) : tensor<1x1x?x64xbf16>
  %r = attn.attention ins(%q, %k, %v : tensor<1x1x?x64xbf16>,
                          tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%init : tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16>
  return %r : tensor<1x1x?x64xbf16>
}
