#!/usr/bin/env python3
"""The hooks of .pre-commit-hooks.yaml, run as pre-commit runs them (without
pre-commit): the files a commit changes are filtered by the hook's `files`
pattern (Python's re.search, as pre-commit does), and the hook's entry,
resolved in this tree as a `language: script` hook's is, runs in a scratch
repository with its args and those files, convsummary on PATH.

usage: precommit_check.py CONVSUMMARY SOURCE_ROOT
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1
        if detail:
            print("  " + detail.replace("\n", "\n  "))
    return ok


def read_hooks(path):
    """The hooks as {id: {key: value}}: the file is a flat list of maps with
    scalar values and folded descriptions; flow lists are kept as text."""
    hooks, cur, key = {}, None, None
    for line in open(path):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^(- |  )([a-z_]+):\s*(.*?)\s*$", line)
        if m and (m.group(1) == "- " or cur is not None) and not line.startswith("    "):
            if m.group(1) == "- ":
                cur = {}
            cur[m.group(2)] = m.group(3)
            key = m.group(2)
            if key == "id":
                hooks[m.group(3)] = cur
        elif cur is not None and key and line.startswith("    "):
            cur[key] = (cur[key] + " " + line.strip()).replace(">- ", "")
    return hooks


def main():
    convsummary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    hooks = read_hooks(os.path.join(root, ".pre-commit-hooks.yaml"))
    check(sorted(hooks) == ["convsummary-budget", "convsummary-check"],
          "the hooks are convsummary-check and convsummary-budget: %s" % sorted(hooks))
    env = dict(os.environ, PATH=os.path.dirname(convsummary) + os.pathsep + os.environ["PATH"])
    env.pop("CONVSUMMARY", None)

    def run_hook(hid, args, changed, cwd):
        """Run hook hid on the changed files that its pattern selects."""
        h = hooks[hid]
        entry = shlex.split(h["entry"])
        # a script hook's entry is a path inside the hook repository
        entry[0] = os.path.join(root, entry[0])
        files = [f for f in changed if re.search(h["files"], f)]
        r = subprocess.run(entry + args + files, cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=120)
        return r, files

    for hid, h in hooks.items():
        script = os.path.join(root, shlex.split(h["entry"])[0])
        check(h.get("language") == "script" and os.access(script, os.X_OK),
              hid + ": a script hook whose entry is executable: " + h["entry"])

    with tempfile.TemporaryDirectory() as repo:
        models = os.path.join(repo, "models")
        os.makedirs(models)
        os.makedirs(os.path.join(repo, ".github", "workflows"))
        for n in ("mnist_cnn", "lenet5", "vgg16", "seed_scenario3"):
            shutil.copy(os.path.join(root, "models", n + ".yaml"), models)
        for n in ("mnist_cnn", "lenet5", "vgg16"):   # seed_scenario3: no summary
            with open(os.path.join(models, n + ".summary.txt"), "w") as f:
                subprocess.run([convsummary, os.path.join(models, n + ".yaml")], stdout=f, check=True)
        with open(os.path.join(repo, ".github", "workflows", "ci.yml"), "w") as f:
            f.write("on: push\n")
        with open(os.path.join(repo, "README.md"), "w") as f:
            f.write("# models\n")
        changed = ["README.md", ".github/workflows/ci.yml", "models/mnist_cnn.yaml",
                   "models/lenet5.yaml", "models/vgg16.yaml", "models/seed_scenario3.yaml",
                   "models/mnist_cnn.summary.txt"]

        # convsummary-check: every summary current
        r, files = run_hook("convsummary-check", [], changed, repo)
        check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
              "check: the committed summaries are current: exit 0, silent",
              r.stdout + r.stderr)
        check("README.md" not in files and "models/mnist_cnn.summary.txt" in files,
              "check: its pattern passes models and summaries, not README.md")

        # a model changed without its summary: exit 3, a diff, the way to accept it
        lenet = os.path.join(models, "lenet5.yaml")
        text = open(lenet).read()
        assert "filters: 6" in text
        open(lenet, "w").write(text.replace("filters: 6", "filters: 8", 1))
        r, _ = run_hook("convsummary-check", [], ["models/lenet5.yaml"], repo)
        check(r.returncode == 3
              and "--- models/lenet5.summary.txt\n+++ summary of models/lenet5.yaml\n" in r.stdout
              and "-│ conv2d (Conv2D)                 │ (None, 28, 28, 6)      │           156 │" in r.stdout
              and "+│ conv2d (Conv2D)                 │ (None, 28, 28, 8)      │           208 │" in r.stdout
              and "convsummary --check models/lenet5.summary.txt --update models/lenet5.yaml" in r.stderr,
              "check: lenet5 with 8 filters: exit 3, the diff of its first row, the command to accept it",
              r.stdout + r.stderr)
        # the summary alone staged stands for its model
        r, _ = run_hook("convsummary-check", [], ["models/lenet5.summary.txt"], repo)
        check(r.returncode == 3 and "the summary differs from models/lenet5.summary.txt" in r.stderr,
              "check: a changed summary alone checks its model", r.stderr)
        # model and summary together: checked once
        r, _ = run_hook("convsummary-check", [], ["models/lenet5.yaml", "models/lenet5.summary.txt"], repo)
        check(r.returncode == 3 and r.stderr.count("the summary differs") == 1,
              "check: a model and its summary together: checked once", r.stderr)
        # --update accepts it
        r, _ = run_hook("convsummary-check", ["--update"], ["models/lenet5.yaml"], repo)
        check(r.returncode == 0 and "updated models/lenet5.summary.txt" in r.stderr,
              "check --update: rewrites the summary", r.stderr)
        summary = open(os.path.join(models, "lenet5.summary.txt")).read()
        # conv2d: 8 * (5*5*1 + 1) = 208 (was 156); conv2d_1: 16 * (5*5*8 + 1) = 3,216
        # (was 2,416): 61,706 + 52 + 800 = 62,558 parameters, 250,232 bytes
        check(" Total params: 62,558 (244.37 KB)\n" in summary,
              "check --update: the new summary has lenet5's new total, 62,558", summary)
        r, _ = run_hook("convsummary-check", [], ["models/lenet5.yaml"], repo)
        check(r.returncode == 0, "check: current again after --update")

        # an invalid model with a summary: exit 1 with its place
        mnist = os.path.join(models, "mnist_cnn.yaml")
        good = open(mnist).read()
        open(mnist, "w").write(good.replace("kernel_size", "kernel_sise", 1))
        r, _ = run_hook("convsummary-check", [], ["models/mnist_cnn.yaml"], repo)
        check(r.returncode == 1 and re.search(r"models/mnist_cnn\.yaml:\d+:\d+: error: .*kernel_sise", r.stderr),
              "check: an invalid model: exit 1, file:line:col: error:", r.stderr)
        open(mnist, "w").write(good)

        # a Markdown summary, by the hook's args
        with open(os.path.join(models, "vgg16.summary.md"), "w") as f:
            subprocess.run([convsummary, "--format", "markdown", os.path.join(models, "vgg16.yaml")],
                           stdout=f, check=True)
        args = ["--suffix", ".summary.md", "--format", "markdown"]
        r, files = run_hook("convsummary-check", args, ["models/vgg16.yaml", "models/vgg16.summary.md"], repo)
        check(r.returncode == 0 and len(files) == 2, "check --suffix .summary.md --format markdown: current",
              r.stderr)
        r, _ = run_hook("convsummary-check", ["--suffix", ".summary.md"], ["models/vgg16.yaml"], repo)
        check(r.returncode == 3, "check: the Markdown summary against the text one differs: exit 3")
        r, _ = run_hook("convsummary-check", ["--max-params", "5M"], ["models/vgg16.yaml"], repo)
        check(r.returncode == 2 and "--max-params is not an option of the summary" in r.stderr,
              "check: an option that does not shape the summary: exit 2", r.stderr)

        # convsummary-budget
        r, files = run_hook("convsummary-budget", ["--max-params", "5M"], changed, repo)
        check(sorted(files) == ["models/lenet5.yaml", "models/mnist_cnn.yaml",
                                "models/seed_scenario3.yaml", "models/vgg16.yaml"],
              "budget: its pattern passes the models under models/ only: %s" % files)
        check(r.returncode == 3 and r.stdout == ""
              and "models/vgg16.yaml: 138,357,544 parameters exceed the budget of 5,000,000 by "
                  "133,357,544" in r.stderr
              and "lenet5" not in r.stderr and "mnist" not in r.stderr,
              "budget --max-params 5M: vgg16 over by 133,357,544, exit 3, no summary printed",
              r.stdout[:500] + r.stderr)
        r, _ = run_hook("convsummary-budget", ["--max-params", "200M", "--max-bytes", "600MB"], changed, repo)
        check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
              "budget --max-params 200M --max-bytes 600MB: every model within: exit 0", r.stderr)
        r, _ = run_hook("convsummary-budget", ["--max-bytes", "200KB"], ["models/lenet5.yaml"], repo)
        check(r.returncode == 3 and "models/lenet5.yaml: 250,232 bytes of weights exceed the budget "
                                    "of 204,800 by 45,432" in r.stderr,
              "budget --max-bytes 200KB: the widened lenet5's 250,232 bytes are 45,432 over: exit 3",
              r.stderr)
        open(mnist, "w").write(good.replace("kernel_size", "kernel_sise", 1))
        r, _ = run_hook("convsummary-budget", [], ["models/mnist_cnn.yaml"], repo)
        check(r.returncode == 1 and "error:" in r.stderr, "budget: an invalid model fails: exit 1", r.stderr)

    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
