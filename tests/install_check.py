#!/usr/bin/env python3
"""`meson install --destdir` into a scratch directory: the command, the
shared library with its soname links, the header, the pkg-config file, the
man page and the three shell completions land where they should; the
staged command runs; and examples/totals.c builds against the staged copy
with `cc totals.c $(pkg-config --cflags --libs convsummary)` and prints the
right totals.

usage: install_check.py --meson MESON --build BUILDDIR --source SRCDIR
           --prefix P --bindir B --libdir L --includedir I --datadir D
           --mandir M --version V --cc "CC ARGS" --sanitize B_SANITIZE
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, **kw)


def check_debian_install(debian, root, libdir):
    """Each file under root (the staged prefix) matches a line of exactly
    one debian/PACKAGE.install, and each line matches a file."""
    import fnmatch
    import glob
    lines = {}
    for f in sorted(glob.glob(os.path.join(debian, "*.install"))):
        pkg = os.path.basename(f)[:-len(".install")]
        for line in open(f):
            line = line.strip()
            if line and not line.startswith("#"):
                pat = line.split()[0]
                # usr/lib/${DEB_HOST_MULTIARCH}/x -> LIBDIR/x; usr/x -> x
                pat = pat.replace("usr/lib/${DEB_HOST_MULTIARCH}", "@LIBDIR@")
                pat = pat[len("usr/"):] if pat.startswith("usr/") else pat
                lines[(pkg, line)] = pat
    files = []
    for d, _, names in os.walk(root):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if rel == libdir or rel.startswith(libdir + os.sep):
                rel = "@LIBDIR@" + rel[len(libdir):]
            files.append(rel)
    ok = True
    for f in sorted(files):
        owners = sorted({pkg for (pkg, _), pat in lines.items() if fnmatch.fnmatchcase(f, pat)})
        if len(owners) != 1:
            ok = False
            print("  %s: in %s" % (f, " and ".join(owners) or "no debian/*.install"))
    for (pkg, line), pat in lines.items():
        if not any(fnmatch.fnmatchcase(f, pat) for f in files):
            ok = False
            print("  debian/%s.install: %s matches nothing installed" % (pkg, line))
    check(ok and len(lines) >= 9,
          "each of the %d files installed is in one Debian package (debian/*.install)" % len(files))


def main():
    ap = argparse.ArgumentParser()
    for a in ("meson", "build", "source", "prefix", "bindir", "libdir", "includedir",
              "datadir", "mandir", "version", "cc", "sanitize"):
        ap.add_argument("--" + a, required=True)
    o = ap.parse_args()

    def under(d):
        """An installation directory inside the staging root."""
        path = d if os.path.isabs(d) else os.path.join(o.prefix, d)
        return os.path.join(stage, path.lstrip("/"))

    scratch = tempfile.mkdtemp(prefix="convsummary-install-")
    try:
        stage = os.path.join(scratch, "stage")
        # MESON may be "python3 /path/meson.py": meson's own command
        r = run(shlex.split(o.meson) + ["install", "-C", o.build, "--no-rebuild",
                                        "--destdir", stage])
        if not check(r.returncode == 0, "meson install --destdir"):
            print(r.stdout[-4000:] + r.stderr[-4000:])
            return 1

        bindir, libdir = under(o.bindir), under(o.libdir)
        soname = "libconvsummary.so.0"
        real = "libconvsummary.so." + o.version
        expect = {
            "the command": os.path.join(bindir, "convsummary"),
            "the library": os.path.join(libdir, real),
            "the header": os.path.join(under(o.includedir), "convsummary.h"),
            "the pkg-config file": os.path.join(libdir, "pkgconfig", "convsummary.pc"),
            "the man page": os.path.join(under(o.mandir), "man1", "convsummary.1"),
            "the bash completion": os.path.join(under(o.datadir), "bash-completion",
                                                "completions", "convsummary"),
            "the zsh completion": os.path.join(under(o.datadir), "zsh", "site-functions",
                                               "_convsummary"),
            "the fish completion": os.path.join(under(o.datadir), "fish",
                                                "vendor_completions.d", "convsummary.fish"),
        }
        for what, path in expect.items():
            check(os.path.isfile(path), "%s: %s" % (what, os.path.relpath(path, stage)))
        check(os.access(expect["the command"], os.X_OK), "the command is executable")

        # the soname link and the development link
        so0 = os.path.join(libdir, soname)
        dev = os.path.join(libdir, "libconvsummary.so")
        check(os.path.islink(so0) and os.readlink(so0) == real,
              "%s -> %s" % (soname, real))
        check(os.path.islink(dev) and os.path.realpath(dev) == os.path.realpath(expect["the library"]),
              "libconvsummary.so -> the library")
        readelf = shutil.which("readelf")
        if readelf and os.path.isfile(expect["the library"]):
            d = run([readelf, "-d", expect["the library"]]).stdout
            check("Library soname: [%s]" % soname in d, "the library's SONAME is " + soname)

        # the completions installed are the ones in the tree
        for what, src in (("the bash completion", "convsummary.bash"),
                          ("the zsh completion", "_convsummary"),
                          ("the fish completion", "convsummary.fish")):
            with open(os.path.join(o.source, "completions", src), "rb") as a:
                same = os.path.isfile(expect[what]) and open(expect[what], "rb").read() == a.read()
            check(same, what + " is completions/" + src)

        # every file installed is in one Debian package (dh_missing fails a
        # package build otherwise; this finds it without building one)
        debian = os.path.join(o.source, "debian")
        if os.path.isdir(debian):
            check_debian_install(debian, os.path.join(stage, o.prefix.lstrip("/")),
                                 o.libdir if not os.path.isabs(o.libdir)
                                 else os.path.relpath(o.libdir, o.prefix))

        # the staged command runs (linked statically to the library's objects)
        model = os.path.join(o.source, "models", "mnist_cnn.yaml")
        r = run([expect["the command"], model])
        check(r.returncode == 0 and " Total params: 34,826 (136.04 KB)\n" in r.stdout,
              "the staged command summarises models/mnist_cnn.yaml")

        # the pkg-config file, read from the staging root
        env = dict(os.environ)
        env["PKG_CONFIG_SYSROOT_DIR"] = stage
        env["PKG_CONFIG_PATH"] = os.path.join(libdir, "pkgconfig") + (
            os.pathsep + env["PKG_CONFIG_PATH"] if env.get("PKG_CONFIG_PATH") else "")
        pc = shutil.which("pkg-config") or shutil.which("pkgconf")
        if not check(pc is not None, "pkg-config is there"):
            return 1
        r = run([pc, "--modversion", "convsummary"], env=env)
        check(r.stdout.strip() == o.version, "pkg-config --modversion convsummary: " + r.stdout.strip())
        r = run([pc, "--cflags", "--libs", "convsummary"], env=env)
        flags = shlex.split(r.stdout)
        check(r.returncode == 0 and "-lconvsummary" in flags
              and "-L" + libdir in flags and "-I" + under(o.includedir) in flags,
              "pkg-config --cflags --libs convsummary: " + r.stdout.strip())

        # cc totals.c $(pkg-config --cflags --libs convsummary)
        exe = os.path.join(scratch, "totals")
        cc = shlex.split(o.cc)
        if o.sanitize not in ("", "none"):
            # the library was built with the sanitizers: so is its user
            cc += ["-fsanitize=" + o.sanitize]
        r = run(cc + [os.path.join(o.source, "examples", "totals.c")] + flags + ["-o", exe])
        if not check(r.returncode == 0, "cc examples/totals.c $(pkg-config --cflags --libs convsummary)"):
            print(r.stdout + r.stderr)
        else:
            d = run([readelf, "-d", exe]).stdout if readelf else ""
            if readelf:
                check("Shared library: [%s]" % soname in d, "the example needs " + soname)
            env = dict(os.environ)
            env["LD_LIBRARY_PATH"] = libdir
            r = run([exe, model], env=env)
            check(r.returncode == 0 and "total params: 34826\n" in r.stdout
                  and "model: mnist_cnn\n" in r.stdout,
                  "the example, linked to the staged library, prints 34826 params")
            # and it is the staged library that it loaded
            ldd = shutil.which("ldd")
            if ldd and o.sanitize in ("", "none"):
                r = run([ldd, exe], env=env)
                check(os.path.join(libdir, soname) in r.stdout, "ldd: the staged " + soname)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d failed" % failures())
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
