#!/usr/bin/env python3
"""The command line against hostile models and unlucky machines (issue 12):
--update never loses the committed summary (a write that fails, a writer
killed mid-write), never writes through a symlink or over the model; --check
reads only a regular file of bounded size; --columns output stays in
proportion to the model; control characters are escaped wherever text is
echoed; a FIFO in a directory is skipped, not waited for; sweeps read the
model once and write valid JSON; --help to a full disk fails; paths are
never cut.  Each case returns what went wrong, or None.

  cli_hostile.py BIN SOURCE_ROOT [CASE...]
"""
import json, os, resource, signal, stat, subprocess, sys, tempfile, threading, time

L5 = "models/lenet5.yaml"
S1 = "models/seed_scenario1.yaml"


def run(binary, args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 60)
    return subprocess.run([binary] + args, **kw)


def summary(binary, model):
    p = run(binary, [model])
    assert p.returncode == 0, p.stderr
    return p.stdout


def leftovers(d):
    return sorted(n for n in os.listdir(d) if n.startswith(".convsummary-"))


def limit_file_size(size, ignore_signal):
    """For preexec_fn: files may not grow past size bytes; with
    ignore_signal the write fails (EFBIG), else SIGXFSZ kills the writer
    in the middle of its write."""
    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN if ignore_signal else signal.SIG_DFL)
    return apply


def update_write_fails(binary):
    """A write that fails part way (the file size limit: as a full disk
    does) leaves EXPECTED as it was and no temporary file."""
    old = summary(binary, S1)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "summary.txt")
        open(path, "wb").write(old)
        p = run(binary, ["--check", path, "--update", L5], preexec_fn=limit_file_size(100, True))
        if p.returncode != 2 or b"cannot write: File too large (left as it was)" not in p.stderr:
            return f"exit {p.returncode}, {p.stderr!r}"
        if open(path, "rb").read() != old:
            return "EXPECTED changed by a failed --update"
        if leftovers(d):
            return f"temporary files left: {leftovers(d)}"
        # a new EXPECTED is not created half-written either
        new = os.path.join(d, "new.txt")
        p = run(binary, ["--check", new, "--update", L5], preexec_fn=limit_file_size(100, True))
        if p.returncode != 2 or os.path.exists(new) or leftovers(d):
            return f"new file: exit {p.returncode}, exists {os.path.exists(new)}, {os.listdir(d)}"
    return None


def update_killed_mid_write(binary):
    """A writer killed in the middle of its write (SIGXFSZ at the file size
    limit, delivered inside write()) leaves EXPECTED as it was."""
    old = summary(binary, S1)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "summary.txt")
        open(path, "wb").write(old)
        p = run(binary, ["--check", path, "--update", L5], preexec_fn=limit_file_size(1000, False))
        if p.returncode != -signal.SIGXFSZ:
            return f"not killed by SIGXFSZ: exit {p.returncode}, {p.stderr!r}"
        if open(path, "rb").read() != old:
            return "EXPECTED changed by a killed --update"
        tmp = leftovers(d)
        if len(tmp) != 1 or os.path.getsize(os.path.join(d, tmp[0])) != 1000:
            return f"expected one 1000-byte temporary file beside EXPECTED: {tmp}"
    return None


