// Grids attn-pipeline-async cannot pipeline: one located error each.
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async
// RUN: not attn-opt %s -split-input-file -attn-tile -attn-pipeline-async 2>&1 | FileCheck %s --check-prefix=TWO-PASS
// RUN: not attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-pipeline-async 2>&1 | FileCheck %s --check-prefix=TWICE

// TWO-PASS: pipeline-async-invalid.mlir:14:8: error: attn-pipeline-async: expects one K/V loop in the online softmax form, found 2; run -attn-fuse-online-softmax first
// TWICE: pipeline-async-invalid.mlir:14:8: error: attn-pipeline-async: the K/V loop is already pipelined

// Pipelined without error here; the other RUN lines give it the two-pass
// form and the pipelined form.
func.func @two_stages(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                      %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 2, warps = 4>}
         -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
