#!/usr/bin/env python3
"""Graphs Keras refuses: convsummary refuses them too, with Keras's words.

  functional_errors.py BIN FILE.yaml...   each FILE has FILE.keras3.err,
        Keras's `ExceptionClass: message`.  convsummary must exit 1, print
        nothing on stdout and one `FILE:LINE:COL: error: ` line on stderr
        whose words contain Keras's message's (compared without case, the
        exception's class, backticks and the punctuation . ; : between
        sentences, which our one-line messages write differently).
"""
import re, subprocess, sys


def words(text):
    text = text.lower().replace("`", "")
    text = re.sub(r"[.;:](?=\s|$)", "", text)
    return " ".join(text.split())


def check(binary, path):
    keras = open(path[:-len(".yaml")] + ".keras3.err", encoding="utf-8").read().strip()
    keras = keras.split(": ", 1)[1]	# drop "ValueError: "
    p = subprocess.run([binary, path], capture_output=True, timeout=60)
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode != 1:
        problems.append(f"exit status {p.returncode}, expected 1")
    if p.stdout:
        problems.append("printed on stdout")
    if not re.match(re.escape(path) + r":\d+:\d+: error: ", err) or err.count("\n") != 1:
        problems.append("expected one FILE:LINE:COL: error: line on stderr")
    elif words(keras) not in words(err.split(": error: ", 1)[1]):
        problems.append(f"does not say Keras's {keras!r}")
    if problems:
        print(f"FAIL {path}: " + "; ".join(problems) + "\nstderr: " + err)
        return 1
    return 0


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    failed = sum(check(sys.argv[1], p) for p in sys.argv[2:])
    print(f"{len(sys.argv) - 2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
