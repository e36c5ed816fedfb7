#!/usr/bin/env python3
"""The pictures (--format dot, svg, mermaid, html):

  * goldens: exact bytes of tests/pictures/expected/NAME.{dot,mermaid,html}
    (the HTML with its inline SVG left out: Graphviz's drawing varies with
    its version);
  * every model given: one node per summary row (and one for a Sequential
    model's input, which has no row), one edge per input tensor of each
    call, counted from the JSON summary; the DOT accepted by Graphviz's
    `dot` when it is installed, with as many nodes and edges; the SVG
    well-formed XML with as many nodes and edges (or, built without
    Graphviz, refused with the way to the picture, exit 2);
  * the options' mistakes.

  pictures.py BIN SOURCE_ROOT [MODEL.yaml...]
  pictures.py BIN SOURCE_ROOT --regen     rewrite the goldens (review them!)
"""
import json, os, re, shutil, subprocess, sys
import xml.etree.ElementTree as ET

from checks import check, failures

NAMES = "tests/pictures/names.yaml"
L5 = "models/lenet5.yaml"

# name.ext, arguments
GOLDENS = [
    ("lenet5.dot", ["--format", "dot", L5]),
    ("lenet5.mermaid", ["--format", "mermaid", L5]),
    ("lenet5.html", ["--format", "html", L5]),
    ("names_lr_show.dot", ["--format", "dot", "--direction", "LR", "--show", "dtype,activation,trainable",
                           NAMES]),
    ("names.mermaid", ["--format", "mermaid", NAMES]),
    ("names_lr_show.mermaid", ["--format", "mermaid", "--direction", "LR", "--show",
                               "trainable,dtype,activation", NAMES]),
    ("names.html", ["--format", "html", NAMES]),
    ("columns.dot", ["--format", "dot", "--columns", "layer,params,macs,rf,kernel", "models/mnist_cnn.yaml"]),
    ("columns.mermaid", ["--format", "mermaid", "--columns", "name,output_shape,params_percent",
                         "models/mnist_cnn.yaml"]),
    ("inception_block.dot", ["--format", "dot", "tests/functional/inception_block.yaml"]),
    ("merge_layers.mermaid", ["--format", "mermaid", "tests/functional/merge_layers.yaml"]),
    ("unet_small.html", ["--format", "html", "tests/functional/unet_small.yaml"]),
    ("columns.html", ["--format", "html", "--columns", "layer,output_shape,params,macs,rf",
                      "models/mnist_cnn.yaml"]),
]

# arguments, exit status, words on stderr
MISTAKES = [
    (["--format", "dot", "--direction", "BT", L5], 2, "--direction: expected TB (top to bottom) or LR"),
    (["--format", "dot", "--show", "dtype,trainabel", L5], 2,
     "--show: unknown item 'trainabel'; did you mean 'trainable'?"),
    (["--format", "dot", "--show", "everything", L5], 2,
     "--show: unknown item 'everything': expected dtype, activation or trainable"),
    (["--direction", "LR", L5], 2, "--direction and --show go with a picture"),
    (["--format", "csv", "--show", "dtype", L5], 2, "--direction and --show go with a picture"),
    (["--format", "png", L5], 2, "expected text, json, markdown, csv, dot, svg, mermaid or html"),
    (["--format", "dot", "--columns", "layer,parms", L5], 2, "did you mean 'params'?"),
]

FIGURE = re.compile(rb'(<figure class="diagram">\n).*?(</figure>)', re.S)


def run(binary, args):
    return subprocess.run([binary] + args, capture_output=True, timeout=120)


def comparable(name, out):
    """The HTML without its drawing, which is Graphviz's."""
    return FIGURE.sub(rb"\1(the picture)\n\2", out) if name.endswith(".html") else out


def goldens(binary, regen):
    for name, args in GOLDENS:
        p = run(binary, args)
        path = os.path.join("tests/pictures/expected", name)
        got = comparable(name, p.stdout)
        if regen:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(got)
        want = open(path, "rb").read() if os.path.exists(path) else None
        if not check(p.returncode == 0 and got == want, f"golden {name}: {' '.join(args)}"):
            print(p.stderr.decode(errors="replace"))
            if want is not None:
                import difflib
                sys.stdout.writelines(difflib.unified_diff(
                    want.decode(errors="replace").splitlines(True),
                    got.decode(errors="replace").splitlines(True), "expected", "convsummary"))


