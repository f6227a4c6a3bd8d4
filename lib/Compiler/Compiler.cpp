//===- Compiler.cpp - attention IR to PTX, cubin and manifest -------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Compiler/Compiler.h"

#include "attn/Conversion/AttnToNVGPU/AttnToNVGPU.h"
#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::attn;

static void setPipelineOptions(AttnLowerToNVVMPipelineOptions &result,
                               const CompileOptions &options) {
  result.chip = options.chip;
  result.cudaPath = options.cudaPath;
  result.rescaleThreshold = options.rescaleThreshold;
  result.pingPong = options.pingPong;
  result.overlap = options.overlap;
  result.persistent = options.persistent;
  result.exp2Emulation = options.exp2Emulation;
  result.exp2Degree = options.exp2Degree;
  result.stages = options.stages;
  result.queryStages = options.queryStages;
  result.packGqa = options.packGqa;
  result.kvChunk = options.kvChunk;
  result.waitTimeoutMs = options.waitTimeoutMs;
}

static LogicalResult checkChip(ModuleOp module, StringRef chip) {
  if (lookupTarget(chip))
    return success();
  return module.emitError() << unknownChipMessage(chip);
}

LogicalResult mlir::attn::lowerModule(ModuleOp module,
                                      const CompileOptions &options,
                                      CompileLevel level) {
  if (failed(checkChip(module, options.chip)))
    return failure();
  AttnLoweringStep last = AttnLoweringStep::Kernel;
  switch (level) {
  case CompileLevel::Fused:
    last = AttnLoweringStep::Fuse;
    break;
  case CompileLevel::Tiled:
    last = AttnLoweringStep::Tile;
    break;
  case CompileLevel::Online:
    last = AttnLoweringStep::Online;
    break;
  case CompileLevel::Pipelined:
    last = AttnLoweringStep::Pipeline;
    break;
  default:
    break;
  }
  AttnLowerToNVVMPipelineOptions pipeline;
  setPipelineOptions(pipeline, options);
  PassManager pm(module.getContext());
  buildAttnToKernelPipeline(pm, pipeline, last);
  return pm.run(module);
}

/// What attn-run needs to check a kernel: the semantics of the single
/// attn.attention of `module`, read after fusion. A module that holds only
/// kernels (gpu.module, already lowered) has none.
static FailureOr<std::optional<llvm::json::Object>>
readSemantics(ModuleOp module) {
  SmallVector<AttentionOp> ops;
  module.walk([&](AttentionOp op) { ops.push_back(op); });
  bool hasKernel = false;
  module.walk([&](gpu::GPUFuncOp f) { hasKernel |= f.isKernel(); });
  if (ops.empty() && hasKernel)
    return std::optional<llvm::json::Object>();
  if (ops.empty())
    return module.emitError()
           << "nothing to compile: the input holds no attn.attention and no "
              "matmul-softmax-matmul graph that -attn-fuse-attention "
              "recognises as attention";
  if (ops.size() != 1)
    return module.emitError()
           << "expects exactly one attention (attn.attention or a fusable "
              "graph) per compile, found "
           << ops.size();
  AttentionOp op = ops.front();
  llvm::json::Object semantics;
  semantics["mask"] = stringifyMaskKind(op.getMask()).str();
  if (op.getMask() == MaskKind::sliding_window) {
    auto [left, right] = op.getWindowExtents();
    semantics["window"] = llvm::json::Array{left, right};
  }
  semantics["scale"] = op.getEffectiveScale();
  if (std::optional<APFloat> softcap = op.getSoftcap())
    semantics["softcap"] = softcap->convertToDouble();
  semantics["lse"] = static_cast<bool>(op.getLse());
  if (op.isPaged())
    semantics["paged"] = true;
  return std::optional<llvm::json::Object>(std::move(semantics));
}

static std::string typeName(Type type) {
  std::string name;
  llvm::raw_string_ostream os(name);
  type.print(os);
  return name;
}

static llvm::json::Array toJson(ArrayRef<int64_t> values) {
  llvm::json::Array array;
  for (int64_t v : values)
    array.push_back(ShapedType::isDynamic(v) ? int64_t(-1) : v);
  return array;
}

/// ceildiv(size `dim` of tensor `tensor`, `divisor`), as the manifest
/// spells an extent.
static llvm::json::Object extentJson(int64_t tensor, int64_t dim,
                                     int64_t divisor) {
  return llvm::json::Object{
      {"tensor", tensor}, {"dim", dim}, {"divisor", divisor}};
}

