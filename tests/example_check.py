#!/usr/bin/env python3
"""The library's example (examples/totals.c) on real models: its totals are
the ones of the reviewed summaries, it agrees with `convsummary --format
json`, and its errors keep the library's status classes.

usage: example_check.py TOTALS CONVSUMMARY ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def main():
    totals, convsummary, root = sys.argv[1:4]
    models = os.path.join(root, "models")

    # mnist_cnn: 34,826 parameters in models/README.md and its golden summary
    r = run(totals, os.path.join(models, "mnist_cnn.yaml"))
    check(r.returncode == 0 and r.stderr == "", "mnist_cnn: exit 0, nothing on stderr")
    want = ("model: mnist_cnn\n"
            "input: (None, 28, 28, 1) float32\n"
            "layers: 7\n"
            "last layer: dense (Dense)\n"
            "total params: 34826\n"
            "trainable params: 34826\n"
            "non-trainable params: 0\n"
            "weight bytes: 139304\n")
    check(r.stdout == want, "mnist_cnn: the totals\n" + r.stdout)

    # mobilenet: BatchNormalization's moving statistics are non-trainable
    r = run(totals, os.path.join(models, "mobilenet.yaml"))
    check("total params: 4253864\n" in r.stdout
          and "non-trainable params: 21888\n" in r.stdout
          and "last layer: predictions (Activation)\n" in r.stdout,
          "mobilenet: 4,253,864 params, 21,888 non-trainable")

    # every bundled model: the example's totals are the command's
    names = sorted(n for n in os.listdir(models) if n.endswith(".yaml"))
    agree = True
    for n in names:
        path = os.path.join(models, n)
        j = json.loads(run(convsummary, "--format", "json", path).stdout)
        out = run(totals, path).stdout
        lines = dict(l.split(": ", 1) for l in out.splitlines())
        if (lines.get("model") != j["name"]
                or int(lines["total params"]) != j["total_params"]
                or int(lines["trainable params"]) != j["trainable_params"]
                or int(lines["non-trainable params"]) != j["non_trainable_params"]
                or int(lines["weight bytes"]) != j["total_bytes"]
                or int(lines["layers"]) != len(j["layers"])):
            agree = False
            print("  differs on " + n)
    check(agree and len(names) >= 13, "all %d models: the same totals as --format json" % len(names))

    # an invalid model: exit 1 and the error in compiler form
    bad = os.path.join(root, "tests", "broken", "batch_size_negative.yaml")
    r = run(totals, bad)
    check(r.returncode == 1 and r.stdout == ""
          and r.stderr.startswith(bad + ":3:13: error: batch_size"),
          "an invalid model: exit 1, file:line:col: error: on stderr")

    # a missing file: exit 2
    with tempfile.TemporaryDirectory() as d:
        r = run(totals, os.path.join(d, "missing.yaml"))
    check(r.returncode == 2 and r.stdout == "" and "missing.yaml" in r.stderr,
          "a missing file: exit 2")

    # no argument: usage, exit 2
    r = run(totals)
    check(r.returncode == 2 and r.stderr.startswith("usage:"), "no argument: usage, exit 2")

    print("%d failed" % failures())
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
