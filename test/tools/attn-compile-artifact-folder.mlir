// attn-compile writes one artifact per folder: compiling the same kernel
// again replaces its files whole, and a folder that holds another kernel's
// artifact is refused (two manifests in one folder are an artifact the
// runtime cannot load), leaving the folder as it was; a kernel compiled
// again without host code loses the host module of an earlier compile. A
// stand-in ptxas that
// writes a placeholder cubin keeps the test fast and free of CUDA's ptxas.
// REQUIRES: libdevice
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf '#!/bin/sh\nwhile [ $# -gt 1 ]; do if [ "$1" = -o ]; then echo cubin > "$2"; fi; shift; done\n' > %t/ptxas
// RUN: chmod +x %t/ptxas
// RUN: attn-compile %s --chip=sm_80 --ptxas=%t/ptxas -o %t/art
// RUN: attn-compile %s --chip=sm_80 --ptxas=%t/ptxas -o %t/art
// RUN: ls %t/art | FileCheck %s --check-prefix=FILES
// RUN: sed 's/@attention/@other/' %s > %t/other.mlir
// RUN: not attn-compile %t/other.mlir --chip=sm_80 --ptxas=%t/ptxas -o %t/art 2>&1 | FileCheck %s --check-prefix=OTHER -DDIR=%t/art
// RUN: ls %t/art | FileCheck %s --check-prefix=FILES
// RUN: attn-compile %t/other.mlir --chip=sm_80 --ptxas=%t/ptxas -o %t/other-art
// RUN: ls %t/other-art | FileCheck %s --check-prefix=OTHER-FILES
// RUN: attn-compile %S/Inputs/outlined-layer.mlir --chip=sm_80 --ptxas=%t/ptxas -o %t/layer
// RUN: ls %t/layer | FileCheck %s --check-prefix=OUTLINED
// RUN: sed 's/@attention/@layer_attention/' %s > %t/plain.mlir
// RUN: attn-compile %t/plain.mlir --chip=sm_80 --ptxas=%t/ptxas -o %t/layer
// RUN: ls %t/layer | FileCheck %s --check-prefix=PLAIN
// RUN: not attn-compile %S/Inputs/outlined-layer.mlir --chip=sm_80 --ptxas=%t/ptxas -o %t/other-art 2>&1 | FileCheck %s --check-prefix=OTHER-HOST

// FILES: attention.cubin
// FILES-NEXT: attention.json
// FILES-NEXT: attention.ptx
// FILES-NOT: {{.}}
// OTHER: error: cannot write the artifact of kernel 'other' into [[DIR]]: it already holds attention.{{cubin|json|ptx}} of another artifact; write into an empty or new folder
// OUTLINED: layer_attention.cubin
// OUTLINED-NEXT: layer_attention.host.mlir
// OUTLINED-NEXT: layer_attention.json
// OUTLINED-NEXT: layer_attention.ptx
// PLAIN: layer_attention.cubin
// PLAIN-NEXT: layer_attention.json
// PLAIN-NEXT: layer_attention.ptx
// PLAIN-NOT: {{.}}
// OTHER-HOST: error: cannot write the artifact of kernel 'layer_attention' into {{.*}}other-art: it already holds other.{{cubin|json|ptx}} of another artifact
// OTHER-FILES: other.cubin
// OTHER-FILES-NEXT: other.json
// OTHER-FILES-NEXT: other.ptx
func.func @attention(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                     %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
