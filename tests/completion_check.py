#!/usr/bin/env python3
"""The shell completions of completions/.

bash (always): the completion function is called as bash calls it, with
COMP_WORDS and COMP_CWORD set, and COMPREPLY is compared with what it must
offer: `json` after `--format `, the styles, conventions and column names,
the options, the subcommands that `convsummary --help` lists, model files
and directories.  Every value offered is one the command accepts, and every
long option of `convsummary --help` is completed by all three shells.

zsh and fish (where installed; otherwise skipped, exit 77): `zsh -n` and
`fish -n` parse the files, and fish's own `complete -C` completes with them.

usage: completion_check.py bash|zsh|fish CONVSUMMARY SOURCE_ROOT
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def bash_complete(script, words, cwd, path):
    """COMPREPLY of the bash completion for the words (the last one is being
    completed), as a list."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    prog = ("source '%s' || exit 9\n"
            "COMP_WORDS=(%s)\n"
            "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
            "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
            "_convsummary\n"
            "printf '%%s\\n' \"${COMPREPLY[@]}\"\n" % (script, quoted))
    env = dict(os.environ, PATH=path)
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        print("  bash: exit %d: %s" % (r.returncode, r.stderr))
    return [l for l in r.stdout.split("\n") if l]


def help_long_options(convsummary):
    out = subprocess.run([convsummary, "--help"], capture_output=True, text=True).stdout
    return sorted(set(re.findall(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)", out)))


def test_bash(convsummary, root):
    script = os.path.join(root, "completions", "convsummary.bash")
    bindir = os.path.dirname(os.path.abspath(convsummary))
    path = bindir + os.pathsep + os.environ.get("PATH", "")
    models = os.path.join(root, "models")

    def offers(words, want, cwd=models, exact=True, p=path):
        got = bash_complete(script, ["convsummary"] + words, cwd, p)
        ok = sorted(got) == sorted(want) if exact else all(w in got for w in want)
        check(ok, "convsummary %s<TAB> offers %s%s" % (
            " ".join(words[:-1]) + (" " if len(words) > 1 else "") + words[-1],
            " ".join(want), "" if ok else " (got: %s)" % " ".join(got)))
        return got

    formats = offers(["--format", ""], ["text", "json", "markdown", "csv", "dot", "svg", "mermaid", "html"])
    offers(["--format", "j"], ["json"])
    offers(["-f", "js"], ["json"])
    offers(["--format", "=", "ma"], ["markdown"])         # "=" in COMP_WORDBREAKS
    offers(["--format=c"], ["--format=csv"])                # "=" not in it
    styles = offers(["--style", ""], ["keras3", "keras2"])
    conventions = offers(["--convention", ""], ["macs", "torchinfo"])
    directions = offers(["--direction", ""], ["TB", "LR"])
    shows = offers(["--show", ""], ["dtype", "activation", "trainable", "nested"])
    offers(["--show", "dtype,"], ["dtype,activation", "dtype,trainable", "dtype,nested"])
    offers(["--columns", "layer,output_shape,ma"], ["layer,output_shape,macs"])
    columns = bash_complete(script, ["convsummary", "--columns", ""], models, path)
    after = bash_complete(script, ["convsummary", "--columns", "macs,"], models, path)
    check("macs,rf" in after and "macs,macs" not in after and len(after) == len(columns) - 1,
          "--columns macs,<TAB> offers the other columns after macs,")
    offers(["--max-"], ["--max-params", "--max-trainable-params", "--max-bytes"])
    offers(["--line-length", ""], [])

    # every long option of --help, and nothing it does not have
    opts = help_long_options(convsummary)
    check(len(opts) >= 17, "--help lists %d long options" % len(opts))
    offers(["--"], opts)

    # the subcommands: from the --help of the convsummary being completed
    offers(["d"], ["diff"])
    offers(["diff", "--format", ""], ["text", "markdown", "json"])
    offers(["diff", "-"], ["--format", "--help"])
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, "convsummary")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\ncat <<'EOF'\n"
                    "usage: convsummary [options] MODEL.yaml|DIR ...\n"
                    "       convsummary diff [--format text|markdown|json] OLD.yaml NEW.yaml\n"
                    "       convsummary convert MODEL.keras|MODEL.json\n"
                    "\nexamples:\n  convsummary frobnicate x.yaml\nEOF\n")
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
        offers(["c"], ["convert"], cwd=d, p=d + os.pathsep + path)
        offers([""], ["convert", "diff"], cwd=d, p=d + os.pathsep + path)

        # model files and directories, nothing else
        for n in ("a.yaml", "b.yml", "c.json", "d.keras", "e.txt", "f.yaml.bak"):
            open(os.path.join(d, n), "w").close()
        os.mkdir(os.path.join(d, "sub"))
        offers(["--audit", ""], ["a.yaml", "b.yml", "c.json", "d.keras", "sub"], cwd=d)
        offers(["diff", "a.yaml", ""], ["a.yaml", "b.yml", "c.json", "d.keras", "sub"], cwd=d)
        offers(["--check", "e"], ["e.txt"], cwd=d)   # the expected summary: any file

    # what is offered is what the command accepts
    mnist = os.path.join(models, "mnist_cnn.yaml")

    def accepted(*argv):
        r = subprocess.run([convsummary] + list(argv) + [mnist], capture_output=True)
        # svg is refused, with the way to the picture, by a build without Graphviz
        return r.returncode == 0 or (argv[1:] == ("svg",) and b"dot -Tsvg" in r.stderr)
    check(formats and all(accepted("--format", v) for v in formats), "the command accepts every format offered")
    check(all(accepted("--format", "dot", "--direction", v) for v in directions) and
          all(accepted("--format", "dot", "--show", v) for v in shows),
          "the command accepts every direction and --show item offered")
    check(styles and all(accepted("--style", v) for v in styles), "the command accepts every style offered")
    check(conventions and all(accepted("--convention", v) for v in conventions),
          "the command accepts every convention offered")
    check(len(columns) >= 17 and all(accepted("--columns", c) for c in columns),
          "the command accepts every column offered (%d)" % len(columns))

    # the zsh and fish files name the same options and values
    zsh = open(os.path.join(root, "completions", "_convsummary")).read()
    fish = open(os.path.join(root, "completions", "convsummary.fish")).read()
    for o in opts:
        check(re.search(re.escape(o) + r"\b", zsh) is not None, "zsh completes " + o)
        check(re.search(r"-l " + re.escape(o[2:]) + r"\b", fish) is not None, "fish completes " + o)
    for v in formats + styles + conventions + columns + directions + shows:
        if not (re.search(r"\b%s\b" % v, zsh) and re.search(r"\b%s\b" % v, fish)):
            check(False, "zsh and fish offer " + v)
    check(True, "zsh and fish offer every format, style, convention and column")


