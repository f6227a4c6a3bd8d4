// Split-KV and packed GQA run on the CPU and on the sm_80 kernel, which
// sm_90a builds for them (sm90a-decode-ptx.test); sm_100a, and the sm_90a
// kernel reached by a prefill's schedule, refuse them with a located error
// rather than building a kernel that ignores them.
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_100a kv-chunk=128" 2>&1 | FileCheck %s --check-prefix=SPLIT-ASKED
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_90a -attn-tile="kv-chunk=128" -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a 2>&1 | FileCheck %s --check-prefix=SPLIT
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_90a -attn-tile="pack-gqa" -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=PACKED-ROLES

// SPLIT-ASKED: decode-unsupported.mlir:[[@LINE+4]]:8: error: attn-select-schedule: split-KV needs the sm_80 kernel; sm_100a's does not take it
func.func @decode(%q: tensor<1x8x1x64xbf16>, %k: tensor<1x2x256x64xbf16>,
                  %v: tensor<1x2x256x64xbf16>) -> tensor<1x8x1x64xbf16> {
  %init = tensor.empty() : tensor<1x8x1x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<1x8x1x64xbf16>, tensor<1x2x256x64xbf16>, tensor<1x2x256x64xbf16>)
         outs(%init : tensor<1x8x1x64xbf16>) -> tensor<1x8x1x64xbf16>
  return %o : tensor<1x8x1x64xbf16>
}

// -----

// A prefill (Sq = 64) takes the sm_90a kernel, which neither splits nor
// packs.
// SPLIT: decode-unsupported.mlir:[[@LINE+5]]:8: error: convert-attn-to-nvgpu: the sm_90a kernel does not take split-KV (kv_chunk) yet
// PACKED-ROLES: decode-unsupported.mlir:[[@LINE+4]]:8: error: attn-warp-specialize: packed GQA (pack_gqa) has no warp-specialised form
func.func @prefill(%q: tensor<1x8x64x64xbf16>, %k: tensor<1x2x256x64xbf16>,
                   %v: tensor<1x2x256x64xbf16>) -> tensor<1x8x64x64xbf16> {
  %init = tensor.empty() : tensor<1x8x64x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<1x8x64x64xbf16>, tensor<1x2x256x64xbf16>, tensor<1x2x256x64xbf16>)
         outs(%init : tensor<1x8x64x64xbf16>) -> tensor<1x8x64x64xbf16>
  return %o : tensor<1x8x64x64xbf16>
}
