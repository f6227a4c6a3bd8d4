//===- WarpSpecializedKernel.h - TMA roles shared by sm_90a and sm_100a -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the Hopper and Blackwell kernels share, emitted from the
// warp-specialised form (-attn-warp-specialize): the channels' 128-byte
// swizzled TMA buffers in shared memory and their full and empty mbarriers,
// the producer warpgroup that issues the copies, persistent tile loops, and
// the consumer role read op by op with the online softmax on registers
// (OnlineSoftmax.h). A chip's emitter derives from WarpSpecializedEmitter
// and supplies the tensor cores: how a consumer warpgroup issues Q K^T and
// P V, where their results live (registers for wgmma, tensor memory for
// tcgen05), and how O is rescaled and written.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_WARPSPECIALIZEDKERNEL_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_WARPSPECIALIZEDKERNEL_H

#include "KernelABI.h"
#include "KernelBuilder.h"
#include "KernelPlan.h"
#include "OnlineSoftmax.h"

#include "attn/Target/FragmentLayout.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::attn {

/// Bytes of one row of a 64-column block: the 128-byte swizzle's span.
constexpr int64_t kSpanBytes = 128;
/// Columns of a 16-bit tile in one span: TMA boxes and shared-memory tiles
/// are built from blocks this wide.
constexpr int64_t kSpanColumns = 64;
/// Bytes of one swizzle atom (8 rows of 128 bytes): the stride byte offset
/// of every matrix descriptor.
constexpr int64_t kAtomBytes = 8 * kSpanBytes;

/// The byte offset of k16 step `kk` (16-bit elements) of a K-major operand
/// of `rows` rows in a channel slot: block kk / 4 of rows x 128 bytes, then
/// 32 bytes a step inside the swizzled row.
inline int64_t kMajorStepBytes(int64_t rows, int64_t kk) {
  return kk / 4 * rows * kSpanBytes + kk % 4 * 32;
}

/// The TMA box of one 64-column block of a tile of `rows` rows of one head,
/// outermost dimension first: what the manifest's tensor map and the
/// kernel's shared-memory view both have.
SmallVector<int64_t, 4> boxShape(int64_t rows);

/// Whether `plan`'s kernel draws its tiles from a counter: persistent with
/// tiles of different lengths (causal).
bool drawsTiles(const KernelPlan &plan);

/// The most query slots a kernel takes: a drawn tile's number goes with its
/// query's fill, in one shared-memory word per slot.
constexpr int64_t kMaxQuerySlots = 4;

/// One channel's buffers: `stages` slots of a rows x cols tile, stored as
/// cols / 64 blocks of rows x 64 elements (each row 128 swizzled bytes),
/// and its barriers: full ones at [firstBarrier, firstBarrier + stages),
/// empty ones after them.
struct ChannelBuffer {
  int64_t offset = 0, stages = 0, rows = 0, cols = 0, firstBarrier = 0;
  Value map; // the channel's tensor map, as nvgpu sees it
  int64_t blockBytes() const { return rows * kSpanBytes; }
  int64_t slotBytes() const { return blockBytes() * (cols / kSpanColumns); }
};

/// Where the consumers stage O for its TMA store: nowhere (each thread
/// stores its values to global memory), a buffer of its own, or the
/// query's slot, free once the tile's last Q K^T is done when no later tile
/// refills it (one CTA a tile).
enum class OutputStaging { none, ownBuffer, querySlot };

