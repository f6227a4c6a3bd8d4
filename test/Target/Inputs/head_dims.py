"""Compiles a causal (or, with MASK `none`, unmasked) GQA attention for
every head dim a chip's kernel
takes (sm_80: multiples of 8 from 8 to 256; sm_90a and sm_100a: multiples
of 64; all also DeepSeek's 192 / 128) with attn-compile and ptxas, and
prints one line per head dim: `D=<d> Dv=<dv>: <registers> registers,
<bytes> bytes spill stores`, then, for sm_90a and sm_100a, how many of the
instructions its kernel is made of the PTX holds (INSTRUCTIONS).

    python3 head_dims.py ATTN_COMPILE WORK_DIR CHIP [MASK]
"""
import os
import re
import subprocess
import sys

IR = """func.func @hd(%q: tensor<?x8x?x{d}xbf16>, %k: tensor<?x2x?x{d}xbf16>,
              %v: tensor<?x2x?x{dv}xbf16>) -> tensor<?x8x?x{dv}xbf16> {{
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x{d}xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x{d}xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x{dv}xbf16>
  %o = attn.attention {mask}
         ins(%q, %k, %v : tensor<?x8x?x{d}xbf16>, tensor<?x2x?x{d}xbf16>,
                          tensor<?x2x?x{dv}xbf16>)
         outs(%init : tensor<?x8x?x{dv}xbf16>) -> tensor<?x8x?x{dv}xbf16>
  return %o : tensor<?x8x?x{dv}xbf16>
}}
"""


HEAD_DIMS = {"sm_80": range(8, 257, 8), "sm_90a": range(64, 257, 64),
             "sm_100a": range(64, 257, 64)}
INSTRUCTIONS = {"sm_90a": ("wgmma.mma_async", "cp.async.bulk.tensor",
                           "mbarrier.try_wait", "setmaxnreg"),
                "sm_100a": ("tcgen05.alloc", "tcgen05.mma", "tcgen05.commit",
                            "tcgen05.ld", "tcgen05.st", "tcgen05.dealloc",
                            "cp.async.bulk.tensor", "mbarrier.try_wait")}


def main():
    compiler, work, chip = sys.argv[1], sys.argv[2], sys.argv[3]
    mask = "" if sys.argv[4:] == ["none"] else "causal"
    os.makedirs(work, exist_ok=True)
    for d, dv in [(d, d) for d in HEAD_DIMS[chip]] + [(192, 128)]:
        source = os.path.join(work, f"d{d}_dv{dv}.mlir")
        with open(source, "w") as f:
            f.write(IR.format(d=d, dv=dv, mask=mask))
        out = os.path.join(work, f"d{d}_dv{dv}")
        run = subprocess.run([compiler, source, f"--chip={chip}", "-o", out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"D={d} Dv={dv}: FAILED\n{run.stderr}")
            continue
        registers = re.search(r"Used (\d+) registers", run.stdout)
        spills = re.search(r"(\d+) bytes spill stores", run.stdout)
        counts = ""
        if chip in INSTRUCTIONS:
            with open(os.path.join(out, "hd.ptx")) as f:
                ptx = f.read()
            counts = "".join(f", {name} {ptx.count(name)}"
                             for name in INSTRUCTIONS[chip])
        print(f"D={d} Dv={dv}: {registers.group(1)} registers, "
              f"{spills.group(1)} bytes spill stores{counts}")


if __name__ == "__main__":
    main()
