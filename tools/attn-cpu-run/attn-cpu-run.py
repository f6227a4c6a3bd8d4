#!@ATTN_PYTHON@
# ===- attn-cpu-run - run attention IR on the CPU against float64 -----------===#
#
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===------------------------------------------------------------------------===#
"""Runs the attention function of an MLIR file on the CPU and checks it.

The file holds a `func.func` (default name `attention`) of tensors that holds
one attention: an `attn.attention`, or a graph `-attn-fuse-attention` fuses
into one, with any work around it (reshapes, producers of Q, K and V,
consumers of O). This tool

  1. draws fresh random inputs with NumPy (the seed is printed): for a
     function of three arguments, Q, K and V as 4-D [B, H, S, D], 3-D
     [B*H, S, D] or 2-D [S, D] with dynamic sizes from the flags; for a
     function of five arguments over a paged K/V cache (Q, K, V, block
     table, cache lengths), ragged lengths up to --seq-kv and pages assigned
     out of order (see paged_inputs); any other function's arguments must be
     static,
  2. evaluates the whole function in float64 with NumPy (attn_reference.py
     beside this tool: attention from its definition, every other op from its
     own semantics), and, for an unfused graph, the fused function too,
  3. appends a `main` that passes the inputs to the function and prints the
     results,
  4. lowers the module with `attn-opt <passes> -attn-lower-to-cpu-pipeline` and
     executes it with `mlir-runner`; with `--passes`, it also runs the same
     inputs through the reference lowering alone,
  5. compares every result with float64.

It prints one line per run and exits non-zero when an error is above the
tolerance, a result is NaN, or any step fails.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attn_reference as reference  # noqa: E402

# Filled in by CMake when the tool is configured into the build tree; an
# attn-opt beside this script (an install tree) comes first.
_BESIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attn-opt")
ATTN_OPT = _BESIDE if os.access(_BESIDE, os.X_OK) else "@ATTN_OPT@"
MLIR_RUNNER = "@MLIR_RUNNER@"
MLIR_LIB_DIR = "@MLIR_LIB_DIR@"

DTYPES = {"f32": 4, "f16": 2, "bf16": 2}
DEFAULT_TOLERANCE = {"f32": 1e-5, "f16": 5e-3, "bf16": 1e-2}
# Pages of a paged K/V cache that no sequence reads.
PAGED_SPARE_PAGES = 3
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


def generic_module(path, passes=()):
    """The module after `passes`, parsed from attn-opt's generic form."""
    text = run([ATTN_OPT, path] + list(passes) +
               ["--mlir-print-op-generic", "-mlir-print-local-scope"])
    try:
        return reference.parse_module(text)
    except reference.Unsupported as error:
        raise Failure("cannot read attn-opt's output: %s" % error)


def paged_signature(arg_types):
    """Whether a function's arguments are those of attention over a paged K/V
    cache: 4-D Q, K and V of bf16, f16 or f32, a 2-D i32 block table and 1-D
    i32 cache lengths."""
    return (len(arg_types) == 5
            and [None if dims is None else len(dims) for dims, _ in arg_types] == [4, 4, 4, 2, 1]
            and all(dtype in DTYPES for _, dtype in arg_types[:3])
            and all(dtype == "i32" for _, dtype in arg_types[3:]))


def read_function(module, entry):
    """(argument types, result types) of func.func @entry: (dims, dtype) each.
    The arguments are float tensors, but for the i32 block table and lengths
    of a paged function (paged_signature)."""
    func = reference.functions(module).get(entry)
    if func is None:
        raise Failure("no func.func @%s in the input" % entry)
    try:
        arg_types, result_types = reference.signature(func)
    except reference.Unsupported as error:
        raise Failure("@%s: %s" % (entry, error))
    paged = paged_signature(arg_types)
    for kind, types in (("argument", arg_types), ("result", result_types)):
        for index, (dims, dtype) in enumerate(types):
            if paged and kind == "argument" and index >= 3:
                continue
            if dims is None or dtype not in DTYPES:
                raise Failure("@%s's %s #%d is a %s; attn-cpu-run runs functions of ranked "
                              "bf16, f16 or f32 tensors" % (entry, kind, index, dtype))
    return arg_types, result_types


