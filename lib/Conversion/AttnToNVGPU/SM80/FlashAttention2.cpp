//===- FlashAttention2.cpp - the sm_80 kernel on mma.sync -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Emits FlashAttention-2 for Ampere from a KernelPlan:
//   - one CTA per (query tile, head, batch); warps split the query rows, so
//     every row reduction stays inside one warp (two xor shuffles per quad);
//   - the rings of the pipeline (query, keys, values) in shared memory; each
//     attn.copy_tile_async is cp.async (16 bytes per lane, zero-filled past
//     the sequence) in one commit group, each attn.wait_tile a
//     cp.async.wait_group of its pending count and a barrier, issued where
//     the scheduled IR has them; a future becomes its slot index;
//   - S = Q K^T and O += P V on mma.sync m16n8k16 with f32 accumulators,
//     operands from ldmatrix (.trans for V), P reused from S's accumulators;
//   - the online softmax in registers (exp2, log2(e) folded into the scale),
//     masking only on tiles that cross a boundary, row sums kept per lane and
//     reduced once at the end;
//   - O normalised, staged through shared memory and written in 16-byte rows.
// Every register position comes from Target/SM80/MmaSyncLayout.h.
//
//===----------------------------------------------------------------------===//

#include "../KernelPlan.h"
#include "../OnlineSoftmax.h"
#include "SM80.h"

#include "attn/Target/SM80/MmaSyncLayout.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm80;

namespace {

/// Four 32-bit registers of an A operand, two of a B operand, four f32 of an
/// accumulator.
using Regs = SmallVector<Value, 4>;

/// How the rows of one tensor's tiles move between global and shared memory
/// in 16-byte chunks: `chunks` a row (the head dim rounded up to 32
/// elements, so that every pass of the CTA's threads is whole), of which the
/// first `valid` hold data (the rest are zero-filled), in shared rows of
/// `stride` elements (a multiple of 64, so the eight-chunk swizzle stays in
/// the row). A thread's passes repeat every chunks / gcd(chunks, threads)
/// of them, `periodRows` rows further down: each thread's row and column in
/// the first period's passes are computed once (one pass where the threads
/// split rows evenly; three for rows of 12 chunks over 128 threads).
struct RowCopy {
  int64_t chunks = 0, valid = 0, stride = 0, periodRows = 0;
  SmallVector<std::pair<Value, Value>, 1> bases; // per-thread (row, column)
};

/// A lane's ldmatrix addresses into one slot of a shared ring, in the ring
/// flattened to one dimension: an MMA step (rows, columns) away from the
/// lane's first adds constants to one of four bases, chosen by the step's
/// 16-column position inside an eight-chunk swizzle group
/// (sm80::swizzleColumnAt), which ptxas folds into the ldmatrix. Indexing
/// the 3-D ring per step instead leaves LLVM one loop-invariant 64-bit
/// offset a step to hoist out of the K/V loop: at head dim 128, 225
/// registers with one row block a warp against 169 with these and the
/// copies' chunks addressed alike, and with two blocks 248 bytes of spills
/// against 24.
struct LaneAddresses {
  Value flat;
  std::array<Value, 4> bases;
  int64_t stride = 0;
};

class FlashAttention2Emitter : KernelBuilder {
public:
  FlashAttention2Emitter(const KernelPlan &plan, const KernelArguments &args,
                         IndexMaterializer &values)
      : KernelBuilder(args.kernel), plan(plan), args(args), values(values) {}

  FailureOr<int64_t> emit();

private:
  /// Shared-memory tile views over the dynamic shared memory.
  Value sharedView(int64_t byteOffset, ArrayRef<int64_t> shape);
  /// Column of element `col` of shared row `row` after the bank swizzle.
  Value swizzled(Value row, Value col) {
    return emitSwizzleColumn(b, loc, row, col);
  }
  /// A ring tile as one dimension of elements.
  Value flatten(Value tile) {
    return memref::CollapseShapeOp::create(
        b, loc, tile,
        ArrayRef<ReassociationIndices>{llvm::to_vector(llvm::seq<int64_t>(
            0, cast<MemRefType>(tile.getType()).getRank()))});
  }
  /// Where row `row` of slot `slot` of the ring `tile` starts in the
  /// flattened ring.
  Value flatRowStart(Value tile, Value slot, Value row) {
    auto type = cast<MemRefType>(tile.getType());
    return add(mul(slot, index(type.getDimSize(1) * type.getDimSize(2))),
               mul(row, index(type.getDimSize(2))));
  }
  /// A lane's ldmatrix addresses into slot `slot` of the ring `tile`, from
  /// shared row `row` and column `laneCol` (ldmatrixA's or ldmatrixKeyB's).
  LaneAddresses laneAddresses(Value tile, Value slot, Value row, Value laneCol);

  /// The chunk geometry of rows of `dim` elements.
  static RowCopy rowGeometry(int64_t dim);
  /// Computes the thread's row and column in each pass of the first period
  /// of `geometry`'s copy passes.
  void placeThread(RowCopy &geometry);
  /// `ok`, and, when rows of `geometry` carry zero-filled chunks, `col`
  /// inside the head dim.
  Value withinHeadDim(const RowCopy &geometry, Value ok, Value col);
  /// The thread's (local row, column) of pass `pass` over rows of `geometry`.
  std::pair<Value, Value> passPosition(const RowCopy &geometry, int64_t pass);
  /// cp.async of `rows` rows of `global[batch, head, firstRow + r, :]` into
  /// `tile[lead..., r, :]`, zero-filling rows at or past `limit`, chunks past
  /// the head dim, and all rows when `enabled` is false. With `rowsPerHead`
  /// (a packed tile), tile row r is row firstRow + r mod rowsPerHead of head
  /// head + r / rowsPerHead. With a block table `table`, `global` is a
  /// paged cache and key k = firstRow + r is row k % page of page
  /// table[batch, k / page]; a page id outside the cache zero-fills the row.
  /// With `onePage` the tile lies in one page (firstRow is a multiple of
  /// the tile's rows, which divide the page), looked up once.
  /// copyTile's passes where the tile is consecutive rows of one head and
  /// each thread's chunks repeat every pass (one period): the global offsets
  /// of a thread's passes are chained, one add of a pass's row stride
  /// apiece, the stride read afresh per tile (an opaque move) so that LLVM
  /// does not turn the chain into one hoisted 64-bit offset a pass; rows
  /// past `limit` read nothing (a source size of 0: the address is never
  /// fetched, so it may lie past the tensor). `destination` gives pass p's
  /// shared tile and indices.
  void copyHeadRows(
      const RowCopy &geometry, Value global, Value batchIndex, Value headIndex,
      Value firstRow, Value limit, int64_t passes, Value enabled,
      function_ref<std::pair<Value, SmallVector<Value>>(int64_t)> destination,
      SmallVectorImpl<Value> &tokens);
  /// `global` as one dimension of elements from its base, and its strides.
  std::pair<Value, SmallVector<Value, 4>> linearView(Value global);
  void copyTile(const RowCopy &geometry, Value tile, ValueRange lead,
                Value global, Value batch, Value head, Value firstRow,
                Value limit, int64_t rows, int64_t rowsPerHead, Value enabled,
                Value table, bool onePage, SmallVectorImpl<Value> &tokens);
  /// The page of key `key` of the CTA's batch, read from the block table
  /// only where `ok`, and whether it lies in the cache `global`.
  std::pair<Value, Value> lookUpPage(Value table, Value global, Value key,
                                     Value ok);
  /// The (head, sequence row) of tile row `local` of a tile starting at
  /// `head`, `firstRow`, with `rowsPerHead` rows of each head.
  std::pair<Value, Value> packedRow(Value head, Value firstRow, Value local,
                                    int64_t rowsPerHead);
  /// Whether a paged copy of `rows`-row tiles at `row` lies in one page.
  bool copiesOnePage(CopyTileAsyncOp copy, int64_t rows) const {
    return copy.isPaged() && plan.pageSize % rows == 0 &&
           isMultipleOf(copy.getRow(), rows);
  }
  /// The K/V loop's paged copy of one page per tile, at the loop's induction
  /// variable plus a constant (returned), whose page the loop reads one
  /// iteration ahead; null where there is none.
  std::pair<CopyTileAsyncOp, int64_t> prefetchedPageCopy() const;
  /// The page of a one-page tile at `firstRow` (id, safe where it is not in
  /// the cache, and whether it is), read where the row exists and, with
  /// `enabled`, the copy is on.
  std::pair<Value, Value> lookUpTilePage(Value global, Value firstRow,
                                         Value enabled = {});
  /// The kernel's memref a copy reads (one of the function's arguments).
  Value sourceMemref(CopyTileAsyncOp copy) {
    auto arg = cast<BlockArgument>(copy.getSource());
    return args.memref(
        args.abi.getTensors()[arg.getArgNumber()].getName().getValue());
  }
  /// Lowers the copies and waits of `ops`, in order.
  LogicalResult emitAsync(ArrayRef<Operation *> ops);
  /// A shared-memory tile: a ring's view and the slot in it.
  std::pair<Value, Value> sharedTile(Value tile) { return tiles.lookup(tile); }

