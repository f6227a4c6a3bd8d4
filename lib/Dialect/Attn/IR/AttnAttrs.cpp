//===- AttnAttrs.cpp - attn dialect attribute verifiers -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;

WarpRoleTotals mlir::attn::sumWarpRoles(ArrayRef<WarpRoleAttr> roles) {
  WarpRoleTotals totals;
  for (WarpRoleAttr role : roles) {
    totals.warps += role.getWarps();
    totals.registers += role.getWarps() * 32 * role.getRegisters();
  }
  return totals;
}

LogicalResult WarpRoleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   StringAttr name, int64_t warps,
                                   int64_t registers) {
  if (!name || name.getValue().empty())
    return emitError() << "a warp role needs a name";
  if (warps <= 0)
    return emitError() << "warp role '" << name.getValue()
                       << "' needs a positive warp count, got " << warps;
  // setmaxnreg takes multiples of 8 in [24, 256].
  if (registers < 24 || registers > 256 || registers % 8 != 0)
    return emitError() << "warp role '" << name.getValue()
                       << "' has a register budget of " << registers
                       << "; expected a multiple of 8 from 24 to 256";
  return success();
}

LogicalResult ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   KernelKind kind, int64_t tileM,
                                   int64_t tileN, int64_t stages, int64_t warps,
                                   ArrayRef<WarpRoleAttr> roles, bool pingPong,
                                   bool overlap, ArrayRef<int64_t> cluster,
                                   FloatAttr rescaleThreshold, int64_t kvChunk,
                                   bool packGqa, bool persistent,
                                   int64_t queryStages) {
  if (tileM <= 0 || tileN <= 0)
    return emitError() << "tile sizes must be positive, got tile_m = " << tileM
                       << ", tile_n = " << tileN;
  if (stages <= 0 || warps <= 0)
    return emitError() << "stages and warps must be positive, got stages = "
                       << stages << ", warps = " << warps;
  if (kind == KernelKind::fa2 && (!roles.empty() || pingPong || overlap))
    return emitError() << "an fa2 schedule has no warp roles, ping-pong or "
                          "overlap";
  if (kind != KernelKind::fa2 && roles.empty())
    return emitError() << "a " << stringifyKernelKind(kind)
                       << " schedule needs warp roles";
  auto [roleWarps, registers] = sumWarpRoles(roles);
  if (!roles.empty() && roleWarps != warps)
    return emitError() << "warp roles take " << roleWarps
                       << " warps, the schedule has " << warps;
  if (registers > kRegisterFile)
    return emitError() << "warp roles need " << registers
                       << " registers, more than the " << kRegisterFile
                       << " of the register file";
  if (!cluster.empty()) {
    int64_t ctas = 1;
    for (int64_t c : cluster)
      ctas *= c > 0 ? c : 0;
    if (cluster.size() != 3 || ctas < 1 || ctas > 8)
      return emitError() << "cluster must have three positive extents with "
                            "at most 8 CTAs in all";
  }
  // The online softmax's row max takes the threshold as it is: an f32.
  if (rescaleThreshold && !rescaleThreshold.getType().isF32())
    return emitError() << "rescale_threshold must be an f32 (e.g. 8.0 : f32), "
                          "got "
                       << rescaleThreshold.getType();
  if (rescaleThreshold && !(rescaleThreshold.getValueAsDouble() >= 0 &&
                            std::isfinite(rescaleThreshold.getValueAsDouble())))
    return emitError() << "rescale_threshold must be a non-negative finite "
                          "number";
  // Chunks of whole K/V tiles: a split starts where a tile would.
  if (kvChunk < 0 || kvChunk % tileN != 0)
    return emitError() << "kv_chunk must be 0 or a positive multiple of "
                          "tile_n = "
                       << tileN << ", got " << kvChunk;
  // A persistent CTA runs whole tiles of the warp-specialised kernel, one
  // after another; a split's chunks are merged by whichever CTA ends last.
  if (persistent && (kind == KernelKind::fa2 || kvChunk > 0))
    return emitError() << "persistent needs a warp-specialised kind and no "
                          "kv_chunk";
  // A CTA of one tile fills the query once: a second slot would stay empty.
  if (queryStages < 1 || (queryStages > 1 && !persistent))
    return emitError() << "query_stages must be 1, or more with persistent, "
                          "got "
                       << queryStages;
  return success();
}

