#!/usr/bin/env python3
"""Golden tests: run convsummary and compare its output byte for byte.

  golden.py --bin BIN case DIR/NAME [MODEL.yaml]
                                         every reference file of model NAME
                                         (DIR/NAME.yaml unless MODEL is given):
        NAME.keras3.txt (no options), NAME.keras3.L<N>.txt (--line-length N),
        NAME.keras3.json (--format json), NAME.keras2.txt (--style keras2),
        NAME.keras2.L<N>.txt, NAME.md (--format markdown), NAME.csv.
  golden.py --bin BIN broken FILE.yaml...  models that must be refused: each
        `# expect: LINE:COL: TEXT` comment gives where and what stderr says
        (exit status 1, nothing on stdout).
"""
import difflib, glob, json, os, re, subprocess, sys

VARIANTS = [
    (r"\.keras3\.txt$", []),
    (r"\.keras3\.L(\d+)\.txt$", ["--line-length", "{0}"]),
    (r"\.keras3\.json$", ["--format", "json"]),	# compared on the reference's keys
    (r"\.keras2\.txt$", ["--style", "keras2"]),
    (r"\.keras2\.L(\d+)\.txt$", ["--style", "keras2", "--line-length", "{0}"]),
    (r"\.md$", ["--format", "markdown"]),
    (r"\.csv$", ["--format", "csv"]),
]


def subset(want, got, path="$"):
    """Where got differs from want on want's keys (got may have more)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: expected an object"
        for k, v in want.items():
            if k not in got:
                return f"{path}.{k}: missing"
            why = subset(v, got[k], f"{path}.{k}")
            if why:
                return why
        return None
    if isinstance(want, list) and want and isinstance(want[0], dict):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: expected {len(want)} entries"
        for i, (w, g) in enumerate(zip(want, got)):
            why = subset(w, g, f"{path}[{i}]")
            if why:
                return why
        return None
    return None if want == got else f"{path}: {got!r}, expected {want!r}"


def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def show_diff(want, got, label):
    diff = difflib.unified_diff(want.decode("utf-8", "replace").splitlines(True),
                                got.decode("utf-8", "replace").splitlines(True),
                                "expected", "convsummary " + label)
    sys.stdout.writelines(diff)


def case(binary, base, model=None):
    model = model or base + ".yaml"
    failures = checked = 0
    for ref in sorted(glob.glob(glob.escape(base) + ".*")):
        tail = ref[len(base):]
        for pattern, args in VARIANTS:
            m = re.match(pattern, tail)
            if not m:
                continue
            argv = [a.format(*m.groups()) for a in args] + [model]
            code, out, err = run(binary, argv)
            want = open(ref, "rb").read()
            checked += 1
            if ref.endswith(".json") and code == 0:
                # the reference's fields, exactly; convsummary adds its figures
                try:
                    why = subset(json.loads(want), json.loads(out))
                except ValueError as e:
                    why = f"not JSON: {e}"
                if why:
                    failures += 1
                    print(f"FAIL {' '.join(argv)}: {why}")
                continue
            if code != 0 or out != want:
                failures += 1
                print(f"FAIL {' '.join(argv)}: exit {code}, expected {os.path.basename(ref)}")
                if err:
                    print(err.decode("utf-8", "replace"))
                show_diff(want, out, " ".join(argv[:-1]))
    if not checked:
        print(f"no reference files for {base}")
        return 1
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


def broken(binary, path, quiet=False):
    text = open(path, "rb").read().decode("utf-8", "replace")
    m = re.search(r"^# expect: (\d+):(\d+): (.*)$", text, re.M)
    if not m:
        print(f"{path}: no '# expect: LINE:COL: TEXT' line")
        return 1
    line, col, what = m.groups()
    code, out, err = run(binary, [path])
    err = err.decode("utf-8", "replace")
    problems = []
    if code != 1:
        problems.append(f"exit status {code}, expected 1")
    if out:
        problems.append("printed on stdout")
    want = f"{path}:{line}:{col}: error: "
    if not err.startswith(want):
        problems.append(f"stderr does not start with {want!r}")
    if what.strip() not in err:
        problems.append(f"stderr does not say {what.strip()!r}")
    if err.count("\n") != 1:
        problems.append("expected exactly one line on stderr")
    if problems:
        print(f"FAIL {path}: " + "; ".join(problems))
        print("stderr: " + err)
        return 1
    if not quiet:
        print("1 passed, 0 failed")
    return 0


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "--bin" or args[2] not in ("case", "broken"):
        print(__doc__)
        return 2
    binary, mode, target = args[1], args[2], args[3]
    if mode == "case":
        return case(binary, target, args[4] if len(args) == 5 else None)
    results = [broken(binary, path, quiet=True) for path in args[3:]]
    failed = sum(results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
