// attn-lower-to-nvvm-pipeline links libdevice by name: a CUDA path without
// it fails the run (gpu-module-to-binary given only the toolkit reports the
// missing folder but succeeds, and a kernel that calls libdevice, such as a
// softcap's tanh, would be left with unresolved calls).
// RUN: not attn-opt %s --attn-lower-to-nvvm-pipeline="chip=sm_80 cuda-path=/nonexistent" -o %t 2>&1 | FileCheck %s
// RUN: not ls %t
// CHECK: error: File path: "/nonexistent/nvvm/libdevice/libdevice.10.bc" does not exist or is not a file.
// RUN: %if libdevice %{ attn-opt %s --attn-lower-to-nvvm-pipeline="chip=sm_80" | FileCheck %s --check-prefix=LINKED %}
// LINKED: gpu.binary @attn_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80", link = ["{{.*}}/nvvm/libdevice/libdevice.10.bc"]>
// LINKED-NOT: .extern .func
func.func @attention(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                     %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
