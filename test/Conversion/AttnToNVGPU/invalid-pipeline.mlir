// Requests the sm_80 kernel cannot serve, each a located error.
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-select-schedule=chip=sm_80 -attn-tile -convert-attn-to-nvgpu=chip=sm_80
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_90a 2>&1 | FileCheck %s --check-prefix=SM90
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -convert-attn-to-nvgpu=chip=sm_80 2>&1 | FileCheck %s --check-prefix=ONLINE
// SM90: invalid-pipeline.mlir:16:8: error: convert-attn-to-nvgpu: the sm_90a kernel needs the warp-specialised form; run -attn-warp-specialize
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_100a 2>&1 | FileCheck %s --check-prefix=SM100
// SM100: invalid-pipeline.mlir:16:8: error: convert-attn-to-nvgpu: the sm_100a kernel needs the warp-specialised form; run -attn-warp-specialize
// The online form without the pipeline: its loads are not copies.
// ONLINE: invalid-pipeline.mlir:16:8: error: convert-attn-to-nvgpu: expects the tiles of Q K^T and P V to come from attn.wait_tile; run -attn-pipeline-async first

// The tiled (two-pass) form without the online softmax.
func.func @two_pass(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                    %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  // expected-error @+1 {{expects one K/V loop in the online softmax form, found 2; run -attn-fuse-online-softmax first}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