  Regs ldmatrix(Value tile, ValueRange indices, bool transpose);
  /// ldmatrix.x4 of the step `rows`, `cols` away from the lane's addresses.
  Regs ldmatrix(const LaneAddresses &lane, int64_t rows, int64_t cols,
                bool transpose);
  Regs mma(ValueRange a, ValueRange bRegs, ValueRange c);
  /// acc[mt][2 pair + half] += a[mt] * (registers 2 half, 2 half + 1 of b)
  /// for every m tile: the two n8 tiles one ldmatrix.x4 B load feeds, in
  /// accumulators laid out [mTiles][nTiles][4].
  void mmaPair(ArrayRef<Regs> a, ArrayRef<Value> bRegs, int64_t pair,
               int64_t nTiles, SmallVectorImpl<Value> &acc);

  void storeOutput(ArrayRef<Value> acc, ArrayRef<Value> inverse);
  /// Split-KV: stores the chunk's normalised output and LSE in f32 into the
  /// workspace, counts the chunk in, and in the CTA that counts the last
  /// chunk of its tile merges them into O and the LSE.
  void storeSplit(ArrayRef<Value> acc, ArrayRef<Value> inverse,
                  ArrayRef<Value> m, ArrayRef<Value> l);
  /// The merge of attn.combine_splits for the tile's rows.
  void mergeSplits();

  // Flat register indices of accumulators laid out [mTiles][nTiles][4].
  static int64_t fragmentIndex(int64_t nTiles, int64_t mt, int64_t nt,
                               int64_t e) {
    return (mt * nTiles + nt) * 4 + e;
  }
  int64_t sIndex(int64_t mt, int64_t nt, int64_t e) const {
    return fragmentIndex(nTilesS, mt, nt, e);
  }
  int64_t oIndex(int64_t mt, int64_t nt, int64_t e) const {
    return fragmentIndex(nTilesO, mt, nt, e);
  }

  const KernelPlan &plan;
  const KernelArguments &args;
  IndexMaterializer &values;

  // Shape of the work.
  int64_t warps = 0, headDim = 0, tileM = 0, tileN = 0;
  int64_t mTiles = 0;  // m16 tiles per warp
  int64_t nTilesS = 0; // n8 tiles of S
  int64_t nTilesO = 0; // n8 tiles of O
  int64_t threads = 0;
  // Rows of Q and K (head dim D) and of V and O (Dv).
  RowCopy qkRows, vRows;

  // Kernel-wide values.
  Value query, key, output, lse;
  // A paged cache's block table; null otherwise. The page of each tile
  // looked up, by (first key, enabled): its id, whether it is in the cache,
  // and the first key's row in it.
  Value blockTable;
  DenseMap<std::pair<Value, Value>, std::array<Value, 3>> tilePages;
  Value tid, lane, accRow, accCol, warpRow, batch, head, queryRow, seqQ, seqKv;
  // In a packed tile the warp's head and its first row's position in it.
  Value warpHead, warpPosition;
  // Split-KV: the CTA's chunk, the number of chunks, the workspace.
  Value split, splits, partialOutput, partialLse, counters;
  // Each of Q, K and V to its sequence length, read once at entry: copies
  // read rows past it as zero.
  DenseMap<Value, Value> sequenceLengths;
  // The query ring's slot, reused to stage O for coalesced stores.
  Value outputStage;
  // The pipeline: each ring's shared-memory view [slots, rows, D]; each
  // future's ring and slot; each waited tile's view and slot; a group token
  // for the waits (they count groups, so any token does).
  DenseMap<Operation *, Value> ringViews;
  /// Each global tensor's linear view and strides (linearView).
  DenseMap<Value, std::pair<Value, SmallVector<Value, 4>>> linearViews;
  DenseMap<Value, std::pair<Operation *, Value>> futures;
  DenseMap<Value, std::pair<Value, Value>> tiles;
  Value waitToken;
  Type elementType;
  // The warp's S and O accumulators, and where their rows and keys are.
  AccumulatorLayout scoreLayout, outputLayout;
  ScoreFrame frame;
};

} // namespace

Value FlashAttention2Emitter::sharedView(int64_t byteOffset,
                                         ArrayRef<int64_t> shape) {
  Attribute space = getSharedMemorySpace(b.getContext());
  auto type =
      MemRefType::get(shape, elementType, MemRefLayoutAttrInterface{}, space);
  return memref::ViewOp::create(b, loc, type, sharedBytes(), index(byteOffset),
                                ValueRange{});
}

RowCopy FlashAttention2Emitter::rowGeometry(int64_t dim) {
  RowCopy geometry;
  geometry.chunks = rowChunks(dim);
  geometry.valid = dim / kChunkElements;
  geometry.stride = sharedRowElements(dim);
  return geometry;
}

