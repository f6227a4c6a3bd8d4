// Head counts known only at run time: GQA 4:1 and MQA (one key/value head),
// with an explicit scale and a softcap.
// RUN: attn-cpu-run %s --heads 8 --kv-heads 2 --seq-q 17 --seq-kv 33 | FileCheck %s --check-prefix=GQA
// RUN: attn-cpu-run %s --heads 4 --kv-heads 1 --seq-q 40 | FileCheck %s --check-prefix=MQA
// GQA: Hq=8 Hkv=2 Sq=17 Skv=33 {{.*}} f32 mask=none {{.*}} PASS
// MQA: Hq=4 Hkv=1 Sq=40 Skv=40 {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x24xf32>, %k: tensor<?x?x?x24xf32>,
                     %v: tensor<?x?x?x24xf32>) -> tensor<?x?x?x24xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x24xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x24xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x24xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x24xf32>
  %r = attn.attention scale(0.75) softcap(4.0)
         ins(%q, %k, %v : tensor<?x?x?x24xf32>, tensor<?x?x?x24xf32>, tensor<?x?x?x24xf32>)
         outs(%o : tensor<?x?x?x24xf32>) -> tensor<?x?x?x24xf32>
  return %r : tensor<?x?x?x24xf32>
}
