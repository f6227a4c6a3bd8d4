"""attn kernels on PyTorch tensors, with scaled_dot_product_attention's layout.

    from attn.torch import attention, attention_paged
    out = attention(q, k, v, causal=True)          # q [B, Hq, Sq, D], k/v [B, Hkv, Skv, D]
    out = attention_paged(q, k_cache, v_cache,     # k/v [pages, page_size, Hkv, D]
                          block_table, cache_lengths, causal=True)

Kernels come from a bundle of precompiled artifacts (attn.bundle) when one
holds them, else from the compiler (attn.compile, cached on disk), and are
loaded once per device through the runtime library. A call allocates the
output, enqueues the kernel on the current CUDA stream and returns: no host
synchronisation.
"""
import ctypes
import os
import struct
import threading
from typing import NamedTuple, Optional, Tuple, Union

import torch

from . import _native
from .bundle import bundle_dirs, entry_name, find_artifact
from .compiler import CompileError, compile
from .spec import (SM80_HEAD_DIMS, SM90A_HEAD_DIMS, SM100A_HEAD_DIMS, AttentionSpec,
                   decode_fields)

_DTYPES = {torch.bfloat16: "bf16", torch.float16: "f16"}
_CAUSAL = {False: None, True: "upper_left", "upper_left": "upper_left",
           "lower_right": "lower_right"}

_HEAD_DIMS = SM80_HEAD_DIMS



class _Kernel(NamedTuple):
    """A loaded kernel, the names of the tensors it takes, in the order of
    its manifest's `tensors` (the order a launch passes them in), and the
    ctypes array type of their descriptors."""
    handle: ctypes.c_void_p
    names: Tuple[str, ...]
    array: type
    packer: struct.Struct  # the array's bytes from its descriptors' fields
    launch: object  # the runtime's attnKernelLaunch


_lock = threading.Lock()
_kernels = {}   # (device index, chip, spec) -> _Kernel
_by_call = {}   # attention()'s arguments that pick a kernel -> _Kernel
_capabilities = {}  # device index -> (major, minor)
_multiprocessors = {}  # device index -> SM count

# Forces a chip for every call (e.g. ATTN_CHIP=sm_80 runs the Ampere kernel
# on a Hopper GPU, through the driver's JIT, for comparison).
CHIP_VARIABLE = "ATTN_CHIP"


def chip_for(device: torch.device, head_dim: int = 64, packs_gqa: bool = False,
             paged: bool = False) -> str:
    """The compile target for a call on a CUDA device: sm_90a on Hopper
    (sm_90), else sm_80 (its PTX runs on newer GPUs through the driver's
    JIT). On sm_90a a prefill takes the FlashAttention-3 kernel, for the head
    dims it builds (SM90A_HEAD_DIMS; others fall back to sm_80), and a decode
    step whose query heads are packed by group (packs_gqa) or that reads a
    paged K/V cache (paged) takes the FlashAttention-2 kernel that sm_90a
    builds for them, with sm_80's head dims. $ATTN_CHIP overrides the
    choice; ATTN_CHIP=sm_100a, on a Blackwell GPU of compute capability 10.0
    only, takes the sm_100a kernel (prefill, SM100A_HEAD_DIMS), which is
    never chosen unasked: it has not run on hardware (docs/design.md)."""
    if device.index not in _capabilities:
        _capabilities[device.index] = torch.cuda.get_device_capability(device)
    major, minor = _capabilities[device.index]
    if major < 8:
        raise ValueError(f"{torch.cuda.get_device_name(device)} is sm_{major}{minor}; "
                         "attn kernels need sm_80 or newer")
    decode = packs_gqa or paged
    sm90a_dims = SM80_HEAD_DIMS if decode else SM90A_HEAD_DIMS
    forced = os.environ.get(CHIP_VARIABLE)
    if forced == "sm_100a":
        if (major, minor) != (10, 0):
            raise ValueError(f"{CHIP_VARIABLE}=sm_100a needs a Blackwell GPU of compute "
                             f"capability 10.0; {torch.cuda.get_device_name(device)} "
                             f"is sm_{major}{minor}")
        if decode:
            raise ValueError(f"{CHIP_VARIABLE}=sm_100a: the sm_100a kernel takes no "
                             "packed or paged decode steps")
        if head_dim not in SM100A_HEAD_DIMS:
            raise ValueError(f"{CHIP_VARIABLE}=sm_100a: the sm_100a kernel takes head dims "
                             f"{', '.join(map(str, SM100A_HEAD_DIMS))}, not {head_dim}")
        return forced
    if forced:
        if forced not in ("sm_80", "sm_90a"):
            raise ValueError(f"{CHIP_VARIABLE}={forced!r}: expected sm_80, sm_90a or "
                             "sm_100a")
        if forced == "sm_90a" and major != 9:
            raise ValueError(f"{CHIP_VARIABLE}=sm_90a needs a Hopper GPU (sm_90); "
                             f"{torch.cuda.get_device_name(device)} is sm_{major}{minor}")
        if forced == "sm_90a" and head_dim not in sm90a_dims:
            dims = "multiples of 8 from 8 to 256" if decode else \
                ", ".join(map(str, SM90A_HEAD_DIMS))
            raise ValueError(f"{CHIP_VARIABLE}=sm_90a: the sm_90a kernel takes head dims "
                             f"{dims}, not {head_dim}")
        return forced
    return "sm_90a" if major == 9 and head_dim in sm90a_dims else "sm_80"