def rounded_types(module, entry):
    """The float types @entry's ops produce (a graph may round to bf16 inside
    and widen again)."""
    found = set()
    for op in reference.walk_ops(reference.functions(module)[entry].regions[0]):
        for text in op.result_types:
            try:
                found.add(reference.parse_type(text)[1])
            except reference.Unsupported:
                pass
    return found & set(DTYPES)


def read_attention(module, entry):
    """The parameters of the one attn.attention in @entry of a fused module,
    and whether its K and V are a paged cache."""
    ops = [op for op in reference.walk_ops(reference.functions(module)[entry].regions[0])
           if op.name == "attn.attention"]
    if len(ops) != 1:
        raise Failure("expected exactly one attn.attention in @%s, found %d" % (entry, len(ops)))
    try:
        table = reference.attention_operands(ops[0], ops[0].operands)[3]
    except reference.Unsupported as error:
        raise Failure("cannot read the attn.attention in @%s: %s" % (entry, error))
    return reference.attention_params(ops[0]), table is not None


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


def evaluate(module, entry, values):
    """The float64 results of @entry and the attentions it evaluated."""
    interpreter = reference.Interpreter(module, MAX_ELEMENTS)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            results = interpreter.call(entry, values)
    except reference.Unsupported as error:
        raise Failure("the float64 reference does not follow %s in @%s" % (error, entry))
    except reference.TooLarge as error:
        raise Failure("the problem is too large for attn-cpu-run: %s (in @%s)" % (error, entry))
    except (ValueError, IndexError) as error:
        raise Failure("@%s cannot run on arguments of shapes %s: %s"
                      % (entry, ", ".join("x".join(map(str, v.shape)) for v in values), error))
    return [np.asarray(r, dtype=np.float64) for r in results], interpreter.attentions


# ===-- The generated main ---------------------------------------------------===#


def type_str(dims, dtype):
    return "tensor<%s%s>" % ("".join("%sx" % ("?" if d is None else d) for d in dims), dtype)


