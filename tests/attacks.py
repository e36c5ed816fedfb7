#!/usr/bin/env python3
"""YAML that attacks the parser.  Each input must be refused with exit 1 and
a `file:line:col: error:` message, within 20 seconds and a bounded amount of
memory (peak RSS at most 4x the file plus 64 MiB).

  attacks.py BIN [--no-memory-check]
"""
import os, re, sys, tempfile, time

MB = 1024 * 1024
ATTACKS = [
    ("billion_laughs", lambda:
     "input_shape: [4]\nlayers:\n  - type: Dense\n    units: 2\n    kernel_initializer:\n"
     + "".join(f"      l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10 if i else ["lol"] * 10) + "]\n"
               for i in range(10)),
     "YAML alias"),
    ("nested_flow_sequences", lambda: "input_shape: " + "[" * 200000 + "]" * 200000 + "\nlayers: []\n",
     "nesting deeper than 64 levels"),
    ("nested_block_mappings", lambda: "".join("  " * i + f"k{i}:\n" for i in range(2000)) + "\n",
     "nesting deeper than 64 levels"),
    ("scalar_100_mb", lambda: "name: " + "a" * (100 * MB) + "\ninput_shape: [4]\nlayers: []\n", "expected at most"),
    ("quoted_scalar_100_mb", lambda: "name: \"" + "b" * (100 * MB) + "\"\ninput_shape: [4]\nlayers: []\n",
     "expected at most"),
    ("nul_bytes", lambda: "input_shape: [4]\x00\x00\nlayers: []\n", "expected UTF-8 text"),
    ("invalid_utf8", lambda: "name: \udcff\udcfe\ninput_shape: [4]\nlayers: []\n", "expected UTF-8 text"),
    ("duplicate_keys", lambda: "input_shape: [4]\nlayers: []\nlayers: []\n", "duplicate key"),
    ("tags", lambda: "input_shape: !!binary aGVsbG8=\nlayers: []\n", "YAML tag"),
    ("many_documents", lambda: "input_shape: [4]\nlayers: []\n" + "---\na: 1\n" * 100000, "a second YAML document"),
    ("million_keys", lambda: "".join(f"k{i}: {i}\n" for i in range(1000000)), "unknown key"),
    ("long_flow_list", lambda: "input_shape: [" + ", ".join(["1"] * 1000000) + "]\nlayers: []\n", "more than 4096 entries"),
]


def write(d):
    for name, make, _ in ATTACKS:
        with open(os.path.join(d, name + ".yaml"), "wb") as f:
            f.write(make().encode("utf-8", "surrogateescape"))


def main():
    if sys.argv[1] == "--write":
        write(sys.argv[2])
        return 0
    binary = sys.argv[1]
    check_memory = "--no-memory-check" not in sys.argv[2:]	# sanitizers use more
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        # the files are made by another process, so that this one stays small:
        # a child's peak RSS counts what it shared with its parent before exec
        if os.spawnv(os.P_WAIT, sys.executable, [sys.executable, __file__, "--write", d]) != 0:
            print("FAIL: could not write the attack files")
            return 1
        for name, make, words in ATTACKS:
            path = os.path.join(d, name + ".yaml")
            size = os.path.getsize(path)
            start = time.monotonic()
            with open(path + ".out", "wb") as so, open(path + ".err", "wb") as se:
                pid = os.posix_spawn(binary, [binary, path], os.environ,
                                     file_actions=[(os.POSIX_SPAWN_DUP2, so.fileno(), 1),
                                                   (os.POSIX_SPAWN_DUP2, se.fileno(), 2)])
                while True:
                    done, status, usage = os.wait4(pid, os.WNOHANG)
                    if done:
                        break
                    if time.monotonic() - start > 20:
                        os.kill(pid, 9)
                        os.wait4(pid, 0)
                        break
                    time.sleep(0.01)
            seconds = time.monotonic() - start
            if not done:
                print(f"FAIL {name}: still running after 20 s")
                failed += 1
                continue
            code = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss * 1024	# KiB on Linux
            out = open(path + ".out", "rb").read()
            err = open(path + ".err", "rb").read().decode("utf-8", "replace")
            problems = []
            if code != 1:
                problems.append(f"exit {code}")
            if out:
                problems.append("printed on stdout")
            if not re.match(re.escape(path) + r":\d+:\d+: error: ", err) or words not in err:
                problems.append(f"stderr {err[:200]!r} does not say {words!r} at a place")
            if check_memory and rss > 4 * size + 64 * MB:
                problems.append(f"peak memory {rss // MB} MiB for a {size // MB} MiB file")
            if problems:
                failed += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                print(f"ok {name}: {size} bytes, {seconds:.2f} s, refused: {err.strip()[len(path) + 1:][:90]}")
    print(f"{len(ATTACKS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
