"""Print the PTX that gpu-module-to-binary{format=isa} left in a gpu.binary.

usage: gpu_binary_ptx.py IN.mlir > OUT.ptx

The payload is the `assembly = "..."` string of the module's one gpu.binary
object, printed with llvm::printEscapedString: printable ASCII verbatim
except backslash and double quote, every other byte as a backslash and two
hex digits.
"""

import re
import sys


def main() -> int:
    text = open(sys.argv[1], encoding="ascii").read()
    found = re.findall(r'\bassembly\s*=\s*"((?:[^"\\]|\\\\|\\[0-9A-Fa-f]{2})*)"', text)
    if len(found) != 1:
        print(f"{sys.argv[1]}: expects one PTX payload, found {len(found)}",
              file=sys.stderr)
        return 1
    ptx = re.sub(r"\\(\\|[0-9A-Fa-f]{2})",
                 lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1), 16)),
                 found[0])
    sys.stdout.write(ptx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
