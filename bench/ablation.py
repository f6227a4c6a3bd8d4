#!/usr/bin/env python3
"""What each part of the sm_90a schedule is worth: the same kernel with one
thing off, timed at one shape, beside PyTorch SDPA's flash and cuDNN.

Two halves, like bench/sdpa_sweep.py:

  python3 bench/ablation.py compile [BUNDLE]   # here: needs build/bin/attn-compile
  python3 bench/ablation.py run [BUNDLE]       # GPU machine: CUDA, CMake, PyTorch

`compile` writes one artifact per (variant, causal or not) for bf16
attention at head dim D (default 128, `--head-dim`), H = 2048 / D heads:
the full schedule (the chip's choices for D), then without ping-pong,
without the intra-warpgroup overlap, without both (warp specialisation
alone), rescaling O at every step, rescaling it only past a threshold of 8
(one of the two is the default), one K/V stage instead of two, persistent
CTAs and one CTA a tile (one of the two is the default), one query slot
instead of two (persistent CTAs load the next tile's query under
this one's steps; two is the default), FlashAttention-4's exp2 on the FMA units
for one score in 4, in 2 and all of them, and the FA2 form without warp
specialisation (the sm_80 kernel, through the driver's PTX JIT), also with
one exp2 in 2 by the polynomial. `run` builds the runtime and
times each with `attn-run --bench` at B = 16384 / S, S = 8192 (`--seq`), and
SDPA's flash and cuDNN backends at the same shape (CUDA events, median), then
prints TFLOP/s and the ratio to cuDNN.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sdpa_sweep  # noqa: E402  (the runtime build and the timing method)

TOKENS, HIDDEN = 16384, 2048

# (name, attn-compile flags)
VARIANTS = [
    ("full schedule", ["--chip=sm_90a"]),
    ("no ping-pong", ["--chip=sm_90a", "--ping-pong=false"]),
    ("no intra-warpgroup overlap", ["--chip=sm_90a", "--overlap=false"]),
    ("warp specialisation only", ["--chip=sm_90a", "--ping-pong=false",
                                  "--overlap=false"]),
    ("rescale every step", ["--chip=sm_90a", "--rescale-threshold=0"]),
    ("conditional rescaling (8)", ["--chip=sm_90a", "--rescale-threshold=8"]),
    ("one stage instead of two", ["--chip=sm_90a", "--stages=1"]),
    ("persistent CTAs", ["--chip=sm_90a", "--persistent=true"]),
    ("one CTA a tile", ["--chip=sm_90a", "--persistent=false"]),
    ("one query slot instead of two", ["--chip=sm_90a", "--query-stages=1"]),
    ("exp2: 1 in 4 by polynomial", ["--chip=sm_90a", "--exp2-emulation=4"]),
    ("exp2: 1 in 2 by polynomial", ["--chip=sm_90a", "--exp2-emulation=2"]),
    ("exp2: all by polynomial", ["--chip=sm_90a", "--exp2-emulation=1"]),
    ("no warp specialisation (sm_80 FA2)", ["--chip=sm_80"]),
    ("sm_80, exp2: 1 in 2 by polynomial", ["--chip=sm_80", "--exp2-emulation=2"]),
]


def attention_ir(d, causal):
    heads = HIDDEN // d
    t = f"tensor<?x{heads}x?x{d}xbf16>"
    mask = "causal " if causal else ""
    return f"""func.func @attention(%q: {t}, %k: {t}, %v: {t}) -> {t} {{
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : {t}
  %s = tensor.dim %q, %c2 : {t}
  %init = tensor.empty(%b, %s) : {t}
  %o = attn.attention {mask}ins(%q, %k, %v : {t}, {t}, {t})
         outs(%init : {t}) -> {t}
  return %o : {t}
}}
"""


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def compile_bundle(bundle, d):
    os.makedirs(bundle, exist_ok=True)
    compiler = os.path.join(ROOT, "build", "bin", "attn-compile")
    for causal in (False, True):
        source = os.path.join(bundle, f"d{d}-{'causal' if causal else 'full'}.mlir")
        with open(source, "w") as f:
            f.write(attention_ir(d, causal))
        for name, flags in VARIANTS:
            out = os.path.join(bundle, f"{slug(name)}-{'causal' if causal else 'full'}")
            subprocess.run(["rm", "-rf", out], check=True)
            subprocess.run([compiler, source, *flags, "-o", out], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"{name}, causal={causal}: {out}")
    with open(os.path.join(bundle, "head_dim"), "w") as f:
        f.write(str(d))


def sdpa_tflops(b, h, s, d, causal):
    import torch
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    sets = [[torch.randn(b, h, s, d, device="cuda", dtype=torch.bfloat16)
             for _ in range(3)] for _ in range(4)]
    flops = 4 * b * h * s * s * d / (2 if causal else 1)
    out = {}
    for name, backend in (("flash", SDPBackend.FLASH_ATTENTION),
                          ("cudnn", SDPBackend.CUDNN_ATTENTION)):
        with sdpa_kernel(backend), torch.no_grad():
            calls = [lambda q=q, k=k, v=v: F.scaled_dot_product_attention(
                q, k, v, is_causal=causal) for q, k, v in sets]
            out[name] = flops / sdpa_sweep.median_ms(torch, calls) / 1e9
    return out


def run_bundle(bundle, s):
    build = sdpa_sweep.build_runtime(bundle)
    with open(os.path.join(bundle, "head_dim")) as f:
        d = int(f.read())
    b, h = TOKENS // s, HIDDEN // d
    import torch
    print(f"# {torch.cuda.get_device_name()}; bf16, D={d}, B={b}, H={h}, S={s}; TFLOP/s")
    print(f"{'variant':<36} {'causal':>6} {'TFLOP/s':>8} {'/cudnn':>7} {'max rel err':>12}")

    def attn_run(folder):
        return subprocess.run(
            [os.path.join(build, "attn-run"), folder, "--batch", str(b),
             "--heads", str(h), "--seq-q", str(s), "--seq-kv", str(s),
             "--bench"], capture_output=True, text=True)

    # One untimed run first: the first kernel timed after the build would
    # otherwise meet the GPU at another clock than the rest.
    attn_run(os.path.join(bundle, f"{slug(VARIANTS[0][0])}-full"))
    for causal in (False, True):
        ref = sdpa_tflops(b, h, s, d, causal)
        for name, _ in VARIANTS:
            done = attn_run(os.path.join(
                bundle, f"{slug(name)}-{'causal' if causal else 'full'}"))
            tf = re.search(r"([0-9.]+) TFLOP/s", done.stdout)
            err = re.search(r"max rel err ([0-9.e+-]+)", done.stdout)
            if done.returncode != 0 or not tf:
                print(f"{name:<36} {str(causal):>6} failed: "
                      f"{(done.stdout + done.stderr).strip()[-300:]}")
                continue
            t = float(tf.group(1))
            print(f"{name:<36} {str(causal):>6} {t:>8.1f} {t / ref['cudnn']:>7.2f} "
                  f"{err.group(1) if err else '-':>12}", flush=True)
        for name in ("flash", "cudnn"):
            print(f"{'torch SDPA ' + name:<36} {str(causal):>6} {ref[name]:>8.1f} "
                  f"{ref[name] / ref['cudnn']:>7.2f} {'-':>12}")


def main():
    args = sys.argv[1:]
    d, s = 128, 8192
    for flag in ("--head-dim", "--seq"):
        if flag in args:
            i = args.index(flag)
            value = int(args[i + 1])
            d, s = (value, s) if flag == "--head-dim" else (d, value)
            del args[i:i + 2]
    if not args or args[0] not in ("compile", "run"):
        sys.exit(f"usage: {sys.argv[0]} compile|run [BUNDLE] [--head-dim D] [--seq S]")
    bundle = os.path.abspath(args[1] if len(args) > 1 else "ablation-bundle")
    compile_bundle(bundle, d) if args[0] == "compile" else run_bundle(bundle, s)


if __name__ == "__main__":
    main()