def _check_runtime(lib, status):
    if status != 0:
        raise RuntimeError("attn runtime: " + lib.attnRuntimeGetLastError().decode())


def _kernel(spec: AttentionSpec, chip: str, device: torch.device):
    """The loaded kernel of `spec` on `device`, from a bundle or compiled."""
    key = (device.index, chip, spec)
    kernel = _kernels.get(key)
    if kernel is not None:
        return kernel
    with _lock:
        if key in _kernels:
            return _kernels[key]
        path = find_artifact(spec, chip)
        if path is None:
            try:
                path = compile(spec, chip).path
            except _native.LibraryNotFoundError as e:
                raise RuntimeError(
                    f"no precompiled {entry_name(spec, chip)} in the bundles "
                    f"{bundle_dirs() or '(none: see attn.bundle.add_bundle)'} and no "
                    f"compiler to build it: {e}") from None
            except CompileError as e:
                raise ValueError(f"attn cannot compile this attention for {chip}: "
                                 f"{e.diagnostics.strip()}") from None
        lib, _ = _native.runtime()
        _check_runtime(lib, lib.attnRuntimeInitialize(device.index))
        handle = ctypes.c_void_p()
        _check_runtime(lib, lib.attnKernelLoad(path.encode(), ctypes.byref(handle)))
        names = tuple(lib.attnKernelTensorName(handle, i).decode()
                      for i in range(lib.attnKernelNumTensors(handle)))
        kernel = _Kernel(handle, names, _native.Tensor * len(names),
                         struct.Struct("=" + _native.TENSOR_FORMAT * len(names)),
                         lib.attnKernelLaunch)
        _kernels[key] = kernel
        return kernel


_PADDING = (0,) * _native.MAX_RANK


def _descriptor_fields(t: torch.Tensor) -> tuple:
    """An AttnTensor's fields for `t`, in _native.TENSOR_FORMAT's order. A
    unit dimension's stride never moves the address; torch leaves it
    arbitrary, the runtime checks strides for alignment."""
    shape = t.shape
    pad = _PADDING[len(shape):]
    return (t.data_ptr(), len(shape), *shape, *pad,
            *(0 if n == 1 else s for n, s in zip(shape, t.stride())), *pad)


def _descriptor(t: torch.Tensor) -> _native.Tensor:
    return _native.Tensor.from_buffer_copy(
        struct.pack("=" + _native.TENSOR_FORMAT, *_descriptor_fields(t)))


def _launch(kernel: _Kernel, tensors: dict, device: torch.device):
    """Launches `kernel` on `tensors` (name -> tensor), passed in the order
    its manifest lists them. A decode step's whole call is a few tens of
    microseconds of host time, so the descriptors are packed in one go."""
    fields = []
    for name in kernel.names:
        t = tensors.get(name)
        if t is None:
            raise RuntimeError(f"the attn kernel takes a tensor named {name!r}, "
                               "which attn.torch does not pass")
        fields += _descriptor_fields(t)
    descs = kernel.array.from_buffer_copy(kernel.packer.pack(*fields))
    status = kernel.launch(kernel.handle, descs, len(kernel.names), _current_stream(device))
    if status != 0:
        _check_runtime(_native.runtime()[0], status)


