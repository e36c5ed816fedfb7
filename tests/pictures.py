#!/usr/bin/env python3
"""The pictures (--format dot, svg, mermaid, html):

  * goldens: exact bytes of tests/pictures/expected/NAME.{dot,mermaid,html}
    (the HTML with its inline SVG left out: Graphviz's drawing varies with
    its version);
  * every model given: one node per summary row (and one for a Sequential
    model's input, which has no row), one edge per input tensor of each
    call, counted from the JSON summary; with --show nested, for a model
    with sub-models, each sub-model's row a cluster of its own rows and
    connections; the DOT accepted by Graphviz's
    `dot` when it is installed, with as many nodes and edges; the SVG
    well-formed XML with as many nodes and edges (or, built without
    Graphviz, refused with the way to the picture, exit 2);
  * the options' mistakes.

  pictures.py BIN SOURCE_ROOT [MODEL.yaml...]
  pictures.py BIN SOURCE_ROOT --regen     rewrite the goldens (review them!)
"""
import json, os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

import yaml

from checks import check, failures

NAMES = "tests/pictures/names.yaml"
NESTED_NAMES = "tests/pictures/nested_names.yaml"
SHARED = "tests/pictures/shared_encoder.yaml"
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
    # --show nested: sub-models as clusters (nested_in_nested.* come from
    # tests/test_picture.c, as no model file nests a sub-model in one)
    ("transfer_nested.dot", ["--format", "dot", "--show", "nested", "models/transfer.yaml"]),
    ("transfer_nested.mermaid", ["--format", "mermaid", "--show", "nested", "models/transfer.yaml"]),
    ("shared_encoder_nested.dot", ["--format", "dot", "--show", "nested,trainable", SHARED]),
    ("shared_encoder_nested.mermaid", ["--format", "mermaid", "--direction", "LR", "--show", "nested",
                                       SHARED]),
    ("nested_names.dot", ["--format", "dot", "--show", "nested", NESTED_NAMES]),
    ("nested_names.mermaid", ["--format", "mermaid", "--show", "nested", NESTED_NAMES]),
    ("submodels_columns_nested.dot", ["--format", "dot", "--show", "nested", "--columns", "layer,params",
                                      "tests/functional/examples/submodels.yaml"]),
    ("nested_names.html", ["--format", "html", "--show", "nested", NESTED_NAMES]),
]

