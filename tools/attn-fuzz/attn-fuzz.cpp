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
#include "llvm/ADT/StringExtras.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

/// The pipelines every input goes through, each on its own copy of the
/// parsed module (the pass managers are anchored on builtin.module).
static const char *const kPipelines[] = {
    "attn-fuse-attention",
    "attn-select-schedule{chip=sm_80},attn-tile,attn-fuse-online-softmax,"
    "attn-pipeline-async",
    // All the way to PTX text (no ptxas): the emitter's kernels through
    // the upstream NVGPU, NVVM and LLVM lowering and the NVPTX backend.
    "attn-lower-to-nvvm-pipeline{chip=sm_80}",
    "attn-lower-to-nvvm-pipeline{chip=sm_90a}",
    "attn-lower-to-nvvm-pipeline{chip=sm_100a}",
    "attn-tile{tile-m=16 tile-n=16},"
    "attn-fuse-online-softmax{rescale-threshold=8}",
    "attn-fuse-attention,attn-tile,attn-fuse-online-softmax,"
    "attn-lower-to-cpu-pipeline",
    "attn-select-schedule{chip=sm_80},attn-tile,attn-fuse-online-softmax,"
    "attn-pipeline-async,attn-lower-to-cpu-pipeline",
    // The warp-specialised form (sm_90a's roles and channels), on the CPU.
    "attn-select-schedule{chip=sm_90a},attn-tile,attn-fuse-online-softmax,"
    "attn-pipeline-async,attn-warp-specialize,attn-lower-to-cpu-pipeline",
    // ... and its consumer scheduled (overlap, turns).
    "attn-select-schedule{chip=sm_90a},attn-tile,attn-fuse-online-softmax,"
    "attn-pipeline-async,attn-warp-specialize,attn-overlap-consumer,"
    "attn-order-warpgroups,attn-lower-to-cpu-pipeline",
    // Schedules written into the input (FlashAttention-4's roles and
    // their sections among them), warp-specialised, on the CPU.
    "attn-tile,attn-fuse-online-softmax,attn-pipeline-async,"
    "attn-warp-specialize,attn-lower-to-cpu-pipeline",
    "convert-attn-to-linalg",
};

/// Whether `text` has a `dimensions` or `permutation` list that is not a
/// plain `= [integers]`: MLIR 22.1's linalg.reduce, linalg.broadcast and
/// linalg.transpose parsers crash on those (llvm/llvm-project#132747,
/// recorded by test/tools/upstream-linalg-reduce-parse.mlir), and a fuzzer
/// that keeps finding that crash explores nothing else.
static bool hasMalformedDimensionList(StringRef text) {
  for (StringRef keyword : {"dimensions", "permutation"}) {
    for (size_t at = text.find(keyword); at != StringRef::npos;
         at = text.find(keyword, at + 1)) {
      StringRef rest = text.drop_front(at + keyword.size()).ltrim();
      if (!rest.consume_front("="))
        return true;
      rest = rest.ltrim();
      if (!rest.consume_front("["))
        return true;
      rest = rest.drop_while(
          [](char c) { return llvm::isDigit(c) || c == ',' || c == ' '; });
      if (!rest.starts_with("]"))
        return true;
    }
  }
  return false;
}

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
  // Dropped, unless ATTN_FUZZ_DIAGNOSTICS is set (to see how far an input
  // from the corpus gets).
  static const bool printDiagnostics = std::getenv("ATTN_FUZZ_DIAGNOSTICS");
  ScopedDiagnosticHandler dropDiagnostics(&context, [](Diagnostic &d) {
    if (printDiagnostics)
      llvm::errs() << d.getLocation() << ": " << d << "\n";
    return success();
  });

  // MLIR's lexer reads up to a terminating NUL, as in every buffer a file or
  // a std::string gives it; libFuzzer's bytes have none.
  std::string text(reinterpret_cast<const char *>(data), size);
  if (hasMalformedDimensionList(text))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module || failed(verify(*module)))
    return 0;
  for (const char *pipeline : kPipelines) {
    OwningOpRef<ModuleOp> copy = module->clone();
    PassManager pm(&context, ModuleOp::getOperationName());
    if (failed(parsePassPipeline(pipeline, pm)))
      llvm::report_fatal_error(llvm::Twine("bad fuzz pipeline: ") + pipeline);
    LogicalResult result = pm.run(*copy);
    if (printDiagnostics)
      llvm::errs() << (succeeded(result) ? "ok: " : "failed: ") << pipeline
                   << "\n";
  }
  return 0;
}