/// The kernel's shared memory: the channels' buffers (Q, K and V one after
/// the other, each a multiple of 1024 bytes, the swizzle atom), then O's
/// staging buffer when it has its own, then the word that hands a drawn
/// tile to the consumers, in the dynamic array; the barriers are static
/// shared memory before that 1024-byte aligned array (so the block uses a
/// whole aligned step for them): the channels' full and empty ones, then
/// `extraBarriers` of the chip's own.
struct SharedLayout {
  SmallVector<ChannelBuffer, 3> channels;
  /// The channels' bytes, O's staging buffer's (0 unless it has its own),
  /// the tile word's (0 when the kernel draws no tiles), and the barriers.
  int64_t channelBytes = 0, outputBytes = 0, tileWordBytes = 0, barriers = 0;
  /// O's staging: where, at which byte offset (laid out like a channel
  /// slot of tile_m rows by the value head dim), and the rows of one TMA
  /// store (one warp's rows of O: 16 in sm_90a's wgmma accumulator, 32 in
  /// sm_100a's tensor-memory lanes).
  OutputStaging outputStaging = OutputStaging::none;
  int64_t outputOffset = 0, outputBoxRows = 0;
  /// The dynamic array's bytes.
  int64_t dynamicBytes() const {
    return channelBytes + outputBytes + tileWordBytes;
  }
  /// Where the tile word starts.
  int64_t tileWordOffset() const { return channelBytes + outputBytes; }
  /// Every byte the block takes.
  int64_t bytes() const {
    return dynamicBytes() + llvm::alignTo(8 * barriers, 1024);
  }
};
SharedLayout layOutSharedMemory(const KernelPlan &plan,
                                int64_t extraBarriers = 0);

/// CTAs of the kernel one SM holds: as many as the roles' register budgets
/// allow at entry (setmaxnreg needs that count fixed) and shared memory
/// holds.
int64_t residentCtas(const KernelPlan &plan);

/// The parameters of a warp-specialised kernel: a TMA tensor map of each of
/// Q, K and V (128-byte swizzle, boxes of one head's tile rows by 64
/// columns) and, where O is staged, of O (boxes of one warp's rows), then
/// every tensor as a memref descriptor, and the tile counter of a kernel
/// that draws its tiles.
KernelAbiAttr buildWarpSpecializedAbi(const KernelPlan &plan);

class WarpSpecializedEmitter : protected KernelBuilder {
public:
  WarpSpecializedEmitter(const KernelPlan &plan, const KernelArguments &args,
                         IndexMaterializer &values, StringRef chip)
      : KernelBuilder(args.kernel), plan(plan), args(args), values(values),
        chip(chip) {}
  virtual ~WarpSpecializedEmitter() = default;

