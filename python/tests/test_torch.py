"""attn.torch.attention against scaled_dot_product_attention in float64.

The GPU tests (marked gpu) run where a CUDA GPU, PyTorch and the runtime
library are, with kernels from a bundle (scripts/gpu-suite.sh) or the
compiler. The argument checks need PyTorch only.
"""
import math

import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from attn.torch import attention, attention_paged  # noqa: E402
from gpu_cases import CASES, DECODE_CASES, PAGED_CASES, PAGED_DECODE_CASES  # noqa: E402

DTYPES = {"bf16": torch.bfloat16, "f16": torch.float16}
gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU")


def visible(sq, skv, options, device):
    """[Sq, Skv] booleans: which keys each query row sees."""
    i = torch.arange(sq, device=device)[:, None]
    j = torch.arange(skv, device=device)[None, :]
    causal = options.get("causal")
    if causal is True:
        return j <= i
    delta = j - (i + skv - sq)  # right of the lower-right diagonal
    if causal == "lower_right":
        return delta <= 0
    if options.get("window"):
        left, right = options["window"]
        return (delta >= -left) & (delta <= right)
    return torch.ones(sq, skv, dtype=torch.bool, device=device)


def reference(q, k, v, options):
    """float64 output and LSE; SDPA computes the output unless a softcap
    (which SDPA lacks) changes the scores."""
    q, k, v = q.double(), k.double(), v.double()
    sq, skv, d = q.shape[2], k.shape[2], q.shape[3]
    scale = options.get("scale") or 1 / math.sqrt(d)
    mask = visible(sq, skv, options, q.device)
    k = k.repeat_interleave(q.shape[1] // k.shape[1], dim=1)
    v = v.repeat_interleave(q.shape[1] // v.shape[1], dim=1)
    scores = (q @ k.transpose(-1, -2)) * scale
    if options.get("softcap"):
        cap = options["softcap"]
        scores = cap * torch.tanh(scores / cap)
    scores = scores.masked_fill(~mask, -math.inf)
    lse = torch.logsumexp(scores, dim=-1)
    if options.get("softcap"):
        out = torch.softmax(scores, dim=-1) @ v
    else:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    # Rows that see no key: 0 and -inf by attn's definition.
    seen = mask.any(dim=-1)[None, None, :, None]
    return torch.where(seen, out, torch.zeros_like(out)), lse


def run_case(dtype, b, hq, hkv, sq, skv, d, options, layout="bhsd"):
    torch.manual_seed(hash((dtype, b, hq, hkv, sq, skv, d)) % 2**31)
    dt = DTYPES[dtype]

    def make(h, s):
        if layout == "bshd":  # [B, S, H, D] storage seen as [B, H, S, D]
            return torch.randn(b, s, h, d, device="cuda", dtype=dt).transpose(1, 2)
        return torch.randn(b, h, s, d, device="cuda", dtype=dt)
    q, k, v = make(hq, sq), make(hkv, skv), make(hkv, skv)
    # Poison the allocator's next blocks so an unwritten output shows as NaN.
    poison = [torch.full((b, hq, sq, d), math.nan, device="cuda", dtype=dt),
              torch.full((b, hq, sq), math.nan, device="cuda")]
    del poison
    result = attention(q, k, v, **options)
    out, lse = result if options.get("return_lse") else (result, None)
    torch.cuda.synchronize()
    ref, ref_lse = reference(q, k, v, options)
    assert out.shape == (b, hq, sq, d) and out.dtype == dt
    assert not out.isnan().any(), "NaN or unwritten output"
    err = ((out.double() - ref).abs().max() / ref.abs().max()).item()
    print(f"max rel err {err:.2e}", end="")
    assert err <= 1e-2
    if lse is not None:
        finite = torch.isfinite(ref_lse)
        assert torch.equal(torch.isfinite(lse), finite)
        lse_err = (lse.double()[finite] - ref_lse[finite]).abs().max().item()
        print(f", lse max abs err {lse_err:.2e}", end="")
        assert lse_err <= 1e-4
    return err


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_against_sdpa(case):
    with torch.no_grad():
        run_case(*case[1:])


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_against_sdpa_forced_sm80(case, monkeypatch):
    # ATTN_CHIP=sm_80: the Ampere kernel wherever attn.torch would pick
    # another (Hopper), through the driver's JIT.
    monkeypatch.setenv("ATTN_CHIP", "sm_80")
    with torch.no_grad():
        run_case(*case[1:])


def paged_inputs(dtype, b, hq, hkv, sq, longest, d, page_size):
    """q, a paged cache with its pages in a random order, the block table
    (entries past a sequence's pages are -1) and ragged lengths (the first
    sequence the longest, the middle one empty); and each sequence's K and V
    gathered back, [1, Hkv, length, D]."""
    torch.manual_seed(hash((dtype, b, hq, sq, longest, d, page_size)) % 2**31)
    dt = DTYPES[dtype]
    lengths = torch.randint(0, longest + 1, (b,))
    lengths[0], lengths[b // 2] = longest, 0
    max_pages = -(-longest // page_size) + 1
    counts = [-(-int(n) // page_size) for n in lengths]
    pages = sum(counts) + 3
    order = torch.randperm(pages)
    table = torch.full((b, max_pages), -1, dtype=torch.int32)
    used = 0
    for i, count in enumerate(counts):
        table[i, :count] = order[used:used + count]
        used += count
    q = torch.randn(b, hq, sq, d, device="cuda", dtype=dt)
    k_cache = torch.randn(pages, page_size, hkv, d, device="cuda", dtype=dt)
    v_cache = torch.randn(pages, page_size, hkv, d, device="cuda", dtype=dt)

    def gather(cache, i):
        rows = cache[table[i, :counts[i]].long().cuda()].reshape(-1, hkv, d)
        return rows[:int(lengths[i])].transpose(0, 1)[None]
    caches = [(gather(k_cache, i), gather(v_cache, i)) for i in range(b)]
    return q, k_cache, v_cache, table.cuda(), lengths.int().cuda(), caches


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", DECODE_CASES, ids=[c[0] for c in DECODE_CASES])
def test_decode_matrix(case):
    with torch.no_grad():
        run_case(*case[1:])


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", PAGED_CASES, ids=[c[0] for c in PAGED_CASES])
def test_paged_against_float64(case):
    run_paged_case(case)


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", PAGED_CASES, ids=[c[0] for c in PAGED_CASES])
def test_paged_forced_sm80(case, monkeypatch):
    monkeypatch.setenv("ATTN_CHIP", "sm_80")
    run_paged_case(case)


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("case", PAGED_DECODE_CASES, ids=[c[0] for c in PAGED_DECODE_CASES])
def test_paged_decode_matrix(case):
    run_paged_case(case)


def run_paged_case(case):
    """attention_paged against each sequence's own attention in float64."""
    dtype, b, hq, hkv, sq, longest, d, page_size, options = case[1:]
    q, k_cache, v_cache, table, lengths, caches = paged_inputs(
        dtype, b, hq, hkv, sq, longest, d, page_size)
    with torch.no_grad():
        result = attention_paged(q, k_cache, v_cache, table, lengths, **options)
    out, lse = result if options.get("return_lse") else (result, None)
    torch.cuda.synchronize()
    assert out.shape == (b, hq, sq, d) and not out.isnan().any()
    worst, scale = 0.0, 0.0
    for i, (k, v) in enumerate(caches):
        aligned = dict(options)
        if aligned.get("causal"):
            aligned["causal"] = "lower_right"
        ref, ref_lse = reference(q[i:i + 1], k, v, aligned)
        if k.shape[2] == 0:  # an empty cache: zeros and -inf
            ref = torch.zeros_like(q[i:i + 1], dtype=torch.float64)
            ref_lse = torch.full(ref.shape[:3], -math.inf, dtype=torch.float64,
                                 device=ref.device)
        worst = max(worst, (out[i:i + 1].double() - ref).abs().max().item())
        scale = max(scale, ref.abs().max().item())
        if lse is not None:
            finite = torch.isfinite(ref_lse)
            assert torch.equal(torch.isfinite(lse[i:i + 1]), finite)
            if finite.any():
                assert (lse[i:i + 1].double()[finite] - ref_lse[finite]).abs().max() <= 1e-4
    err = worst / scale
    print(f"max rel err {err:.2e}", end="")
    assert err <= 1e-2


@pytest.mark.gpu
@gpu
def test_paged_bad_pages_raise():
    q, k_cache, v_cache, table, lengths, _ = paged_inputs("bf16", 2, 8, 2, 1, 100, 64, 16)
    bad = table.clone()
    bad[0, 1] = k_cache.shape[0]
    with pytest.raises(ValueError, match="outside the cache"):
        attention_paged(q, k_cache, v_cache, bad, lengths)
    with pytest.raises(ValueError, match="cache_lengths must lie in"):
        attention_paged(q, k_cache, v_cache, table, lengths + 1000)
    with pytest.raises(ValueError, match="torch.int32"):
        attention_paged(q, k_cache, v_cache, table.long(), lengths)


@pytest.mark.gpu
@gpu
def test_bshd_layout_without_copies():
    with torch.no_grad():
        run_case("bf16", 2, 4, 2, 1000, 1000, 128, {"causal": True}, layout="bshd")


@pytest.mark.gpu
@gpu
def test_current_stream_and_graph_capture():
    """The call enqueues on the current stream and never synchronises: it
    can be captured into a CUDA graph."""
    q, k, v = (torch.randn(1, 4, 512, 64, device="cuda", dtype=torch.bfloat16) for _ in range(3))
    ref, _ = reference(q, k, v, {"causal": True})
    attention(q, k, v, causal=True)  # load the kernel outside the capture
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph, stream=side):
            out = attention(q, k, v, causal=True)
    graph.replay()
    torch.cuda.synchronize()
    assert ((out.double() - ref).abs().max() / ref.abs().max()).item() <= 1e-2


@pytest.mark.gpu
@gpu
def test_empty_batch():
    q = torch.randn(0, 4, 100, 64, device="cuda", dtype=torch.bfloat16)
    assert attention(q, q, q).shape == (0, 4, 100, 64)


def _t(*shape, dtype=torch.bfloat16):
    """A random CUDA tensor, [1, 4, 64, 64] unless told."""
    return torch.randn(*(shape or (1, 4, 64, 64)), device="cuda", dtype=dtype)


# (id, call on the tensor maker, message) for inputs attention() rejects.
BAD_CALLS = [
    ("cpu", lambda t: attention(t().cpu(), t().cpu(), t().cpu()), "CUDA tensors"),
    ("f32", lambda t: attention(*(t(dtype=torch.float32),) * 3),
     "torch.bfloat16 or torch.float16"),
    ("mixed-dtype", lambda t: attention(t(), t(dtype=torch.float16), t()), "share a dtype"),
    ("rank-3", lambda t: attention(t(4, 64, 64), t(), t()), "must be 4-D"),
    ("head-dim-12", lambda t: attention(*(t(1, 4, 64, 12),) * 3), "head dim 12 is not supported"),
    ("head-dims-differ", lambda t: attention(t(), t(1, 4, 64, 128), t(1, 4, 64, 128)),
     "head dims differ"),
    ("gqa-ratio", lambda t: attention(t(), t(1, 3, 64, 64), t(1, 3, 64, 64)),
     "multiple of key/value heads"),
    ("kv-lengths", lambda t: attention(t(), t(1, 4, 64, 64), t(1, 4, 65, 64)),
     "same heads and length"),
    ("batch", lambda t: attention(t(), t(2, 4, 64, 64), t(2, 4, 64, 64)), "batch sizes differ"),
    ("strided-last", lambda t: attention(t(1, 4, 64, 128)[..., ::2], t(), t()),
     "contiguous in its last"),
    ("misaligned", lambda t: attention(t(1, 4, 64, 72)[..., 4:68], t(), t()), "16-byte aligned"),
    ("upper-left-ragged", lambda t: attention(t(), t(1, 4, 80, 64), t(1, 4, 80, 64), causal=True),
     "Sq == Skv"),
    ("causal-word", lambda t: attention(t(), t(), t(), causal="yes"), "causal must be"),
    ("causal-and-window", lambda t: attention(t(), t(), t(), causal="lower_right", window=(4, 0)),
     "causal or window"),
    ("negative-scale", lambda t: attention(t(), t(), t(), scale=-1.0), "scale must be"),
    ("grad", lambda t: attention(t().requires_grad_(), t(), t()), "no backward"),
]


@pytest.mark.gpu
@gpu
@pytest.mark.parametrize("call, message", [c[1:] for c in BAD_CALLS],
                         ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call(_t)


@pytest.mark.gpu
@gpu
def test_runtime_checks_shapes_itself():
    """The C runtime rejects what the Python layer would, for other callers."""
    from attn import _native
    from attn.torch import _descriptor, _kernel, chip_for
    from gpu_cases import spec_of
    device = torch.device("cuda", torch.cuda.current_device())
    kernel = _kernel(spec_of("bf16", 1, 4, 4, 100, 100, 64, {}), chip_for(device), device)
    assert kernel.names == ("query", "key", "value", "output")
    kernel = kernel.handle
    lib, _ = _native.runtime()
    assert lib.attnKernelTensorName(kernel, 4) is None
    q, k, o = _t(1, 4, 64, 64), _t(1, 4, 65, 64), _t(1, 4, 64, 64)
    v = _t(1, 4, 66, 64)
    descs = (_native.Tensor * 4)(*[_descriptor(t) for t in (q, k, v, o)])
    stream = torch.cuda.current_stream().cuda_stream
    assert lib.attnKernelLaunch(kernel, descs, 4, stream) == 3
    assert b"sequence length of key and value differ: 65 and 66" in lib.attnRuntimeGetLastError()
    descs[2].sizes[2] = 65
    descs[0].data += 2
    assert lib.attnKernelLaunch(kernel, descs, 4, stream) == 3
    assert b"query: the data pointer and every stride" in lib.attnRuntimeGetLastError()
    descs[0].data -= 2
    assert lib.attnKernelLaunch(kernel, descs, 3, stream) == 3
    assert lib.attnKernelLaunch(kernel, descs, 4, stream) == 0
    assert lib.attnRuntimeGetLastError() == b""
    torch.cuda.synchronize()


@pytest.mark.gpu
@gpu
def test_runtime_rejects_bad_artifacts(tmp_path):
    """Kernel loading errors come back as ATTN_ERROR_ARTIFACT with text."""
    import ctypes
    import json
    import shutil
    from attn import _native
    from attn.bundle import find_artifact
    from gpu_cases import spec_of
    lib, _ = _native.runtime()
    torch.cuda.init()
    assert lib.attnRuntimeInitialize(torch.cuda.current_device()) == 0
    handle = ctypes.c_void_p()
    assert lib.attnKernelLoad(str(tmp_path).encode(), ctypes.byref(handle)) == 2
    assert b"no artifact manifest" in lib.attnRuntimeGetLastError()
    newer = tmp_path / "newer"
    shutil.copytree(find_artifact(spec_of("bf16", 1, 4, 4, 100, 100, 64, {}), "sm_80"), newer)
    manifest = next(newer.glob("*.json"))
    data = json.loads(manifest.read_text())
    data["format"] = 1
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert (b"format 1: this runtime reads formats 2 to 4; recompile the artifact"
            in lib.attnRuntimeGetLastError())
    data["format"] = 2
    # The runtime compares the capability with the GPU, not the chip's name.
    data["chip"], data["capability"] = "sm_120", 120
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert (b"artifact built for sm_120 cannot run on this sm_" in lib.attnRuntimeGetLastError()
            and b"it needs compute capability 120 or newer" in lib.attnRuntimeGetLastError())
    data["chip"], data["capability"] = "sm_86a", 86  # chip-specific: that chip only
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert (b"artifact built for sm_86a cannot run on this sm_" in lib.attnRuntimeGetLastError()
            and b"specific to compute capability 86" in lib.attnRuntimeGetLastError())
    kernel = data["kernel"]
    data["chip"], data["capability"], data["kernel"] = "sm_80", 80, "missing"
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert b".ptx: no kernel named 'missing': CUDA_ERROR_NOT_FOUND" in lib.attnRuntimeGetLastError()
    data["kernel"] = kernel
    (newer / data["ptx"]).write_text("not PTX")
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert b".ptx: the driver cannot load it: CUDA_ERROR_INVALID_" in lib.attnRuntimeGetLastError()
    data["grid"][0]["tensor"] = 9
    manifest.write_text(json.dumps(data))
    assert lib.attnKernelLoad(str(newer).encode(), ctypes.byref(handle)) == 2
    assert b"grid[0].tensor: expected an integer from 0 to 3" in lib.attnRuntimeGetLastError()


def test_not_a_tensor():
    with pytest.raises(TypeError, match="q must be a torch.Tensor"):
        attention([1.0], None, None)