def test_zsh(convsummary, root):
    zsh = shutil.which("zsh")
    if not zsh:
        print("zsh is not installed: skipped")
        return 77
    r = subprocess.run([zsh, "-n", os.path.join(root, "completions", "_convsummary")],
                       capture_output=True, text=True)
    check(r.returncode == 0 and r.stderr == "", "zsh -n completions/_convsummary " + r.stderr)
    return None


def test_fish(convsummary, root):
    fish = shutil.which("fish")
    if not fish:
        print("fish is not installed: skipped")
        return 77
    script = os.path.join(root, "completions", "convsummary.fish")
    r = subprocess.run([fish, "-n", script], capture_output=True, text=True)
    check(r.returncode == 0 and r.stderr == "", "fish -n completions/convsummary.fish " + r.stderr)
    bindir = os.path.dirname(os.path.abspath(convsummary))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))

    def offers(line, want, cwd=os.path.join(root, "models")):
        r = subprocess.run([fish, "--no-config", "-c",
                            "source '%s'; complete -C '%s'" % (script, line)],
                           cwd=cwd, env=env, capture_output=True, text=True, timeout=30)
        got = sorted(l.split("\t")[0] for l in r.stdout.split("\n") if l)
        check(got == sorted(want), "fish: %s<TAB> offers %s%s" % (
            line, " ".join(want), "" if got == sorted(want) else " (got: %s)" % " ".join(got)))
    offers("convsummary --format ", ["text", "json", "markdown", "csv", "dot", "svg", "mermaid", "html"])
    offers("convsummary --direction ", ["TB", "LR"])
    offers("convsummary --show dtype,", ["dtype,activation", "dtype,trainable", "dtype,nested"])
    offers("convsummary --format=j", ["--format=json"])
    offers("convsummary --convention ", ["macs", "torchinfo"])
    offers("convsummary --columns layer,output_shape,ma", ["layer,output_shape,macs"])
    offers("convsummary diff -f ", ["text", "markdown", "json"])
    offers("convsummary m", ["mnist_cnn.yaml", "mobilenet.yaml", "mobilenetv2.yaml"])
    offers("convsummary d", ["diff"])
    with tempfile.TemporaryDirectory() as d:
        for n in ("a.yaml", "b.yml", "c.json", "d.keras", "e.txt"):
            open(os.path.join(d, n), "w").close()
        os.mkdir(os.path.join(d, "sub"))
        offers("convsummary --audit ", ["a.yaml", "b.yml", "c.json", "d.keras", "sub/"], cwd=d)
    return None


def main():
    shell, convsummary, root = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    skipped = {"bash": test_bash, "zsh": test_zsh, "fish": test_fish}[shell](convsummary, root)
    if skipped:
        return skipped
    print("%d failed" % failures())
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
