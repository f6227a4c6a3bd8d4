#!@ATTN_PYTHON@
# ===- attn-cpu-run - run attention IR on the CPU against float64 -----------===#
#
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===------------------------------------------------------------------------===#
"""Runs the attention function of an MLIR file on the CPU and checks it.

The file holds a `func.func` (default name `attention`) that takes Q, K and V
tensors and returns O, or O and the log-sum-exp, and one `attn.attention` that
says what the function computes (mask, scale, softcap). This tool

  1. draws fresh random inputs with NumPy (the seed is printed),
  2. appends a `main` that passes them to the function and prints the results,
  3. lowers the module with `attn-opt <passes> -attn-lower-to-cpu-pipeline` and
     executes it with `mlir-runner`; with `--passes`, it also runs the same
     inputs through the reference lowering alone,
  4. computes the same attention in float64 with NumPy and compares.

The attention parameters are read after `-attn-fuse-attention`, so the input
may also be the naive matmul-softmax-matmul graph.

It prints one line per run and exits non-zero when the error is above the
tolerance, an output is NaN, or any step fails.
"""

import argparse
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile

import numpy as np

# Filled in by CMake when the tool is configured into the build tree; an
# attn-opt beside this script (an install tree) comes first.
_BESIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attn-opt")
ATTN_OPT = _BESIDE if os.access(_BESIDE, os.X_OK) else "@ATTN_OPT@"
MLIR_RUNNER = "@MLIR_RUNNER@"
MLIR_LIB_DIR = "@MLIR_LIB_DIR@"

DTYPES = {"f32": 4, "f16": 2, "bf16": 2}
DEFAULT_TOLERANCE = {"f32": 1e-5, "f16": 5e-3, "bf16": 1e-2}
# The most elements one tensor, or the [B, Hq, Sq, Skv] scores of the float64
# reference, may have: the inputs are written into the module as constants.
MAX_ELEMENTS = 1 << 26


class Failure(Exception):
    """A readable error that ends the run with exit code 1."""


# ===-- Reading the IR --------------------------------------------------------===#


def run(cmd, stdin=None):
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure("command failed: %s\n%s" % (" ".join(map(shlex.quote, cmd)),
                                                   proc.stderr.strip()))
    return proc.stdout


def parse_tensor_type(text):
    m = re.fullmatch(r"tensor<((?:[0-9?]+x)*)(bf16|f16|f32)>", text.strip())
    if not m:
        raise Failure("expected a ranked tensor of bf16, f16 or f32, got '%s'" % text)
    dims = [None if d == "?" else int(d) for d in m.group(1).split("x")[:-1]]
    return dims, m.group(2)