/// A grid axis, or a workspace buffer's extent: with `times`, the product
/// of two.
static llvm::json::Object toJson(GridAxisAttr axis) {
  llvm::json::Object out =
      extentJson(axis.getTensor(), axis.getDim(), axis.getDivisor());
  if (ArrayRef<int64_t> times = axis.getTimes(); !times.empty())
    out["times"] = extentJson(times[0], times[1], times[2]);
  return out;
}

/// One kernel parameter as docs/manifest.md spells it; a workspace
/// buffer's memref names the buffer's index among the workspace.
static llvm::json::Object toJson(KernelParamAttr param,
                                 ArrayRef<KernelTensorAttr> tensors,
                                 int64_t callerTensors) {
  int64_t tensor = param.getTensor();
  llvm::json::Object out{{"kind", stringifyKernelParamKind(param.getKind())}};
  if (tensor >= callerTensors)
    out["workspace"] = tensor - callerTensors;
  else
    out["tensor"] = tensor;
  switch (param.getKind()) {
  case KernelParamKind::memref:
    break;
  case KernelParamKind::tensor_map:
    out["element"] =
        typeName(tensors[param.getTensor()].getType().getElementType());
    out["box"] = toJson(param.getBox());
    out["swizzle"] = param.getSwizzle();
    out["oob_fill"] = param.getOobNan() ? "nan" : "zero";
    break;
  case KernelParamKind::scalar:
    out["type"] = typeName(param.getType());
    out["dim"] = param.getDim();
    break;
  }
  return out;
}

/// The manifest of `kernel` (docs/manifest.md), serialised from its
/// `attn.abi`: everything a launcher needs, nothing more.
static FailureOr<std::string>
buildManifest(gpu::GPUFuncOp kernel, const TargetInfo &target,
              std::optional<llvm::json::Object> semantics) {
  auto abi = kernel->getAttrOfType<KernelAbiAttr>(kKernelAbiAttrName);
  auto shared = kernel->getAttrOfType<IntegerAttr>(kDynamicSharedMemoryAttrName);
  DenseI32ArrayAttr block = kernel.getKnownBlockSizeAttr();
  if (!abi || !block)
    return kernel.emitError() << "expects the kernel's " << kKernelAbiAttrName
                              << " and known_block_size";
  llvm::json::Array tensors, workspace, params, grid;
  int64_t callerTensors = 0;
  for (KernelTensorAttr tensor : abi.getTensors()) {
    llvm::json::Object entry{
        {"name", tensor.getName().getValue()},
        {"element", typeName(tensor.getType().getElementType())},
    };
    if (!tensor.isWorkspace()) {
      entry["shape"] = toJson(tensor.getType().getShape());
      tensors.push_back(std::move(entry));
      ++callerTensors;
      continue;
    }
    llvm::json::Array extents;
    for (GridAxisAttr extent : tensor.getExtents())
      extents.push_back(toJson(extent));
    entry["extents"] = std::move(extents);
    if (tensor.getZeroed())
      entry["zero"] = true;
    workspace.push_back(std::move(entry));
  }
  for (KernelParamAttr param : abi.getParams())
    params.push_back(toJson(param, abi.getTensors(), callerTensors));
  bool products = false;
  for (GridAxisAttr axis : abi.getGrid()) {
    grid.push_back(toJson(axis));
    products |= !axis.getTimes().empty();
  }
  // Format 3 adds the workspace, grid products and paged caches; a kernel
  // without them stays format 2, which every runtime of format 2 reads.
  bool paged = semantics && semantics->get("paged");
  bool format3 = products || !workspace.empty() || paged;
  // Format 4 adds persistent kernels, which a format-3 runtime would launch
  // with the whole grid.
  int64_t persistent = abi.getPersistent();
  int format = persistent > 0 ? 4 : format3 ? 3 : 2;
  auto block3 = block.asArrayRef();
  llvm::json::Object manifest{
      {"format", format},
      {"kernel", kernel.getName().str()},
      {"chip", target.chip.str()},
      {"capability", target.computeCapability},
      {"ptx", (kernel.getName() + ".ptx").str()},
      {"cubin", (kernel.getName() + ".cubin").str()},
      {"tensors", std::move(tensors)},
      {"params", std::move(params)},
      {"block", llvm::json::Array{block3[0], block3[1], block3[2]}},
      {"cluster", toJson(abi.getCluster())},
      {"grid", std::move(grid)},
      {"dynamic_shared_memory", shared ? shared.getInt() : int64_t(0)},
  };
  if (persistent > 0)
    manifest["persistent"] = persistent;
  if (!workspace.empty())
    manifest["workspace"] = std::move(workspace);
  if (semantics)
    manifest["attention"] = std::move(*semantics);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest))) << "\n";
  return text;
}

