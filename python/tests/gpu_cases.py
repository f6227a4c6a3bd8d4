"""The attention calls of test_torch.py, as data, so that the kernels they
need can be compiled here into a bundle and run on a GPU machine without the
compiler:

    python3 python/tests/gpu_cases.py BUNDLE     # writes BUNDLE/<chip>-<spec>-<digest>/
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from attn import AttentionSpec  # noqa: E402
from attn.spec import decode_fields  # noqa: E402

# The SMs of the GPUs the suite runs on (H100, H200): attention() splits a
# decode step by the device's count, so the bundle holds that kernel.
GPU_MULTIPROCESSORS = 132

# (id, dtype, B, Hq, Hkv, Sq, Skv, D, options): options are attention()'s
# keyword arguments. Lengths are not multiples of the tiles (ragged edges).
CASES = []
for d in (64, 128, 256):
    CASES += [
        (f"d{d}-full", "bf16", 2, 4, 4, 1000, 1000, d, {}),
        (f"d{d}-full-ragged", "bf16", 2, 4, 4, 77, 1000, d, {}),
        (f"d{d}-causal-gqa", "bf16", 1, 8, 2, 1000, 1000, d, {"causal": True}),
        (f"d{d}-lower-right-mqa", "bf16", 2, 4, 1, 300, 1000, d, {"causal": "lower_right"}),
        (f"d{d}-lower-right-empty-rows", "bf16", 1, 2, 2, 1000, 300, d,
         {"causal": "lower_right"}),
    ]
CASES += [
    ("d128-causal-lse", "bf16", 2, 4, 2, 1000, 1000, 128, {"causal": True, "return_lse": True}),
    ("d64-f16", "f16", 2, 4, 4, 513, 513, 64, {}),
    ("d128-window", "bf16", 1, 4, 4, 1000, 1000, 128, {"window": (100, 20)}),
    ("d64-softcap-scale", "bf16", 1, 4, 1, 1000, 1000, 64, {"scale": 0.3, "softcap": 30.0}),
    ("d64-scale-default-spelled", "bf16", 1, 2, 2, 100, 100, 64, {"scale": 0.125}),
    # Decode steps: packed GQA on the FlashAttention-2 kernel (sm_90a's build
    # on Hopper); the first is split into 8 chunks of 512 keys.
    ("d128-decode-gqa4", "bf16", 4, 32, 8, 1, 4000, 128, {"causal": "lower_right"}),
    ("d64-decode-gqa8-lse", "bf16", 2, 16, 2, 16, 1000, 64,
     {"causal": "lower_right", "return_lse": True}),
    ("d256-decode-gqa2", "bf16", 2, 4, 2, 3, 777, 256, {}),
]

# Paged K/V caches (attention_paged): (id, dtype, B, Hq, Hkv, Sq, longest
# cache, D, page size, options). Lengths are ragged below the longest, one
# cache is empty; pages are handed out in a random order.
PAGED_CASES = [
    ("paged-d128-gqa4-split", "bf16", 4, 32, 8, 1, 5000, 128, 64, {"causal": True}),
    ("paged-d64-gqa8-page16-lse", "bf16", 3, 16, 2, 7, 700, 64, 16,
     {"causal": True, "return_lse": True}),
    ("paged-d256-mha-window", "f16", 3, 4, 4, 33, 900, 256, 32, {"window": (200, 0)}),
]

# The decode matrix: head dims x GQA groups (query heads per key/value head)
# x query lengths x cache lengths, contiguous (attention(), B = 2, Hkv = 2)
# and paged (attention_paged(), B = 3 with ragged lengths up to the cache
# length, one empty; a page size per head dim). Groups of 4 and 8 take the
# packed kernel, one-query steps split along long caches; a group of 1 the
# unpacked one.
DECODE_PAGE_SIZES = {64: 16, 128: 64, 256: 32}
DECODE_CASES, PAGED_DECODE_CASES = [], []
for d in (64, 128, 256):
    for group in (1, 4, 8):
        for sq in (1, 5, 16):
            for skv in (1, 777, 32768):
                name = f"decode-d{d}-g{group}-q{sq}-kv{skv}"
                DECODE_CASES.append((name, "bf16", 2, 2 * group, 2, sq, skv, d,
                                     {"causal": "lower_right"}))
                PAGED_DECODE_CASES.append(("paged-" + name, "bf16", 3, 2 * group, 2, sq,
                                           skv, d, DECODE_PAGE_SIZES[d], {"causal": True}))


def paged_spec_of(dtype, b, hq, hkv, sq, longest, d, page_size, options):
    """The kernel attention_paged() picks for this call (its block table
    holds one spare page per sequence beyond the longest)."""
    capacity = (-(-longest // page_size) + 1) * page_size
    return AttentionSpec.for_call(
        d, dtype, causal=bool(options.get("causal")), window=options.get("window"),
        lse=bool(options.get("return_lse")), page_size=page_size,
        **decode_fields(b, hq, hkv, sq, capacity, d, GPU_MULTIPROCESSORS,
                        page_size=page_size))


def spec_of(dtype, b, hq, hkv, sq, skv, d, options):
    """The kernel attention() picks for this call."""
    return AttentionSpec.for_call(
        d, dtype, causal=bool(options.get("causal")), window=options.get("window"),
        scale=options.get("scale"), softcap=options.get("softcap"),
        lse=bool(options.get("return_lse")),
        **decode_fields(b, hq, hkv, sq, skv, d, GPU_MULTIPROCESSORS))


def specs(cases=None):
    unique = []
    for _, dtype, b, hq, hkv, sq, skv, d, options in CASES if cases is None else cases:
        spec = spec_of(dtype, b, hq, hkv, sq, skv, d, options)
        if spec not in unique:
            unique.append(spec)
    return unique


def paged_specs(cases=None):
    unique = []
    for case in PAGED_CASES if cases is None else cases:
        spec = paged_spec_of(*case[1:])
        if spec not in unique:
            unique.append(spec)
    return unique


if __name__ == "__main__":
    import attn
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} BUNDLE")
    from attn.spec import SM90A_HEAD_DIMS
    # attn.torch picks sm_90a on a Hopper GPU for decode steps it packs,
    # paged caches, and the head dims the FlashAttention-3 kernel takes;
    # test_torch.py also runs CASES and PAGED_CASES forced to sm_80.
    every = specs() + paged_specs()
    for spec in specs(DECODE_CASES) + paged_specs(PAGED_DECODE_CASES):
        if spec not in every:
            every.append(spec)
    for chip, chosen in (("sm_80", specs() + paged_specs()),
                         ("sm_90a", [s for s in every
                                     if s.packs_gqa or s.page_size is not None or
                                     s.head_dim in SM90A_HEAD_DIMS])):
        for artifact in attn.write_bundle(chosen, sys.argv[1], chip=chip):
            print(f"{artifact.kernel} ({chip}): {artifact.path}")