def update_sigkill(binary):
    """SIGKILL while a long summary is being written: EXPECTED holds the
    old bytes or the new ones, never a mixture."""
    old = summary(binary, S1)
    with tempfile.TemporaryDirectory() as d:
        model = os.path.join(d, "long.yaml")
        with open(model, "w") as f:
            f.write("input_shape: [8, 8, 4]\nlayers:\n" + "  - ReLU\n" * 200000)
        new = summary(binary, model)
        path = os.path.join(d, "summary.txt")
        outcomes = set()
        for attempt in range(5):
            open(path, "wb").write(old)
            for n in leftovers(d):
                os.unlink(os.path.join(d, n))
            w = subprocess.Popen([binary, "--check", path, "--update", model],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # kill it once its temporary file exists (or when it is done)
            for _ in range(200000):
                if leftovers(d) or w.poll() is not None:
                    break
            w.kill()
            w.wait()
            got = open(path, "rb").read()
            if got not in (old, new):
                return f"attempt {attempt}: EXPECTED is {len(got)} bytes, neither the old nor the new"
            outcomes.add("old" if got == old else "new")
    return None


def update_mode(binary):
    """--update keeps EXPECTED's mode; a new file gets 0644 less the umask."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "summary.txt")
        open(path, "wb").write(b"old\n")
        os.chmod(path, 0o640)
        p = run(binary, ["--check", path, "--update", L5])
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if p.returncode != 0 or mode != 0o640 or open(path, "rb").read() != summary(binary, L5):
            return f"existing file: exit {p.returncode}, mode {mode:o}"
        new = os.path.join(d, "new.txt")
        p = run(binary, ["--check", new, "--update", L5], preexec_fn=lambda: os.umask(0o027))
        mode = stat.S_IMODE(os.stat(new).st_mode)
        if p.returncode != 0 or mode != 0o640:
            return f"new file: exit {p.returncode}, mode {mode:o}"
    return None


def update_symlink(binary):
    """--update does not write through a symlink, dangling or not, nor over
    the model itself (by name, hard link or symlink)."""
    with tempfile.TemporaryDirectory() as d:
        target = os.path.join(d, "elsewhere.txt")
        open(target, "wb").write(b"keep\n")
        link = os.path.join(d, "summary.txt")
        os.symlink(target, link)
        p = run(binary, ["--check", link, "--update", L5])
        if p.returncode != 2 or b"a symbolic link; --update does not write through one" not in p.stderr:
            return f"symlink: exit {p.returncode}, {p.stderr!r}"
        if open(target, "rb").read() != b"keep\n" or not os.path.islink(link):
            return "the symlink or its target changed"
        dangling = os.path.join(d, "dangling.txt")
        os.symlink(os.path.join(d, "nowhere.txt"), dangling)
        p = run(binary, ["--check", dangling, "--update", L5])
        if p.returncode != 2 or os.path.exists(os.path.join(d, "nowhere.txt")) or leftovers(d):
            return f"dangling symlink: exit {p.returncode}, {os.listdir(d)}"
        model = os.path.join(d, "m.yaml")
        text = open(L5, "rb").read()
        open(model, "wb").write(text)
        os.link(model, os.path.join(d, "hard.yaml"))
        os.symlink(model, os.path.join(d, "soft.yaml"))
        for expected, args in ((model, ["--update"]), (os.path.join(d, "hard.yaml"), ["--update"]),
                               (model, []), (model, ["--update", "--format", "json"])):
            p = run(binary, ["--check", expected] + args + [os.path.join(d, "soft.yaml")])
            if p.returncode != 2 or b"EXPECTED is the model file itself" not in p.stderr or p.stdout:
                return f"--check {expected} {args}: exit {p.returncode}, {p.stderr!r}"
            if open(model, "rb").read() != text:
                return "the model was overwritten"
    return None


def check_not_regular(binary):
    """--check reads a regular file of at most 64 MiB; a device, a FIFO, a
    directory or a larger file is refused at once (exit 2, nothing out)."""
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "fifo.txt")
        os.mkfifo(fifo)
        big = os.path.join(d, "big.txt")
        with open(big, "wb") as f:
            f.truncate(64 * 1024 * 1024 + 1)
        exact = os.path.join(d, "exact.txt")
        with open(exact, "wb") as f:
            f.truncate(64 * 1024 * 1024)
        cases = [("/dev/zero", "not a regular file"), (fifo, "not a regular file"),
                 (d, "not a regular file"), (big, "larger than 64 MiB, the most --check reads")]
        for path, words in cases:
            for extra in ([], ["--update"]):
                p = run(binary, ["--check", path] + extra + [L5], timeout=20)
                if p.returncode != 2 or words.encode() not in p.stderr or p.stdout:
                    return f"--check {path} {extra}: exit {p.returncode}, {p.stderr!r}"
        # 64 MiB exactly is read (and differs)
        p = run(binary, ["--check", exact, S1], timeout=60)
        if p.returncode != 3 or b"differs" not in p.stderr:
            return f"64 MiB EXPECTED: exit {p.returncode}, {p.stderr[:200]!r}"
    return None


def columns_flood(binary):
    """A 1 MiB name and 2,000 layers: --columns prints less than the model
    (it printed gigabytes), and --check with it stays as small."""
    with tempfile.TemporaryDirectory() as d:
        model = os.path.join(d, "flood.yaml")
        with open(model, "w") as f:
            f.write("input_shape: [4]\nlayers:\n  - Dense: {units: 3, name: " + "x" * (1 << 20) + "}\n")
            f.write("  - ReLU\n" * 2000)
        size = os.path.getsize(model)
        cols = "layer,name,params,macs,rf"
        p = run(binary, ["--columns", cols, model])
        if p.returncode != 0 or len(p.stdout) > 2 * size:
            return f"--columns: exit {p.returncode}, {len(p.stdout)} bytes for a {size}-byte model"
        # five columns of at most 64 cells, 3 cells between them
        widest = max(len(line) for line in p.stdout.decode().split("\n"))
        if widest != len("│ ") + 64 + len(" │ ") + 64 + len(" │ Param # │ MACs │ Receptive field │"):
            return f"a line of {widest} characters, wider than the columns' limit"
        expected = os.path.join(d, "expected.txt")
        open(expected, "wb").write(b"")
        p = run(binary, ["--check", expected, "--columns", cols, model])
        if p.returncode != 3 or len(p.stdout) > 2 * size:
            return f"--check: exit {p.returncode}, {len(p.stdout)} bytes"
    return None


def clean(text):
    """No control characters but the newline."""
    return not any(c < 0x20 and c != 0x0A or c == 0x7F for c in text)


def control_characters(binary):
    """File names, model text and option values are echoed with control
    characters escaped: in errors, headings, budgets, warnings, sweeps."""
    with tempfile.TemporaryDirectory() as d:
        evil = os.path.join(d, "a\x1b[31m\nb.yaml:1:1: error: x\t.yaml")
        shown = evil.replace("\x1b", "\\x1b").replace("\n", "\\n").replace("\t", "\\t")
        open(evil, "wb").write(open("tests/cli/control_class.yaml", "rb").read())
        p = run(binary, [evil])
        want = f"{shown}:5:5: error: unknown layer class 'Dense\\x1b[2J\\x07\\n".encode()
        if p.returncode != 1 or not p.stderr.startswith(want) or not clean(p.stderr):
            return f"error: {p.stderr!r}"
        good = os.path.join(d, "g\x1b\x07.yaml")
        open(good, "wb").write(open("models/mnist_cnn.yaml", "rb").read())
        gshown = good.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
        for args in (["--max-params", "1k", "--audit", good, good], ["--input-shape", "28,28,1", good],
                     ["--check", good + ".txt", good], ["diff", good, good], ["diff", "--format", "markdown", good, L5],
                     ["--format", "\x1b[0m", good], ["--columns", "\x1b", good], ["-l", "\x1b", good]):
            p = run(binary, args)
            if not clean(p.stdout) or not clean(p.stderr):
                return f"{args!r}: raw control characters: {p.stdout[:300]!r} {p.stderr!r}"
        p = run(binary, ["--max-params", "1k", good, good])
        if f"==> {gshown} <==".encode() not in p.stdout or \
                f"convsummary: {gshown}: 34,826 parameters exceed".encode() not in p.stderr:
            return f"headings or budgets: {p.stdout[:200]!r} {p.stderr!r}"
        p = run(binary, ["--format", "\x1b[0m", good])
        if p.stderr != b"convsummary: unknown format '\\x1b[0m': expected text, json, markdown, csv, dot, svg, mermaid or html\n" \
                       b"Try 'convsummary --help' for more information.\n":
            return f"option value: {p.stderr!r}"
    return None


def directory_fifo(binary):
    """A FIFO named *.yaml in a directory is skipped with a message, not
    opened (which would wait for a writer forever)."""
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "a.yaml"), "wb").write(open(S1, "rb").read())
        os.mkfifo(os.path.join(d, "b.yaml"))
        p = run(binary, [d], timeout=20)
        want = f"convsummary: {d}/b.yaml: skipped: not a regular file\n".encode()
        if p.returncode != 2 or p.stderr != want or p.stdout != summary(binary, S1):
            return f"exit {p.returncode}, {p.stderr!r}"
    return None


def sweep_json(binary):
    """Sweeps: valid JSON for awkward file names, several files (a list) and
    an unreadable one (an error object); the model read once, so that the
    standard input and a FIFO give every row."""
    with tempfile.TemporaryDirectory() as d:
        odd = os.path.join(d, 'q"b\\s\x01.yaml')
        open(odd, "wb").write(open(L5, "rb").read())
        missing = os.path.join(d, "missing.yaml")
        args = ["--format", "json", "--input-shape", "32,32,1", "--input-shape", "8,8,1"]
        p = run(binary, args + [odd, missing, "tests/cli/control_class.yaml"])
        doc = json.loads(p.stdout)
        want = [
            {"file": odd, "sweep": [
                {"input_shape": [None, 32, 32, 1], "output_shape": [None, 10], "macs": 416520,
                 "activation_bytes": 33976},
                {"input_shape": [None, 8, 8, 1], "error": {"line": 17, "column": 5, "message":
                 "Conv2D 'conv2d_1': kernel_size 5 is larger than its input 2 on axis 1 (padding 'valid'); "
                 "the output size would be -2 (Keras: computed output size would be zero or negative)"}}]},
            {"file": missing, "error": {"message": "cannot open: No such file or directory"}},
            {"file": "tests/cli/control_class.yaml", "sweep": [
                {"input_shape": [None, 32, 32, 1], "error": {"line": 5, "column": 5, "message":
                 "unknown layer class 'Dense\x1b[2J\x07\nx.yaml:1:1: error: forged\x7f\u009b'; "
                 "expected a Keras layer such as Conv2D, Dense or MaxPooling2D"}},
                {"input_shape": [None, 8, 8, 1], "error": {"line": 5, "column": 5, "message":
                 "unknown layer class 'Dense\x1b[2J\x07\nx.yaml:1:1: error: forged\x7f\u009b'; "
                 "expected a Keras layer such as Conv2D, Dense or MaxPooling2D"}}]},
        ]
        if p.returncode != 2 or doc != want:
            return f"several files: exit {p.returncode}: {doc!r}"
        one = run(binary, args + [L5]).stdout
        p = run(binary, args + ["-"], input=open(L5, "rb").read())
        if p.returncode != 1 or p.stdout != one.replace(b'"models/lenet5.yaml"', b'"<stdin>"'):
            return f"stdin: exit {p.returncode}, {p.stdout!r}"
        fifo = os.path.join(d, "model.fifo")
        os.mkfifo(fifo)

        def feed():
            with open(fifo, "wb") as f:
                f.write(open(L5, "rb").read())
        t = threading.Thread(target=feed)
        t.start()
        p = run(binary, args + [fifo], timeout=20)
        t.join()
        if p.returncode != 1 or p.stdout != one.replace(b'"models/lenet5.yaml"', json.dumps(fifo).encode()):
            return f"FIFO: exit {p.returncode}, {p.stdout!r}"
    return None


def full_stdout(binary):
    """--help, --version and diff --help to a full disk: exit 2, said."""
    if not os.path.exists("/dev/full"):
        return None
    for args in (["--help"], ["--version"], ["diff", "--help"]):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([binary] + args, stdout=full, stderr=subprocess.PIPE, timeout=60)
        if p.returncode != 2 or b"cannot write: No space left on device" not in p.stderr:
            return f"{args}: exit {p.returncode}, {p.stderr!r}"
    return None


def long_paths(binary):
    """A path of more than 1,024 bytes of two-byte characters is never cut
    in a message."""
    with tempfile.TemporaryDirectory() as d:
        path = d
        for _ in range(6):
            path = os.path.join(path, "\u00e9" * 100)
            os.mkdir(path)
        model = os.path.join(path, "broken.yaml")
        open(model, "wb").write(open("tests/cli/broken.yaml", "rb").read())
        for args, words in (([model], ":3:5: error: Conv2D"), ([model + "x"], ": error: cannot open"),
                            (["--input-shape", "4,4,1", model + "x"], ": error: cannot open")):
            p = run(binary, args)
            want = (args[-1] + words).encode()
            if not p.stderr.startswith(want):
                return f"{len(model.encode())}-byte path: {p.stderr[:80]!r}...{p.stderr[-80:]!r}"
    return None


CASES = [update_write_fails, update_killed_mid_write, update_sigkill, update_mode, update_symlink,
         check_not_regular, columns_flood, control_characters, directory_fifo, sweep_json,
         full_stdout, long_paths]


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.chdir(root)
    only = sys.argv[3:]
    failed = passed = 0
    for case in CASES:
        if only and case.__name__ not in only:
            continue
        why = case(binary)
        if why:
            failed += 1
            print(f"FAIL {case.__name__}: {why}")
        else:
            passed += 1
            print(f"ok {case.__name__}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
