#!/usr/bin/env python3
"""memcheck over the golden runs: every model of the corpus and of models/
in each output format (with --explain), every broken model, and a diff.
Any leak, invalid read or write, or use of uninitialised memory fails.

  valgrind.py VALGRIND BIN SOURCE_ROOT
"""
import glob, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor


def main():
    valgrind, binary, root = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    os.chdir(root)
    good = sorted(glob.glob("tests/conformance/*.yaml")) + sorted(glob.glob("models/*.yaml"))
    runs = [["--explain", m] for m in good]
    runs += [["--style", "keras2", "--format", "text", m] for m in good[:10]]
    runs += [["--format", f, m] for f in ("json", "markdown", "csv") for m in good[:10]]
    # the broken models forty to a run: one file's refusal does not stop
    # the next, and valgrind's start-up is most of a run's cost
    broken = sorted(glob.glob("tests/broken/*.yaml"))
    runs += [broken[i:i + 40] for i in range(0, len(broken), 40)]
    # graphs, Keras's own files and pictures
    graphs = sorted(glob.glob("tests/functional/*.yaml"))
    runs += [["--explain"] + graphs, ["--style", "keras2"] + graphs, ["--format", "json"] + graphs,
             ["--format", "markdown", "--columns", "layer,connected_to,macs,rf"] + graphs]
    runs += [sorted(glob.glob("tests/keras/archives/*.keras"))[:2],
             ["--format", "json", "tests/keras/merge_layers.keras.json"],
             ["convert", "tests/keras/inception_block.keras.json"]]
    runs += [["--format", "dot", "models/lenet5.yaml", "tests/functional/unet_small.yaml"],
             ["--format", "mermaid", "tests/functional/inception_block.yaml"],
             # --show nested: clusters, hostile names in them, a shared sub-model
             ["--format", "dot", "--show", "nested,dtype,activation,trainable", "models/transfer.yaml",
              "tests/pictures/nested_names.yaml", "tests/pictures/shared_encoder.yaml"],
             ["--format", "mermaid", "--show", "nested", "--columns", "layer,params,rf",
              "tests/pictures/nested_names.yaml", "tests/functional/examples/submodels.yaml"]]
    runs += [["diff", "models/lenet5.yaml", "tests/cli/lenet5_wider.yaml"],
             ["--check", "tests/models/lenet5.keras3.txt", "tests/cli/lenet5_wider.yaml"],
             ["--max-params", "1k", "models/"],
             # issue 12: wrapped --columns cells, sweeps, escaping
             ["--columns", "layer,params,kernel", "tests/cli/long_names.yaml"],
             ["--input-shape", "2147483647,2147483647,1", "--input-shape", "8,8,1", "tests/cli/sum_overflow.yaml"],
             ["--format", "json", "--input-shape", "8,8,1", "models/lenet5.yaml", "tests/cli/no-such-model.yaml",
              "tests/cli/control_class.yaml"],
             ["diff", "--format", "markdown", "models/seed_scenario1.yaml", "tests/cli/markdown_names.yaml"]]
    vg = [valgrind, "--quiet", "--leak-check=full", "--show-leak-kinds=all", "--errors-for-leak-kinds=all",
          "--error-exitcode=99", "--track-origins=yes",
          "--suppressions=" + os.path.join(root, "tests", "valgrind.supp")]

    def one(args):
        p = subprocess.run(vg + [binary] + args, capture_output=True, timeout=300)
        return args, p.returncode, p.stderr.decode("utf-8", "replace")

    failed = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for args, code, err in pool.map(one, runs):
            if code == 99 or "==" in err:
                failed += 1
                print(f"FAIL {' '.join(args)}:\n{err}")
    print(f"{len(runs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