  FailureOr<int64_t> emit();

protected:
  /// An error at `op` whose message goes on "...the <chip> kernel ".
  InFlightDiagnostic errorAt(Operation *op) const {
    return op->emitError() << "convert-attn-to-nvgpu: the " << chip
                           << " kernel ";
  }
  FailureOr<int64_t> fail(const Twine &message) {
    return errorAt(plan.grid) << message;
  }
  FailureOr<Value> get(Value v) { return values.get(b, v); }

  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }
  /// Whether the index `v` is odd, as an i1.
  Value isOdd(Value v) {
    return cmp(arith::CmpIPredicate::ne,
               arith::AndIOp::create(b, loc, v, index(1)), index(0));
  }
  /// A side-effecting inline PTX statement returning `resultType`.
  Value inlinePtx(Type resultType, ValueRange operands, StringRef text,
                  StringRef constraints);
  /// A view of `type` at `byteOffset` of the dynamic shared memory.
  Value sharedView(Value byteOffset, MemRefType type);
  /// The thread's index in the CTA, read where it is emitted: values
  /// derived from it are not hoisted out of the tile loop and held there.
  Value freshThreadId();

  // O's staged store (SharedLayout::outputStaging), one warp's rows at a
  // time: the warp writes its rows of the staging tile, swizzled like a
  // channel slot, then one lane stores them by TMA.
  /// This thread's index in its warpgroup, its lane, and its warp's first
  /// row of the tile (outputBoxRows a warp), read afresh (freshThreadId).
  struct StagingThread {
    Value thread, lane, warpRow;
  };
  StagingThread stagingThread();
  /// The staging tile as a flat view of elements, once this warp's last
  /// store has read it.
  Value beginStagedOutput();
  /// The element index in the staging tile of the 16-byte chunk `chunk`
  /// (of 8 elements, counted along the row) of row `row` + `rowOffset`,
  /// `first` being staged index of the row's chunk 0 with the row's swizzle
  /// phase in its chunk bits (row * 64 + (row mod 8) * 8, the row's own
  /// column offset added); `rowOffset` a multiple of 8.
  Value stagedElement(Value first, int64_t chunk, int64_t rowOffset);
  /// The swizzle-phased `first` of stagedElement for tile row `row` with
  /// `column` (below 8) added.
  Value stagedFirst(Value row, Value column);
  /// Stores the warp's outputBoxRows rows by TMA once its writes are
  /// fenced and the warp synchronised; lane 0 issues.
  void finishStagedOutput(const StagingThread &at);
  /// The byte offset of `slot` of `buffer`, from the shared memory's base.
  Value slotOffset(const ChannelBuffer &buffer, Value slot);
  /// Barrier `slot` of `buffer`'s full (or empty) barriers.
  Value barrier(const ChannelBuffer &buffer, Value slot, bool empty);
  /// Waits until barrier `index` completes the phase of `parity` (an i1).
  void waitBarrier(Value index, Value parity);
  /// Waits until `slot` of `buffer` is free for the fill whose phase is
  /// `phase`: the opposite parity on "empty", which a fresh barrier counts
  /// as having completed.
  void waitEmpty(const ChannelBuffer &buffer, Value slot, Value phase);
  /// Arrives on `slot`'s "empty" (or "full") barrier.
  void arriveOn(const ChannelBuffer &buffer, Value slot, bool empty);
  /// The shared-memory words that hand a drawn tile to the consumers, one
  /// per query slot.
  Value tileWord();

  // Persistent kernels: the loop over tiles and the fills it counts.
  /// Runs `body` once per tile of this CTA: once, or (persistent) in a loop
  /// over tiles that maps the grid's induction variables and carries each
  /// channel's fills.
  LogicalResult forEachTile(bool consumer, function_ref<LogicalResult()> body);
  /// Maps the grid's induction variables to those of `tile` (i32).
  void mapTile(Value tile);
  /// Emits `body` for one tile of the producer's or the consumers' role,
  /// `counts` (i32s) each ring's fills before it, mod two rounds; returns
  /// the next tile's.
  FailureOr<SmallVector<Value>> emitTile(ValueRange counts, bool consumer,
                                         function_ref<LogicalResult()> body);
  /// Whether a tile's fills of `channel` rotate through its ring, each
  /// tile's starting where the last one's ended: a fixed number of fills
  /// a tile (the query's). The others are kept in whole rounds: the
  /// producer pads the last round of each tile with empty fills, so every
  /// tile starts at slot 0 and only the phases move.
  bool rotates(AllocChannelOp channel);
  /// `fills` rounded up to the end of its round of a ring of `stages`.
  Value roundEnd(Value fills, int64_t stages);
  /// Reads `counts` into ringStarts for the tile about to be emitted.
  void startTile(ValueRange counts);
  /// The producer's empty fills that complete the last tile's rounds of the
  /// rings kept in whole rounds (ringStarts holding that tile's end).
  void padRounds();
  /// The body of the producer's or the consumer's role.
  Block &roleBody(bool consumer) const {
    return WarpSpecializeOp(plan.roles).getBodies()[consumer ? 1 : 0].front();
  }
  /// The kernel's slot and phase of the IR's fill of `channel` at `slot`
  /// with `phase` in this tile.
  std::pair<Value, Value> placeFill(Value channel, Value slot, Value phase);
  /// The kernel's slot of the IR's `slot` of `channel` in this tile.
  Value slotOf(Value channel, Value slot);
  /// How many fills of `channel` one run of `block` commits (or, with
  /// `waits`, waits for), as a kernel value.
  FailureOr<Value> countFills(Block &block, Operation *channel, bool waits);
  /// The consumer's end of a tile's fills: it waits for and releases those
  /// it has no use for (the pads, and the disabled prologue fills of a
  /// tile with fewer K/V tiles than stages - 1).
  LogicalResult consumeUnusedFills();

  /// The channels of Q, K and V, in that order.
  SmallVector<AllocChannelOp, 3> channels() const;
  ChannelBuffer &bufferOf(Value channel) {
    return buffers[channel.getDefiningOp()];
  }

  // The producer role: one thread issues its channel ops, in order.
  LogicalResult emitProducer(Block &block);
  void emitCommit(ChannelCommitOp commit,
                  MutableArrayRef<ChannelCopyOp> copies);

  // The consumer role, op by op. Each tile value of the IR is the list of
  // this thread's registers of it (Tile); each issued matrix product, what
  // the chip's emitter needs to complete it.
  struct Tile {
    SmallVector<Value> regs;
    /// P as the MMA's A operand: 16-bit pairs, in issue order.
    bool packed = false;
    /// O held in tensor memory (sm_100a): no registers; the chip's emitter
    /// knows where.
    bool inTensorMemory = false;
  };
  LogicalResult emitConsumerBlock(Block &block);
  LogicalResult emitConsumerOp(Operation &op);
  LogicalResult emitLoop(scf::ForOp loop);
  /// Makes `values` (a loop's or branch's tiles) the consecutive slices of
  /// `flat` of `counts` registers, as `kinds` says (packed, or in tensor
  /// memory).
  void unflatten(ValueRange values, ValueRange flat, ArrayRef<size_t> counts,
                 ArrayRef<Tile> kinds);
  LogicalResult emitGuard(scf::IfOp guard);
  LogicalResult emitSection(OrderedOp section);
  LogicalResult emitWait(ChannelWaitOp wait);
  LogicalResult emitRelease(ChannelReleaseOp release);
  /// The registers of `v`: a tile made by the consumer, or a splat constant.
  FailureOr<Tile> tileOf(Value v);
  /// The layout of tile `v`, by its columns: the scores' or O's.
  FailureOr<AccumulatorLayout> layoutOf(Value v);
  /// The registers of `type`, one thread's share: row statistics, or a
  /// tile's (tileRegisters).
  FailureOr<int64_t> registerCount(Type type);
  /// f32 values of O times `scale`, rounded to the output's element type
  /// as one vector.
  Value scaledOutput(ArrayRef<Value> values, Value scale);
  /// scaledOutput of two values.
  Value scaledOutputPair(Value first, Value second, Value scale);
  /// Stores a pair of scaledOutputPair at (`row`, `col`) of the tile's head
  /// and batch in the output (4-byte aligned).
  void storeOutputPair(Value pair, Value row, Value col);
  /// The row sums of `sum` (a thread's parts, `partial`) reduced across
  /// their rows, and 1 / sum; made once for the normalisation and the LSE.
  std::pair<SmallVector<Value>, SmallVector<Value>> &
  rowSums(Value sum, ArrayRef<Value> partial);

  // What the chip supplies.
  /// Query rows of one consumer warpgroup.
  virtual int64_t consumerRows() const = 0;
  /// The registers of an M x `n` accumulator a consumer thread holds.
  virtual AccumulatorLayout accumulatorLayout(int64_t n) const = 0;
  /// Why the chip's kernel cannot serve the plan's shape and roles, as a
  /// failure with the diagnostic emitted; checked before anything is built.
  virtual LogicalResult checkKernel() = 0;
  /// Extra barriers the chip's kernel keeps after the channels' ones.
  virtual int64_t extraBarriers() const { return 0; }
  /// Emitted by every thread after the channels' barriers are initialised
  /// (by the thread where `tid` is 0), before the CTA's barrier that
  /// publishes them.
  virtual void emitPrologue() {}
  /// Emitted by the consumers before their first tile, and after their
  /// last.
  virtual void emitConsumerPrologue() {}
  virtual void emitConsumerEpilogue() {}
  /// The registers a thread holds of a tile of `cols` f32 columns (tile_n
  /// or Dv) kept in registers.
  virtual int64_t tileRegisters(int64_t cols) const = 0;
  /// `p` as the A operand of P V.
  virtual Tile packed(const Tile &p) = 0;
  /// The tile of `v`, a splat constant `value` of `count` registers (an
  /// initial O, sum or max).
  virtual FailureOr<Tile> constantTile(Value v, float value, int64_t count);
  virtual LogicalResult emitScores(QKMatmulOp qk) = 0;
  virtual LogicalResult emitOutputProduct(PVMatmulOp pv, const Tile &p,
                                          const Tile &acc) = 0;
  virtual LogicalResult emitMatmulWait(MatmulWaitOp wait) = 0;
  /// O (`out`, laid out as `layout`) times the factors of its rows; with
  /// `onlyMoved`, factors are exactly 1 where a row's max stayed.
  virtual void scaleOutput(const AccumulatorLayout &layout, Tile &out,
                           ArrayRef<Value> factors, bool onlyMoved) = 0;
  /// Writes O times the inverse row sums to the output.
  virtual void storeOutput(const Tile &out, ArrayRef<Value> inverse) = 0;

  const KernelPlan &plan;
  const KernelArguments &args;
  IndexMaterializer &values;
  StringRef chip;

  int64_t headDim = 0, valueHeadDim = 0, tileM = 0, tileN = 0;
  Type elementType;
  DenseMap<Operation *, ChannelBuffer> buffers;
  Value barriers, smemBase;
  /// The index of the first of the chip's extra barriers.
  int64_t firstExtraBarrier = 0;
  /// Persistent kernels: the grid's extents and tile count, and for the
  /// tile being emitted where each channel's fills start: the ring's fills
  /// before (an i32, mod two rounds), and for a ring kept in whole rounds
  /// the phase flip of the tile's fills (an i1; null where it rotates).
  SmallVector<Value, 3> gridExtents;
  Value tileCount;
  struct RingStart {
    Value count, flip;
  };
  DenseMap<Operation *, RingStart> ringStarts;
  /// The producer of a persistent kernel: the last tile's rounds are still
  /// to be padded (after this tile's query).
  bool padsPending = false;
  /// Persistent causal kernels: the launch's tile counter (a zeroed
  /// workspace word), the shared-memory byte offset of the word that hands
  /// the producer's tile to the consumers, and the producer's tile.
  Value tileCounter, currentTile;
  int64_t tileWordOffset = 0;
  /// Persistent kernels: the consumer's last op that uses a channel, after
  /// which it completes the tile's rounds (before the epilogue, so that
  /// the next tile's loads overlap it).
  Operation *lastChannelUse = nullptr;
  /// Where O is staged for its TMA store (SharedLayout), and O's tensor
  /// map there.
  OutputStaging outputStaging = OutputStaging::none;
  int64_t outputOffset = 0, outputBoxRows = 0;
  Value outputMap;
  // Kernel-wide values.
  Value tid, groupThread, batch, head, seqQ, seqKv, output, lse;
  // The consumer warpgroup's view: each waited tile's slot offset, the
  // registers of each tile value, the issued products.
  DenseMap<Value, Value> slots;
  DenseMap<Value, Tile> tiles;
  DenseMap<Value, Value> issued;
  DenseMap<Value, std::pair<SmallVector<Value>, SmallVector<Value>>> sums;
  AccumulatorLayout scoreLayout, outputLayout;
  ScoreFrame frame;
  /// This warpgroup's index among the consumers.
  Value consumer;
  /// Values the chip's emitter carries through the consumer's loops (its
  /// own phase bits), as they stand where the consumer is being emitted; a
  /// branch must leave them as they were.
  SmallVector<Value> loopState;
};

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_WARPSPECIALIZEDKERNEL_H
