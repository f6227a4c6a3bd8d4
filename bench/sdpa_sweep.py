#!/usr/bin/env python3
"""attn kernels beside PyTorch SDPA's flash and cuDNN backends, in one process.

Two halves, like the GPU suite (docs/design.md, "GPU tests"):

  python3 bench/sdpa_sweep.py compile [BUNDLE]   # here: needs the built compiler library
  python3 bench/sdpa_sweep.py run [BUNDLE]       # GPU machine: CUDA, CMake, PyTorch

`compile` writes a bundle (attn.write_bundle) of the kernels attn.torch
picks for bf16 attention at each head dim, causal or not, for sm_90a and
sm_100a (the head dims their kernels take) and for sm_80, into BUNDLE
(default bench-bundle/). `run` builds the runtime's C library and calls
attn.torch.attention, the way users do, from that bundle (the GPU's own
kernel, sm_90a on a Hopper GPU and sm_100a on a Blackwell GPU of compute
capability 10.0, each forced with ATTN_CHIP, and sm_80's), and
F.scaled_dot_product_attention with the flash and cuDNN backends, on the
same tensors and stream: 16k tokens per batch (B = 16384 / S, H = 2048 /
D), 5 warm-up calls, then 30 samples of 8 back-to-back calls timed with CUDA
events over 4 rotating input sets, the median sample; three rounds over the
implementations in turn, the median round of each. It prints TFLOP/s
(4 B H S^2 D, halved for causal) and the ratios of attn's own kernel for
the GPU (sm_80's where it has none) to torch flash and to cuDNN.

`--head-dims 80,96,192` and `--seqs 4096,16384` (both halves alike) sweep
other points; H = 2048 // D when D does not divide the hidden size.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))

import attn  # noqa: E402

HEAD_DIMS = (64, 128, 256)
SEQS = (1024, 2048, 4096, 8192, 16384)
HIDDEN, TOKENS = 2048, 16384
CALLS_PER_SAMPLE = 8
ROUNDS = 3


def specs():
    return [attn.AttentionSpec.for_call(d, "bf16", causal=causal)
            for d in HEAD_DIMS for causal in (False, True)]


def compile_bundle(bundle):
    from attn.spec import SM90A_HEAD_DIMS, SM100A_HEAD_DIMS
    hopper = [s for s in specs() if s.head_dim in SM90A_HEAD_DIMS]
    blackwell = [s for s in specs() if s.head_dim in SM100A_HEAD_DIMS]
    for chip, chosen in (("sm_90a", hopper), ("sm_100a", blackwell),
                         ("sm_80", specs())):
        for artifact in attn.write_bundle(chosen, bundle, chip=chip):
            print(f"{artifact.kernel} ({chip}): {artifact.path}")


def median_ms(torch, calls):
    """Median time of one call, rotating over `calls`."""
    for i in range(5):
        calls[i % len(calls)]()
    times = []
    for i in range(30):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for j in range(CALLS_PER_SAMPLE):
            calls[(i + j) % len(calls)]()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / CALLS_PER_SAMPLE)
    return sorted(times)[len(times) // 2]


def sdpa_backends():
    from torch.nn.attention import SDPBackend
    return {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION}


def run_as(name, call):
    """call() with attn forced to chip `name`, or under SDPA backend `name`."""
    from torch.nn.attention import sdpa_kernel
    import attn.torch
    backends = sdpa_backends()
    if name in backends:
        with sdpa_kernel(backends[name]):
            return call()
    variable = attn.torch.CHIP_VARIABLE
    before = os.environ.get(variable)
    os.environ[variable] = name
    try:
        return call()
    finally:
        if before is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = before


def time_rounds(torch, names, ours, theirs):
    """ms a call of each of `names` (attn chips run `ours`, SDPA backends
    `theirs`): ROUNDS rounds over the names in turn, the median round of
    each, as the card's clocks and the other tenants of its host drift over
    a point's seconds."""
    backends = sdpa_backends()
    rounds = {name: [] for name in names}
    for _ in range(ROUNDS):
        for name in names:
            calls = theirs if name in backends else ours
            rounds[name].append(run_as(name, lambda: median_ms(torch, calls)))
    return {name: sorted(t)[len(t) // 2] for name, t in rounds.items()}


def build_runtime(bundle):
    """Builds the runtime (C library, attn-run) into BUNDLE/runtime-build."""
    build = os.path.join(bundle, "runtime-build")
    for command in (["cmake", "-S", os.path.join(ROOT, "runtime"), "-B", build,
                     "-DCMAKE_BUILD_TYPE=Release"],
                    ["cmake", "--build", build, "-j", "8"]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return build


def run_bundle(bundle):
    import torch
    import torch.nn.functional as F

    build = build_runtime(bundle)
    os.environ["ATTN_LIBRARY_PATH"] = build
    attn.add_bundle(bundle)
    from attn.torch import attention

    from attn.spec import SM90A_HEAD_DIMS, SM100A_HEAD_DIMS
    # The GPU's own kernel: sm_90a on Hopper, sm_100a on compute capability
    # 10.0 (Blackwell), with their head dims; other GPUs run sm_80's alone.
    native, native_dims = {(9, 0): ("sm_90a", SM90A_HEAD_DIMS),
                           (10, 0): ("sm_100a", SM100A_HEAD_DIMS)}.get(
        torch.cuda.get_device_capability(), ("sm_90a", ()))
    print(f"# {torch.cuda.get_device_name()}, torch {torch.__version__}; "
          f"attn through attn.torch: {native} cubin, sm_80 PTX through the driver JIT")
    print(f"{'D':>4} {'S':>6} {'causal':>6} {native:>7} {'sm_80':>7} "
          f"{'flash':>7} {'cudnn':>7} {'/flash':>6} {'/cudnn':>6} {'max |diff|':>10}")
    rows = []
    for d in HEAD_DIMS:
        for causal in (False, True):
            for s in SEQS:
                b, h = TOKENS // s, HIDDEN // d
                sets = [[torch.randn(b, h, s, d, device="cuda",
                                     dtype=torch.bfloat16) for _ in range(3)]
                        for _ in range(4)]
                ours = [lambda q=q, k=k, v=v: attention(q, k, v, causal=causal)
                        for q, k, v in sets]
                theirs = [lambda q=q, k=k, v=v: F.scaled_dot_product_attention(
                    q, k, v, is_causal=causal) for q, k, v in sets]
                names = [n for n in (native, "sm_80") if n == "sm_80" or d in native_dims]
                names += list(sdpa_backends())
                with torch.no_grad():
                    times = time_rounds(torch, names, ours, theirs)
                    mine = run_as(names[0], ours[0])
                    reference = run_as("flash", theirs[0])
                    diff = (mine.float() - reference.float()).abs().max().item()
                flops = 4 * b * h * s * s * d / (2 if causal else 1)
                tf = {k: flops / t / 1e9 for k, t in times.items()}
                best = tf.get(native, tf["sm_80"])
                print(f"{d:>4} {s:>6} {str(causal):>6} {tf.get(native, 0):>7.1f} "
                      f"{tf['sm_80']:>7.1f} {tf['flash']:>7.1f} {tf['cudnn']:>7.1f} "
                      f"{best / tf['flash']:>6.2f} {best / tf['cudnn']:>6.2f} "
                      f"{diff:>10.2e}", flush=True)
                rows.append((d, s, causal, tf.get(native, 0.0), tf["sm_80"],
                             tf["flash"], tf["cudnn"]))
                del sets, ours, theirs
    with open(os.path.join(bundle, "results.csv"), "w") as f:
        f.write(f"head_dim,seq,causal,attn_{native.replace('_', '')}_tflops,"
                "attn_sm80_tflops,torch_flash_tflops,cudnn_tflops\n")
        for d, s, causal, a90, a80, fl, cu in rows:
            f.write(f"{d},{s},{int(causal)},{a90:.1f},{a80:.1f},{fl:.1f},{cu:.1f}\n")
    plot(rows, os.path.join(bundle, "sdpa_sweep.png"), native)


def plot(rows, path, native):
    """TFLOP/s against S, one panel per (head dim, mask)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(2, len(HEAD_DIMS), figsize=(12, 6.5), sharey=True,
                             squeeze=False)
    for row, causal in enumerate((False, True)):
        for col, d in enumerate(HEAD_DIMS):
            ax = axes[row][col]
            picked = [r for r in rows if r[0] == d and r[2] == causal]
            seqs = [r[1] for r in picked]
            if any(r[3] for r in picked):
                ax.plot(seqs, [r[3] for r in picked], "o-", label=f"attn {native}")
            ax.plot(seqs, [r[4] for r in picked], "^-", label="attn sm_80 (PTX JIT)")
            ax.plot(seqs, [r[5] for r in picked], "s--", label="torch flash (FA2)")
            ax.plot(seqs, [r[6] for r in picked], "d--", label="cuDNN SDPA")
            ax.set_xscale("log", base=2)
            ax.set_title(f"D={d}, {'causal' if causal else 'no mask'}")
            ax.set_xlabel("sequence length")
            ax.grid(True, alpha=0.3)
    for row in axes:
        row[0].set_ylabel("TFLOP/s")
    axes[0][0].legend()
    fig.suptitle("Forward attention, bf16, 16k tokens per batch, hidden 2048")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def main():
    global HEAD_DIMS, SEQS
    args = sys.argv[1:]
    for flag in ("--head-dims", "--seqs"):
        if flag in args:
            i = args.index(flag)
            if i + 1 >= len(args):
                sys.exit(f"{flag} needs a comma-separated list")
            values = tuple(int(x) for x in args[i + 1].split(","))
            if flag == "--head-dims":
                HEAD_DIMS = values
            else:
                SEQS = values
            del args[i:i + 2]
    if not args or args[0] not in ("compile", "run"):
        sys.exit(f"usage: {sys.argv[0]} compile|run [BUNDLE] "
                 "[--head-dims D,...] [--seqs S,...]")
    bundle = os.path.abspath(args[1] if len(args) > 1 else "bench-bundle")
    compile_bundle(bundle) if args[0] == "compile" else run_bundle(bundle)


if __name__ == "__main__":
    main()