void FlashAttention2Emitter::placeThread(RowCopy &geometry) {
  int64_t common = std::gcd(geometry.chunks, threads);
  geometry.periodRows = threads / common;
  Value c = index(geometry.chunks);
  for (int64_t pass = 0; pass < geometry.chunks / common; ++pass) {
    Value id = pass ? add(tid, index(pass * threads)) : tid;
    Value row = arith::DivUIOp::create(b, loc, id, c);
    geometry.bases.emplace_back(
        row, mul(arith::RemUIOp::create(b, loc, id, c), index(kChunkElements)));
  }
}

Value FlashAttention2Emitter::withinHeadDim(const RowCopy &geometry, Value ok,
                                            Value col) {
  if (geometry.valid == geometry.chunks)
    return ok;
  return arith::AndIOp::create(b, loc, ok,
                               cmp(arith::CmpIPredicate::ult, col,
                                   index(geometry.valid * kChunkElements)));
}

std::pair<Value, Value>
FlashAttention2Emitter::passPosition(const RowCopy &geometry, int64_t pass) {
  int64_t period = geometry.bases.size();
  auto [row, col] = geometry.bases[pass % period];
  return {add(row, index(pass / period * geometry.periodRows)), col};
}

std::pair<Value, Value> FlashAttention2Emitter::packedRow(Value head,
                                                          Value firstRow,
                                                          Value local,
                                                          int64_t rowsPerHead) {
  Value perHead = index(rowsPerHead);
  return {add(head, arith::DivUIOp::create(b, loc, local, perHead)),
          add(firstRow, arith::RemUIOp::create(b, loc, local, perHead))};
}

std::pair<Value, SmallVector<Value, 4>>
FlashAttention2Emitter::linearView(Value global) {
  auto &view = linearViews[global];
  if (view.first)
    return view;
  OpBuilder::InsertionGuard guard(b);
  if (Operation *def = global.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(global.getParentBlock());
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, global);
  auto type = cast<MemRefType>(global.getType());
  auto linearType = MemRefType::get(
      {ShapedType::kDynamic}, type.getElementType(),
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {1}),
      type.getMemorySpace());
  // Its size only bounds the indices the verifier sees; the offsets stay
  // inside the tensor or read nothing.
  Value linear = memref::ReinterpretCastOp::create(
      b, loc, linearType, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()),
      ArrayRef<OpFoldResult>{b.getIndexAttr(int64_t(1) << 48)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  view = {linear, SmallVector<Value, 4>(meta.getStrides())};
  return view;
}

void FlashAttention2Emitter::copyHeadRows(
    const RowCopy &geometry, Value global, Value batchIndex, Value headIndex,
    Value firstRow, Value limit, int64_t passes, Value enabled,
    function_ref<std::pair<Value, SmallVector<Value>>(int64_t)> destination,
    SmallVectorImpl<Value> &tokens) {
  auto [linear, strides] = linearView(global);
  auto [row, col] = geometry.bases.front();
  Value first = add(firstRow, row);
  Value offset =
      add(add(mul(batchIndex, strides[0]), mul(headIndex, strides[1])),
          add(mul(first, strides[2]), mul(col, strides[3])));
  // Rows this thread may still read, from its first.
  Value left = arith::SubIOp::create(b, loc, limit, first);
  Value step = mul(index(geometry.periodRows), strides[2]);
  Value freshStep = arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      LLVM::InlineAsmOp::create(
          b, loc, b.getI64Type(),
          ValueRange{arith::IndexCastOp::create(b, loc, b.getI64Type(), step)},
          "mov.b64 $0, $1;", "=l,l", /*has_side_effects=*/true,
          /*is_align_stack=*/false, LLVM::TailCallKind::None,
          LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
          ArrayAttr())
          .getResult(0));
  for (int64_t pass = 0; pass < passes; ++pass) {
    if (pass > 0)
      offset = add(offset, freshStep);
    Value ok =
        cmp(arith::CmpIPredicate::sgt, left, index(pass * geometry.periodRows));
    if (enabled)
      ok = arith::AndIOp::create(b, loc, ok, enabled);
    auto [dstTile, dst] = destination(pass);
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), dstTile, dst,
        linear, ValueRange{offset}, b.getIndexAttr(kChunkElements),
        select(ok, index(kChunkElements), index(0)), b.getUnitAttr()));
  }
}

void FlashAttention2Emitter::copyTile(const RowCopy &geometry, Value tile,
                                      ValueRange lead, Value global,
                                      Value batchIndex, Value headIndex,
                                      Value firstRow, Value limit, int64_t rows,
                                      int64_t rowsPerHead, Value enabled,
                                      Value table, bool onePage,
                                      SmallVectorImpl<Value> &tokens) {
  // One page for the whole tile: read once, where its first key exists;
  // the tile's rows are rows firstRow % page + r of it, all inside it, so
  // only the byte counts depend on which exist.
  // K's and V's tiles at one position share their page: V's copy reuses
  // the lookup of K's, which comes first and dominates it.
  Value tilePage, tileOk, firstInPage;
  if (table && onePage) {
    std::array<Value, 3> &page = tilePages[{firstRow, enabled}];
    if (!page[0]) {
      auto [id, inCache] = lookUpTilePage(global, firstRow, enabled);
      page = {id, inCache,
              arith::RemUIOp::create(b, loc, firstRow, index(plan.pageSize))};
    }
    std::tie(tilePage, tileOk, firstInPage) =
        std::tuple(page[0], page[1], page[2]);
  }
  // Where a thread's passes repeat whole swizzle periods of rows further
  // down, its chunk of each sits a constant away from the one of the first
  // period's pass it repeats in the flattened ring (as in laneAddresses),
  // not at one hoisted offset a pass.
  int64_t period = geometry.bases.size();
  Value flatTile;
  SmallVector<Value, 1> firstChunks;
  if (lead.size() == 1 && geometry.periodRows % 8 == 0) {
    flatTile = flatten(tile);
    for (auto [row, col] : geometry.bases)
      firstChunks.push_back(
          add(flatRowStart(tile, lead[0], row), swizzled(row, col)));
  }
  int64_t periodStride =
      geometry.periodRows * cast<MemRefType>(tile.getType()).getShape().back();
  int64_t passes = rows * geometry.chunks / threads;
  // Where pass `pass`'s chunk lands: the tile (or its flat view) and the
  // indices there.
  auto destination = [&](int64_t pass) -> std::pair<Value, SmallVector<Value>> {
    if (flatTile) {
      Value first = firstChunks[pass % period];
      return {flatTile,
              {pass < period
                   ? first
                   : add(first, index(pass / period * periodStride))}};
    }
    auto [local, col] = passPosition(geometry, pass);
    SmallVector<Value> dst(lead);
    dst.append({local, swizzled(local, col)});
    return {tile, dst};
  };
  if (!table && rowsPerHead >= rows && geometry.valid == geometry.chunks &&
      period == 1) {
    copyHeadRows(geometry, global, batchIndex, headIndex, firstRow, limit,
                 passes, enabled, destination, tokens);
    return;
  }
  for (int64_t pass = 0; pass < passes; ++pass) {
    auto [local, col] = passPosition(geometry, pass);
    Value rowHead = headIndex, row = add(firstRow, local);
    if (rowsPerHead < rows)
      std::tie(rowHead, row) =
          packedRow(headIndex, firstRow, local, rowsPerHead);
    Value ok = cmp(arith::CmpIPredicate::slt, row, limit);
    if (enabled)
      ok = arith::AndIOp::create(b, loc, ok, enabled);
    Value page = tilePage;
    if (tilePage)
      ok = arith::AndIOp::create(b, loc, ok, tileOk);
    else if (table)
      std::tie(page, ok) = lookUpPage(table, global, row, ok);
    ok = withinHeadDim(geometry, ok, col);
    Value count = select(ok, index(kChunkElements), index(0));
    Value safeRow = select(ok, row, index(0));
    Value safeCol =
        geometry.valid < geometry.chunks ? select(ok, col, index(0)) : col;
    SmallVector<Value> at = {batchIndex, rowHead, safeRow, safeCol};
    if (tilePage) {
      at = {tilePage, add(firstInPage, local), rowHead, safeCol};
    } else if (table) {
      Value pageSize = index(plan.pageSize);
      at = {select(ok, page, index(0)),
            arith::RemUIOp::create(b, loc, safeRow, pageSize), rowHead,
            safeCol};
    }
    auto [dstTile, dst] = destination(pass);
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), dstTile, dst,
        global, at, b.getIndexAttr(kChunkElements), count, b.getUnitAttr()));
  }
}

