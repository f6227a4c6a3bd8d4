//===- attn-compile.cpp - compile attention IR to a kernel artifact -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Writes DIR/<kernel>.{ptx,cubin,json}, or prints one IR level:
//
//   attn-compile input.mlir --chip=sm_80 -o DIR
//   attn-compile input.mlir --emit=online
//
// A thin wrapper over attn::compileModule. Errors are located MLIR
// diagnostics and a non-zero exit.
//
//===----------------------------------------------------------------------===//

#include "attn/Compiler/Compiler.h"
#include "attn/InitAllDialects.h"
#include "attn/InitAllPasses.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

using namespace mlir;
using namespace mlir::attn;

/// The driver's own options; --help lists these alone, not every LLVM
/// backend option linked in.
static llvm::cl::OptionCategory driverOptions("attn-compile options");

static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<input.mlir>"),
                                            llvm::cl::cat(driverOptions),
                                            llvm::cl::init(""));
static llvm::cl::opt<std::string>
    outputPath("o",
               llvm::cl::desc("Artifact folder (--emit=artifact; required, "
                              "created if missing, must not hold another "
                              "kernel's artifact) or output file (other "
                              "levels; default standard output)"),
               llvm::cl::value_desc("path"), llvm::cl::cat(driverOptions),
               llvm::cl::init(""));
// The description names the targets; main() fills it in from their facts
// (static initialisation order across files is not defined).
static llvm::cl::opt<std::string> chip("chip", llvm::cl::desc("Target chip"),
                                       llvm::cl::cat(driverOptions),
                                       llvm::cl::init("sm_80"));
