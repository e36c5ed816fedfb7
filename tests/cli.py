#!/usr/bin/env python3
"""Command-line tests: each case runs convsummary with arguments (run in the
source tree's root) and checks the exit status, stdout against
tests/cli/expected/NAME.out (when the case has one), and words on stderr.

  cli.py BIN SOURCE_ROOT [NAME]      run every case, or one
  cli.py BIN SOURCE_ROOT --regen     rewrite the expected files (review them!)
"""
import json, os, shutil, subprocess, sys, tempfile

L5 = "models/lenet5.yaml"
TI = "tests/torchinfo/"
W5 = "tests/cli/lenet5_wider.yaml"

# name, arguments, exit status, compare stdout with a file?, words in stderr
CASES = [
    ("diff_same", ["diff", L5, L5], 0, True, None),
    ("diff_text", ["diff", L5, W5], 3, True, None),
    ("diff_markdown", ["diff", "--format", "markdown", L5, W5], 3, True, None),
    ("diff_json", ["diff", "--format", "json", L5, W5], 3, True, None),
    ("diff_added_layer_shifts_names", ["diff", "tests/cli/dir/a.yaml", "models/mnist_cnn.yaml"], 3, True, None),
    ("check_matches", ["--check", "tests/models/lenet5.keras3.txt", L5], 0, True, None),
    ("check_differs", ["--check", "tests/models/lenet5.keras3.txt", W5], 3, True, "differs from"),
    ("check_missing_file", ["--check", "tests/cli/no-such-file.txt", L5], 2, True, "--update writes it"),
    ("budget_params_exceeded", ["--max-params", "60k", L5], 3, True,
     "61,706 parameters exceed the budget of 60,000 by 1,706 (2.8% over)"),
    ("budget_params_met", ["--max-params", "0.1M", "--format", "csv", L5], 0, True, None),
    ("budget_trainable", ["--max-trainable-params", "100", "--format", "csv", "models/seed_scenario3.yaml"],
     3, True, "140 trainable parameters exceed the budget of 100 by 40"),
    ("budget_bytes", ["--max-bytes", "200KB", "--format", "csv", L5], 3, True,
     "246,824 bytes of weights exceed the budget of 204,800"),
    ("several_files", ["models/seed_scenario1.yaml", "models/seed_scenario2.yaml"], 0, True, None),
    ("one_bad_file_among_several", ["tests/cli/broken.yaml", "models/seed_scenario1.yaml"], 1, True,
     "tests/cli/broken.yaml:3:5: error: Conv2D 'conv2d': kernel_size 5 is larger than its input 4"),
    ("directory", ["--format", "csv", "tests/cli/dir"], 0, True, None),
    ("json_list", ["--format", "json", "tests/cli/dir"], 0, True, None),
    ("explain_keras3", ["--explain", "models/seed_scenario3.yaml"], 0, True, None),
    ("explain_keras2", ["--explain", "--style", "keras2", "models/mnist_cnn.yaml"], 0, True, None),
    ("explain_json", ["--explain", "--format", "json", "models/seed_scenario2.yaml"], 0, True, None),
    ("markdown", ["--format", "markdown", L5], 0, True, None),
    ("csv", ["--format", "csv", L5], 0, True, None),
    ("missing_file", ["tests/cli/no-such-model.yaml"], 2, True, "cannot open"),
    ("unknown_option", ["--frobnicate", L5], 2, True, "unrecognized option"),
    ("line_length_too_small", ["--line-length", "12", L5], 2, True, "line length 12 is out of range"),
    ("no_arguments", [], 2, True, "no model file given"),
    ("update_without_check", ["--update", L5], 2, True, "--update goes with --check"),
    ("columns_keras3", ["--columns", "layer,output_shape,params,macs,activation_bytes,rf,stride,jump,kernel",
                        "models/mnist_cnn.yaml"], 0, True, None),
    ("columns_keras2", ["--style", "keras2", "--columns", "name,type,params,params_percent,trainable,flops",
                        "models/lenet5.yaml"], 0, True, None),
    ("columns_markdown", ["--format", "markdown", "--columns", "layer,output_shape,macs,rf", L5], 0, True, None),
    ("columns_csv", ["--format", "csv", "--columns", "name,macs,other_ops,activation_bytes,rf,stride",
                     "models/mnist_cnn.yaml"], 0, True, None),
    ("columns_kernel_forms", ["--format", "csv", "--columns", "name,kernel", "tests/cli/kernel_forms.yaml"],
     0, True, None),
    ("columns_unknown", ["--columns", "layer,mac", L5], 2, True, "unknown column 'mac'; did you mean 'macs'?"),
    ("convention_torchinfo", ["--columns", "name,macs", "--convention", "torchinfo", L5], 0, True, None),
    ("batch_size_for_memory", ["--columns", "name,activation_bytes", "--batch-size", "32", L5], 0, True, None),
    # issue 17: torchinfo's footer in every format; --batch-size over a file's batch_size, said so
    ("torchinfo_keras3", ["--convention", "torchinfo", TI + "too_many_relus.yaml"], 0, True, None),
    ("torchinfo_keras2", ["--style", "keras2", "--convention", "torchinfo", TI + "batch_size_optimization.yaml"],
     0, True, None),
    ("torchinfo_markdown", ["--format", "markdown", "--convention", "torchinfo", TI + "single_input.yaml"],
     0, True, None),
    ("torchinfo_columns_markdown", ["--format", "markdown", "--columns", "name,macs", "--convention", "torchinfo",
                                    TI + "single_input.yaml"], 0, True, None),
    ("torchinfo_json", ["--format", "json", "--convention", "torchinfo", TI + "single_input.yaml"], 0, True, None),
    ("torchinfo_csv", ["--format", "csv", "--columns", "name,macs,flops", "--convention", "torchinfo",
                       TI + "tmva_ra_decoder.yaml"], 0, True, None),
    ("torchinfo_batch_size_over_file", ["--columns", "name,macs", "--convention", "torchinfo", "--batch-size", "16",
                                        TI + "single_input.yaml"], 0, True, None),
    ("batch_size_over_file", ["--columns", "name,activation_bytes", "--batch-size", "16", TI + "single_input.yaml"],
     0, True, None),
    ("batch_size_over_file_json", ["--format", "json", "--batch-size", "16", TI + "groups.yaml"], 0, True, None),
    ("torchinfo_graph", ["--format", "json", "--convention", "torchinfo", "tests/cli/torchinfo_graph.yaml"],
     0, True, None),
    ("torchinfo_sweep", ["--convention", "torchinfo", "--input-shape", "1,56,56", TI + "single_input.yaml"],
     0, True, None),
    ("audit", ["--audit", "--format", "csv", "models/mnist_cnn.yaml"], 0, True,
     "models/mnist_cnn.yaml:16:5: warning: MaxPooling2D: the last 1 cell of its 11-long height is never read"),
    ("strict", ["--strict", "--format", "csv", "models/mnist_cnn.yaml"], 3, True, "warning:"),
    ("strict_clean", ["--strict", "--format", "csv", "tests/cli/clean.yaml"], 0, True, None),
    ("sweep", ["--input-shape", "224,224,3", "--input-shape", "160,160,3", "--input-shape", "16,16,3",
               "models/mobilenet.yaml"], 1, True, None),
    ("sweep_json", ["--format", "json", "--input-shape", "32,32,1", "--input-shape", "28,28,1",
                    "models/lenet5.yaml"], 0, True, None),
    ("flops_overflow_json", ["--format", "json", "tests/cli/huge_macs.yaml"], 0, True, None),
    ("flops_overflow_columns", ["--columns", "name,macs,flops", "tests/cli/huge_macs.yaml"], 0, True, None),
    # issue 12: what hostile models and mistaken options cannot do
    ("diff_markdown_escaped", ["diff", "--format", "markdown", "models/seed_scenario1.yaml",
                               "tests/cli/markdown_names.yaml"], 3, True, None),
    ("columns_wrapped", ["--columns", "layer,params,kernel", "tests/cli/long_names.yaml"], 0, True, None),
    ("columns_wrapped_keras2", ["--style", "keras2", "--columns", "name,type,params",
                                "tests/cli/long_names.yaml"], 0, True, None),
    ("sweep_macs_overflow", ["--input-shape", "2147483647,2147483647,1", "--input-shape", "8,8,1",
                             "tests/cli/sum_overflow.yaml"], 0, True, None),
    ("sweep_macs_overflow_json", ["--format", "json", "--input-shape", "2147483647,2147483647,1",
                                  "tests/cli/sum_overflow.yaml"], 0, True, None),
    ("line_length_before_models", ["-l", "12", L5, "tests/cli/dir"], 2, True,
     "convsummary: line length 12 is out of range for keras3: expected 16 to 10000\n"),
    ("columns_before_models", ["--format", "json", "--columns", "layer,bogus", "tests/cli/dir"], 2, True,
     "convsummary: --columns: unknown column 'bogus'"),
    ("check_with_sweep", ["--check", "tests/models/lenet5.keras3.txt", "--input-shape", "32,32,1", L5], 2, True,
     "--check compares a summary; a sweep (--input-shape) has none"),
    ("control_characters", ["tests/cli/control_class.yaml"], 1, True,
     "tests/cli/control_class.yaml:5:5: error: unknown layer class "
     "'Dense\\x1b[2J\\x07\\nx.yaml:1:1: error: forged\\x7f\\xc2\\x9b'; expected a Keras layer"),
    ("control_characters_sweep", ["--input-shape", "4", "tests/cli/control_class.yaml"], 1, True, None),
    ("empty_axis_explain", ["--explain", "tests/cli/empty_axis.yaml"], 0, True, None),
    ("empty_axis_columns", ["--columns", "layer,output_shape,params,macs,other_ops,activation_bytes,rf,stride",
                            "tests/cli/empty_axis.yaml"], 0, True, None),
    ("empty_axis_sweep", ["--input-shape", "0,10", "--input-shape", "5,10", "tests/cli/empty_axis.yaml"],
     0, True, None),
    ("normalisation_forms_explain", ["--explain", "tests/cli/normalisation_forms.yaml"], 0, True, None),
    ("padding_1d_explain", ["--explain", "tests/cli/padding_1d.yaml"], 0, True, None),
    ("preprocessing_normalization_explain", ["--explain", "tests/cli/preprocessing_normalization.yaml"], 0,
     True, None),
    ("merge_layers_columns", ["--columns", "name,type,output_shape,macs,other_ops",
                              "tests/functional/merge_layers.yaml"], 0, True, None),
    ("preprocessing_normalization_columns", ["--columns", "layer,params,other_ops",
                                             "tests/cli/preprocessing_normalization.yaml"], 0, True, None),
    ("help", ["--help"], 0, True, None),
    ("version", ["--version"], 0, True, None),
]