def split_types(text):
    """Splits a comma-separated list of types, minding angle brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def read_function(generic_ir, entry):
    """Returns (argument types, result types) of func.func @entry."""
    for m in re.finditer(r'"func\.func"\(\) <\{(.*)\}>', generic_ir):
        props = m.group(1)
        if not re.search(r'sym_name = "%s"' % re.escape(entry), props):
            continue
        sig = re.search(r"function_type = \((.*?)\) -> (\(.*?\)|[^,]+)", props)
        args = split_types(sig.group(1))
        results = sig.group(2).strip()
        results = split_types(results[1:-1]) if results.startswith("(") else [results]
        return [parse_tensor_type(t) for t in args], [parse_tensor_type(t) for t in results]
    raise Failure("no func.func @%s in the input" % entry)


def read_attention(generic_ir):
    """Returns the mask, window, scale and softcap of the one attn.attention."""
    ops = re.findall(r'"attn\.attention"\(.*', generic_ir)
    if len(ops) != 1:
        raise Failure("expected exactly one attn.attention in the input, found %d" % len(ops))
    props = ops[0]

    def attr(name, pattern):
        m = re.search(r"\b%s = %s" % (name, pattern), props)
        return m.group(1) if m else None

    float_re = r"([-+0-9.eE]+|0x[0-9A-Fa-f]+) : f32"
    scale, softcap = attr("scale", float_re), attr("softcap", float_re)
    return {
        "mask": attr("mask", r"#attn<mask_kind (\w+)>") or "none",
        "left": int(attr("window_left", r"(-?\d+)") or 0),
        "right": int(attr("window_right", r"(-?\d+)") or 0),
        "scale": None if scale is None else float(scale),
        "softcap": None if softcap is None else float(softcap),
    }


# ===-- Inputs and the float64 reference -------------------------------------===#


def round_to(dtype, x):
    """Rounds float32 values to `dtype`; returns (values as float64, raw bytes)."""
    x = x.astype(np.float32)
    if dtype == "f32":
        return x.astype(np.float64), x.tobytes()
    if dtype == "f16":
        h = x.astype(np.float16)
        return h.astype(np.float64), h.tobytes()
    bits = x.view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64), bits.tobytes()


def visible(sq, skv, attn):
    """The boolean [Sq, Skv] mask, keys aligned to the bottom right."""
    delta = np.arange(skv)[None, :] - (np.arange(sq)[:, None] + (skv - sq))
    if attn["mask"] == "causal":
        return delta <= 0
    if attn["mask"] == "sliding_window":
        return (delta >= -attn["left"]) & (delta <= attn["right"])
    return np.ones((sq, skv), dtype=bool)


def reference(q, k, v, attn):
    """Attention in float64: O and LSE, with zeros / -inf for empty rows."""
    hq, hkv = q.shape[1], k.shape[1]
    k = np.repeat(k, hq // hkv, axis=1)
    v = np.repeat(v, hq // hkv, axis=1)
    scale = attn["scale"] if attn["scale"] is not None else 1.0 / np.sqrt(q.shape[3])
    s = np.einsum("bhid,bhjd->bhij", q, k) * scale
    if attn["softcap"] is not None:
        s = attn["softcap"] * np.tanh(s / attn["softcap"])
    s = np.where(visible(q.shape[2], k.shape[2], attn), s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    m_safe = np.where(np.isneginf(m), 0.0, m)
    p = np.exp(s - m_safe)
    l = p.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        o = np.where(l > 0, np.einsum("bhij,bhjd->bhid", p, v) / l, 0.0)
        lse = (m_safe + np.log(l))[..., 0]
    return o, lse


# ===-- The generated main ---------------------------------------------------===#


def type_str(dims, dtype):
    return "tensor<%s%s>" % ("".join("%sx" % ("?" if d is None else d) for d in dims), dtype)


def main_function(entry, args, arg_types, result_types):
    """MLIR for @main: constants, the call, and bit-exact printing of results."""
    lines = ["func.func @main() {"]
    names = []
    for index, ((shape, dtype, raw), (dims, _)) in enumerate(zip(args, arg_types)):
        static = type_str(shape, dtype)
        lines.append('  %%c%d = arith.constant dense<"0x%s"> : %s' % (index, raw.hex().upper(), static))
        lines.append("  %%a%d = tensor.cast %%c%d : %s to %s" % (index, index, static, type_str(dims, dtype)))
        names.append("%%a%d" % index)
    results = ", ".join("%%r%d" % i for i in range(len(result_types)))
    lines.append("  %s = func.call @%s(%s) : (%s) -> (%s)" % (
        results, entry, ", ".join(names), ", ".join(type_str(*t) for t in arg_types),
        ", ".join(type_str(*t) for t in result_types)))
    for index, ((dims, dtype), shape) in enumerate(zip(result_types, result_shapes(args, result_types))):
        rank = len(shape)
        identity = "affine_map<(%s) -> (%s)>" % ((", ".join("d%d" % i for i in range(rank)),) * 2)
        static = type_str(shape, dtype)
        lines += [
            "  %%s%d = tensor.cast %%r%d : %s to %s" % (index, index, type_str(dims, dtype), static),
            "  %%e%d = tensor.empty() : %s" % (index, type_str(shape, "i32")),
            "  %%b%d = linalg.generic {indexing_maps = [%s, %s], iterator_types = [%s]}"
            % (index, identity, identity, ", ".join(['"parallel"'] * rank)),
            "      ins(%%s%d : %s) outs(%%e%d : %s) {" % (index, static, index, type_str(shape, "i32")),
            "    ^bb0(%%x: %s, %%y: i32):" % dtype,
        ]
        value = "%x"
        if dtype != "f32":
            lines.append("      %%f = arith.extf %%x : %s to f32" % dtype)
            value = "%f"
        lines += [
            "      %%i = arith.bitcast %s : f32 to i32" % value,
            "      linalg.yield %i : i32",
            "  } -> %s" % type_str(shape, "i32"),
            "  %%u%d = tensor.cast %%b%d : %s to tensor<*xi32>" % (index, index, type_str(shape, "i32")),
            "  func.call @printMemrefI32(%%u%d) : (tensor<*xi32>) -> ()" % index,
        ]
    lines += ["  return", "}", "func.func private @printMemrefI32(tensor<*xi32>)"]
    return "\n".join(lines) + "\n"


def result_shapes(args, result_types):
    (qs, _, _), _, (vs, _, _) = args
    b, hq, sq, dv = qs[0], qs[1], qs[2], vs[3]
    shapes = [[b, hq, sq, dv], [b, hq, sq]]
    return shapes[: len(result_types)]


def parse_printed(text, count):
    """Splits mlir-runner's printMemrefI32 output into `count` float32 arrays."""
    blocks = re.split(r"Unranked Memref base@", text)[1:]
    if len(blocks) != count:
        raise Failure("expected %d printed results, got %d:\n%s" % (count, len(blocks), text[:2000]))
    arrays = []
    for block in blocks:
        data = block.split("data =", 1)[1]
        values = np.array([int(x) for x in re.findall(r"-?\d+", data)], dtype=np.int64)
        arrays.append(values.astype(np.int32).view(np.float32).astype(np.float64))
    return arrays