def expected_graph(binary, model):
    """Nodes and edges the picture must have, from the JSON summary: a row
    each (plus a Sequential model's input), and the inputs of each row's
    calls (a Sequential row has one)."""
    p = run(binary, ["--format", "json", model])
    summary = json.loads(p.stdout)
    layers = summary["layers"]
    if layers and "inputs" in layers[0]:
        return len(layers), sum(len(ly["inputs"]) for ly in layers)
    return len(layers) + 1, len(layers)


def dot_counts(text):
    nodes = re.findall(r"^\t([ri]\d+) \[label=<", text, re.M)
    edges = re.findall(r"^\t([ri]\d+) -> (r\d+);$", text, re.M)
    return nodes, edges


def structure(binary, model, dot_prog, svg_built):
    nodes, edges = expected_graph(binary, model)
    p = run(binary, ["--format", "dot", model])
    text = p.stdout.decode()
    got_nodes, got_edges = dot_counts(text)
    check(p.returncode == 0 and len(got_nodes) == nodes and len(set(got_nodes)) == nodes and
          len(got_edges) == edges, f"{model}: DOT has {nodes} nodes and {edges} edges "
          f"(got {len(got_nodes)}, {len(got_edges)})")
    # every edge starts at a node drawn before it: the DOT streams
    seen, ordered = set(), True
    for line in text.splitlines():
        m = re.match(r"^\t([ri]\d+) (?:\[label|-> (r\d+);)", line)
        if m and m.group(2):
            ordered = ordered and m.group(1) in seen and m.group(2) in seen
        elif m:
            seen.add(m.group(1))
    check(ordered, f"{model}: each edge follows the nodes it joins")
    m = run(binary, ["--format", "mermaid", model]).stdout.decode()
    m_nodes = re.findall(r'^    ([ri]\d+)\["', m, re.M)
    m_edges = re.findall(r"^    ([ri]\d+) --> (r\d+)$", m, re.M)
    check(len(m_nodes) == nodes and len(m_edges) == edges, f"{model}: Mermaid has {nodes} nodes, {edges} edges")
    if dot_prog:
        d = subprocess.run([dot_prog, "-Tjson"], input=p.stdout, capture_output=True, timeout=300)
        ok = d.returncode == 0 and not d.stderr
        if ok:
            laid = json.loads(d.stdout)
            ok = len(laid.get("objects", [])) == nodes and len(laid.get("edges", [])) == edges
        check(ok, f"{model}: Graphviz's dot reads the DOT: {nodes} nodes, {edges} edges "
              f"{d.stderr.decode(errors='replace').strip()}")
    s = run(binary, ["--format", "svg", model])
    if svg_built:
        try:
            root = ET.fromstring(s.stdout)
            groups = [g.get("class") for g in root.iter("{http://www.w3.org/2000/svg}g")]
            ok = groups.count("node") == nodes and groups.count("edge") == edges
        except ET.ParseError as e:
            ok = False
            print(e)
        check(s.returncode == 0 and ok, f"{model}: the SVG is XML with {nodes} nodes and {edges} edges")
        h = run(binary, ["--format", "html", model])
        figure = FIGURE.search(h.stdout)
        try:
            svg = ET.fromstring(figure.group(0)[len(b'<figure class="diagram">\n'):-len(b"</figure>")])
            ok = svg.tag == "{http://www.w3.org/2000/svg}svg"
        except (AttributeError, ET.ParseError):
            ok = False
        check(h.returncode == 0 and ok, f"{model}: the HTML page holds the SVG inline")
    else:
        check(s.returncode == 2 and not s.stdout and b"'--format dot | dot -Tsvg'" in s.stderr,
              f"{model}: built without Graphviz, --format svg says how to draw it (exit 2)")


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = sys.argv[3:]
    os.chdir(root)
    regen = args[:1] == ["--regen"]
    goldens(binary, regen)
    if regen:
        return 0
    for args_, status, words in MISTAKES:
        p = run(binary, args_)
        check(p.returncode == status and not p.stdout and words in p.stderr.decode(),
              f"{' '.join(args_)}: exit {status}, '{words}'")
    probe = run(binary, ["--format", "svg", L5])
    svg_built = probe.returncode == 0
    dot_prog = shutil.which("dot")
    print(f"# Graphviz's dot: {dot_prog or 'not installed (its checks skipped)'}; "
          f"--format svg: {'built' if svg_built else 'not built'}")
    models = sorted(os.path.join("models", f) for f in os.listdir("models") if f.endswith(".yaml"))
    for model in models + [NAMES] + args:
        structure(binary, model, dot_prog, svg_built)
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
