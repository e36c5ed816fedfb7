#!/usr/bin/env python3
"""--convention torchinfo against torchinfo's own published figures.

Each model of tests/torchinfo/ is transcribed from one of torchinfo's test
outputs; tests/torchinfo/published.json holds that output's numbers: every
layer's Mult-Adds where it has the column, and its footer lines.  The check
reads convsummary's figures (--format json) and writes the footer as the
published file's torchinfo wrote it, then compares the text; for the files
of today's torchinfo it also compares convsummary's own printed lines.

usage: torchinfo_check.py CONVSUMMARY SOURCE_ROOT
"""
import json
import os
import subprocess
import sys

LABELS = {"Total mult-adds": "mult_adds", "Input size": "input_bytes",
          "Forward/backward pass size": "forward_backward_bytes", "Params size": "params_bytes",
          "Estimated Total Size": "total_bytes"}


def today(n, is_bytes):
    """torchinfo's footer since it chooses its units (k, M, G, T: 1000s)."""
    for factor, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= factor:
            v = n / factor
            text = f"{int(v):,}" if v.is_integer() else f"{v:,.2f}"
            return f" ({unit}{'B' if is_bytes else ''}): {text}"
    return f": {n:,}"


def fixed(n, is_bytes):
    """torchinfo 1.8's footer: mult-adds in M, G or T; sizes in MB."""
    if is_bytes:
        return f" (MB): {n / 1e6:0.2f}"
    for factor, unit in ((1e12, "T"), (1e9, "G")):
        if n >= factor:
            return f" ({unit}): {n / factor:0.2f}"
    return f" (M): {n / 1e6:0.2f}"


def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr}")
    return p.stdout


def check(binary, path, want):
    errors = []
    got = json.loads(run(binary, ["--format", "json", "--convention", "torchinfo", path]))
    ti = got["torchinfo"]
    rows = {layer["name"]: layer["macs"] for layer in got["layers"]}
    for name, value in want.get("rows", {}).items():
        if rows.get(name) != value:
            errors.append(f"row {name}: mult-adds {rows.get(name)}, published {value}")
    header = want.get("input_header", 0)
    # torchinfo's input size counts Python's object header of the input
    figures = dict(ti)
    figures["input_bytes"] += header
    figures["total_bytes"] += header
    style = today if want["style"] == "auto" else fixed
    printed = {}
    if want["style"] == "auto":
        text = run(binary, ["--convention", "torchinfo", path])
        for line in text.splitlines():
            label = line.strip().split(" (")[0].split(":")[0]
            if label in LABELS:
                printed[label] = line.strip()
    for line in want.get("footer", []):
        label = line.split(" (")[0].split(":")[0]
        key = LABELS[label]
        mine = label + style(figures[key], key != "mult_adds")
        if mine != line:
            errors.append(f"{mine!r}, published {line!r}")
        if printed:
            # the command's own line: the published one, but for the input's header
            expect = line if key not in ("input_bytes", "total_bytes") or not header \
                else label + today(ti[key], True)
            if printed.get(label) != expect:
                errors.append(f"printed {printed.get(label)!r}, expected {expect!r}")
    return errors


def main():
    binary, root = sys.argv[1], sys.argv[2]
    folder = os.path.join(root, "tests", "torchinfo")
    with open(os.path.join(folder, "published.json"), encoding="utf-8") as f:
        published = json.load(f)["models"]
    passed = failed = 0
    for name, want in sorted(published.items()):
        try:
            errors = check(binary, os.path.join(folder, name + ".yaml"), want)
        except (RuntimeError, KeyError, ValueError) as e:
            errors = [str(e)]
        if errors:
            failed += 1
            print(f"FAIL {name} ({want['source']}):")
            for e in errors:
                print("    " + e)
        else:
            passed += 1
            print(f"ok   {name}")
    models = {f[:-5] for f in os.listdir(folder) if f.endswith(".yaml")}
    for name in sorted(models - set(published)):
        failed += 1
        print(f"FAIL {name}: no published figures for it")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
