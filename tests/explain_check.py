#!/usr/bin/env python3
"""--explain must agree with the table: every line `what = EXPR = VALUE`
evaluates to VALUE, `params` lines give the layer's parameter count and axis
lines give sizes of its output shape.

  explain_check.py BIN MODEL.yaml ...
"""
import json, math, re, subprocess, sys

LINE = re.compile(r"^(?P<what>[^=]+?) = (?P<expr>.+) = (?P<value>-?\d+)(?P<note>  \(.*\))?$")
SAFE = re.compile(r"^[0-9+\-*/%() ,a-z]*$")
ENV = {"floor": math.floor, "ceil": math.ceil, "max": max, "__builtins__": {}}


def check(binary, path):
    out = subprocess.run([binary, "--explain", "--format", "json", path], capture_output=True)
    if out.returncode != 0:
        return [f"{path}: exit {out.returncode}: {out.stderr.decode()}"]
    model = json.loads(out.stdout)
    problems, checked = [], 0
    for layer in model["layers"]:
        for line in layer.get("explain", []):
            m = LINE.match(line)
            if not m:
                continue
            what, expr, value = m["what"], m["expr"], int(m["value"])
            where = f"{path}: {layer['name']}: {line!r}"
            if not SAFE.match(expr):
                problems.append(f"{where}: cannot evaluate")
                continue
            # ceil(a / b) is exact in integers; floor too for the sizes here
            got = eval(expr.replace("/", "//") if "ceil" not in expr else expr, ENV)
            if got != value:
                problems.append(f"{where}: evaluates to {got}")
            if what == "params" and value != layer["params"]:
                problems.append(f"{where}: the table says {layer['params']}")
            if what in ("height", "width", "depth", "length", "features") and value not in layer["output_shape"]:
                problems.append(f"{where}: not in the output shape {layer['output_shape']}")
            checked += 1
        if layer["params"] and not any(l.startswith("params = ") for l in layer.get("explain", [])):
            problems.append(f"{path}: {layer['name']}: {layer['params']} parameters, no `params =` line")
    return problems, checked


def main():
    binary, paths = sys.argv[1], sys.argv[2:]
    failed = lines = 0
    for p in paths:
        problems, n = check(binary, p)
        lines += n
        for q in problems:
            print("FAIL " + q)
        failed += bool(problems)
    print(f"checked {lines} lines of arithmetic in {len(paths)} models")
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
