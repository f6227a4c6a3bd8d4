#!/usr/bin/env python3
"""Fixed and per-step cost of a query tile: attn beside SDPA's cuDNN and
flash backends at one query length and growing key lengths.

  python3 bench/sdpa_sweep.py compile BUNDLE --head-dims 64,128   # here
  python3 bench/kv_sweep.py BUNDLE                                 # GPU machine

Runs attn.torch.attention with the bundle's sm_90a kernels (ATTN_CHIP)
and F.scaled_dot_product_attention at bf16, B = 16, H = 2048 / D, Sq =
1024 and Skv = 128 ... 4096 without a mask (each query tile runs Skv /
tile_n K/V steps), then causal at S = 1024 and 2048, with
bench/sdpa_sweep.py's timing (median of 30 samples of 8 calls, the median
of three rounds). Prints microseconds a call: where the lines against Skv
cross zero is what a tile costs besides its K/V steps.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "python"))

import attn  # noqa: E402
import sdpa_sweep  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} BUNDLE")
    import torch
    import torch.nn.functional as F

    bundle = os.path.abspath(sys.argv[1])
    os.environ["ATTN_LIBRARY_PATH"] = sdpa_sweep.build_runtime(bundle)
    attn.add_bundle(bundle)
    from attn.torch import attention
    print(f"# {torch.cuda.get_device_name()}; bf16, B = 16, H = 2048 / D; us a call")
    print(f"{'D':>4} {'Sq':>5} {'Skv':>5} {'causal':>6} {'attn':>8} {'cudnn':>8} "
          f"{'flash':>8} {'max |diff|':>10}")
    points = [(1024, s, False) for s in (128, 256, 512, 1024, 2048, 4096)]
    points += [(1024, 1024, True), (2048, 2048, True)]
    for d in (64, 128):
        h = 2048 // d
        for sq, skv, causal in points:
            b = 16 * 1024 // sq
            sets = [[torch.randn(b, h, n, d, device="cuda", dtype=torch.bfloat16)
                     for n in (sq, skv, skv)] for _ in range(4)]
            ours = [lambda q=q, k=k, v=v: attention(q, k, v, causal=causal)
                    for q, k, v in sets]
            theirs = [lambda q=q, k=k, v=v: F.scaled_dot_product_attention(
                q, k, v, is_causal=causal) for q, k, v in sets]
            with torch.no_grad():
                ms = sdpa_sweep.time_rounds(torch, ["sm_90a", "cudnn", "flash"],
                                            ours, theirs)
                us = {k: t * 1000 for k, t in ms.items()}
                mine = sdpa_sweep.run_as("sm_90a", ours[0])
                reference = sdpa_sweep.run_as("flash", theirs[0])
                diff = (mine.float() - reference.float()).abs().max().item()
            print(f"{d:>4} {sq:>5} {skv:>5} {str(causal):>6} {us['sm_90a']:>8.1f} "
                  f"{us['cudnn']:>8.1f} {us['flash']:>8.1f} {diff:>10.2e}", flush=True)


if __name__ == "__main__":
    main()