# ===-- Driver ---------------------------------------------------------------===#


def choose_shape(dims, flags, names, explicit):
    """Static sizes from the IR, dynamic ones from the flags; a flag given on
    the command line must agree with a static size."""
    shape = []
    for dim, flag, name in zip(dims, flags, names):
        if dim is None:
            shape.append(flag)
        elif name in explicit and flag != dim:
            raise Failure("--%s=%d disagrees with the static size %d in the IR" % (name, flag, dim))
        else:
            shape.append(dim)
    return shape


def positive_int(text):
    """argparse type: a size, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive integer, got '%s'" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive integer, got %d" % value)
    return value


def seed_int(text):
    """argparse type: a seed NumPy takes, 0 to 2^64 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected an integer from 0 to 2^64 - 1, got '%s'" % text)
    if not 0 <= value < 1 << 64:
        raise argparse.ArgumentTypeError("expected an integer from 0 to 2^64 - 1, got %d" % value)
    return value


def tolerance_float(text):
    """argparse type: a positive, finite relative error."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive finite number, got '%s'" % text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("expected a positive finite number, got %s" % text)
    return value


def join_passes(argv):
    """`--passes X` with X starting with `-` reads as `--passes=X` (argparse
    would take X for an option of its own)."""
    out = []
    i = 0
    while i < len(argv):
        if argv[i] == "--passes" and i + 1 < len(argv):
            out.append("--passes=" + argv[i + 1])
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


class Parser(argparse.ArgumentParser):
    """Reports a bad command line in one line, as every other error."""

    def error(self, message):
        print("attn-cpu-run: error: %s (--help lists the options)" % message, file=sys.stderr)
        sys.exit(2)


def main(argv):
    parser = Parser(prog="attn-cpu-run", description=__doc__.split("\n")[0])
    parser.add_argument("input", help="MLIR file with the attention function")
    parser.add_argument("--entry", default="attention", help="function to call")
    parser.add_argument("--passes", default="",
                        help="attn-opt flags to run before -attn-lower-to-cpu-pipeline")
    for name, default in [("batch", 2), ("heads", 4), ("kv-heads", None),
                          ("seq-q", 64), ("seq-kv", None)]:
        parser.add_argument("--" + name, type=positive_int, default=default)
    parser.add_argument("--seed", type=seed_int, help="random seed (fresh when absent)")
    parser.add_argument("--tolerance", type=tolerance_float,
                        help="largest accepted relative error (default from the "
                             "inputs' and output's precision)")
    parser.add_argument("--keep", help="write the generated module and outputs to this directory")
    argv = join_passes(argv)
    opts = parser.parse_args(argv)
    explicit = {a[2:].split("=")[0] for a in argv if a.startswith("--")}
    if not os.path.isfile(opts.input):
        raise Failure("cannot read %s: no such file" % opts.input)

    # Fusion first, so that a naive matmul-softmax-matmul input says what it
    # computes through the attn.attention it becomes.
    generic = run([ATTN_OPT, opts.input, "-attn-fuse-attention", "--mlir-print-op-generic"])
    arg_types, result_types = read_function(generic, opts.entry)
    if len(arg_types) != 3 or len(result_types) not in (1, 2):
        raise Failure("@%s must take (Q, K, V) and return O or (O, LSE)" % opts.entry)
    attn = read_attention(generic)

    (qd, dtype), (kd, kdt), (vd, _) = arg_types
    if any(len(dims) != 4 for dims, _ in arg_types):
        raise Failure("@%s takes arguments of rank %s; attn-cpu-run runs functions of "
                      "4-D [B, H, S, D] Q, K and V (reshape 2-D and 3-D ones around the "
                      "attention)" % (opts.entry, ", ".join(str(len(d)) for d, _ in arg_types)))
    heads = opts.heads
    batch, hq, sq = choose_shape(qd[:3], [opts.batch, heads, opts.seq_q], ["batch", "heads", "seq-q"], explicit)
    kv_heads = opts.kv_heads if opts.kv_heads is not None else hq
    seq_kv = opts.seq_kv if opts.seq_kv is not None else sq
    _, hkv, skv = choose_shape(kd[:3], [batch, kv_heads, seq_kv], ["batch", "kv-heads", "seq-kv"], explicit)
    d, dv = qd[3], vd[3]
    for name, size in [("batch", batch), ("heads", hq), ("seq-q", sq), ("kv-heads", hkv),
                       ("seq-kv", skv)]:
        if size < 1:
            raise Failure("the IR fixes %s to %d; attn-cpu-run runs sizes from 1" % (name, size))
    if hkv <= 0 or hq % hkv:
        raise Failure("heads (%d) must be a positive multiple of kv-heads (%d)" % (hq, hkv))
    sizes = {"Q": batch * hq * sq * d, "K": batch * hkv * skv * d, "V": batch * hkv * skv * dv,
             "O": batch * hq * sq * dv, "the scores": batch * hq * sq * skv}
    for name, count in sizes.items():
        if count > MAX_ELEMENTS:
            raise Failure("the problem is too large for attn-cpu-run: %s would hold %d "
                          "elements, more than %d (B=%d Hq=%d Hkv=%d Sq=%d Skv=%d)"
                          % (name, count, MAX_ELEMENTS, batch, hq, hkv, sq, skv))

    seed = opts.seed if opts.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    shapes = [[batch, hq, sq, d], [batch, hkv, skv, d], [batch, hkv, skv, dv]]
    args, values = [], []
    for shape in shapes:
        exact, raw = round_to(dtype, rng.standard_normal(shape))
        args.append((shape, dtype, raw))
        values.append(exact)

    with open(opts.input) as f:
        module = f.read() + "\n" + main_function(opts.entry, args, arg_types, result_types)
    if opts.keep:
        try:
            os.makedirs(opts.keep, exist_ok=True)
        except OSError as error:
            raise Failure("cannot write to --keep %s: %s" % (opts.keep, error.strerror or error))
        return check(opts, module, args, values, arg_types, result_types, attn, seed, opts.keep)
    with tempfile.TemporaryDirectory(prefix="attn-cpu-run-") as workdir:
        return check(opts, module, args, values, arg_types, result_types, attn, seed, workdir)


def execute(module_path, passes):
    """Lowers the module after `passes`, runs it, returns the printed results."""
    lowered = run([ATTN_OPT, module_path] + shlex.split(passes) +
                  ["-attn-lower-to-cpu-pipeline"])
    libs = ",".join(os.path.join(MLIR_LIB_DIR, lib) for lib in
                    ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so"))
    return run([MLIR_RUNNER, "-e", "main", "-entry-point-result=void",
                "-shared-libs=" + libs], stdin=lowered)


def measure(outputs, ref_o, ref_lse, tolerance):
    """Compares one run's outputs with float64; returns (summary, problems)."""
    o = outputs[0].reshape(ref_o.shape)
    problems = []
    if np.isnan(o).any():
        problems.append("NaN in the output")
    err = np.abs(o - ref_o).max() / max(np.abs(ref_o).max(), 1e-30)
    summary = "max rel err %.3e" % err
    if err > tolerance:
        problems.append("output error %.3e above %.1e" % (err, tolerance))
    if len(outputs) == 2:
        lse = outputs[1].reshape(ref_lse.shape)
        finite = np.isfinite(ref_lse)
        if not np.array_equal(np.isneginf(lse), ~finite) or np.isnan(lse).any():
            problems.append("LSE is not -inf exactly on the rows that see no key")
        lse_err = 0.0
        if finite.any():
            lse_err = np.abs(lse[finite] - ref_lse[finite]).max() / max(
                np.abs(ref_lse[finite]).max(), 1.0)
        summary += ", lse err %.3e" % lse_err
        if lse_err > tolerance:
            problems.append("LSE error %.3e above %.1e" % (lse_err, tolerance))
    return summary, problems


