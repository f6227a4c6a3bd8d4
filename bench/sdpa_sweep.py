#!/usr/bin/env python3
"""attn kernels beside PyTorch SDPA's flash backend, in one process.

Two halves, like the GPU suite (docs/design.md, "GPU tests"):

  python3 bench/sdpa_sweep.py compile [BUNDLE]   # here: needs build/bin/attn-compile
  python3 bench/sdpa_sweep.py run [BUNDLE]       # GPU machine: CUDA, CMake, PyTorch

`compile` writes one attention function per (head dim, mask) with the sweep's
static head count (hidden 2048 / D) and compiles it for sm_80 into BUNDLE
(default bench-bundle/). `run` builds the runtime's C library, loads the
artifacts through it with ctypes, and times both sides with CUDA events on
the same tensors and stream: 16k tokens per batch (B = 16384 / S), 5 warm-up
launches, the median of 30, 4 rotating input sets. It prints TFLOP/s
(4 B H S^2 D, halved for causal) and the ratio ours / torch.
"""
import ctypes
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAD_DIMS = (64, 128, 256)
SEQS = (1024, 2048, 4096, 8192, 16384)
HIDDEN, TOKENS = 2048, 16384

IR = """func.func @{name}(%q: tensor<?x{h}x?x{d}xbf16>, %k: tensor<?x{h}x?x{d}xbf16>,
    %v: tensor<?x{h}x?x{d}xbf16>) -> tensor<?x{h}x?x{d}xbf16> {{
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x{h}x?x{d}xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x{h}x?x{d}xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x{h}x?x{d}xbf16>
  %o = attn.attention {mask} ins(%q, %k, %v : tensor<?x{h}x?x{d}xbf16>,
      tensor<?x{h}x?x{d}xbf16>, tensor<?x{h}x?x{d}xbf16>)
      outs(%init : tensor<?x{h}x?x{d}xbf16>) -> tensor<?x{h}x?x{d}xbf16>
  return %o : tensor<?x{h}x?x{d}xbf16>
}}
"""


def kernel_name(d, causal):
    return f"sdpa_d{d}_{'causal' if causal else 'full'}"


def compile_bundle(bundle):
    os.makedirs(bundle, exist_ok=True)
    for d in HEAD_DIMS:
        for causal in (False, True):
            name = kernel_name(d, causal)
            source = os.path.join(bundle, name + ".mlir")
            with open(source, "w") as f:
                f.write(IR.format(name=name, h=HIDDEN // d, d=d,
                                  mask="causal" if causal else ""))
            out = subprocess.run(
                [os.path.join(ROOT, "build/bin/attn-compile"), source,
                 "--chip=sm_80", "-o", os.path.join(bundle, name)],
                check=True, capture_output=True, text=True).stdout
            print(out.strip())


class AttnTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_uint64), ("rank", ctypes.c_int64),
                ("sizes", ctypes.c_int64 * 4), ("strides", ctypes.c_int64 * 4)]


class Runtime:
    def __init__(self, path, device):
        self.lib = ctypes.CDLL(path)
        self.lib.attnRuntimeGetLastError.restype = ctypes.c_char_p
        self.lib.attnKernelLoad.argtypes = [ctypes.c_char_p,
                                            ctypes.POINTER(ctypes.c_void_p)]
        self.lib.attnKernelLaunch.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(AttnTensor), ctypes.c_int,
            ctypes.c_void_p]
        self.check(self.lib.attnRuntimeInitialize(device))

    def check(self, status):
        if status != 0:
            raise RuntimeError(self.lib.attnRuntimeGetLastError().decode())

    def load(self, folder):
        kernel = ctypes.c_void_p()
        self.check(self.lib.attnKernelLoad(folder.encode(), ctypes.byref(kernel)))
        return kernel

    def launcher(self, kernel, tensors, stream):
        """A function that enqueues `kernel` on `tensors` (torch, 4-D)."""
        descs = (AttnTensor * len(tensors))()
        for desc, t in zip(descs, tensors):
            desc.data, desc.rank = t.data_ptr(), t.dim()
            for i in range(t.dim()):
                desc.sizes[i], desc.strides[i] = t.shape[i], t.stride(i)
        return lambda: self.check(self.lib.attnKernelLaunch(
            kernel, descs, len(tensors), stream))