def main_function(entry, args, arg_types, result_types, result_shapes):
    """MLIR for @main: constants, the call, and bit-exact printing of results
    (of the static `result_shapes` the reference found)."""
    lines = ["func.func @main() {"]
    names = []
    for index, ((shape, dtype, raw), (dims, _)) in enumerate(zip(args, arg_types)):
        static = type_str(shape, dtype)
        if dtype == "i32":  # a block table or cache lengths, written out
            data = str(np.frombuffer(raw, dtype=np.int32).reshape(shape).tolist())
        else:
            data = '"0x%s"' % raw.hex().upper()
        lines.append("  %%c%d = arith.constant dense<%s> : %s" % (index, data, static))
        lines.append("  %%a%d = tensor.cast %%c%d : %s to %s" % (index, index, static, type_str(dims, dtype)))
        names.append("%%a%d" % index)
    results = ", ".join("%%r%d" % i for i in range(len(result_types)))
    lines.append("  %s = func.call @%s(%s) : (%s) -> (%s)" % (
        results, entry, ", ".join(names), ", ".join(type_str(*t) for t in arg_types),
        ", ".join(type_str(*t) for t in result_types)))
    for index, ((dims, dtype), shape) in enumerate(zip(result_types, result_shapes)):
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
    the command line must agree with a static size it names alone."""
    shape = []
    for dim, flag, name in zip(dims, flags, names):
        if dim is None:
            shape.append(flag)
        elif name in explicit and flag != dim:
            raise Failure("--%s=%d disagrees with the static size %d in the IR" % (name, flag, dim))
        else:
            shape.append(dim)
    return shape


def argument_shapes(opts, explicit, entry, arg_types):
    """The argument shapes to run. A function of three arguments is (Q, K, V):
    4-D [B, H, S, D], 3-D [B*H, S, D] (heads folded into the batch) or 2-D
    [S, D], its dynamic sizes taken from the flags. Any other function's
    arguments must be static."""
    ranks = [len(dims) for dims, _ in arg_types]
    if len(arg_types) != 3 or any(r not in (2, 3, 4) for r in ranks):
        for index, (dims, _) in enumerate(arg_types):
            if None in dims:
                raise Failure("@%s's argument #%d has a dynamic size; attn-cpu-run sizes the "
                              "Q, K and V of a three-argument function from its flags, and any "
                              "other function's arguments must be static" % (entry, index))
        return [list(dims) for dims, _ in arg_types]
    for index, (dims, _) in enumerate(arg_types):
        if dims[-1] is None:
            raise Failure("@%s's argument #%d has a dynamic head dim; attn-cpu-run runs "
                          "static ones" % (entry, index))

    (qd, _), (kd, _), (vd, _) = arg_types
    if len(qd) == 4:
        batch, hq, sq = choose_shape(qd[:3], [opts.batch, opts.heads, opts.seq_q],
                                     ["batch", "heads", "seq-q"], explicit)
    else:
        batch, hq = opts.batch, opts.heads
        sq = choose_shape(qd[-2:-1], [opts.seq_q], ["seq-q"], explicit)[0]
    kv_heads = opts.kv_heads if opts.kv_heads is not None else hq
    seq_kv = opts.seq_kv if opts.seq_kv is not None else sq
    if len(kd) == 4:
        _, hkv, skv = choose_shape(kd[:3], [batch, kv_heads, seq_kv],
                                   ["batch", "kv-heads", "seq-kv"], explicit)
    else:
        hkv, skv = kv_heads, choose_shape(kd[-2:-1], [seq_kv], ["seq-kv"], explicit)[0]
    for name, size in [("batch", batch), ("heads", hq), ("seq-q", sq), ("kv-heads", hkv),
                       ("seq-kv", skv)]:
        if size < 1:
            raise Failure("the IR fixes %s to %d; attn-cpu-run runs sizes from 1" % (name, size))
    if hkv <= 0 or hq % hkv:
        raise Failure("heads (%d) must be a positive multiple of kv-heads (%d)" % (hq, hkv))
    if batch * hq * sq * skv > MAX_ELEMENTS:
        raise Failure("the problem is too large for attn-cpu-run: the scores would hold %d "
                      "elements, more than %d (B=%d Hq=%d Hkv=%d Sq=%d Skv=%d)"
                      % (batch * hq * sq * skv, MAX_ELEMENTS, batch, hq, hkv, sq, skv))
    logical = [[batch, hq, sq], [batch, hkv, skv], [batch, hkv, skv]]
    shapes = []
    for (dims, _), (b, h, s) in zip(arg_types, logical):
        fill = {4: [b, h, s], 3: [b * h, s], 2: [s]}[len(dims)] + [dims[-1]]
        shapes.append([d if d is not None else f for d, f in zip(dims, fill)])
    return shapes


def paged_layout(opts, explicit, entry, arg_types):
    """The sizes of a paged function's run (paged_signature): batch, heads,
    kv-heads and seq-q from the flags as for Q, K and V, --seq-kv the longest
    cache length, the page size K's static dimension 1. The block table has
    room for one page more than the longest sequence needs, and the cache a
    few spare pages, unless the IR fixes them."""
    (qd, _), (kd, _), (vd, _), (td, _), (ld, _) = arg_types
    for index, (dims, _) in enumerate(arg_types[:3]):
        if dims[-1] is None:
            raise Failure("@%s's argument #%d has a dynamic head dim; attn-cpu-run runs "
                          "static ones" % (entry, index))

    def fixed(*dims):
        """The one static size of `dims`, None when all are dynamic."""
        return next((d for d in dims if d is not None), None)

    page_size = fixed(kd[1], vd[1])
    if page_size is None:
        raise Failure("@%s's paged K/V cache has a dynamic page size (dimension 1 of K and V); "
                      "attn-cpu-run runs static ones" % entry)
    batch, hq, sq = choose_shape([fixed(qd[0], td[0], ld[0]), qd[1], qd[2]],
                                 [opts.batch, opts.heads, opts.seq_q],
                                 ["batch", "heads", "seq-q"], explicit)
    kv_heads = opts.kv_heads if opts.kv_heads is not None else hq
    hkv = choose_shape([fixed(kd[2], vd[2])], [kv_heads], ["kv-heads"], explicit)[0]
    seq_kv = opts.seq_kv if opts.seq_kv is not None else sq
    for name, size in [("batch", batch), ("heads", hq), ("seq-q", sq), ("kv-heads", hkv),
                       ("page size", page_size)]:
        if size < 1:
            raise Failure("the IR fixes %s to %d; attn-cpu-run runs sizes from 1" % (name, size))
    if hq % hkv:
        raise Failure("heads (%d) must be a positive multiple of kv-heads (%d)" % (hq, hkv))
    if batch * hq * sq * seq_kv > MAX_ELEMENTS:
        raise Failure("the problem is too large for attn-cpu-run: the scores would hold %d "
                      "elements, more than %d (B=%d Hq=%d Hkv=%d Sq=%d Skv=%d)"
                      % (batch * hq * sq * seq_kv, MAX_ELEMENTS, batch, hq, hkv, sq, seq_kv))
    needed = -(-seq_kv // page_size)  # pages of the longest sequence
    max_pages = td[1] if td[1] is not None else needed + 1
    if max_pages < needed:
        raise Failure("@%s's block table has a static %d columns, %d keys of pages of %d, "
                      "fewer than --seq-kv %d" % (entry, max_pages, max_pages * page_size,
                                                  page_size, seq_kv))
    pages = fixed(kd[0], vd[0])
    if pages is not None and pages < batch * needed:
        raise Failure("@%s's K/V cache has a static %d pages; attn-cpu-run needs room for %d "
                      "(B=%d sequences of up to --seq-kv %d keys, pages of %d)"
                      % (entry, pages, batch * needed, batch, seq_kv, page_size))
    # The largest arguments a seed may draw: every sequence --seq-kv long.
    rows = (pages if pages is not None else batch * needed + PAGED_SPARE_PAGES) * page_size * hkv
    counts = [batch * hq * sq * qd[3], rows * kd[3], rows * vd[3], batch * max_pages, batch]
    for index, count in enumerate(counts):
        if count > MAX_ELEMENTS:
            raise Failure("the problem is too large for attn-cpu-run: argument #%d would hold "
                          "%d elements, more than %d" % (index, count, MAX_ELEMENTS))
    return {"batch": batch, "heads": hq, "seq_q": sq, "kv_heads": hkv, "seq_kv": seq_kv,
            "page_size": page_size, "max_pages": max_pages, "pages": pages}


def paged_inputs(rng, layout, arg_types):
    """Random inputs of a paged function: (args for main_function, float64
    values). Batch 0 has --seq-kv keys, the others a random length up to it,
    and one of them (from three batches on) an empty cache. The pages of all
    sequences are a random permutation of the cache's, interleaved across
    batches; the cache has spare pages no sequence reads, and every table
    entry past a sequence's last page is a page id out of range (-1 or
    pages + 7), so that reading one shows."""
    batch, page_size = layout["batch"], layout["page_size"]
    lengths = rng.integers(0, layout["seq_kv"] + 1, size=batch)
    lengths[0] = layout["seq_kv"]
    if batch >= 3:
        lengths[rng.integers(1, batch)] = 0
    counts = -(-lengths // page_size)
    pages = layout["pages"]
    if pages is None:
        pages = int(counts.sum()) + PAGED_SPARE_PAGES
    order = iter(rng.permutation(pages).tolist())
    table = np.array([[-1 if (b + c) % 2 else pages + 7 for c in range(layout["max_pages"])]
                      for b in range(batch)], dtype=np.int64)
    for b in range(batch):
        table[b, :counts[b]] = [next(order) for _ in range(counts[b])]
    (qd, qtype), (kd, ktype), (vd, vtype) = arg_types[:3]
    shapes = [[batch, layout["heads"], layout["seq_q"], qd[3]],
              [pages, page_size, layout["kv_heads"], kd[3]],
              [pages, page_size, layout["kv_heads"], vd[3]]]
    args, values = [], []
    for shape, dtype in zip(shapes, [qtype, ktype, vtype]):
        exact, raw = round_to(dtype, rng.standard_normal(shape))
        args.append((shape, dtype, raw))
        values.append(exact)
    for value in (table, lengths):
        args.append((list(value.shape), "i32", value.astype(np.int32).tobytes()))
        values.append(value.astype(np.int64))
    return args, values


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
    try:
        flags = shlex.split(opts.passes)
    except ValueError as error:
        raise Failure("--passes %s: %s" % (opts.passes, error))
    for flag in flags:
        if not flag.startswith("-"):
            raise Failure("--passes takes attn-opt flags, each starting with '-', got '%s'"
                          % flag)

    # The reference follows the function as written; fusion says what it
    # computes as attention (a naive matmul-softmax-matmul graph included).
    original = generic_module(opts.input)
    fused = generic_module(opts.input, ["-attn-fuse-attention"])
    arg_types, result_types = read_function(original, opts.entry)
    attn, paged = read_attention(fused, opts.entry)
    rounded = rounded_types(original, opts.entry)
    if paged_signature(arg_types):
        if not paged:
            raise Failure("@%s takes a block table and cache lengths, but its attn.attention "
                          "does not read a paged K/V cache" % opts.entry)
        layout = paged_layout(opts, explicit, opts.entry, arg_types)
        seed = opts.seed if opts.seed is not None else int.from_bytes(os.urandom(4), "little")
        args, values = paged_inputs(np.random.default_rng(seed), layout, arg_types)
    else:
        shapes = argument_shapes(opts, explicit, opts.entry, arg_types)
        for index, shape in enumerate(shapes):
            count = int(np.prod(shape, dtype=np.float64))
            if count > MAX_ELEMENTS:
                raise Failure("the problem is too large for attn-cpu-run: argument #%d would "
                              "hold %d elements, more than %d (%s)"
                              % (index, count, MAX_ELEMENTS, "x".join(map(str, shape))))

        seed = opts.seed if opts.seed is not None else int.from_bytes(os.urandom(4), "little")
        rng = np.random.default_rng(seed)
        args, values = [], []
        for shape, (_, dtype) in zip(shapes, arg_types):
            exact, raw = round_to(dtype, rng.standard_normal(shape))
            args.append((shape, dtype, raw))
            values.append(exact)

    # Every float64 value before anything runs: the reference refuses what it
    # cannot follow (or cannot hold) before the compiler is asked.
    ref, attentions = evaluate(original, opts.entry, values)
    if len(attentions) != 1:
        fused_ref, attentions = evaluate(fused, opts.entry, values)
        ref += fused_ref
    with open(opts.input) as f:
        module = f.read() + "\n" + main_function(opts.entry, args, arg_types, result_types,
                                                 [r.shape for r in ref[:len(result_types)]])
    workdir = opts.keep
    if workdir:
        try:
            os.makedirs(workdir, exist_ok=True)
        except OSError as error:
            raise Failure("cannot write to --keep %s: %s" % (workdir, error.strerror or error))
        return check(opts, module, args, arg_types, result_types, ref, attentions[0], attn,
                     seed, workdir, rounded)
    with tempfile.TemporaryDirectory(prefix="attn-cpu-run-") as workdir:
        return check(opts, module, args, arg_types, result_types, ref, attentions[0], attn,
                     seed, workdir, rounded)


def execute(module_path, passes):
    """Lowers the module after `passes`, runs it, returns the printed results."""
    lowered = run([ATTN_OPT, module_path] + shlex.split(passes) +
                  ["-attn-lower-to-cpu-pipeline"])
    libs = ",".join(os.path.join(MLIR_LIB_DIR, lib) for lib in
                    ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so"))
    return run([MLIR_RUNNER, "-e", "main", "-entry-point-result=void",
                "-shared-libs=" + libs], stdin=lowered)


def measure(outputs, ref, lse_results, tolerance):
    """Compares one run's outputs with float64; returns (summary, problems).
    Results that are an attention's LSE are compared on their finite entries
    and must be -inf exactly where the reference is."""
    summaries, problems = [], []
    for index, (out, expected) in enumerate(zip(outputs, ref)):
        out = out.reshape(expected.shape)
        lse = index in lse_results
        label = "lse" if lse else ("result #%d" % index if index else "output")
        finite = np.isfinite(expected)
        if np.isnan(out).any():
            problems.append("NaN in the %s" % label)
        if not np.array_equal(out[~finite], expected[~finite]):
            problems.append("the %s is not %s exactly where the reference is"
                            % (label, "-inf on the rows that see no key" if lse else "infinite"))
        err = 0.0
        if finite.any():
            floor = 1.0 if lse else 1e-30
            err = np.abs(out[finite] - expected[finite]).max() / max(
                np.abs(expected[finite]).max(), floor)
        summaries.append("%s %.3e" % ("max rel err" if index == 0 else label + " err", err))
        if err > tolerance:
            problems.append("%s error %.3e above %.1e" % (label, err, tolerance))
    return ", ".join(summaries), problems


def check(opts, module, args, arg_types, result_types, ref, attention, attn, seed, workdir,
          rounded):
    """Runs `module` in `workdir` with --passes and, when there are any, also
    through the reference lowering alone; compares both with the float64
    results `ref` (and fusion's reading of the function, when `ref` holds
    one more); prints one line."""
    module_path = os.path.join(workdir, "module.mlir")
    try:
        with open(module_path, "w") as f:
            f.write(module)
    except OSError as error:
        raise Failure("cannot write %s: %s" % (module_path, error.strerror or error))

    # The inputs are rounded to their types, and the function may round to
    # narrower ones inside, so a result wider than them (bf16 in, f32 out) is
    # as exact as the narrowest of them, not its own.
    narrowest = {t for _, t in arg_types + result_types[:1] if t in DTYPES} | rounded
    tolerance = opts.tolerance or max(DEFAULT_TOLERANCE[t] for t in narrowest)
    count = len(result_types)
    lse_results = {i for i, r in enumerate(ref[:count]) if r is attention[4]}
    outputs = parse_printed(execute(module_path, opts.passes), count)
    summary, problems = measure(outputs, ref, lse_results, tolerance)
    if opts.passes:
        baseline = parse_printed(execute(module_path, ""), count)
        ref_summary, ref_problems = measure(baseline, ref, lse_results, tolerance)
        summary += "; reference lowering: " + ref_summary
        problems += ["reference lowering: " + p for p in ref_problems]
    if len(ref) > count:
        fused_summary, fused_problems = measure(ref[count:], ref, lse_results, tolerance)
        summary += "; fused in float64: " + fused_summary
        problems += ["-attn-fuse-attention changes the function: " + p for p in fused_problems]

    (batch, hq, sq, d), (_, hkv, skv, _), (_, _, _, dv) = attention[:3]
    window = "(%d,%d)" % (attn["left"], attn["right"]) if attn["mask"] == "sliding_window" else ""
    paged = " paged(page=%d)" % attention[5] if attention[5] is not None else ""
    print("B=%d Hq=%d Hkv=%d Sq=%d Skv=%d D=%d Dv=%d %s%s mask=%s%s seed=%d: %s (tol %.0e) %s" % (
        batch, hq, hkv, sq, skv, d, dv, args[0][1], paged, attn["mask"], window, seed, summary,
        tolerance, "FAIL" if problems else "PASS"), flush=True)
    if opts.keep:
        try:
            np.save(os.path.join(workdir, "output.npy"), outputs[0].reshape(ref[0].shape))
            np.save(os.path.join(workdir, "reference.npy"), ref[0])
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
