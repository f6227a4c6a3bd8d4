#!/usr/bin/env python3
"""One attn call and one torch SDPA call of the same shape under ncu, side by side.

  python3 bench/sdpa_sweep.py compile BUNDLE --head-dims D     # here
  python3 bench/ncu_pair.py BUNDLE --head-dim D --seq S [--causal] [--chip CHIP]
                            [--peer flash|cudnn]               # GPU machine, ncu on PATH

Runs itself under Nsight Compute: one call of attn.torch.attention from
BUNDLE (the kernel of CHIP, default sm_80, forced with ATTN_CHIP) and one of
F.scaled_dot_product_attention under SDPA's flash backend (or cuDNN's,
`--peer cudnn`: the bar of the sm_90a kernel), on the same bf16
tensors (16k tokens, hidden 2048, as in bench/sdpa_sweep.py), and profiles
the two kernels with the SpeedOfLight, Occupancy, LaunchStats,
SchedulerStats, WarpStateStats and InstructionStats sections and the
warps' stall reasons (cycles stalled per issued instruction, by reason;
ncu's clock control: base clocks, so durations are longer than the
sweep's). Prints one row per metric with both kernels' values and their
ratio, attn's over the peer's.
"""
import argparse
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sdpa_sweep import HIDDEN, TOKENS, build_runtime  # noqa: E402

SECTIONS = ("SpeedOfLight", "Occupancy", "LaunchStats", "SchedulerStats",
            "WarpStateStats", "InstructionStats")
# (section, metric) in the order printed.
METRICS = (
    ("GPU Speed Of Light Throughput", "Duration"),
    ("GPU Speed Of Light Throughput", "Elapsed Cycles"),
    ("GPU Speed Of Light Throughput", "Compute (SM) Throughput"),
    ("GPU Speed Of Light Throughput", "Memory Throughput"),
    ("Instruction Statistics", "Executed Instructions"),
    ("Scheduler Statistics", "One or More Eligible"),
    ("Warp State Statistics", "Warp Cycles Per Issued Instruction"),
    ("Launch Statistics", "Grid Size"),
    ("Launch Statistics", "Block Size"),
    ("Launch Statistics", "Registers Per Thread"),
    ("Launch Statistics", "Dynamic Shared Memory Per Block"),
    ("Occupancy", "Theoretical Occupancy"),
    ("Occupancy", "Achieved Occupancy"),
)
# Where the warps wait: cycles a warp spends stalled for each reason per
# issued instruction (what WarpStateStats sums into "Warp Cycles Per Issued
# Instruction"), as raw metrics.
STALLS = ("barrier", "long_scoreboard", "short_scoreboard", "mio_throttle",
          "math_pipe_throttle", "wait", "not_selected", "dispatch_stall",
          "branch_resolving", "no_instruction", "lg_throttle")
RAW = "Command line profiler metrics"
STALL_METRICS = tuple(
    f"smsp__average_warps_issue_stalled_{reason}_per_issue_active.ratio"
    for reason in STALLS)
# The profiled kernels: attn's, and each peer's by the name its library
# gives it.
PEERS = {"flash": "flash_fwd", "cudnn": "cudnn"}
KERNELS = "regex:attn_|" + "|".join(PEERS.values())


def call(bundle, chip, head_dim, seq, causal, peer):
    """The profiled process: one call of each, attn's first. It finds the
    runtime the parent built through ATTN_LIBRARY_PATH."""
    import attn
    import torch
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    attn.add_bundle(bundle)
    from attn.torch import attention

    b, h = TOKENS // seq, HIDDEN // head_dim
    q, k, v = [torch.randn(b, h, seq, head_dim, device="cuda",
                           dtype=torch.bfloat16) for _ in range(3)]
    os.environ[attn.torch.CHIP_VARIABLE] = chip
    with torch.no_grad():
        ours = attention(q, k, v, causal=causal)
        backend = {"flash": SDPBackend.FLASH_ATTENTION,
                   "cudnn": SDPBackend.CUDNN_ATTENTION}[peer]
        with sdpa_kernel(backend):
            theirs = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.cuda.synchronize()
    print(f"max |diff| {(ours.float() - theirs.float()).abs().max().item():.2e}",
          file=sys.stderr)


def parse(report):
    """{kernel name: {(section, metric): (value, unit)}} from ncu's CSV."""
    rows = [line for line in report.splitlines() if line.startswith('"')]
    kernels = {}
    for row in csv.DictReader(io.StringIO("\n".join(rows))):
        metrics = kernels.setdefault(row["Kernel Name"], {})
        metrics[(row["Section Name"], row["Metric Name"])] = (
            row["Metric Value"], row["Metric Unit"])
    return kernels


def number(text):
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def table(kernels, peer):
    """The side-by-side rows: attn's kernel (named attn_...) against the
    peer's."""
    ours = next((m for n, m in kernels.items() if n.startswith("attn_")), None)
    theirs = next((m for n, m in kernels.items() if PEERS[peer] in n), None)
    if ours is None or theirs is None:
        sys.exit(f"ncu profiled {sorted(kernels) or 'no kernel'}; expected an "
                 f"attn_ kernel and one named {PEERS[peer]}")
    lines = [f"{'metric':<38} {'unit':<14} {'attn':>14} {peer:>14} {'ratio':>6}"]
    rows = [(key, key[1]) for key in METRICS]
    rows += [((RAW, metric), f"stall {reason} / issue")
             for reason, metric in zip(STALLS, STALL_METRICS)]
    for key, label in rows:
        a, unit = ours.get(key, ("-", ""))
        f, _ = theirs.get(key, ("-", ""))
        x, y = number(a), number(f)
        ratio = f"{x / y:6.2f}" if x is not None and y else ""
        lines.append(f"{label:<38} {unit:<14} {a:>14} {f:>14} {ratio:>6}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--head-dim", type=int, required=True)
    parser.add_argument("--seq", type=int, required=True)
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--chip", default="sm_80")
    parser.add_argument("--peer", choices=sorted(PEERS), default="flash")
    parser.add_argument("--call", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    bundle = os.path.abspath(args.bundle)
    if args.call:
        return call(bundle, args.chip, args.head_dim, args.seq, args.causal,
                    args.peer)

    # Built once, here: the child under ncu only loads it.
    library = build_runtime(bundle)
    command = ["ncu", "--csv", "--page", "details", "-k", KERNELS, "-c", "2"]
    for section in SECTIONS:
        command += ["--section", section]
    command += ["--metrics", ",".join(STALL_METRICS)]
    command += [sys.executable, os.path.abspath(__file__), bundle, "--call",
                "--head-dim", str(args.head_dim), "--seq", str(args.seq),
                "--chip", args.chip, "--peer", args.peer]
    command += ["--causal"] if args.causal else []
    done = subprocess.run(command, capture_output=True, text=True,
                          env=dict(os.environ, ATTN_LIBRARY_PATH=library))
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}"
                 f"{done.stderr[-2000:]}")
    print(f"# D={args.head_dim} S={args.seq} causal={args.causal} "
          f"attn {args.chip} against torch {args.peer}, one call each under ncu; "
          + done.stderr.strip().splitlines()[-1])
    print(table(parse(done.stdout), args.peer))


if __name__ == "__main__":
    main()
