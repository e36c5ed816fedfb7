#!/usr/bin/env python3
"""Write a long Sequential model: a 3x3 'same' Conv2D, BatchNormalization
and ReLU, over and over, on a 32x32x16 input.

  gen_model.py LAYERS > model.yaml
"""
import sys


def main():
    n = int(sys.argv[1])
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