/// The ptxas `options` select: --ptxas, else <CUDA path>/bin/ptxas, else
/// PATH.
static FailureOr<std::string> findPtxas(ModuleOp module,
                                        const CompileOptions &options) {
  std::string ptxas = options.ptxasPath;
  if (!ptxas.empty() && !llvm::sys::fs::can_execute(ptxas))
    return module.emitError()
           << "ptxas not found at " << ptxas
           << " (the path given with --ptxas; Python: ptxas_path): "
           << (llvm::sys::fs::exists(ptxas) ? "not an executable file"
                                            : "no such file");
  std::string cudaPath = resolveCudaPath(options.cudaPath);
  if (ptxas.empty()) {
    SmallString<256> candidate(cudaPath);
    llvm::sys::path::append(candidate, "bin", "ptxas");
    if (llvm::sys::fs::can_execute(candidate))
      ptxas = std::string(candidate);
    else if (auto found = llvm::sys::findProgramByName("ptxas"))
      ptxas = *found;
  }
  if (ptxas.empty() || !llvm::sys::fs::can_execute(ptxas))
    return module.emitError()
           << "ptxas not found (looked in " << cudaPath
           << "/bin and PATH); set --cuda-path or --ptxas, or use "
              "--emit=ptx";
  return ptxas;
}

/// Runs `ptxas` on the artifact's PTX; fills the cubin and ptxas' report.
static LogicalResult assemble(ModuleOp module, const CompileOptions &options,
                              StringRef ptxas, Artifact &artifact) {
  SmallString<128> ptxFile, cubinFile, logFile;
  if (llvm::sys::fs::createTemporaryFile("attn", "ptx", ptxFile) ||
      llvm::sys::fs::createTemporaryFile("attn", "cubin", cubinFile) ||
      llvm::sys::fs::createTemporaryFile("attn", "log", logFile))
    return module.emitError() << "cannot create temporary files for ptxas";
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(ptxFile);
    llvm::sys::fs::remove(cubinFile);
    llvm::sys::fs::remove(logFile);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(ptxFile, ec);
    if (ec)
      return module.emitError()
             << "cannot write " << ptxFile << ": " << ec.message();
    os << artifact.ptx;
  }
  std::string arch = "-arch=" + options.chip;
  SmallVector<StringRef> args = {ptxas,   arch, "-O3",    "-v",
                                 ptxFile, "-o", cubinFile};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile),
                                          StringRef(logFile)};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0, 0,
                                     &error);
  auto log = llvm::MemoryBuffer::getFile(logFile);
  std::string report = log ? (*log)->getBuffer().str() : std::string();
  if (rc != 0)
    return module.emitError()
           << "ptxas failed (" << ptxas << ", exit code " << rc << ")"
           << (error.empty() ? "" : ": " + error) << "\n"
           << report;
  auto cubin = llvm::MemoryBuffer::getFile(cubinFile, /*IsText=*/false);
  if (!cubin || (*cubin)->getBufferSize() == 0)
    return module.emitError() << "ptxas (" << ptxas
                              << ") exited 0 but wrote no cubin";
  artifact.cubin = (*cubin)->getBuffer().str();
  artifact.ptxasInfo = report;
  return success();
}

/// Moves the top-level functions out of `module` and prints them as a module
/// of their own when one of them has a body (a caller of an outlined
/// kernel); returns "" when there is none.
static std::string takeHostCode(ModuleOp module) {
  SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
  bool hasCaller = llvm::any_of(
      functions, [](func::FuncOp f) { return !f.isExternal(); });
  std::string text;
  if (hasCaller) {
    OpBuilder b(module.getContext());
    OwningOpRef<ModuleOp> host = ModuleOp::create(module.getLoc());
    b.setInsertionPointToEnd(host->getBody());
    for (func::FuncOp f : functions)
      b.clone(*f);
    llvm::raw_string_ostream os(text);
    host->print(os);
  }
  for (func::FuncOp f : functions)
    f.erase();
  return text;
}

