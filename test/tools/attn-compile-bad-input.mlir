// attn-compile's bad-input contract: one located error, a non-zero exit and
// no artifact left behind.
// RUN: not attn-compile %s --chip=sm_70 -o %t.chip 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not ls %t.chip
// RUN: not attn-compile %s --chip=sm_80 --ptxas=/nonexistent/ptxas --cuda-path=/nonexistent -o %t.ptxas 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: not ls %t.ptxas
// RUN: printf '#!/bin/sh\necho "ptxas fatal   : a stand-in that always fails" >&2\nexit 255\n' > %t.ptxas-fails
// RUN: chmod +x %t.ptxas-fails
// RUN: not attn-compile %s --chip=sm_80 --ptxas=%t.ptxas-fails --cuda-path=/nonexistent -o %t.libdevice 2>&1 | FileCheck %s --check-prefix=LIBDEVICE
// RUN: not ls %t.libdevice
// RUN: not attn-compile %s --chip=sm_80 --emit=ptx --cuda-path=/nonexistent 2>&1 | FileCheck %s --check-prefix=LIBDEVICE
// RUN: %if libdevice %{ not attn-compile %s --chip=sm_80 --ptxas=%t.ptxas-fails -o %t.failed 2>&1 | FileCheck %s --check-prefix=PTXAS-FAILS -DPATH=%t.ptxas-fails %}
// RUN: not ls %t.failed
// RUN: printf '#!/bin/sh\nexit 0\n' > %t.ptxas-silent
// RUN: chmod +x %t.ptxas-silent
// RUN: %if libdevice %{ not attn-compile %s --chip=sm_80 --ptxas=%t.ptxas-silent -o %t.silent 2>&1 | FileCheck %s --check-prefix=PTXAS-SILENT -DPATH=%t.ptxas-silent %}
// RUN: not ls %t.silent
// RUN: %if libdevice %{ not attn-compile %s --chip=sm_80 --emit=ptx -o /nonexistent/dir/out.ptx 2>&1 | FileCheck %s --check-prefix=OUT %}
// RUN: not attn-compile %s --chip=sm_80 2>&1 | FileCheck %s --check-prefix=NOOUT
// RUN: not attn-compile 2>&1 | FileCheck %s --check-prefix=NOINPUT
// RUN: not attn-compile --chip=sm_80 -o %t.noinput 2>&1 | FileCheck %s --check-prefix=NOINPUT
// RUN: not ls %t.noinput
// RUN: touch %t.not-executable
// RUN: not attn-compile %s --chip=sm_80 --ptxas=%t.not-executable -o %t.ptxas 2>&1 | FileCheck %s --check-prefix=PTXAS-NOEXEC -DPATH=%t.not-executable
// RUN: not attn-compile %S/Inputs/no-attention.mlir --chip=sm_80 -o %t.none 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not ls %t.none

// CHIP: error: unknown chip 'sm_70' (supported: sm_80, sm_90a, sm_100a (kernels))
// PTXAS: error: ptxas not found at /nonexistent/ptxas (the path given with --ptxas; Python: ptxas_path): no such file
// PTXAS-NOEXEC: error: ptxas not found at [[PATH]] (the path given with --ptxas; Python: ptxas_path): not an executable file
// LIBDEVICE: error: libdevice not found at /nonexistent/nvvm/libdevice/libdevice.10.bc; point --cuda-path (Python: cuda_path; or CUDA_HOME) at a CUDA toolkit
// PTXAS-FAILS: error: ptxas failed ([[PATH]], exit code 255)
// PTXAS-SILENT: error: ptxas ([[PATH]]) exited 0 but wrote no cubin
// PTXAS-FAILS-NEXT: ptxas fatal   : a stand-in that always fails
// PTXAS-FAILS-NOT: see current operation
// OUT: error: {{.*}}/nonexistent/dir/out.ptx
// NOOUT: attn-compile: -o <folder> is required for artifacts
// NOINPUT: attn-compile: no input file (give an .mlir file, or - to read standard input; --help lists the options)
// NONE: no-attention.mlir:{{[0-9]+:[0-9]+}}: error: nothing to compile: the input holds no attn.attention and no matmul-softmax-matmul graph that -attn-fuse-attention recognises as attention
func.func @attention(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                     %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
