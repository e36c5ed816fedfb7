#!/usr/bin/env python3
"""Write a long model: a 3x3 'same' Conv2D, BatchNormalization and ReLU,
over and over, on a 32x32x16 input; with --residual, a Functional graph
whose blocks also Add the block's input (a ResNet's identity shortcut),
referring to the layers by their automatic names.

  gen_model.py [--residual] LAYERS > model.yaml
"""
import sys


def name(stem, k):
    return stem if k == 0 else f"{stem}_{k}"


def residual(n, out):
    out.write(f"# {n} layers of residual blocks: Conv2D 3x3 same + BatchNormalization + ReLU + Add\n")
    out.write("name: long_residual\ninput_shape: [32, 32, 16]\nlayers:\n")
    blocks, rest = divmod(n, 4)
    prev = "input_layer"
    for k in range(blocks):
        out.write("  - Conv2D: {filters: 16, kernel_size: 3, padding: same}\n"
                  "  - BatchNormalization\n"
                  "  - ReLU\n"
                  f"  - Add: {{inputs: [{prev}, {name('re_lu', k)}]}}\n")
        prev = name("add", k)
    block = ["  - Conv2D: {filters: 16, kernel_size: 3, padding: same}\n",
             "  - BatchNormalization\n", "  - ReLU\n"]
    out.write("".join(block[:rest]))
    out.write(f"outputs: [{'re_lu_' + str(blocks) if rest == 3 else prev}]\n" if rest in (0, 3) else "")


def main():
    args = sys.argv[1:]
    if args and args[0] == "--residual":
        residual(int(args[1]), sys.stdout)
        return
    n = int(args[0])
    out = sys.stdout
    out.write(f"# {n} layers of Conv2D 3x3 same + BatchNormalization + ReLU blocks\n")
    out.write("name: long_chain\ninput_shape: [32, 32, 16]\nlayers:\n")
    block = ("  - Conv2D: {filters: 16, kernel_size: 3, padding: same}\n"
             "  - BatchNormalization\n"
             "  - ReLU\n")
    full, rest = divmod(n, 3)
    out.write(block * full)
    out.write("".join(block.splitlines(True)[:rest]))


if __name__ == "__main__":
    main()
