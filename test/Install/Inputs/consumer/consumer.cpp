//===- consumer.cpp - a program built against an installed attn -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Parses an attention, lowers it to the sm_80 kernel (gpu.module) with the
// installed compiler library and prints the kernel's name: what README's
// "From C++" section shows, built from the install tree alone.
//
//===----------------------------------------------------------------------===//

#include "attn/Compiler/Compiler.h"
#include "attn/InitAllDialects.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: attn-consumer INPUT.mlir\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  mlir::attn::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::attn::CompileOptions options; // sm_80
  if (mlir::failed(mlir::attn::lowerModule(*module, options,
                                           mlir::attn::CompileLevel::Kernel)))
    return 1;
  module->walk([](mlir::gpu::GPUFuncOp kernel) {
    if (kernel.isKernel())
      llvm::outs() << "kernel " << kernel.getName() << "\n";
  });
  return 0;
}
