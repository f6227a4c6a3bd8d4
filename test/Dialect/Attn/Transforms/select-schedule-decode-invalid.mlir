// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 pack-gqa" -verify-diagnostics

// Asked to pack, the chooser says why it cannot.
func.func @dynamic_heads(%q: tensor<?x?x1x64xbf16>, %k: tensor<?x?x?x64xbf16>) -> tensor<?x?x1x64xbf16> {
  // expected-error @below {{attn-select-schedule: packed GQA needs the sm_80 kernel and a static group of 2, 4 or 8 query heads per key/value head; got sm_80 and dynamic head counts}}
  %0 = attn.attention ins(%q, %k, %k : tensor<?x?x1x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>)
         outs(%q : tensor<?x?x1x64xbf16>) -> tensor<?x?x1x64xbf16>
  return %0 : tensor<?x?x1x64xbf16>
}

// -----

func.func @group3(%q: tensor<1x3x1x64xbf16>, %k: tensor<1x1x8x64xbf16>) -> tensor<1x3x1x64xbf16> {
  // expected-error @below {{got sm_80 and a group of 3}}
  %0 = attn.attention ins(%q, %k, %k : tensor<1x3x1x64xbf16>, tensor<1x1x8x64xbf16>, tensor<1x1x8x64xbf16>)
         outs(%q : tensor<1x3x1x64xbf16>) -> tensor<1x3x1x64xbf16>
  return %0 : tensor<1x3x1x64xbf16>
}
