#!/usr/bin/env python3
"""Decode steps: attn beside PyTorch SDPA's flash and cuDNN backends, in GB/s.

A decode step is a few new queries against a long K/V cache; its speed is
the bandwidth at which K and V are read. Two halves, like the SDPA sweep:

  python3 bench/decode.py compile [BUNDLE]   # here: needs the built compiler library
  python3 bench/decode.py run [BUNDLE]       # GPU machine: CUDA, CMake, PyTorch

`compile` writes the kernels attn.torch picks for the rows below (bf16,
Hq = 32, Hkv = 8, D = 128, causal aligned to the bottom right) on a Hopper
GPU of 132 SMs: the packed FlashAttention-2 kernel that sm_90a builds for
each query length, split along the cache where the step would leave SMs
idle; the same for sm_80 (its PTX, through the driver's JIT); and the
sm_90a FlashAttention-3 kernel with dynamic shapes (one 128-row query tile
per head, no packing) for comparison. `run` times, on the same tensors and
stream, attn.torch.attention (sm_90a; then forced to sm_80 with ATTN_CHIP),
the FlashAttention-3 kernel, and F.scaled_dot_product_attention with the
flash and cuDNN backends (enable_gqa; for one query the bottom-right causal mask hides
nothing, for more it is torch's causal_lower_right bias), as in
bench/sdpa_sweep.py (median of 30 samples of 8 calls over 4 input sets), in
three rounds over the implementations in turn (the median round: whichever
runs first after its inputs are made reads a few percent slow).
It prints GB/s of K and V read (2 B Hkv Skv D bytes of bf16, each once),
the card's copy bandwidth (a device-to-device copy of 1 GiB) and the ratios.
Each row also runs attn.torch.attention_paged on the same keys in a paged
cache of PAGE_SIZE-key pages in a random order (full caches; SDPA has no
paged form), against attn's contiguous time.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import attn  # noqa: E402
from attn.spec import decode_fields  # noqa: E402

PAGE_SIZE = 64
from sdpa_sweep import build_runtime, median_ms, run_as, sdpa_backends  # noqa: E402

HQ, HKV, D = 32, 8, 128
# (B, Skv, Sq): the table.
ROWS = ((8, 8192, 1), (32, 8192, 1), (8, 32768, 1), (64, 4096, 1), (8, 8192, 16))
# The SMs of the GPU the kernels are compiled for (H100, H200): attn.torch
# splits a decode step by the device's count.
MULTIPROCESSORS = 132


# The FlashAttention-3 kernel: dynamic shapes, so not a decode step's.
FA3_SPEC = attn.AttentionSpec.for_call(D, "bf16", causal=True)


def specs():
    out = []
    for b, skv, sq in ROWS:
        packed = attn.AttentionSpec.for_call(
            D, "bf16", causal=True,
            **decode_fields(b, HQ, HKV, sq, skv, D, MULTIPROCESSORS))
        capacity = skv  # the block table holds exactly the cache
        paged = attn.AttentionSpec.for_call(
            D, "bf16", causal=True, page_size=PAGE_SIZE,
            **decode_fields(b, HQ, HKV, sq, capacity, D, MULTIPROCESSORS,
                            page_size=PAGE_SIZE))
        for spec in (("sm_90a", packed), ("sm_80", packed), ("sm_90a", paged)):
            if spec not in out:
                out.append(spec)
    out.append(("sm_90a", FA3_SPEC))
    return out


def compile_bundle(bundle):
    for chip, spec in specs():
        for artifact in attn.write_bundle([spec], bundle, chip=chip):
            print(f"{artifact.kernel} ({chip}): {artifact.path}")


def copy_bandwidth(torch):
    """GB/s of a device-to-device copy (read and write counted)."""
    src = torch.empty(1 << 30, dtype=torch.uint8, device="cuda")
    dst = torch.empty_like(src)
    ms = median_ms(torch, [lambda: dst.copy_(src)])
    return 2 * src.numel() / ms / 1e6


# The implementations a row times, in the order of each round.
NAMES = ("attn", "paged", "sm_80", "fa3", "flash", "cudnn")
ROUNDS = 3


def run_bundle(bundle):
    import torch
    import torch.nn.functional as F
    from torch.nn.attention import sdpa_kernel
    from torch.nn.attention.bias import causal_lower_right

    os.environ["ATTN_LIBRARY_PATH"] = build_runtime(bundle)
    attn.add_bundle(bundle)
    from attn.torch import attention, attention_paged
    from attn.torch import _kernel, _launch
    fa3 = _kernel(FA3_SPEC, "sm_90a", torch.device("cuda", torch.cuda.current_device()))

    def fa3_call(q, k, v):
        out = torch.empty_like(q)
        _launch(fa3, {"query": q, "key": k, "value": v, "output": out, "lse": None},
                q.device)
        return out

    copy = copy_bandwidth(torch)
    print(f"# {torch.cuda.get_device_name()}, torch {torch.__version__}; "
          f"device copy {copy:.0f} GB/s; GB/s of K and V read")
    print(f"{'B':>3} {'Skv':>6} {'Sq':>3} {'attn':>6} {'paged':>6} {'sm_80':>6} {'fa3':>6} "
          f"{'flash':>6} "
          f"{'cudnn':>6} {'/flash':>6} {'/cudnn':>6} {'/copy':>5} {'pg/ctg':>6} "
          f"{'max |diff|':>10} {'paged diff':>10}")
    rows = []
    with torch.no_grad():
        for b, skv, sq in ROWS:
            def make(h, s):
                return torch.randn(b, h, s, D, device="cuda", dtype=torch.bfloat16)
            sets = [(make(HQ, sq), make(HKV, skv), make(HKV, skv)) for _ in range(4)]
            ours = [lambda q=q, k=k, v=v: attention(q, k, v, causal="lower_right")
                    for q, k, v in sets]
            mine = ours[0]()
            # The same keys in pages of PAGE_SIZE, handed out in a random order.
            pages = skv // PAGE_SIZE
            paged_sets = []
            for q, k, v in sets:
                order = torch.randperm(b * pages, device="cuda")
                table = order.view(b, pages).int()
                k_cache = torch.empty(b * pages, PAGE_SIZE, HKV, D, device="cuda",
                                      dtype=torch.bfloat16)
                v_cache = torch.empty_like(k_cache)
                k_cache[order] = k.view(b, HKV, pages, PAGE_SIZE, D).permute(
                    0, 2, 3, 1, 4).reshape(b * pages, PAGE_SIZE, HKV, D)
                v_cache[order] = v.view(b, HKV, pages, PAGE_SIZE, D).permute(
                    0, 2, 3, 1, 4).reshape(b * pages, PAGE_SIZE, HKV, D)
                lengths = torch.full((b,), skv, dtype=torch.int32, device="cuda")
                paged_sets.append((q, k_cache, v_cache, table, lengths))
            paged = [lambda a=a: attention_paged(*a, causal=True, validate=False)
                     for a in paged_sets]
            paged_diff = (paged[0]().float() - mine.float()).abs().max().item()
            mask = None if sq == 1 else causal_lower_right(sq, skv)
            theirs = [lambda q=q, k=k, v=v: F.scaled_dot_product_attention(
                q, k, v, attn_mask=mask, enable_gqa=True) for q, k, v in sets]
            reference = None
            for backend in sdpa_backends().values():
                try:
                    with sdpa_kernel(backend):
                        reference = theirs[0]()
                    break
                except RuntimeError:  # the backend does not take this call
                    pass

            def measure(name):
                calls = {"attn": ours, "sm_80": ours, "paged": paged,
                         "flash": theirs, "cudnn": theirs,
                         "fa3": [lambda a=a: fa3_call(*a) for a in sets]}[name]
                if name in ("attn", "paged", "fa3"):
                    return median_ms(torch, calls)
                try:
                    return run_as(name, lambda: median_ms(torch, calls))
                except RuntimeError:  # an SDPA backend that does not take the call
                    return float("nan")

            # Rounds over every implementation in turn: whichever runs first
            # after the inputs are made reads a few percent slower.
            samples = {name: [] for name in NAMES}
            for _ in range(ROUNDS):
                for name in NAMES:
                    samples[name].append(measure(name))
            times = {name: sorted(t)[len(t) // 2] for name, t in samples.items()}
            del paged_sets, paged
            diff = float("nan") if reference is None else \
                (mine.float() - reference.float()).abs().max().item()
            bytes_read = 2 * b * HKV * skv * D * 2
            gbs = {k: bytes_read / t / 1e6 for k, t in times.items()}
            print(f"{b:>3} {skv:>6} {sq:>3} {gbs['attn']:>6.0f} {gbs['paged']:>6.0f} "
                  f"{gbs['sm_80']:>6.0f} {gbs['fa3']:>6.0f} "
                  f"{gbs['flash']:>6.0f} {gbs['cudnn']:>6.0f} "
                  f"{gbs['attn'] / gbs['flash']:>6.2f} {gbs['attn'] / gbs['cudnn']:>6.2f} "
                  f"{gbs['attn'] / copy:>5.2f} {gbs['paged'] / gbs['attn']:>6.2f} "
                  f"{diff:>10.2e} {paged_diff:>10.2e}", flush=True)
            rows.append((b, skv, sq, gbs))
            del sets, ours
    with open(os.path.join(bundle, "decode.csv"), "w") as f:
        f.write("batch,seq_kv,seq_q,attn_gbs,attn_paged_gbs,attn_sm80_gbs,attn_fa3_gbs,"
                "torch_flash_gbs,cudnn_gbs,copy_gbs\n")
        for b, skv, sq, g in rows:
            f.write(f"{b},{skv},{sq},{g['attn']:.0f},{g['paged']:.0f},{g['sm_80']:.0f},"
                    f"{g['fa3']:.0f},"
                    f"{g['flash']:.0f},{g['cudnn']:.0f},{copy:.0f}\n")
    plot(rows, copy, torch.cuda.get_device_name(), os.path.join(bundle, "decode.png"))


def plot(rows, copy, device, path):
    """GB/s per row, one bar per implementation, the copy bandwidth as a line."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    names = (("attn", "attn sm_90a (FA2 kernel: packed, split)"),
             ("paged", f"attn, paged cache ({PAGE_SIZE}-key pages)"),
             ("fa3", "attn sm_90a FA3 kernel (unpacked)"),
             ("flash", "torch flash"), ("cudnn", "cuDNN SDPA"))
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.16
    for i, (key, label) in enumerate(names):
        ax.bar([r + i * width for r in range(len(rows))], [g[key] for *_, g in rows],
               width, label=label)
    ax.axhline(copy, color="black", linestyle="--", linewidth=1, label="device copy")
    ax.set_xticks([r + 2 * width for r in range(len(rows))])
    ax.set_xticklabels([f"B={b}\nSkv={skv}\nSq={sq}" for b, skv, sq, _ in rows])
    ax.set_ylabel("GB/s of K and V read")
    ax.set_title(f"Decode, bf16, Hq=32, Hkv=8, D=128, causal ({device})")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("compile", "run"):
        sys.exit(f"usage: {sys.argv[0]} compile|run [BUNDLE]")
    bundle = os.path.abspath(args[1] if len(args) > 1 else "decode-bundle")
    compile_bundle(bundle) if args[0] == "compile" else run_bundle(bundle)


if __name__ == "__main__":
    main()