def run(binary, args):
    return subprocess.run([binary] + args, capture_output=True, timeout=60)


def stdin_case(binary):
    """`-` reads the model from the standard input."""
    model = open(L5, "rb").read()
    p = subprocess.run([binary, "-"], input=model, capture_output=True, timeout=60)
    want = run(binary, [L5]).stdout
    if p.returncode != 0 or p.stdout != want:
        return f"exit {p.returncode}: {p.stderr!r}"
    p = subprocess.run([binary, "-"], input=b"layers: [Dens]\n", capture_output=True, timeout=60)
    if p.returncode != 1 or not p.stderr.startswith(b"<stdin>:1:10: error: unknown layer class 'Dens'"):
        return f"error from stdin: exit {p.returncode}: {p.stderr!r}"
    # settings after the layers, from a pipe: read once, as from a file
    late = (b"layers:\n  - Conv2D: {filters: 5, kernel_size: 3}\n"
            b"input_shape: [10, 10, 3]\nbatch_size: 4\ndata_format: channels_first\n")
    p = subprocess.run([binary, "--format", "csv", "-"], input=late, capture_output=True, timeout=60)
    # channels first: 10 channels of 10x3; (3*3*10 + 1) * 5 = 455
    want = b"name,type,output_shape,params,trainable_params,non_trainable_params\r\nconv2d,Conv2D,\"(4, 5, 8, 1)\",455,455,0\r\n"
    if p.returncode != 0 or not p.stdout.startswith(want):
        return f"settings after layers from stdin: exit {p.returncode}: {p.stdout!r} {p.stderr!r}"
    return None


