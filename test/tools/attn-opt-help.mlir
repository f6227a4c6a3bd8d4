// Every flag the project adds is spelled attn-... or convert-attn-...
// RUN: attn-opt --help | FileCheck %s
// RUN: attn-opt --help | %attn_python -c "import re, sys; flags = re.findall(r'--[a-z0-9-]*attn[a-z0-9-]*', sys.stdin.read()); bad = [f for f in flags if not re.match(r'--(attn-|convert-attn-)', f)]; print('misnamed flags:', bad); sys.exit(1 if bad or not flags else 0)"

// CHECK: attn optimizer: attention IR passes and lowerings
// CHECK-DAG: --attn-lower-to-cpu-pipeline
// CHECK-DAG: --convert-attn-to-linalg
// CHECK-DAG: --attn-fuse-attention
// CHECK-DAG: --attn-select-schedule
// CHECK-DAG: --attn-tile
// CHECK-DAG: --attn-fuse-online-softmax