static llvm::cl::opt<float> rescaleThreshold(
    "rescale-threshold",
    llvm::cl::desc("FlashAttention-4's conditional rescaling: move a row's "
                   "max only when it grows by more than this (log2 units; 0: "
                   "every increase; default: the kernel's choice, sm_90a's "
                   "8 from head dim 128, sm_80's (also sm_90a's for decode "
                   "steps) 8 for causal head dims up to 32 (64 in packed "
                   "decode tiles), else 0)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(-1.0f));
static llvm::cl::opt<bool> pingPong(
    "ping-pong",
    llvm::cl::desc("Warp-specialised kernels (sm_90a): consumer warpgroups "
                   "take turns issuing their matrix products (default on; "
                   "--ping-pong=false turns it off)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(true));
static llvm::cl::opt<bool> overlap(
    "overlap",
    llvm::cl::desc("Warp-specialised kernels (sm_90a): each consumer issues "
                   "Q K^T of the next K/V tile before the softmax of this one "
                   "(default on; --overlap=false turns it off)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(true));
static llvm::cl::opt<bool> persistent(
    "persistent",
    llvm::cl::desc("Warp-specialised kernels (sm_90a): as many CTAs as fit "
                   "on the GPU, each looping over query tiles (default: the "
                   "chip's choice, on without a mask or causal at head dims "
                   "up to 128; --persistent=false launches one CTA a tile)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(false));
static llvm::cl::opt<bool> packGqa(
    "pack-gqa",
    llvm::cl::desc("Pack the query heads of a group into one tile "
                   "(decoding; the sm_80 kernel, on sm_80 and sm_90a; groups of 2, "
                   "4 or 8); chosen without "
                   "asking when Sq is static and at most 16"),
    llvm::cl::cat(driverOptions), llvm::cl::init(false));
static llvm::cl::opt<int64_t> kvChunk(
    "kv-chunk",
    llvm::cl::desc("Split-KV (decoding; the sm_80 kernel, on sm_80 and "
                   "sm_90a): keys per chunk, a multiple "
                   "of the K/V tile, each chunk its own CTA, merged by the "
                   "last (default 0: no split)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(0));
static llvm::cl::opt<int64_t> stages(
    "stages",
    llvm::cl::desc("K/V tiles in flight (1: one K slot and one V slot, each "
                   "copied under the other's products; default 0: the "
                   "chip's choice)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(0));
static llvm::cl::opt<int64_t> queryStages(
    "query-stages",
    llvm::cl::desc("Persistent warp-specialised kernels (sm_90a): query "
                   "tiles in flight (2: the next tile's query loads under "
                   "this one's steps; default 0: the chip's choice)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(0));
static llvm::cl::opt<int64_t> exp2Emulation(
    "exp2-emulation",
    llvm::cl::desc("FlashAttention-4's exp2 on the FMA units: one score "
                   "exponential in this many by a polynomial (default 0: "
                   "none; 1: all)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(0));
static llvm::cl::opt<int64_t>
    exp2Degree("exp2-degree",
               llvm::cl::desc("Degree of that polynomial, 2 to 5 (default 3)"),
               llvm::cl::cat(driverOptions), llvm::cl::init(3));
static llvm::cl::opt<int64_t> waitTimeoutMs(
    "wait-timeout-ms",
    llvm::cl::desc("Debug mode of the sm_90a kernel: every mbarrier wait "
                   "traps with a message naming the barrier after this many "
                   "milliseconds (default 0: unbounded)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(0));
static llvm::cl::opt<std::string>
    cudaPath("cuda-path",
             llvm::cl::desc("CUDA toolkit root (libdevice, "
                            "ptxas); default $CUDA_HOME, then "
                            "/usr/local/cuda"),
             llvm::cl::cat(driverOptions), llvm::cl::init(""));
static llvm::cl::opt<std::string> ptxasPath(
    "ptxas",
    llvm::cl::desc("ptxas to run (default <cuda-path>/bin/ptxas, then PATH)"),
    llvm::cl::cat(driverOptions), llvm::cl::init(""));
static llvm::cl::opt<CompileLevel> emit(
    "emit", llvm::cl::desc("What to produce (default artifact)"),
    llvm::cl::values(
        clEnumValN(CompileLevel::Fused, "fused", "L1: attn.attention"),
        clEnumValN(CompileLevel::Tiled, "tiled", "L2: the tiled grid"),
        clEnumValN(CompileLevel::Online, "online", "L3: the online softmax"),
        clEnumValN(CompileLevel::Pipelined, "pipelined",
                   "L4: the K/V pipeline (rings, copies, waits)"),
        clEnumValN(CompileLevel::Kernel, "kernel", "L5: the gpu.module kernel"),
        clEnumValN(CompileLevel::Ptx, "ptx", "PTX text"),
        clEnumValN(CompileLevel::Artifact, "artifact",
                   "PTX, cubin and manifest in the -o folder (default)")),
    llvm::cl::cat(driverOptions), llvm::cl::init(CompileLevel::Artifact));

/// "Used N registers", spills and static shared memory from ptxas -v.
static void printResources(const Artifact &artifact, int64_t elapsedMs) {
  llvm::SmallVector<StringRef> lines;
  StringRef(artifact.ptxasInfo).split(lines, '\n');
  llvm::outs() << artifact.kernelName << ":";
  for (StringRef line : lines) {
    if (line.contains("spill stores"))
      llvm::outs() << " " << line.trim() << ";";
    else if (line.contains("Used "))
      llvm::outs() << " " << line.split(':').second.trim() << ";";
  }
  llvm::outs() << " compiled in " << elapsedMs << " ms\n";
}

static LogicalResult writeText(StringRef text, Location loc) {
  std::string error;
  std::string path = outputPath.empty() ? std::string("-") : outputPath;
  auto out = openOutputFile(path, &error);
  if (!out)
    return emitError(loc) << error;
  out->os() << text;
  out->keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  llvm::cl::HideUnrelatedOptions(driverOptions);
  std::string chipHelp =
      "Target chip: " + mlir::attn::describeTargets() + " (default sm_80)";
  chip.setDescription(chipHelp);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "attn compile driver: attention IR to PTX, cubin and a launch "
      "manifest\n\n  attn-compile input.mlir -o DIR (sm_80 unless --chip "
      "says otherwise; - reads standard input)\n");
  if (inputFile.empty()) {
    llvm::errs() << "attn-compile: no input file (give an .mlir file, or - "
                    "to read standard input; --help lists the options)\n";
    return 1;
  }
  if (emit == CompileLevel::Artifact && outputPath.empty()) {
    llvm::errs() << "attn-compile: -o <folder> is required for artifacts\n";
    return 1;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  // One readable line per error: no IR dump after it (a failing ptxas would
  // otherwise print the whole gpu.binary).
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  std::string error;
  auto input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << "attn-compile: " << error << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  CompileOptions options;
  options.chip = chip;
  options.rescaleThreshold = rescaleThreshold;
  options.waitTimeoutMs = waitTimeoutMs;
  options.pingPong = pingPong;
  options.overlap = overlap;
  if (persistent.getNumOccurrences())
    options.persistent = persistent ? 1 : 0;
  options.exp2Emulation = exp2Emulation;
  options.exp2Degree = exp2Degree;
  options.stages = stages;
  options.queryStages = queryStages;
  options.packGqa = packGqa;
  options.kvChunk = kvChunk;
  options.cudaPath = cudaPath;
  options.ptxasPath = ptxasPath;
  Location loc = module->getLoc();

  if (emit <= CompileLevel::Kernel) {
    if (failed(lowerModule(*module, options, emit)))
      return 1;
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    return failed(writeText(text, loc)) ? 1 : 0;
  }

  auto start = std::chrono::steady_clock::now();
  FailureOr<Artifact> artifact = compileModule(*module, options, emit);
  if (failed(artifact))
    return 1;
  if (emit == CompileLevel::Ptx)
    return failed(writeText(artifact->ptx, loc)) ? 1 : 0;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  if (failed(writeArtifact(*artifact, outputPath, loc)))
    return 1;
  printResources(*artifact, elapsed);
  return 0;
}
