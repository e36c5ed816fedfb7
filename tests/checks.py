"""What the scripted tests share: `check(ok, what)` prints an ok or FAIL
line and counts the failures; `failures()` is the count so far."""

_failures = 0


def check(ok, what):
    global _failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        _failures += 1
    return ok


def failures():
    return _failures