def check(opts, module, args, values, arg_types, result_types, attn, seed, workdir):
    """Runs `module` in `workdir` with --passes and, when there are any, also
    through the reference lowering alone; compares both; prints one line."""
    module_path = os.path.join(workdir, "module.mlir")
    try:
        with open(module_path, "w") as f:
            f.write(module)
    except OSError as error:
        raise Failure("cannot write %s: %s" % (module_path, error.strerror or error))

    ref_o, ref_lse = reference(*values, attn)
    # The inputs are rounded to their type, so an output wider than them
    # (bf16 in, f32 out) is as exact as the inputs' type, not its own.
    in_dtype, out_dtype = args[0][1], result_types[0][1]
    tolerance = opts.tolerance or max(DEFAULT_TOLERANCE[in_dtype], DEFAULT_TOLERANCE[out_dtype])
    outputs = parse_printed(execute(module_path, opts.passes), len(result_types))
    summary, problems = measure(outputs, ref_o, ref_lse, tolerance)
    if opts.passes:
        baseline = parse_printed(execute(module_path, ""), len(result_types))
        ref_summary, ref_problems = measure(baseline, ref_o, ref_lse, tolerance)
        summary += "; reference lowering: " + ref_summary
        problems += ["reference lowering: " + p for p in ref_problems]

    (batch, hq, sq, d), dtype = args[0][0], args[0][1]
    _, hkv, skv, dv = args[2][0]
    window = "(%d,%d)" % (attn["left"], attn["right"]) if attn["mask"] == "sliding_window" else ""
    print("B=%d Hq=%d Hkv=%d Sq=%d Skv=%d D=%d Dv=%d %s mask=%s%s seed=%d: %s (tol %.0e) %s" % (
        batch, hq, hkv, sq, skv, d, dv, dtype, attn["mask"], window, seed, summary, tolerance,
        "FAIL" if problems else "PASS"), flush=True)
    if opts.keep:
        try:
            np.save(os.path.join(workdir, "output.npy"), outputs[0].reshape(ref_o.shape))
            np.save(os.path.join(workdir, "reference.npy"), ref_o)
        except OSError as error:
            raise Failure("cannot write to --keep %s: %s" % (workdir, error.strerror or error))
    for problem in problems:
        print("error: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as failure:
        print("attn-cpu-run: error: %s" % failure, file=sys.stderr)
        sys.exit(1)
    except MemoryError:
        print("attn-cpu-run: error: out of memory; try smaller sizes", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        print("attn-cpu-run: error: %s" % error, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