def median_ms(torch, launches):
    """Median time of one launch, rotating over `launches`."""
    for i in range(5):
        launches[i % len(launches)]()
    times = []
    for i in range(30):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        launches[i % len(launches)]()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def run_bundle(bundle):
    import torch
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    build = os.path.join(bundle, "runtime-build")
    for command in (["cmake", "-S", os.path.join(ROOT, "runtime"), "-B", build,
                     "-DCMAKE_BUILD_TYPE=Release"],
                    ["cmake", "--build", build, "-j", "8"]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    torch.cuda.init()
    runtime = Runtime(os.path.join(build, "libAttnRuntimeC.so"),
                      torch.cuda.current_device())
    stream = torch.cuda.current_stream().cuda_stream
    print(f"# {torch.cuda.get_device_name()}, torch {torch.__version__}; "
          "attn: sm_80 PTX through the driver JIT")
    print(f"{'D':>4} {'S':>6} {'causal':>6} {'attn TFLOP/s':>13} "
          f"{'torch flash':>12} {'ratio':>6} {'max |diff|':>10}")
    rows = []
    for d in HEAD_DIMS:
        for causal in (False, True):
            kernel = runtime.load(os.path.join(bundle, kernel_name(d, causal)))
            for s in SEQS:
                b, h = TOKENS // s, HIDDEN // d
                sets = [[torch.randn(b, h, s, d, device="cuda",
                                     dtype=torch.bfloat16) for _ in range(3)]
                        for _ in range(4)]
                outs = [torch.empty_like(q) for q, _, _ in sets]
                ours = [runtime.launcher(kernel, [q, k, v, o], stream)
                        for (q, k, v), o in zip(sets, outs)]
                with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
                    theirs = [lambda q=q, k=k, v=v: F.scaled_dot_product_attention(
                        q, k, v, is_causal=causal) for q, k, v in sets]
                    t_ours = median_ms(torch, ours)
                    t_theirs = median_ms(torch, theirs)
                    reference = theirs[0]()
                ours[0]()
                torch.cuda.synchronize()
                diff = (outs[0].float() - reference.float()).abs().max().item()
                flops = 4 * b * h * s * s * d / (2 if causal else 1)
                ta, tt = flops / t_ours / 1e9, flops / t_theirs / 1e9
                print(f"{d:>4} {s:>6} {str(causal):>6} {ta:>13.1f} {tt:>12.1f} "
                      f"{ta / tt:>6.2f} {diff:>10.2e}", flush=True)
                rows.append((d, s, causal, ta, tt))
                del sets, outs, ours, theirs, reference
            runtime.lib.attnKernelDestroy(kernel)
    with open(os.path.join(bundle, "results.csv"), "w") as f:
        f.write("head_dim,seq,causal,attn_tflops,torch_flash_tflops\n")
        for d, s, causal, ta, tt in rows:
            f.write(f"{d},{s},{int(causal)},{ta:.1f},{tt:.1f}\n")
    plot(rows, os.path.join(bundle, "sdpa_sweep.png"))


def plot(rows, path):
    """TFLOP/s against S, one panel per (head dim, mask)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(2, len(HEAD_DIMS), figsize=(12, 6.5), sharey=True)
    for row, causal in enumerate((False, True)):
        for col, d in enumerate(HEAD_DIMS):
            ax = axes[row][col]
            picked = [r for r in rows if r[0] == d and r[2] == causal]
            seqs = [r[1] for r in picked]
            ax.plot(seqs, [r[3] for r in picked], "o-", label="attn (sm_80 PTX)")
            ax.plot(seqs, [r[4] for r in picked], "s--", label="torch flash (FA2)")
            ax.set_xscale("log", base=2)
            ax.set_title(f"D={d}, {'causal' if causal else 'no mask'}")
            ax.set_xlabel("sequence length")
            ax.grid(True, alpha=0.3)
    for row in axes:
        row[0].set_ylabel("TFLOP/s")
    axes[0][0].legend()
    fig.suptitle("Forward attention, bf16, 16k tokens per batch, hidden 2048, H100")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("compile", "run"):
        sys.exit(f"usage: {sys.argv[0]} compile|run [BUNDLE]")
    bundle = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "bench-bundle")
    compile_bundle(bundle) if sys.argv[1] == "compile" else run_bundle(bundle)


if __name__ == "__main__":
    main()
