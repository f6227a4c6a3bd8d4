#!/usr/bin/env python3
"""Host time of one attn.torch.attention call beside one SDPA call.

    python3 bench/call_overhead.py BUNDLE RUNTIME_LIB_DIR   # GPU machine

On a problem small enough that the GPU is never the limit (B=1, H=2,
S=128, D=64, bf16), times 2000 back-to-back calls of each on the host after
50 warm-up calls and prints microseconds per call: the cost of argument
checks, the kernel lookup, output allocation and the ctypes launch. The
kernel must be in BUNDLE (python3 python/tests/gpu_cases.py BUNDLE writes
it).
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "python"))


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} BUNDLE RUNTIME_LIB_DIR")
    os.environ["ATTN_LIBRARY_PATH"] = sys.argv[2]
    import torch
    import torch.nn.functional as F

    import attn
    from attn.torch import attention
    attn.add_bundle(sys.argv[1])
    q = torch.randn(1, 2, 128, 64, device="cuda", dtype=torch.bfloat16)
    with torch.no_grad():
        for name, call in (("attn.torch.attention", lambda: attention(q, q, q, causal=True)),
                           ("F.scaled_dot_product_attention",
                            lambda: F.scaled_dot_product_attention(q, q, q, is_causal=True))):
            for _ in range(50):
                call()
            torch.cuda.synchronize()
            start, n = time.perf_counter(), 2000
            for _ in range(n):
                call()
            host = (time.perf_counter() - start) / n * 1e6
            torch.cuda.synchronize()
            print(f"{name:32} {host:7.1f} us per call (host), B=1 H=2 S=128 D=64 causal")


if __name__ == "__main__":
    main()