std::pair<Value, Value> FlashAttention2Emitter::lookUpPage(Value table,
                                                           Value global,
                                                           Value key,
                                                           Value ok) {
  // Past the batch's length the table's entries may be anything, and past
  // its last column there are none: read only where the key exists.
  Value slot = arith::DivUIOp::create(b, loc, key, index(plan.pageSize));
  Type i32 = b.getI32Type();
  auto read = scf::IfOp::create(
      b, loc, ok,
      [&](OpBuilder &tb, Location tl) {
        scf::YieldOp::create(
            tb, tl,
            memref::LoadOp::create(tb, tl, table, ValueRange{batch, slot})
                .getResult());
      },
      [&](OpBuilder &eb, Location el) {
        scf::YieldOp::create(
            eb, el, arith::ConstantIntOp::create(eb, el, i32, 0).getResult());
      });
  // Sign-extended, a negative id is past any page count unsigned.
  Value page =
      arith::IndexCastOp::create(b, loc, b.getIndexType(), read.getResult(0));
  Value inCache = cmp(arith::CmpIPredicate::ult, page,
                      memref::DimOp::create(b, loc, global, 0));
  return {page, arith::AndIOp::create(b, loc, ok, inCache)};
}

std::pair<CopyTileAsyncOp, int64_t>
FlashAttention2Emitter::prefetchedPageCopy() const {
  Value iv = scf::ForOp(plan.kvLoop).getInductionVar();
  for (Operation *op : plan.loopAsyncBetween(nullptr, plan.scores)) {
    auto copy = dyn_cast<CopyTileAsyncOp>(op);
    if (!copy ||
        !copiesOnePage(copy, copy.getRing().getType().getTile().getDimSize(0)))
      continue;
    Value row = copy.getRow();
    if (row == iv)
      return {copy, 0};
    auto add = row.getDefiningOp<arith::AddIOp>();
    if (!add)
      continue;
    for (auto [var, offset] : {std::pair(add.getLhs(), add.getRhs()),
                               std::pair(add.getRhs(), add.getLhs())})
      if (std::optional<int64_t> c = getConstantIntValue(offset);
          var == iv && c)
        return {copy, *c};
  }
  return {};
}

std::pair<Value, Value> FlashAttention2Emitter::lookUpTilePage(Value global,
                                                               Value firstRow,
                                                               Value enabled) {
  Value ok =
      cmp(arith::CmpIPredicate::slt, firstRow, sequenceLengths.lookup(global));
  if (enabled)
    ok = arith::AndIOp::create(b, loc, ok, enabled);
  auto [id, inCache] = lookUpPage(blockTable, global, firstRow, ok);
  return {select(inCache, id, index(0)), inCache};
}

LogicalResult FlashAttention2Emitter::emitAsync(ArrayRef<Operation *> ops) {
  auto get = [&](Value v) { return values.get(b, v); };
  for (Operation *op : ops) {
    if (auto wait = dyn_cast<WaitTileOp>(op)) {
      // Completion is per thread; the barrier makes the tile visible to
      // all, and retires every read of the slot the next copy refills.
      nvgpu::DeviceAsyncWaitOp::create(
          b, loc, waitToken,
          b.getI32IntegerAttr(static_cast<int32_t>(wait.getPending())));
      gpu::BarrierOp::create(b, loc);
      auto [ring, slot] = futures.lookup(wait.getFuture());
      if (!ring)
        return wait.emitError()
               << "convert-attn-to-nvgpu: the sm_80 kernel waits for a copy "
                  "it has not issued";
      tiles[wait.getResult()] = {ringViews.lookup(ring), slot};
      continue;
    }
    auto copy = cast<CopyTileAsyncOp>(op);
    FailureOr<Value> batchOr = get(copy.getBatch()),
                     headOr = get(copy.getHead()), rowOr = get(copy.getRow()),
                     slotOr = get(copy.getSlot()),
                     enabledOr = get(copy.getEnabled());
    if (failed(batchOr) || failed(headOr) || failed(rowOr) || failed(slotOr) ||
        failed(enabledOr))
      return failure();
    Value global = sourceMemref(copy);
    Value limit = sequenceLengths.lookup(global);
    RankedTensorType tile = copy.getRing().getType().getTile();
    SmallVector<Value> tokens;
    const RowCopy &geometry =
        copy.getRing().getDefiningOp<AllocRingOp>() == plan.valueRing ? vRows
                                                                      : qkRows;
    int64_t rows = tile.getDimSize(0);
    copyTile(geometry, ringViews.lookup(copy.getRing().getDefiningOp()),
             *slotOr, global, *batchOr, *headOr, *rowOr, limit, rows,
             rows / copy.getHeads().value_or(1), *enabledOr,
             copy.isPaged() ? blockTable : Value(), copiesOnePage(copy, rows),
             tokens);
    Value group = nvgpu::DeviceAsyncCreateGroupOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
    if (!waitToken)
      waitToken = group;
    futures[copy.getFuture()] = {copy.getRing().getDefiningOp(), *slotOr};
  }
  return success();
}

LaneAddresses FlashAttention2Emitter::laneAddresses(Value tile, Value slot,
                                                    Value row, Value laneCol) {
  LaneAddresses lane;
  lane.stride = cast<MemRefType>(tile.getType()).getDimSize(2);
  lane.flat = flatten(tile);
  Value first = flatRowStart(tile, slot, row);
  for (auto [group, base] : llvm::enumerate(lane.bases))
    base = add(first, emitSwizzleColumnAt(b, loc, row, laneCol,
                                          int64_t(group) * 2 * kChunkElements));
  return lane;
}