# arguments, exit status, words on stderr
MISTAKES = [
    (["--format", "dot", "--direction", "BT", L5], 2, "--direction: expected TB (top to bottom) or LR"),
    (["--format", "dot", "--show", "dtype,trainabel", L5], 2,
     "--show: unknown item 'trainabel'; did you mean 'trainable'?"),
    (["--format", "dot", "--show", "everything", L5], 2,
     "--show: unknown item 'everything': expected dtype, activation, trainable or nested"),
    (["--format", "dot", "--show", "nestd", L5], 2, "--show: unknown item 'nestd'; did you mean 'nested'?"),
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


def sub_graph(binary, top, name, sub, summary):
    """Nodes and edges of sub-model `name` drawn as a cluster: its rows
    (a Sequential one's input has none: the edge from outside ends at its
    first layer) and its own connections, from the JSON summary of the
    sub-model written out as a file of its own."""
    doc = dict(sub, name=name)
    for key in ("data_format", "dtype_policy"):
        if key in top:
            doc[key] = top[key]
    row = next(r for r in summary["layers"] if r["name"] == name)
    for attempt in (0, 1):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
            yaml.safe_dump(doc, f, allow_unicode=True)
        p = run(binary, ["--format", "json", f.name])
        os.unlink(f.name)
        if p.returncode == 0 or attempt:
            break
        # a Sequential sub-model built on its first call: that input's shape
        ref = re.match(r"^(.*)\[(\d+)\]\[(\d+)\]$", row["inputs"][0])
        src = next(r for r in summary["layers"] if r["name"] == ref.group(1))
        shape = src["output_shape"]
        if shape and isinstance(shape[0], list):
            shape = shape[int(ref.group(3))]
        doc["input_shape"] = shape[1:]
    layers = json.loads(p.stdout)["layers"]
    if layers and "inputs" in layers[0]:
        return len(layers), sum(len(ly["inputs"]) for ly in layers)
    return len(layers), len(layers) - 1


def expected_nested(binary, model):
    """Nodes, edges and clusters of --show nested: each sub-model's row
    replaced by its rows, its connections added (one level: no model file
    nests deeper), or None when the model has no sub-models."""
    with open(model, encoding="utf-8") as f:
        top = yaml.safe_load(f)
    subs = top.get("models") if isinstance(top, dict) else None
    if not subs:
        return None
    nodes, edges = expected_graph(binary, model)
    summary = json.loads(run(binary, ["--format", "json", model]).stdout)
    clusters = 0
    for row in summary["layers"]:
        if row["type"] in ("Functional", "Sequential") and row["name"] in subs:
            n, e = sub_graph(binary, top, row["name"], subs[row["name"]], summary)
            nodes += n - 1
            edges += e
            clusters += 1
    return nodes, edges, clusters


ID = r"(?:r\d+_)*[ri]\d+"


def edges_follow_nodes(text, pattern):
    """Whether each edge line of a DOT text (pattern: group 1 a node id,
    group 2 an edge's head when the line is an edge) joins nodes written
    before it: the DOT streams."""
    seen = set()
    for line in text.splitlines():
        m = re.match(pattern, line)
        if m and m.group(2):
            if m.group(1) not in seen or m.group(2) not in seen:
                return False
        elif m:
            seen.add(m.group(1))
    return True


def nested(binary, model, dot_prog, svg_built):
    want = expected_nested(binary, model)
    if want is None:
        return
    nodes, edges, clusters = want
    p = run(binary, ["--format", "dot", "--show", "nested", model])
    text = p.stdout.decode()
    got_nodes = re.findall(rf"^\t+({ID}) \[label=<", text, re.M)
    got_edges = re.findall(rf"^\t+({ID}) -> ({ID});$", text, re.M)
    got_clusters = re.findall(r"^\t+subgraph cluster_(?:r\d+_)*r\d+ \{$", text, re.M)
    check(p.returncode == 0 and len(got_nodes) == nodes and len(set(got_nodes)) == nodes and
          len(got_edges) == edges and len(got_clusters) == clusters,
          f"{model}: --show nested DOT has {nodes} nodes, {edges} edges, {clusters} clusters "
          f"(got {len(got_nodes)}, {len(got_edges)}, {len(got_clusters)})")
    check(edges_follow_nodes(text, rf"^\t+({ID}) (?:\[label|-> ({ID});)"),
          f"{model}: --show nested: each edge follows the nodes it joins")
    m = run(binary, ["--format", "mermaid", "--show", "nested", model]).stdout.decode()
    m_nodes = re.findall(rf'^ +({ID})\["', m, re.M)
    m_edges = re.findall(rf"^ +({ID}) --> ({ID})$", m, re.M)
    m_clusters = re.findall(r'^ +subgraph cluster_(?:r\d+_)*r\d+\["', m, re.M)
    m_ends = re.findall(r"^ +end$", m, re.M)
    check(len(m_nodes) == nodes and len(m_edges) == edges and len(m_clusters) == clusters == len(m_ends),
          f"{model}: --show nested Mermaid has {nodes} nodes, {edges} edges, {clusters} subgraphs")
    if dot_prog:
        d = subprocess.run([dot_prog, "-Tjson"], input=p.stdout, capture_output=True, timeout=300)
        ok = d.returncode == 0 and not d.stderr
        if ok:
            laid = json.loads(d.stdout)
            objects = laid.get("objects", [])
            subgraphs = [o for o in objects if "nodes" in o or o.get("name", "").startswith("cluster_")]
            ok = (len(objects) - len(subgraphs) == nodes and len(subgraphs) == clusters and
                  len(laid.get("edges", [])) == edges)
        check(ok, f"{model}: Graphviz's dot reads the --show nested DOT: {nodes} nodes, {edges} edges, "
              f"{clusters} clusters {d.stderr.decode(errors='replace').strip()}")
    if svg_built:
        s = run(binary, ["--format", "svg", "--show", "nested", model])
        try:
            groups = [g.get("class") for g in ET.fromstring(s.stdout).iter("{http://www.w3.org/2000/svg}g")]
            ok = (groups.count("node") == nodes and groups.count("edge") == edges and
                  groups.count("cluster") == clusters)
        except ET.ParseError as e:
            ok = False
            print(e)
        check(s.returncode == 0 and ok, f"{model}: the --show nested SVG is XML with {nodes} nodes, "
              f"{edges} edges and {clusters} clusters")


def goldens_accepted(dot_prog):
    """Every DOT golden (nested_in_nested.dot too) is read by dot."""
    for name in sorted(os.listdir("tests/pictures/expected")):
        if name.endswith(".dot"):
            d = subprocess.run([dot_prog, "-Tjson", os.path.join("tests/pictures/expected", name)],
                               capture_output=True, timeout=300)
            check(d.returncode == 0 and not d.stderr, f"Graphviz's dot reads the golden {name} "
                  f"{d.stderr.decode(errors='replace').strip()}")


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
    check(edges_follow_nodes(text, r"^\t([ri]\d+) (?:\[label|-> (r\d+);)"),
          f"{model}: each edge follows the nodes it joins")
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
    if dot_prog:
        goldens_accepted(dot_prog)
    for model in models + [NAMES, NESTED_NAMES, SHARED, "tests/functional/examples/submodels.yaml"] + args:
        structure(binary, model, dot_prog, svg_built)
        nested(binary, model, dot_prog, svg_built)
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