# The raw handle of the current stream without building a torch.cuda.Stream
# (a few microseconds a call); the public route where torch lacks it.
_raw_stream = getattr(torch._C, "_cuda_getCurrentRawStream", None)


def _current_stream(device: torch.device) -> int:
    if _raw_stream is not None:
        return _raw_stream(device.index)
    return torch.cuda.current_stream(device).cuda_stream


def _check_no_grad(name, t):
    if t.requires_grad and torch.is_grad_enabled():
        raise ValueError(f"{name} requires grad, but attn has no backward pass; "
                         "call it under torch.no_grad() or on detached tensors")


def _check_rows(name, t):
    """A 4-D tensor's rows as the kernels copy them: a contiguous last
    dimension, 16-byte aligned start and strides (unit dimensions aside)."""
    if t.numel() and t.is_contiguous() and t.data_ptr() % 16 == 0 and \
            t.shape[3] * t.element_size() % 16 == 0:
        return  # every stride is a multiple of the aligned row
    if t.stride(3) != 1 and t.shape[3] != 1:
        raise ValueError(f"{name} must be contiguous in its last dimension "
                         f"(strides {t.stride()}); call .contiguous()")
    steps = [t.stride(i) * t.element_size() for i in range(3) if t.shape[i] != 1]
    if t.data_ptr() % 16 or any(s % 16 for s in steps):
        raise ValueError(f"{name} must start at a 16-byte aligned address and have "
                         f"16-byte aligned rows (strides {t.stride()}); call .contiguous()")


def _check_inputs(q, k, v) -> torch.device:
    for name, t in (("q", q), ("k", k), ("v", v)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if not t.is_cuda:
            raise ValueError(f"{name} is on {t.device}; attn kernels need CUDA tensors")
        if t.dim() != 4:
            raise ValueError(f"{name} must be 4-D [batch, heads, seq, head_dim], "
                             f"got shape {tuple(t.shape)}")
        if t.dtype not in _DTYPES:
            raise ValueError(f"{name} has dtype {t.dtype}; attn kernels take "
                             "torch.bfloat16 or torch.float16")
    if torch.is_grad_enabled():
        for name, t in (("q", q), ("k", k), ("v", v)):
            _check_no_grad(name, t)
    if not (q.device == k.device == v.device):
        raise ValueError(f"q, k and v are on different devices: {q.device}, {k.device}, {v.device}")
    if not (q.dtype == k.dtype == v.dtype):
        raise ValueError(f"q, k and v must share a dtype, got {q.dtype}, {k.dtype}, {v.dtype}")
    (b, hq, _, d), (bk, hkv, skv, dk) = q.shape, k.shape
    if bk != b or v.shape[0] != b:
        raise ValueError(f"batch sizes differ: q {b}, k {bk}, v {v.shape[0]}")
    if dk != d or v.shape[3] != d:
        raise ValueError(f"head dims differ: q {d}, k {dk}, v {v.shape[3]}; "
                         "attn needs one head dim")
    if tuple(v.shape[1:3]) != (hkv, skv):
        raise ValueError(f"k and v must have the same heads and length, got "
                         f"{tuple(k.shape)} and {tuple(v.shape)}")
    if d not in _HEAD_DIMS:
        raise ValueError(f"head dim {d} is not supported: attn kernels take multiples "
                         "of 8 from 8 to 256")
    if hkv == 0 or hq % hkv:
        raise ValueError(f"query heads ({hq}) must be a multiple of key/value heads ({hkv})")
    for name, t in (("q", q), ("k", k), ("v", v)):
        _check_rows(name, t)
    return q.device


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, *,
              causal: Union[bool, str] = False, scale: Optional[float] = None,
              window: Optional[Tuple[int, int]] = None, softcap: Optional[float] = None,
              return_lse: bool = False):
    """softmax(scale * q k^T) v over [B, H, S, D] CUDA tensors (bf16 or f16).

    GQA and MQA when k and v have fewer heads than q (a multiple). causal:
    True (or "upper_left") is scaled_dot_product_attention's is_causal,
    which needs Sq == Skv here; "lower_right" aligns the diagonal to the
    last key (FlashAttention's convention, any lengths). window: (left,
    right) keys visible around that lower-right diagonal. softcap: scores
    become softcap * tanh(scores / softcap). With return_lse, also returns
    the natural-log log-sum-exp [B, Hq, Sq] in float32 (-inf on rows that
    see no key, whose output is 0). Raises ValueError for inputs the kernels
    cannot take.
    """
    device = _check_inputs(q, k, v)
    if causal is not True and causal is not False and causal not in ("upper_left", "lower_right"):
        raise ValueError(f"causal must be False, True, 'upper_left' or 'lower_right', got {causal!r}")
    alignment = _CAUSAL[causal]
    b, hq, sq, d = q.shape
    if alignment == "upper_left" and sq != k.shape[2]:
        raise ValueError(f"causal=True aligns the mask to the top-left corner, which attn "
                         f"supports only when Sq == Skv (got {sq} and {k.shape[2]}); "
                         "pass causal='lower_right' for the bottom-right diagonal")
    if isinstance(window, list):
        window = tuple(window)
    return_lse = bool(return_lse)
    # A decode step (a few queries per head) in a group the FlashAttention-2
    # kernel packs gets a kernel for its head counts and query length, split
    # along the cache where it would leave SMs idle.
    decode = decode_fields(b, hq, k.shape[1], sq, k.shape[2], d,
                           _multiprocessor_count(device))
    # The arguments that pick the kernel, spelled by repr so that True and 1
    # differ; a repeated call skips building and validating its spec.
    call = (device.index, os.environ.get(CHIP_VARIABLE), q.dtype, d,
            alignment is not None, repr(window), repr(scale), repr(softcap), return_lse,
            tuple(decode.values()))
    return _run(call, lambda: AttentionSpec.for_call(
        d, _DTYPES[q.dtype], causal=alignment is not None, window=window, scale=scale,
        softcap=softcap, lse=return_lse, **decode),
        lambda spec: chip_for(device, d, spec.packs_gqa), q,
        {"query": q, "key": k, "value": v}, return_lse)