def update_case(binary):
    """--update writes the file, then --check agrees with it."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lenet5.txt")
        p = run(binary, ["--check", path, "--update", L5])
        if p.returncode != 0 or b"updated" not in p.stderr or p.stdout:
            return f"--update: exit {p.returncode}, stderr {p.stderr!r}"
        want = run(binary, [L5]).stdout
        if open(path, "rb").read() != want:
            return "--update wrote something else than the summary"
        p = run(binary, ["--check", path, L5])
        if p.returncode != 0 or p.stdout:
            return f"--check after --update: exit {p.returncode}"
    return None


def full_disk_case(binary):
    """A write that fails (/dev/full) is an error, exit 2, for a summary
    small enough to sit in stdio's buffer, one streamed out in pieces, and a
    diff."""
    if not os.path.exists("/dev/full"):
        return None
    with tempfile.TemporaryDirectory() as d:
        big = os.path.join(d, "long.yaml")
        with open(big, "w") as f:
            f.write("input_shape: [8, 8, 4]\nlayers:\n" + "  - ReLU\n" * 20000)
        for args in ([L5], ["--format", "json", big], ["diff", L5, W5]):
            with open("/dev/full", "wb") as full:
                p = subprocess.run([binary] + args, stdout=full, stderr=subprocess.PIPE, timeout=60)
            if p.returncode != 2 or b"No space left on device" not in p.stderr:
                return f"{' '.join(args)} > /dev/full: exit {p.returncode}, {p.stderr!r}"
    return None


# Published totals, in the papers' convention (multiply-accumulates, bias
# excluded): MobileNet v1 at 224 "569 million mult-adds" (Howard et al.,
# 2017, Table 1); VGG16 "15.5 G" MACs, as commonly quoted (e.g. the ptflops
# and torchscan model zoos; the ResNet paper's 15.3 G counts only the
# convolutions: ours give 15,346,630,656 for them).
PUBLISHED = [
    ("models/mobilenet.yaml", 568740352, 569e6),
    ("models/vgg16.yaml", 15470264320, 15.5e9),
]


def published_case(binary):
    for path, exact, paper in PUBLISHED:
        p = run(binary, ["--format", "json", path])
        total = json.loads(p.stdout)["total_macs"]
        if total != exact or abs(total - paper) / paper > 0.005:
            return f"{path}: total_macs {total}, expected {exact} (about {paper:.4g})"
    return None


# keras.applications totals as Keras 3's summary prints them (shared/spec/
# keras3-functional-summary.md, its table of application models); the
# sizes are the counts times 4 bytes (20.33 MB = 5,330,571 * 4 / 2**20).
# EfficientNetB0 starts with a Normalization: 42,023 non-trainable
# parameters are 164.15 KB only with its count an int32.
APPLICATION_TOTALS = [
    ("tests/functional/efficientnetb0.yaml", 240,
     " Total params: 5,330,571 (20.33 MB)\n"
     " Trainable params: 5,288,548 (20.17 MB)\n"
     " Non-trainable params: 42,023 (164.15 KB)\n"),
    # 58 Concatenate layers on axis 3
    ("tests/functional/densenet121.yaml", 429,
     " Total params: 8,062,504 (30.76 MB)\n"
     " Trainable params: 7,978,856 (30.44 MB)\n"
     " Non-trainable params: 83,648 (326.75 KB)\n"),
]


def application_totals_case(binary):
    for path, rows, totals in APPLICATION_TOTALS:
        p = run(binary, [path])
        text = p.stdout.decode("utf-8", "replace")
        if p.returncode != 0 or not text.endswith(totals):
            return f"{path}: exit {p.returncode}, totals:\n" + "\n".join(text.splitlines()[-3:])
        got = len(json.loads(run(binary, ["--format", "json", path]).stdout)["layers"])
        if got != rows:
            return f"{path}: {got} rows, expected {rows}"
    return None


def man_page_case(binary):
    """man/convsummary.1 documents every option --help lists (and diff)."""
    import re
    page = open("man/convsummary.1", encoding="utf-8").read().replace("\\-", "-")
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b", run(binary, ["--help"]).stdout.decode()))
    missing = sorted(o for o in options if o not in page)
    if "convsummary diff" not in page:
        missing.append("diff")
    return f"not in man/convsummary.1: {', '.join(missing)}" if missing else None


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.chdir(root)
    regen = "--regen" in sys.argv[3:]
    only = [a for a in sys.argv[3:] if not a.startswith("--")]
    failed = passed = 0
    for name, args, status, golden, words in CASES:
        if only and name not in only:
            continue
        p = run(binary, args)
        path = os.path.join("tests/cli/expected", name + ".out")
        problems = []
        if regen and golden:
            open(path, "wb").write(p.stdout)
        if p.returncode != status:
            problems.append(f"exit {p.returncode}, expected {status}")
        if golden and p.stdout != open(path, "rb").read():
            problems.append(f"stdout differs from {path}:\n" + p.stdout.decode("utf-8", "replace"))
        if words and words not in p.stderr.decode("utf-8", "replace"):
            problems.append(f"stderr does not say {words!r}: {p.stderr!r}")
        if name == "json_list":
            json.loads(p.stdout)
        if problems:
            failed += 1
            print(f"FAIL {name} ({' '.join(args)}): " + "; ".join(problems))
        else:
            passed += 1
    if not only:
        # the cases that are functions: each returns what went wrong, or None
        for label, check in (("stdin", stdin_case), ("published figures", published_case),
                             ("application totals", application_totals_case),
                             ("update", update_case), ("full disk", full_disk_case),
                             ("man page", man_page_case)):
            why = check(binary)
            if why:
                failed += 1
                print(f"FAIL {label}: " + why)
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
