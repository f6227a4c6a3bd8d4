//===- attn-fuzz.cpp - libFuzzer over parse, verify and passes --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Feeds arbitrary text through what attn-opt does with it: parse, verify, and
// every pass pipeline the project has. Diagnostics are expected and dropped;
// a crash, an assertion or a sanitizer report is a bug.
//
//===----------------------------------------------------------------------===//

#include "attn/InitAllDialects.h"
#include "attn/InitAllPasses.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace mlir;

/// The pipelines every input goes through, each from the parsed module.
static const char *const kPipelines[] = {
    "builtin.module(attn-fuse-attention)",
    "builtin.module(attn-select-schedule{chip=sm_80},attn-tile,"
    "attn-fuse-online-softmax,attn-pipeline-async)",
    "builtin.module(attn-select-schedule{chip=sm_80},attn-tile,"
    "attn-fuse-online-softmax,attn-pipeline-async,"
    "convert-attn-to-nvgpu{chip=sm_80})",
    "builtin.module(attn-select-schedule{chip=sm_90a},attn-tile)",
    "builtin.module(attn-tile{tile-m=16 tile-n=16},"
    "attn-fuse-online-softmax{rescale-threshold=8})",
    "builtin.module(attn-fuse-attention,attn-tile,attn-fuse-online-softmax,"
    "attn-lower-to-cpu-pipeline)",
    "builtin.module(attn-tile,attn-fuse-online-softmax,attn-pipeline-async,"
    "attn-lower-to-cpu-pipeline)",
    "builtin.module(convert-attn-to-linalg)",
};

static const DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    attn::registerAllPasses();
    auto *r = new DialectRegistry();
    attn::registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  ScopedDiagnosticHandler dropDiagnostics(
      &context, [](Diagnostic &) { return success(); });

  // MLIR's lexer reads up to a terminating NUL, as in every buffer a file or
  // a std::string gives it; libFuzzer's bytes have none.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module || failed(verify(*module)))
    return 0;
  for (const char *pipeline : kPipelines) {
    OwningOpRef<ModuleOp> copy = module->clone();
    PassManager pm(&context);
    if (failed(parsePassPipeline(pipeline, pm)))
      llvm::report_fatal_error(llvm::Twine("bad fuzz pipeline: ") + pipeline);
    (void)pm.run(*copy);
  }
  return 0;
}
