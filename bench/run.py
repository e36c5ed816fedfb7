#!/usr/bin/env python3
"""convsummary's speed and memory against libyaml's bare event parse.

  run.py CONVSUMMARY BARE_PARSE MEASURE [--sizes 1000,10000,100000,1000000] [--repeat N]

BARE_PARSE and MEASURE are built only on request: `meson configure build
-Dbench=true` (then they are build/bench/bare_parse and build/bench/measure,
and `meson test -C build --benchmark` runs this script on them).

For each size, a model of that many layers (gen_model.py: a chain, then
with --residual a graph of residual blocks, Conv2D + BatchNormalization +
ReLU + Add of the block's input, its references by automatic names) is
timed with the bare parse, `convsummary --format json`, `convsummary` (the
text table) and the pictures that stream (`--format dot`, `--format
mermaid`), interleaved, the median of N runs each, every program on one core (the
first the process may use, as `taskset -c` would pin it; the machines are
shared, so only ratios measured in the same run mean anything); peak
memory is the child's maximum resident set (wait4).  Then ResNet50
(/work/shared/functional/resnet50.yaml, when there) and fifty small models
in one call against fifty calls.  It prints the figures and checks the
targets:

  chain:    json <= 1.6x bare and text <= 1.8x bare on the 100k-layer file,
            dot and mermaid <= 2x bare
  residual: json <= 2.0x bare and text <= 2.2x bare on the 100k-layer file
  the 1M-layer file within 11x the 100k one, each kind
  peak memory < 4x the input file + 8 MiB
  fifty models in one call cheaper than fifty calls

Exit status 1 when a target is missed.
"""
import os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
RESNET50 = "/work/shared/functional/resnet50.yaml"

PROGRAMS = ("json", "text", "dot", "mermaid")
# kind: (gen_model.py's options, targets at 100k layers: times the bare parse)
KINDS = {"chain": ([], {"json": 1.6, "text": 1.8, "dot": 2.0, "mermaid": 2.0}),
         "residual": (["--residual"], {"json": 2.0, "text": 2.2})}


MEASURE = None


def run(argv):
    """Wall time (s) and peak RSS (bytes) of one run, output to /dev/null,
    as the small `measure` program sees them."""
    p = subprocess.run([MEASURE] + argv, capture_output=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {p.stderr.decode()}")
    ns, kib = p.stdout.split()
    return int(ns) / 1e9, int(kib) * 1024


def timed(conv, bare, path, reps):
    """Median wall time and peak memory of the bare parse, json and text
    on one file, interleaved."""
    kinds = {"bare": [bare, path], "json": [conv, "--format", "json", path], "text": [conv, path],
             "dot": [conv, "--format", "dot", path], "mermaid": [conv, "--format", "mermaid", path]}
    times = {k: [] for k in kinds}
    peak = {k: 0 for k in kinds}
    for _ in range(reps):
        for k, argv in kinds.items():
            wall, rss = run(argv)
            times[k].append(wall)
            peak[k] = max(peak[k], rss)
    return {k: statistics.median(v) for k, v in times.items()}, peak


def main():
    # one core for every program measured (children inherit the affinity)
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__)
        return 2
    global MEASURE
    conv, bare, MEASURE = (os.path.abspath(a) for a in args[:3])
    sizes = [1000, 10000, 100000, 1000000]
    repeat = 5
    if "--sizes" in args:
        sizes = [int(x) for x in args[args.index("--sizes") + 1].split(",")]
    if "--repeat" in args:
        repeat = int(args[args.index("--repeat") + 1])
    failures = []
    with tempfile.TemporaryDirectory() as d:
        print(f"{os.cpu_count()} processors, every program pinned to core {core}; "
              f"medians of {repeat} interleaved runs (3 at 1M layers)")
        for kind, (opts, targets) in KINDS.items():
            results = {}
            print(f"{kind}:")
            print(f"{'layers':>8} {'file':>9} | {'bare ms':>8} {'json ms':>8} {'text ms':>8} {'dot ms':>8} "
                  f"{'mmd ms':>8} | {'json/bare':>9} {'text/bare':>9} {'dot/bare':>9} {'mmd/bare':>9} | "
                  f"{'peak json':>9} {'peak text':>9} {'peak dot':>9} {'limit':>9}")
            for n in sizes:
                path = os.path.join(d, f"{kind}_{n}.yaml")
                with open(path, "w") as f:
                    subprocess.run([sys.executable, os.path.join(HERE, "gen_model.py")] + opts + [str(n)],
                                   stdout=f, check=True)
                size = os.path.getsize(path)
                reps = repeat if n <= 100000 else max(3, repeat // 2)
                med, peak = timed(conv, bare, path, reps)
                results[n] = med
                limit = 4 * size + 8 * 1024 * 1024
                print(f"{n:>8} {size / 1e6:>8.1f}M | {med['bare'] * 1e3:>8.1f} {med['json'] * 1e3:>8.1f} "
                      f"{med['text'] * 1e3:>8.1f} {med['dot'] * 1e3:>8.1f} {med['mermaid'] * 1e3:>8.1f} | "
                      f"{med['json'] / med['bare']:>9.2f} {med['text'] / med['bare']:>9.2f} "
                      f"{med['dot'] / med['bare']:>9.2f} {med['mermaid'] / med['bare']:>9.2f} | "
                      f"{peak['json'] / 2**20:>8.1f}M {peak['text'] / 2**20:>8.1f}M {peak['dot'] / 2**20:>8.1f}M "
                      f"{limit / 2**20:>8.1f}M")
                for k in PROGRAMS:
                    if peak[k] >= limit:
                        failures.append(f"{kind}, {n} layers: {k} peak memory {peak[k] / 2**20:.1f} MiB >= "
                                        f"{limit / 2**20:.1f} MiB (4x file + 8 MiB)")
                if n == 100000:
                    for k, target in targets.items():
                        if med[k] > target * med["bare"]:
                            failures.append(f"{kind}, 100k layers: {k} {med[k] / med['bare']:.2f}x "
                                            f"the bare parse (target {target}x)")
            if 100000 in results and 1000000 in results:
                for k in PROGRAMS:
                    g = results[1000000][k] / results[100000][k]
                    print(f"growth 100k -> 1M, {k}: {g:.2f}x (target <= 11x)")
                    if g > 11:
                        failures.append(f"{kind}, {k}: the 1M file takes {g:.1f}x the 100k one (target 11x)")

        if os.path.exists(RESNET50):
            med, _ = timed(conv, bare, RESNET50, repeat)
            print(f"ResNet50: bare {med['bare'] * 1e3:.1f} ms, json {med['json'] * 1e3:.1f} ms, "
                  f"text {med['text'] * 1e3:.1f} ms, dot {med['dot'] * 1e3:.1f} ms")

        # fifty small models in one call, against fifty calls
        small = os.path.join(d, "small")
        os.mkdir(small)
        for i in range(50):
            with open(os.path.join(small, f"m{i:02}.yaml"), "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_model.py"), "30"], stdout=f, check=True)
        files = sorted(os.path.join(small, x) for x in os.listdir(small))
        one, many = [], []
        for _ in range(repeat):
            one.append(run([conv] + files)[0])
            many.append(sum(run([conv, f])[0] for f in files))
        o, m = statistics.median(one), statistics.median(many)
        print(f"50 small models: one call {o * 1e3:.1f} ms, 50 calls {m * 1e3:.1f} ms ({m / o:.1f}x)")
        if o >= m:
            failures.append("fifty models in one call cost no less than fifty calls")
    for f in failures:
        print("MISSED: " + f)
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