LogicalResult
KernelParamAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        KernelParamKind kind, int64_t tensor,
                        ArrayRef<int64_t> box, int64_t swizzle, bool oobNan,
                        Type type, int64_t dim) {
  if (tensor < 0)
    return emitError() << "kernel parameter needs a tensor index, got "
                       << tensor;
  bool isMap = kind == KernelParamKind::tensor_map;
  bool isScalar = kind == KernelParamKind::scalar;
  if (isMap != !box.empty())
    return emitError() << "a box belongs to tensor_map parameters only";
  for (int64_t extent : box)
    if (extent < 1 || extent > 256)
      return emitError() << "tensor map box extents must be from 1 to 256";
  if (swizzle != 0 && swizzle != 32 && swizzle != 64 && swizzle != 128)
    return emitError() << "swizzle must be 0, 32, 64 or 128 bytes, got "
                       << swizzle;
  if (!isMap && (swizzle != 0 || oobNan))
    return emitError() << "swizzle and oob_nan belong to tensor_map "
                          "parameters only";
  if (isScalar != (type != nullptr) || isScalar != (dim >= 0))
    return emitError() << "a type and a dim belong to scalar parameters only, "
                          "and scalar parameters need both";
  if (type && !type.isInteger(32) && !type.isInteger(64))
    return emitError() << "scalar parameters are i32 or i64, got " << type;
  return success();
}

LogicalResult
KernelAbiAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      ArrayRef<KernelTensorAttr> tensors,
                      ArrayRef<KernelParamAttr> params,
                      ArrayRef<GridAxisAttr> grid, ArrayRef<int64_t> cluster,
                      int64_t persistent) {
  auto rankOf = [&](int64_t tensor) {
    return tensors[tensor].getType().getRank();
  };
  // The caller's tensors come first; extents refer to them alone.
  int64_t callerTensors = 0;
  while (callerTensors < static_cast<int64_t>(tensors.size()) &&
         !tensors[callerTensors].isWorkspace())
    ++callerTensors;
  auto validExtent = [&](int64_t tensor, int64_t dim, int64_t divisor) {
    return tensor >= 0 && tensor < callerTensors && dim >= 0 &&
           dim < rankOf(tensor) && divisor >= 1;
  };
  auto validAxis = [&](GridAxisAttr axis) {
    ArrayRef<int64_t> times = axis.getTimes();
    return validExtent(axis.getTensor(), axis.getDim(), axis.getDivisor()) &&
           (times.empty() ||
            (times.size() == 3 && validExtent(times[0], times[1], times[2])));
  };
  for (KernelTensorAttr tensor : ArrayRef(tensors).drop_front(callerTensors)) {
    if (!tensor.isWorkspace())
      return emitError() << "workspace buffers must come after the caller's "
                            "tensors";
    if (static_cast<int64_t>(tensor.getExtents().size()) !=
            tensor.getType().getRank() ||
        !llvm::all_of(tensor.getExtents(), validAxis))
      return emitError() << "a workspace buffer needs one extent per "
                            "dimension, each of a caller's tensor's sizes";
  }
  for (KernelParamAttr param : params) {
    if (param.getTensor() >= static_cast<int64_t>(tensors.size()))
      return emitError() << "kernel parameter refers to tensor "
                         << param.getTensor() << " of " << tensors.size();
    if (!param.getBox().empty() &&
        static_cast<int64_t>(param.getBox().size()) !=
            rankOf(param.getTensor()))
      return emitError() << "tensor map box needs one extent per dimension";
    if (param.getDim() >= rankOf(param.getTensor()))
      return emitError() << "scalar parameter's dim is out of range";
    if (tensors[param.getTensor()].isWorkspace() &&
        param.getKind() != KernelParamKind::memref)
      return emitError() << "a workspace buffer is passed as a memref";
  }
  if (grid.size() != 3)
    return emitError() << "a kernel grid has three axes";
  if (!llvm::all_of(grid, validAxis))
    return emitError() << "grid axis must name a tensor's dimension and a "
                          "positive divisor";
  if (cluster.size() != 3 ||
      llvm::any_of(cluster, [](int64_t c) { return c < 1 || c > 8; }) ||
      cluster[0] * cluster[1] * cluster[2] > 8)
    return emitError() << "cluster must have three extents from 1 to 8, at "
                          "most 8 CTAs in all";
  // A persistent launch is one axis of whole CTAs; clusters would tie
  // tiles of different lengths together.
  if (persistent < 0 ||
      (persistent > 0 && cluster[0] * cluster[1] * cluster[2] > 1))
    return emitError() << "persistent must be 0 or a positive number of CTAs "
                          "an SM, without a cluster";
  return success();
}
