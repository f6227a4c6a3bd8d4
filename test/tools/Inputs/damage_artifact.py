"""Copies a good artifact folder into OUT/<case>/, damaged one way per case."""
import json
import os
import shutil
import sys

good, out = sys.argv[1], sys.argv[2]
manifest_name = next(f for f in os.listdir(good) if f.endswith(".json"))
with open(os.path.join(good, manifest_name)) as f:
    manifest = json.load(f)


def case(name, edit=None, text=None, files=None):
    folder = os.path.join(out, name)
    shutil.copytree(good, folder)
    if files:
        files(folder)
    if edit or text is not None:
        m = json.loads(json.dumps(manifest))
        if edit:
            edit(m)
        with open(os.path.join(folder, manifest_name), "w") as f:
            f.write(text if text is not None else json.dumps(m))


case("a-no-manifest", files=lambda d: os.remove(os.path.join(d, manifest_name)))
case("b-two-manifests", files=lambda d: shutil.copy(os.path.join(d, manifest_name),
                                                      os.path.join(d, "other.json")))
case("c-not-json", text='{"kernel": ')
case("d-missing-grid", edit=lambda m: m.pop("grid"))
case("e-grid-tensor", edit=lambda m: m["grid"][0].update(tensor=7))
case("f-grid-dim", edit=lambda m: m["grid"][1].update(dim=4))
case("g-shape-rank", edit=lambda m: m["tensors"][0].update(shape=[-1, 8, -1]))
case("h-element", edit=lambda m: m["tensors"][2].update(element="f64"))
case("i-block", edit=lambda m: m.update(block=[4096, 1, 1]))
case("j-mask-type", edit=lambda m: m["attention"].update(mask=3))
case("k-three-tensors", edit=lambda m: m.update(tensors=m["tensors"][:3],
                                                params=m["params"][:3]))
case("l-missing-ptx", files=lambda d: os.remove(os.path.join(d, manifest["ptx"])))
case("m-divisor", edit=lambda m: m["grid"][0].update(divisor=0))
case("n-format-1", edit=lambda m: m.update(format=1))
case("o-param-tensor", edit=lambda m: m["params"][1].update(tensor=9))
case("p-tensor-map-sm80", edit=lambda m: m["params"].__setitem__(
    0, {"kind": "tensor_map", "tensor": 0, "element": "bf16", "box": [1, 1, 64, 64],
        "swizzle": 128, "oob_fill": "zero"}))
case("q-cluster", edit=lambda m: m.update(cluster=[2, 1, 1]))
case("r-no-capability", edit=lambda m: m.pop("capability"))
case("s-box", edit=lambda m: (m.update(capability=90, chip="sm_90a"),
                              m["params"].__setitem__(
    0, {"kind": "tensor_map", "tensor": 0, "element": "bf16", "box": [1, 1, 64, 4],
        "swizzle": 0, "oob_fill": "zero"})))