FailureOr<Artifact> mlir::attn::compileModule(ModuleOp module,
                                              const CompileOptions &options,
                                              CompileLevel level) {
  if (failed(checkChip(module, options.chip)))
    return failure();
  // The tools first, so that a missing one fails before the slow lowering.
  std::string ptxas;
  if (level == CompileLevel::Artifact) {
    FailureOr<std::string> found = findPtxas(module, options);
    if (failed(found))
      return failure();
    ptxas = *found;
  }
  std::string libdevice = getLibdevicePath(options.cudaPath);
  if (!llvm::sys::fs::is_regular_file(libdevice))
    return module.emitError() << "libdevice not found at " << libdevice
                              << "; point --cuda-path (Python: cuda_path; or "
                                 "CUDA_HOME) at a CUDA toolkit";
  if (failed(lowerModule(module, options, CompileLevel::Fused)))
    return failure();
  FailureOr<std::optional<llvm::json::Object>> semantics =
      readSemantics(module);
  if (failed(semantics) ||
      failed(lowerModule(module, options, CompileLevel::Kernel)))
    return failure();

  SmallVector<gpu::GPUFuncOp> kernels;
  module.walk([&](gpu::GPUFuncOp f) {
    if (f.isKernel())
      kernels.push_back(f);
  });
  if (kernels.size() != 1)
    return module.emitError() << "expects one kernel, found " << kernels.size();
  Artifact artifact;
  artifact.kernelName = kernels.front().getName().str();
  FailureOr<std::string> manifest = buildManifest(
      kernels.front(), *lookupTarget(options.chip), std::move(*semantics));
  if (failed(manifest))
    return failure();
  artifact.manifest = std::move(*manifest);

  // What the caller keeps (the function the attention was outlined from and
  // the kernel's declaration) is written beside the kernel, not lowered
  // here: the PTX half lowers only the gpu.module.
  artifact.host = takeHostCode(module);

  AttnLowerToNVVMPipelineOptions pipeline;
  setPipelineOptions(pipeline, options);
  PassManager pm(module.getContext());
  buildKernelToPtxPipeline(pm, pipeline);
  if (failed(pm.run(module)))
    return failure();
  gpu::BinaryOp binary;
  module.walk([&](gpu::BinaryOp op) { binary = op; });
  if (!binary || binary.getObjects().size() != 1)
    return module.emitError() << "expects one gpu.binary with one object";
  artifact.ptx =
      cast<gpu::ObjectAttr>(binary.getObjects()[0]).getObject().str();

  if (level == CompileLevel::Artifact &&
      failed(assemble(module, options, ptxas, artifact)))
    return failure();
  return artifact;
}

/// Writes `contents` to `path` through a temporary file in the same folder.
static LogicalResult writeAtomically(StringRef path, StringRef contents,
                                     Location loc) {
  SmallString<256> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp))
    return emitError(loc) << "cannot write " << path << ": " << ec.message();
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      llvm::sys::fs::remove(temp);
      return emitError(loc)
             << "cannot write " << path << ": " << os.error().message();
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return emitError(loc) << "cannot write " << path << ": " << ec.message();
  }
  return success();
}

/// Fails when `dir` holds another kernel's artifact files: writing beside
/// them would leave a folder with two manifests, which the runtime refuses.
/// The same kernel's files are replaced whole.
static LogicalResult checkNoOtherArtifact(StringRef dir, StringRef kernelName,
                                          Location loc) {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = llvm::sys::path::filename(it->path());
    StringRef stem = name;
    if (!stem.consume_back(".host.mlir") && !stem.consume_back(".json") &&
        !stem.consume_back(".ptx") && !stem.consume_back(".cubin"))
      continue;
    if (stem == kernelName)
      continue;
    return emitError(loc) << "cannot write the artifact of kernel '"
                          << kernelName << "' into " << dir
                          << ": it already holds " << name
                          << " of another artifact; write into an empty or "
                             "new folder";
  }
  if (ec)
    return emitError(loc) << "cannot read " << dir << ": " << ec.message();
  return success();
}

LogicalResult mlir::attn::writeArtifact(const Artifact &artifact, StringRef dir,
                                        Location loc) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return emitError(loc) << "cannot create " << dir << ": " << ec.message();
  if (failed(checkNoOtherArtifact(dir, artifact.kernelName, loc)))
    return failure();
  auto path = [&](StringRef ext) {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, artifact.kernelName + ext);
    return std::string(p);
  };
  // The same kernel's files are replaced whole: a host module of an
  // earlier compile goes when this one has none.
  if (artifact.host.empty()) {
    std::error_code ec = llvm::sys::fs::remove(path(".host.mlir"));
    if (ec)
      return emitError(loc) << "cannot remove " << path(".host.mlir") << ": "
                            << ec.message();
  } else if (failed(writeAtomically(path(".host.mlir"), artifact.host, loc))) {
    return failure();
  }
  // The manifest goes last: a folder with a manifest holds a whole artifact.
  if (failed(writeAtomically(path(".ptx"), artifact.ptx, loc)) ||
      failed(writeAtomically(path(".cubin"), artifact.cubin, loc)) ||
      failed(writeAtomically(path(".json"), artifact.manifest, loc)))
    return failure();
  return success();
}
