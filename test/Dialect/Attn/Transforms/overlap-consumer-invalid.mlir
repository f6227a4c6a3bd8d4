// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-overlap-consumer -verify-diagnostics
// RUN: not attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer -attn-overlap-consumer 2>&1 | FileCheck %s --check-prefix=TWICE

// The overlap rewrites the consumer role: without roles there is none; and
// a consumer it already rewrote is not rewritten again.
// TWICE: error: attn-overlap-consumer: expects synchronous matrix products; the consumer is already scheduled
func.func @before_roles(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                        %v: tensor<?x2x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  // expected-error @below {{attn-overlap-consumer: expects the warp-specialised form; run -attn-warp-specialize first}}
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 32, tile_n = 16, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 8, registers = 240>], overlap = true>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}