Regs FlashAttention2Emitter::ldmatrix(const LaneAddresses &lane, int64_t rows,
                                      int64_t cols, bool transpose) {
  constexpr int64_t group = 8 * kChunkElements;
  Value base = lane.bases[(cols % group) / (2 * kChunkElements)];
  int64_t offset = rows * lane.stride + cols - cols % group;
  return ldmatrix(lane.flat, offset ? add(base, index(offset)) : base,
                  transpose);
}

Regs FlashAttention2Emitter::ldmatrix(Value tile, ValueRange indices,
                                      bool transpose) {
  auto fragment = VectorType::get({4, 2}, elementType);
  Value loaded = nvgpu::LdMatrixOp::create(b, loc, fragment, tile, indices,
                                           transpose, /*numTiles=*/4);
  Value words = vector::BitCastOp::create(
      b, loc, VectorType::get({4, 1}, b.getI32Type()), loaded);
  Regs regs;
  for (int64_t r = 0; r < 4; ++r)
    regs.push_back(
        vector::ExtractOp::create(b, loc, words, ArrayRef<int64_t>{r, 0}));
  return regs;
}

Regs FlashAttention2Emitter::mma(ValueRange a, ValueRange bRegs, ValueRange c) {
  Type f32Type = b.getF32Type();
  auto result = LLVM::LLVMStructType::getLiteral(
      b.getContext(), {f32Type, f32Type, f32Type, f32Type});
  NVVM::MMATypes type =
      elementType.isBF16() ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
  // nvvm.mma.sync takes bf16 pairs as i32 but f16 pairs as vector<2xf16>.
  auto operands = [&](ValueRange regs) {
    SmallVector<Value, 4> out(regs);
    if (elementType.isF16())
      for (Value &r : out)
        r = LLVM::BitcastOp::create(b, loc, VectorType::get({2}, elementType),
                                    r);
    return out;
  };
  Value d = NVVM::MmaOp::create(
      b, loc, result, operands(a), operands(bRegs), c, {kMmaM, kMmaN, kMmaK},
      /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
      std::array<NVVM::MMATypes, 2>{type, type},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Regs out;
  for (int64_t i = 0; i < 4; ++i)
    out.push_back(LLVM::ExtractValueOp::create(b, loc, d, i));
  return out;
}

void FlashAttention2Emitter::mmaPair(ArrayRef<Regs> a, ArrayRef<Value> bRegs,
                                     int64_t pair, int64_t nTiles,
                                     SmallVectorImpl<Value> &acc) {
  for (int64_t mt = 0; mt < mTiles; ++mt) {
    for (int64_t half = 0; half < 2; ++half) {
      int64_t first = fragmentIndex(nTiles, mt, 2 * pair + half, 0);
      Regs d = mma(a[mt], bRegs.slice(2 * half, 2),
                   ArrayRef<Value>(acc).slice(first, 4));
      llvm::copy(d, acc.begin() + first);
    }
  }
}

void FlashAttention2Emitter::storeOutput(ArrayRef<Value> acc,
                                         ArrayRef<Value> inverse) {
  // Each warp overwrites only the query rows it alone has read, unless O's
  // rows are wider than Q's: then they reach into the K ring, which every
  // warp must be done with.
  if (vRows.stride != qkRows.stride)
    gpu::BarrierOp::create(b, loc);
  Value laneRow = add(warpRow, accRow);
  Value laneCol = accCol;
  auto pairType = VectorType::get({2}, elementType);
  for (int64_t mt = 0; mt < mTiles; ++mt) {
    for (int64_t half = 0; half < 2; ++half) {
      Value row = add(laneRow, index(mt * kMmaM + 8 * half));
      Value scale = inverse[mt * 2 + half];
      for (int64_t nt = 0; nt < nTilesO; ++nt) {
        SmallVector<Value, 2> pair;
        for (int64_t e = 2 * half; e < 2 * half + 2; ++e)
          pair.push_back(arith::TruncFOp::create(
              b, loc, elementType,
              arith::MulFOp::create(b, loc, acc[oIndex(mt, nt, e)], scale)));
        Value v = vector::FromElementsOp::create(b, loc, pairType, pair);
        Value col = add(laneCol, index(nt * kMmaN));
        vector::StoreOp::create(b, loc, v, outputStage,
                                ValueRange{row, swizzled(row, col)});
      }
    }
  }
  gpu::BarrierOp::create(b, loc);

  // Whole 16-byte pieces of rows, consecutive lanes on consecutive pieces.
  auto chunkType = VectorType::get({kChunkElements}, elementType);
  for (int64_t pass = 0; pass < tileM * vRows.chunks / threads; ++pass) {
    auto [local, col] = passPosition(vRows, pass);
    Value rowHead = head, row = add(queryRow, local);
    if (plan.packedHeads > 1)
      std::tie(rowHead, row) =
          packedRow(head, queryRow, local, plan.queryRowsPerTile());
    Value inside =
        withinHeadDim(vRows, cmp(arith::CmpIPredicate::slt, row, seqQ), col);
    auto ifOp = scf::IfOp::create(b, loc, inside, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value v = vector::LoadOp::create(b, loc, chunkType, outputStage,
                                     ValueRange{local, swizzled(local, col)},
                                     false, llvm::Align(16));
    vector::StoreOp::create(b, loc, v, output,
                            ValueRange{batch, rowHead, row, col}, false,
                            llvm::Align(16));
  }
}

void FlashAttention2Emitter::storeSplit(ArrayRef<Value> acc,
                                        ArrayRef<Value> inverse,
                                        ArrayRef<Value> m, ArrayRef<Value> l) {
  // The chunk's normalised rows, straight from the accumulators: a decode
  // tile is small, so f32 pairs need no staging for coalescing.
  Value laneRow = add(add(queryRow, warpPosition), accRow);
  auto pairType = VectorType::get({2}, b.getF32Type());
  for (int64_t mt = 0; mt < mTiles; ++mt) {
    for (int64_t half = 0; half < 2; ++half) {
      Value row = add(laneRow, index(mt * kMmaM + 8 * half));
      auto ifOp = scf::IfOp::create(
          b, loc, cmp(arith::CmpIPredicate::slt, row, seqQ), false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value scale = inverse[mt * 2 + half];
      for (int64_t nt = 0; nt < nTilesO && nt * kMmaN < plan.valueHeadDim;
           ++nt) {
        SmallVector<Value, 2> pair;
        for (int64_t e = 2 * half; e < 2 * half + 2; ++e)
          pair.push_back(
              arith::MulFOp::create(b, loc, acc[oIndex(mt, nt, e)], scale));
        Value v = vector::FromElementsOp::create(b, loc, pairType, pair);
        vector::StoreOp::create(b, loc, v, partialOutput,
                                ValueRange{split, batch, warpHead, row,
                                           add(accCol, index(nt * kMmaN))});
      }
    }
  }
  storeLse(*this, scoreLayout, frame, m, l, partialLse,
           ValueRange{split, batch, warpHead});

  // Count the chunk in: every thread's stores are visible GPU-wide before
  // one thread adds 1 to the tile's counter; the CTA that brings it to the
  // chunk count holds every chunk's rows. A shared word hands the count to
  // all threads (the query slot is free again once all are past the
  // barrier).
  NVVM::MembarOp::create(b, loc, NVVM::MemScopeKind::GPU);
  gpu::BarrierOp::create(b, loc);
  auto wordType =
      MemRefType::get({1}, b.getI32Type(), MemRefLayoutAttrInterface{},
                      getSharedMemorySpace(b.getContext()));
  Value word = memref::ViewOp::create(b, loc, wordType, sharedBytes(), index(0),
                                      ValueRange{});
  Value queryTile =
      arith::DivUIOp::create(b, loc, queryRow, index(plan.queryRowsPerTile()));
  scf::ForallOp grid = plan.grid;
  Value gridHead = values.get(b, grid.getInductionVars()[1]).value();
  SmallVector<Value> counter = {batch, gridHead, queryTile};
  {
    auto ifOp = scf::IfOp::create(
        b, loc, cmp(arith::CmpIPredicate::eq, tid, index(0)), false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value before = memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::addi, i32(1), counters, counter);
    memref::StoreOp::create(b, loc, before, word, ValueRange{index(0)});
  }
  gpu::BarrierOp::create(b, loc);
  Value before = memref::LoadOp::create(b, loc, word, ValueRange{index(0)});
  Value last = cmp(arith::CmpIPredicate::eq,
                   arith::IndexCastOp::create(b, loc, b.getIndexType(), before),
                   arith::SubIOp::create(b, loc, splits, index(1)));
  auto ifOp = scf::IfOp::create(b, loc, last, false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  // Acquire the other chunks' rows. The counter needs no reset: the
  // runtime zero-fills the counters (the ABI marks them zeroed) for every
  // launch.
  NVVM::MembarOp::create(b, loc, NVVM::MemScopeKind::GPU);
  mergeSplits();
}

void FlashAttention2Emitter::mergeSplits() {
  // attn.combine_splits, one pair of O's columns per thread and step: the
  // row's LSE from the chunks' (the largest first, chunks with -inf weigh
  // 0), then the weighted sum of the chunks' outputs, with the scalar math
  // the op's linalg lowering builds.
  int64_t pairs = plan.valueHeadDim / 2;
  Value negInf = f32(-std::numeric_limits<float>::infinity());
  auto loop =
      scf::ForOp::create(b, loc, tid, index(tileM * pairs), index(threads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value idx = loop.getInductionVar();
  Value local = arith::DivUIOp::create(b, loc, idx, index(pairs));
  Value col = mul(arith::RemUIOp::create(b, loc, idx, index(pairs)), index(2));
  Value rowHead = head, row = add(queryRow, local);
  if (plan.packedHeads > 1)
    std::tie(rowHead, row) =
        packedRow(head, queryRow, local, plan.queryRowsPerTile());
  auto inside = scf::IfOp::create(
      b, loc, cmp(arith::CmpIPredicate::slt, row, seqQ), false);
  b.setInsertionPointToStart(inside.thenBlock());
  auto chunkLse = [&](OpBuilder &nb, Value n) -> Value {
    return memref::LoadOp::create(nb, loc, partialLse,
                                  ValueRange{n, batch, rowHead, row});
  };
  auto overChunks =
      [&](ValueRange init,
          function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)>
              body) {
        return scf::ForOp::create(
                   b, loc, index(0), splits, index(1), init,
                   [&](OpBuilder &nb, Location, Value n, ValueRange carried) {
                     scf::YieldOp::create(nb, loc, body(nb, n, carried));
                   })
            .getResults();
      };
  Value max = overChunks(negInf, [&](OpBuilder &nb, Value n, ValueRange c) {
    return SmallVector<Value>{
        arith::MaximumFOp::create(nb, loc, c[0], chunkLse(nb, n))};
  })[0];
  Value sum = overChunks(f32(0.0f), [&](OpBuilder &nb, Value n, ValueRange c) {
    return SmallVector<Value>{arith::AddFOp::create(
        nb, loc, c[0], buildChunkWeight(nb, loc, chunkLse(nb, n), max))};
  })[0];
  Value total = buildMergedLse(b, loc, max, sum);
  auto pairType = VectorType::get({2}, b.getF32Type());
  Value zeroPair = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(pairType, b.getF32FloatAttr(0.0f)));
  Value merged =
      overChunks(zeroPair, [&](OpBuilder &nb, Value n, ValueRange c) {
        Value w = buildChunkWeight(nb, loc, chunkLse(nb, n), total);
        Value part =
            vector::LoadOp::create(nb, loc, pairType, partialOutput,
                                   ValueRange{n, batch, rowHead, row, col});
        Value scaled = arith::MulFOp::create(
            nb, loc, part, vector::BroadcastOp::create(nb, loc, pairType, w));
        return SmallVector<Value>{arith::AddFOp::create(nb, loc, c[0], scaled)};
      })[0];
  Value rounded = arith::TruncFOp::create(
      b, loc, VectorType::get({2}, elementType), merged);
  vector::StoreOp::create(b, loc, rounded, output,
                          ValueRange{batch, rowHead, row, col});
  if (!plan.hasLse)
    return;
  auto first = scf::IfOp::create(
      b, loc, cmp(arith::CmpIPredicate::eq, col, index(0)), false);
  b.setInsertionPointToStart(first.thenBlock());
  memref::StoreOp::create(b, loc, total, lse, ValueRange{batch, rowHead, row});
}

FailureOr<int64_t> FlashAttention2Emitter::emit() {
  ScheduleAttr schedule = plan.schedule;
  warps = schedule.getWarps();
  headDim = plan.headDim;
  tileM = plan.tileM;
  tileN = plan.tileN;
  elementType = plan.elementType;
  threads = warps * attn::kWarpSize;
  const TargetInfo *target = lookupTarget("sm_80");

  auto fail = [&](const Twine &message) -> FailureOr<int64_t> {
    scf::ForallOp grid = plan.grid;
    return grid.emitError()
           << "convert-attn-to-nvgpu: the sm_80 kernel " << message;
  };
  if (plan.roles)
    return fail("needs the pipelined form without warp roles (schedule kind "
                "fa2)");
  if (!elementType.isBF16() && !elementType.isF16())
    return fail("needs bf16 or f16 inputs");
  // The same rule the schedule chooser applied; a schedule written into the
  // IR by hand meets it here.
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Type outputElementType =
      cast<ShapedType>(func::FuncOp(plan.func).getResultTypes()[0])
          .getElementType();
  std::string problem = target->kernelShapeProblem(
      {headDim, plan.valueHeadDim, elementBytes, tileM, tileN,
       schedule.getStages(), warps, elementType, outputElementType});
  if (!problem.empty())
    return fail(problem);
  // The epilogue stages O in the query's slot.
  if (AllocRingOp(plan.queryRing).getType().getStages() != 1)
    return fail("needs a one-slot query ring");
  // A warp's rows belong to one head of a packed tile, so that its rows'
  // positions are consecutive, as the mask and the LSE store take them.
  int64_t warpRows = tileM / warps;
  if (plan.packedHeads > 1 && plan.queryRowsPerTile() % warpRows != 0)
    return fail(Twine("packs ") + Twine(plan.packedHeads) +
                " heads only when each head's " +
                Twine(plan.queryRowsPerTile()) +
                " rows are whole warps' rows (" + Twine(warpRows) + " each)");
  qkRows = rowGeometry(headDim);
  vRows = rowGeometry(plan.valueHeadDim);

  // The rings one after the other, the query's first: the epilogue stages
  // the output in it (and past it when O's rows are wider than Q's).
  int64_t sharedBytes = 0;
  SmallVector<std::pair<AllocRingOp, int64_t>> ringOffsets;
  for (AllocRingOp ring : {plan.queryRing, plan.keyRing, plan.valueRing}) {
    RingType type = ring.getType();
    int64_t stride = ring == plan.valueRing ? vRows.stride : qkRows.stride;
    ringOffsets.push_back({ring, sharedBytes});
    sharedBytes +=
        type.getStages() * type.getTile().getDimSize(0) * stride * elementBytes;
  }
  sharedBytes = std::max(sharedBytes, tileM * vRows.stride * elementBytes);
  if (sharedBytes > target->maxSharedMemoryPerBlock)
    return fail(Twine("needs ") + Twine(sharedBytes) +
                " bytes of shared memory, more than the " +
                Twine(target->maxSharedMemoryPerBlock) + " sm_80 has");

  mTiles = tileM / (kMmaM * warps);
  nTilesS = tileN / kMmaN;
  nTilesO = llvm::alignTo(plan.valueHeadDim, kMmaK) / kMmaN;
  scoreLayout = warpAccumulatorLayout(mTiles, nTilesS);
  outputLayout = warpAccumulatorLayout(mTiles, nTilesO);

  Block &entry = kernel.getBody().front();
  b.setInsertionPoint(entry.getTerminator());

  query = args.memref("query");
  key = args.memref("key");
  output = args.memref("output");
  if (plan.hasLse)
    lse = args.memref("lse");

  auto get = [&](Value v) { return values.get(b, v); };
  FailureOr<Value> row = get(plan.queryRow), lo = get(plan.kvLower),
                   hi = get(plan.kvUpper);
  if (failed(row) || failed(lo) || failed(hi))
    return failure();
  scf::ForallOp grid = plan.grid;
  SmallVector<Value> ivs = grid.getInductionVars();
  FailureOr<Value> queryHead = get(plan.queryHead);
  if (failed(queryHead))
    return failure();
  head = *queryHead;
  batch = *get(ivs[2]);
  queryRow = *row;
  seqQ = memref::DimOp::create(b, loc, query, 2);
  Value value = args.memref("value");
  if (plan.paged) {
    // The batch's cache length, as the grid body computes it.
    FailureOr<Value> length = get(plan.kvLength);
    if (failed(length))
      return failure();
    seqKv = *length;
    blockTable = args.memref("block_table");
    sequenceLengths = {{query, seqQ}, {key, seqKv}, {value, seqKv}};
  } else {
    seqKv = memref::DimOp::create(b, loc, key, 2);
    sequenceLengths = {{query, seqQ},
                       {key, seqKv},
                       {value, memref::DimOp::create(b, loc, value, 2)}};
  }

  tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  lane = arith::RemUIOp::create(b, loc, tid, index(attn::kWarpSize));
  Value warp = arith::DivUIOp::create(b, loc, tid, index(attn::kWarpSize));
  warpRow = mul(warp, index(mTiles * kMmaM));
  accRow = scoreLayout.thread.row.emit(b, loc, lane, attn::kWarpSize);
  accCol = scoreLayout.thread.col.emit(b, loc, lane, attn::kWarpSize);
  // In a packed tile the warp's rows are those of one head: its position
  // in that head's rows and the head.
  warpHead = head;
  warpPosition = warpRow;
  if (plan.packedHeads > 1)
    std::tie(warpHead, warpPosition) =
        packedRow(head, index(0), warpRow, plan.queryRowsPerTile());
  frame = {queryRow, warpPosition, accRow, accCol, seqQ, seqKv};
  placeThread(qkRows);
  if (vRows.chunks == qkRows.chunks) {
    vRows.bases = qkRows.bases;
    vRows.periodRows = qkRows.periodRows;
  } else {
    placeThread(vRows);
  }

  for (auto [ring, offset] : ringOffsets) {
    RingType type = ring.getType();
    int64_t stride = ring == plan.valueRing ? vRows.stride : qkRows.stride;
    ringViews[ring] = sharedView(
        offset, {type.getStages(), type.getTile().getDimSize(0), stride});
  }
  outputStage = sharedView(0, {tileM, vRows.stride});

  // The query copy, the prologue's K/V copies and the query's wait.
  if (failed(emitAsync(plan.entryAsync)))
    return failure();
  if (!waitToken)
    return fail("needs a copy before the K/V loop");

  const LaneCoord &aLane = ldmatrixA(), &kLane = ldmatrixKeyB(),
                  &vLane = ldmatrixValueB();
  Value aRow = aLane.row.emit(b, loc, lane, attn::kWarpSize),
        aCol = aLane.col.emit(b, loc, lane, attn::kWarpSize);
  Value kRow = kLane.row.emit(b, loc, lane, attn::kWarpSize),
        kCol = kLane.col.emit(b, loc, lane, attn::kWarpSize);
  Value vRow = vLane.row.emit(b, loc, lane, attn::kWarpSize),
        vCol = vLane.col.emit(b, loc, lane, attn::kWarpSize);

  // Loop state: O accumulators, then per row-half the running max (base-2
  // domain) and this lane's part of the row sum.
  int64_t numAcc = mTiles * nTilesO * 4, numRows = mTiles * 2;
  SmallVector<Value> init(numAcc, f32(0.0f));
  init.append(numRows, f32(-std::numeric_limits<float>::infinity()));
  init.append(numRows, f32(0.0f));

  // The K/V loop runs over the same positions as the scheduled loop and
  // carries, for each future, its slot.
  scf::ForOp kvLoop = plan.kvLoop;
  QKMatmulOp scores = plan.scores;
  PVMatmulOp pv = plan.output;
  SmallVector<std::pair<Value, Operation *>> carriedFutures;
  for (auto [first, arg] :
       llvm::zip(kvLoop.getInitArgs(), kvLoop.getRegionIterArgs())) {
    if (!isa<FutureType>(arg.getType()))
      continue;
    auto [ring, slot] = futures.lookup(first);
    carriedFutures.push_back({arg, ring});
    init.push_back(slot);
  }
  // A paged cache's tile page is read one iteration ahead: the table read
  // then overlaps a step's matrix products instead of stalling the copy
  // that needs it (every warp issues copies).
  auto [pageCopy, pageOffset] = prefetchedPageCopy();
  Value pageGlobal;
  if (pageCopy) {
    pageGlobal = sourceMemref(pageCopy);
    auto [page, inCache] =
        lookUpTilePage(pageGlobal, add(*lo, index(pageOffset)));
    init.append({page, inCache});
  }
  auto loop = scf::ForOp::create(b, loc, *lo, *hi, index(tileN), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kv0 = loop.getInductionVar();
    values.map(kvLoop.getInductionVar(), kv0);
    ValueRange state = loop.getRegionIterArgs();
    SmallVector<Value> acc(state.take_front(numAcc));
    SmallVector<Value> mOld(state.slice(numAcc, numRows));
    SmallVector<Value> lPart(state.slice(numAcc + numRows, numRows));
    for (auto [carried, slot] :
         llvm::zip(carriedFutures, state.drop_front(numAcc + 2 * numRows)))
      futures[carried.first] = {carried.second, slot};

    // Copies and waits before Q K^T, then those before P V; the kernel
    // issues none after P V.
    if (!plan.loopAsyncBetween(pv, kvLoop.getBody()->getTerminator()).empty())
      return fail("needs the K/V loop's copies and waits before P V");
    Value nextPage, nextInCache;
    if (pageCopy) {
      FailureOr<Value> row = values.get(b, pageCopy.getRow()),
                       enabled = values.get(b, pageCopy.getEnabled());
      if (failed(row) || failed(enabled))
        return failure();
      Value carriedPage = state.end()[-2], carriedInCache = state.back();
      tilePages[{*row, *enabled}] = {
          carriedPage, arith::AndIOp::create(b, loc, carriedInCache, *enabled),
          arith::RemUIOp::create(b, loc, *row, index(plan.pageSize))};
      std::tie(nextPage, nextInCache) =
          lookUpTilePage(pageGlobal, add(*row, index(tileN)));
    }
    if (failed(emitAsync(plan.loopAsyncBetween(nullptr, scores))))
      return failure();
    auto [queryView, querySlot] = sharedTile(scores.getQuery());
    auto [keyView, keySlot] = sharedTile(scores.getKey());
    if (!queryView || !keyView)
      return fail("needs Q K^T's tiles waited for before it");

    // S = Q K^T.
    LaneAddresses queryLane =
        laneAddresses(queryView, querySlot, add(warpRow, aRow), aCol);
    LaneAddresses keyLane = laneAddresses(keyView, keySlot, kRow, kCol);
    SmallVector<Value> s(mTiles * nTilesS * 4, f32(0.0f));
    for (int64_t kk = 0; kk < int64_t(llvm::alignTo(headDim, kMmaK) / kMmaK);
         ++kk) {
      SmallVector<Regs> qa;
      for (int64_t mt = 0; mt < mTiles; ++mt)
        qa.push_back(ldmatrix(queryLane, mt * kMmaM, kk * kMmaK, false));
      for (int64_t np = 0; np < nTilesS / 2; ++np)
        mmaPair(qa, ldmatrix(keyLane, np * 2 * kMmaN, kk * kMmaK, false), np,
                nTilesS, s);
    }
    applySoftcapAndMask(*this, plan, scoreLayout, frame, kv0, s);
    SmallVector<Value> m(mOld);
    emitOnlineSoftmaxStep(*this, plan, scoreLayout, s, outputLayout, acc, m,
                          lPart);

    // O += P V, P taken from S's accumulators as the A operand.
    if (failed(emitAsync(plan.loopAsyncBetween(scores, pv))))
      return failure();
    auto [valueView, valueSlot] = sharedTile(pv.getValue());
    if (!valueView)
      return fail("needs P V's value tile waited for before it");
    LaneAddresses valueLane = laneAddresses(valueView, valueSlot, vRow, vCol);
    for (int64_t kn = 0; kn < tileN / kMmaK; ++kn) {
      SmallVector<Regs> pa(mTiles);
      for (int64_t mt = 0; mt < mTiles; ++mt) {
        for (int64_t reg = 0; reg < 4; ++reg) {
          AccumulatorSlice slice = operandAFromAccumulators(reg);
          int64_t first = sIndex(mt, 2 * kn + slice.tile, slice.firstElement);
          pa[mt].push_back(packPair(s[first], s[first + 1], elementType));
        }
      }
      for (int64_t dp = 0; dp < nTilesO / 2; ++dp)
        mmaPair(pa, ldmatrix(valueLane, kn * kMmaK, dp * 2 * kMmaN, true), dp,
                nTilesO, acc);
    }

    SmallVector<Value> yielded(acc);
    yielded.append(m);
    yielded.append(lPart);
    for (Value next : kvLoop.getYieldedValues())
      if (isa<FutureType>(next.getType()))
        yielded.push_back(futures.lookup(next).second);
    if (pageCopy)
      yielded.append({nextPage, nextInCache});
    scf::YieldOp::create(b, loc, yielded);
  }

  // Epilogue: finish the row sums, normalise, store O (and the LSE).
  ValueRange results = loop.getResults();
  SmallVector<Value> acc(results.take_front(numAcc));
  SmallVector<Value> m(results.slice(numAcc, numRows));
  SmallVector<Value> l, inverse;
  SmallVector<Value> partial(results.slice(numAcc + numRows, numRows));
  finishRowSums(*this, scoreLayout, partial, l, inverse);
  // Copies past the end wrote zeros, and the prologue's are never waited for
  // when the loop does not run; all must retire before the query ring holds
  // the output.
  nvgpu::DeviceAsyncWaitOp::create(b, loc, waitToken, b.getI32IntegerAttr(0));
  if (plan.kvChunk > 0) {
    SmallVector<Value> ivs = grid.getInductionVars();
    FailureOr<Value> chunk = get(ivs[3]),
                     chunkCount = values.get(b, plan.kvSplits);
    if (failed(chunk) || failed(chunkCount))
      return failure();
    split = *chunk;
    splits = *chunkCount;
    // Left to itself, ptxas for sm_90 fits the split kernel to three CTAs
    // an SM (168 registers, against 235 when told one is enough), and its
    // loop then moves 20% fewer bytes a second (ncu, H200, B = 64, one
    // chunk: 376 against 308 us for the unsplit kernel).
    kernel->setAttr("nvvm.minctasm", b.getI32IntegerAttr(1));
    partialOutput = args.memref("partial_output");
    partialLse = args.memref("partial_lse");
    counters = args.memref("split_counters");
    storeSplit(acc, inverse, m, l);
    return sharedBytes;
  }
  storeOutput(acc, inverse);
  if (plan.hasLse)
    storeLse(*this, scoreLayout, frame, m, l, lse, ValueRange{batch, warpHead});
  return sharedBytes;
}

KernelAbiAttr mlir::attn::sm80::buildKernelAbi(const KernelPlan &plan) {
  return buildAttentionAbi(plan);
}

FailureOr<int64_t>
mlir::attn::sm80::emitFlashAttention2(const KernelPlan &plan,
                                      const KernelArguments &args,
                                      IndexMaterializer &values) {
  return FlashAttention2Emitter(plan, args, values).emit();
}
