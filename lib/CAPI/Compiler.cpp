//===- Compiler.cpp - C API of the attn compile driver --------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-c/Compiler.h"

#include "attn/Compiler/Compiler.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

namespace {
struct CompileResult {
  bool succeeded = false;
  std::string errors;
  attn::Artifact artifact;
};

/// Collects the diagnostics of its lifetime as "file:line:col: severity:
/// message" lines instead of printing them, without the IR dumps a failed
/// pass attaches.
class DiagnosticCollector {
public:
  DiagnosticCollector(MLIRContext *context, std::string &out)
      : context(context), printedOp(context->shouldPrintOpOnDiagnostic()),
        handler(context, [&out](Diagnostic &diag) {
          append(out, diag);
          for (Diagnostic &note : diag.getNotes())
            append(out, note);
          return success();
        }) {
    context->printOpOnDiagnostic(false);
  }
  ~DiagnosticCollector() { context->printOpOnDiagnostic(printedOp); }

private:
  static void append(std::string &out, Diagnostic &diag) {
    llvm::raw_string_ostream os(out);
    if (auto file = diag.getLocation()->findInstanceOf<FileLineColLoc>())
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn() << ": ";
    else
      os << diag.getLocation() << ": ";
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    }
    os << diag.str() << "\n";
  }

  MLIRContext *context;
  bool printedOp;
  ScopedDiagnosticHandler handler;
};

CompileResult *unwrap(AttnCompileResult result) {
  return static_cast<CompileResult *>(result.ptr);
}

attn::CompileOptions convert(AttnCompileOptions options) {
  attn::CompileOptions out;
  if (options.chip)
    out.chip = options.chip;
  if (options.cudaPath)
    out.cudaPath = options.cudaPath;
  if (options.ptxasPath)
    out.ptxasPath = options.ptxasPath;
  out.kvChunk = options.kvChunk;
  return out;
}

AttnCompileResult compile(ModuleOp module, AttnCompileOptions options,
                          CompileResult *result) {
  FailureOr<attn::Artifact> artifact = attn::compileModule(
      module, convert(options),
      options.withCubin ? attn::CompileLevel::Artifact
                        : attn::CompileLevel::Ptx);
  if (succeeded(artifact)) {
    result->artifact = std::move(*artifact);
    result->succeeded = true;
  } else if (result->errors.empty()) {
    result->errors = "compile failed without a diagnostic\n";
  }
  return {result};
}
} // namespace

AttnCompileResult attnCompileModule(MlirModule module,
                                    AttnCompileOptions options) {
  auto *result = new CompileResult;
  ModuleOp op = unwrap(module);
  DiagnosticCollector collector(op.getContext(), result->errors);
  return compile(op, options, result);
}

AttnCompileResult attnCompileSource(MlirContext context, MlirStringRef source,
                                    MlirStringRef sourceName,
                                    AttnCompileOptions options) {
  auto *result = new CompileResult;
  MLIRContext *ctx = unwrap(context);
  DiagnosticCollector collector(ctx, result->errors);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      unwrap(source), ParserConfig(ctx), unwrap(sourceName));
  if (!module) {
    if (result->errors.empty())
      result->errors = "could not parse the source\n";
    return {result};
  }
  return compile(*module, options, result);
}

bool attnCompileResultSucceeded(AttnCompileResult result) {
  return unwrap(result)->succeeded;
}

MlirStringRef attnCompileResultGetErrors(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->errors));
}

MlirStringRef attnCompileResultGetKernelName(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->artifact.kernelName));
}

MlirStringRef attnCompileResultGetPtx(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->artifact.ptx));
}

MlirStringRef attnCompileResultGetCubin(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->artifact.cubin));
}

MlirStringRef attnCompileResultGetManifest(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->artifact.manifest));
}

MlirStringRef attnCompileResultGetPtxasInfo(AttnCompileResult result) {
  return wrap(StringRef(unwrap(result)->artifact.ptxasInfo));
}

bool attnCompileResultWrite(AttnCompileResult result, MlirStringRef dir) {
  CompileResult *r = unwrap(result);
  if (!r->succeeded) {
    r->errors += "nothing to write: the compile failed\n";
    return false;
  }
  MLIRContext context;
  DiagnosticCollector collector(&context, r->errors);
  return succeeded(attn::writeArtifact(r->artifact, unwrap(dir),
                                       UnknownLoc::get(&context)));
}

void attnCompileResultDestroy(AttnCompileResult result) {
  delete unwrap(result);
}