def _multiprocessor_count(device: torch.device) -> int:
    if device.index not in _multiprocessors:
        _multiprocessors[device.index] = \
            torch.cuda.get_device_properties(device).multi_processor_count
    return _multiprocessors[device.index]


def _run(call, make_spec, chip_of, q, inputs, return_lse):
    """The tail of attention() and attention_paged(): the kernel of `call`
    (built from make_spec() for chip_of(spec) the first time; the spec is
    built, and so checked, even when the output is empty), O (and the LSE)
    allocated like q, and the launch on `inputs`."""
    kernel = _by_call.get(call)
    spec = make_spec() if kernel is None else None
    b, hq, sq, d = q.shape
    device = q.device
    out = torch.empty((b, hq, sq, d), dtype=q.dtype, device=device)
    lse = torch.empty((b, hq, sq), dtype=torch.float32, device=device) if return_lse else None
    if out.numel():
        if kernel is None:
            with torch.cuda.device(device):
                kernel = _kernel(spec, chip_of(spec), device)
            _by_call[call] = kernel
        # The runtime launches in the context the kernel was loaded in.
        _launch(kernel, {**inputs, "output": out, "lse": lse}, device)
    return (out, lse) if return_lse else out


def _check_pages(q, k_cache, v_cache, block_table, cache_lengths, validate):
    """The checks of attention_paged's cache; returns the page size and the
    block table's capacity in keys."""
    for name, t in (("block_table", block_table), ("cache_lengths", cache_lengths)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if t.device != q.device:
            raise ValueError(f"{name} is on {t.device}, q on {q.device}")
        if t.dtype != torch.int32:
            raise ValueError(f"{name} has dtype {t.dtype}; attn takes torch.int32")
    b = q.shape[0]
    if block_table.dim() != 2 or block_table.shape[0] != b:
        raise ValueError(f"block_table must be [batch, max_pages] with batch {b}, got "
                         f"shape {tuple(block_table.shape)}")
    if cache_lengths.dim() != 1 or cache_lengths.shape[0] != b:
        raise ValueError(f"cache_lengths must be [batch] with batch {b}, got shape "
                         f"{tuple(cache_lengths.shape)}")
    if tuple(k_cache.shape[:3]) != tuple(v_cache.shape[:3]):
        raise ValueError(f"k_cache and v_cache must have the same pages, page size and "
                         f"heads, got {tuple(k_cache.shape)} and {tuple(v_cache.shape)}")
    pages, page_size = k_cache.shape[:2]
    capacity = block_table.shape[1] * page_size
    if validate and b:
        # One reduction and one host sync: the kernel reads no memory for an
        # id outside the cache, but its result is wrong.
        lengths = cache_lengths.long()
        slots = torch.arange(block_table.shape[1], device=q.device) * page_size
        used = slots.unsqueeze(0) < lengths.unsqueeze(1)
        bad_ids = (used & ((block_table < 0) | (block_table >= pages))).any()
        bad_lengths = ((lengths < 0) | (lengths > capacity)).any()
        bad_ids, bad_lengths = torch.stack([bad_ids, bad_lengths]).tolist()
        if bad_lengths:
            raise ValueError(f"cache_lengths must lie in [0, {capacity}] (max_pages "
                             f"{block_table.shape[1]} x page_size {page_size})")
        if bad_ids:
            raise ValueError(f"block_table names a page outside the cache's {pages} pages "
                             "within a sequence's length")
    return page_size, capacity


def attention_paged(q: torch.Tensor, k_cache: torch.Tensor, v_cache: torch.Tensor,
                    block_table: torch.Tensor, cache_lengths: torch.Tensor, *,
                    causal: Union[bool, str] = False, scale: Optional[float] = None,
                    window: Optional[Tuple[int, int]] = None,
                    softcap: Optional[float] = None, return_lse: bool = False,
                    validate: bool = True):
    """Attention of q [B, Hq, Sq, D] against a paged K/V cache, the layout of
    vLLM and FlashAttention's flash_attn_with_kvcache: k_cache and v_cache
    [pages, page_size, Hkv, D], block_table int32 [B, max_pages] (sequence
    b's key j is row j % page_size of page block_table[b, j // page_size])
    and cache_lengths int32 [B] (keys of each sequence; 0 gives zeros).

    causal (True or "lower_right") and window align to each sequence's own
    length: query i sits at key position i + cache_lengths[b] - Sq. scale,
    softcap and return_lse as attention(). Runs the FlashAttention-2 kernel:
    sm_90a's build on Hopper, else sm_80's (through the driver's JIT on newer
    GPUs). validate checks, with one host sync,
    that the lengths fit the block table and that every page a sequence
    reads is in the cache; a serving loop that guarantees both passes
    validate=False.
    """
    device = _check_inputs(q, q, q)
    for name, t in (("k_cache", k_cache), ("v_cache", v_cache)):
        if not isinstance(t, torch.Tensor) or t.dim() != 4:
            raise ValueError(f"{name} must be a 4-D torch.Tensor [pages, page_size, "
                             "heads, head_dim]")
        _check_no_grad(name, t)
        if t.device != device or t.dtype != q.dtype:
            raise ValueError(f"{name} must be on {device} with dtype {q.dtype}, got "
                             f"{t.device} and {t.dtype}")
        _check_rows(name, t)
    b, hq, sq, d = q.shape
    hkv = k_cache.shape[2]
    if k_cache.shape[3] != d or v_cache.shape[3] != d:
        raise ValueError(f"head dims differ: q {d}, k_cache {k_cache.shape[3]}, "
                         f"v_cache {v_cache.shape[3]}; attn needs one head dim")
    if hkv == 0 or hq % hkv:
        raise ValueError(f"query heads ({hq}) must be a multiple of key/value heads ({hkv})")
    if causal not in (False, True, "lower_right"):
        raise ValueError("causal must be False, True or 'lower_right' (a paged cache "
                         f"aligns the mask to each sequence's length), got {causal!r}")
    page_size, capacity = _check_pages(q, k_cache, v_cache, block_table, cache_lengths,
                                       validate)
    if isinstance(window, list):
        window = tuple(window)
    return_lse = bool(return_lse)
    decode = decode_fields(b, hq, hkv, sq, capacity, d, _multiprocessor_count(device),
                           page_size=page_size)
    call = ("paged", device.index, os.environ.get(CHIP_VARIABLE), q.dtype, d, page_size,
            bool(causal), repr(window), repr(scale), repr(softcap), return_lse,
            tuple(decode.values()))
    return _run(call, lambda: AttentionSpec.for_call(
        d, _DTYPES[q.dtype], causal=bool(causal), window=window, scale=scale,
        softcap=softcap, lse=return_lse, page_size=page_size, **decode),
        lambda spec: chip_for(device, d, spec.packs_gqa, paged=True), q,
        {"query": q, "key": k_cache, "value": v_cache, "block_table": block_table,
         "cache_lengths": cache_lengths}, return_lse)
