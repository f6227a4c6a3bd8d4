#!/usr/bin/env bash
# The main job: set up, build, and compile the bundled examples as far as the
# compiler goes today: parse and verify, fuse a naive graph into
# attn.attention, choose the sm_80 schedule, tile, rewrite the softmax online,
# and run every level on the CPU on fresh random inputs against float64; then
# compile the sm_80 kernel and the sm_90a one (its warp roles first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
example="${1:-$root/examples/attention.mlir}"
naive="$root/examples/naive-attention.mlir"
opt="$build/bin/attn-opt"
run="$build/bin/attn-cpu-run"
online="-attn-fuse-attention -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax"

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" attn-opt attn-cpu-run attn-compile

echo "== L1, parsed and verified: attn-opt $example"
"$opt" "$example"

echo "== L0 -> L1: attn-opt $naive -attn-fuse-attention"
"$opt" "$naive" -attn-fuse-attention

echo "== L3, tiled with the sm_80 schedule and online: attn-opt $example $online -cse"
"$opt" "$example" $online -cse

echo "== CPU runs against float64 (reference lowering, and the tiled online form)"
"$run" "$example" --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77
"$run" "$example" --batch 1 --heads 8 --kv-heads 2 --seq-q 37 --seq-kv 91 \
  --passes "$online"
"$run" "$example" --batch 1 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 300 \
  --passes "$online=rescale-threshold=8"
"$run" "$naive" --passes "-attn-fuse-attention -attn-tile='tile-m=32 tile-n=32' -attn-fuse-online-softmax"

echo "== L4, the K/V pipeline: attn-compile $example --chip=sm_80 --emit=pipelined (its async ops)"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}" "$build/bin/attn-compile" "$example" --chip=sm_80 --emit=pipelined |
  grep -E 'alloc_ring|copy_tile_async|wait_tile|scf.for'
"$run" "$example" --batch 1 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 300 \
  --passes "$online -attn-pipeline-async"

echo "== sm_80 kernel: attn-compile $example --chip=sm_80 -o $build/example-sm80"
echo "   (PTX, cubin and launch manifest; ptxas -v registers, spills, shared memory)"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}" "$build/bin/attn-compile" "$example" --chip=sm_80 -o "$build/example-sm80"
ls -l "$build/example-sm80"
grep -E '"(kernel|block|dynamic_shared_memory)"' -A0 "$build/example-sm80/attention.json"

echo "== L4 with warp roles (sm_90a): attn-compile $example --chip=sm_90a --emit=pipelined (roles and channels)"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}" "$build/bin/attn-compile" "$example" --chip=sm_90a --emit=pipelined |
  grep -E 'alloc_channel|warp_specialize|channel_(acquire|copy|commit|wait|release)' | sed 's/ : .*//'
echo "== sm_90a kernel: attn-compile $example --chip=sm_90a -o $build/example-sm90a"
echo "   (TMA, mbarriers, wgmma, setmaxnreg; ptxas -v counts registers at entry)"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}" "$build/bin/attn-compile" "$example" --chip=sm_90a -o "$build/example-sm90a"
ls -l "$build/example-sm90a"
grep -cE 'wgmma.mma_async|cp.async.bulk.tensor' "$build/example-sm90a/attention.ptx" |
  sed 's/^/   wgmma and TMA instructions in the PTX: /'
