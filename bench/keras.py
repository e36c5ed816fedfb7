#!/usr/bin/env python3
"""Reading Keras's own files against reading the same model as YAML.

  keras.py CONVSUMMARY [--repeat N] [CONFIG.keras.json ...]

For each config (default: a generated Sequential chain of 20,000 Dense
layers written as Keras writes it, indent 2, every argument and nested
initializer object included; plus any given), `convsummary convert` makes
the YAML of the same model, and both are summarised N times (median CPU
time of each, interleaved).  Target (issue 14): the config costs at most
1.5x the YAML.  Exit status 1 when it is missed.
"""
import json, os, resource, statistics, subprocess, sys, tempfile


def layer(i):
    init = lambda c: {"module": "keras.initializers", "class_name": c, "config": {"seed": None}, "registered_name": None}
    return {"module": "keras.layers", "class_name": "Dense", "config": {
        "name": f"dense_{i}", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None},
        "units": 8 + i % 8, "activation": "relu", "use_bias": True,
        "kernel_initializer": init("GlorotUniform"), "bias_initializer": init("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "quantization_config": None},
        "registered_name": None, "build_config": {"input_shape": [None, 16]}}


def chain(n):
    first = {"module": "keras.layers", "class_name": "InputLayer", "config": {
        "batch_shape": [None, 16], "dtype": "float32", "sparse": False, "ragged": False,
        "name": "input_layer", "optional": False}, "registered_name": None}
    return {"module": "keras", "class_name": "Sequential", "config": {
        "name": "chain", "trainable": True, "layers": [first] + [layer(i) for i in range(n)],
        "build_input_shape": [None, 16]}, "registered_name": None, "build_config": {"input_shape": [None, 16]},
        "compile_config": {}}


def timed(argv):
    """CPU time (user + system) of one run: the machines are shared, and
    wall time there measures the neighbours."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    args = sys.argv[1:]
    binary = args.pop(0)
    repeat = 11
    if args[:1] == ['--repeat']:
        repeat = int(args[1])
        args = args[2:]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        configs = list(args)
        if not configs:
            p = os.path.join(tmp, 'chain20k.keras.json')
            with open(p, 'w') as f:
                json.dump(chain(20000), f, indent=2)
            configs.append(p)
        for c in configs:
            y = os.path.join(tmp, os.path.basename(c) + '.yaml')
            with open(y, 'wb') as f:
                f.write(subprocess.run([binary, 'convert', c], capture_output=True, check=True).stdout)
            tj, ty = [], []
            for _ in range(repeat):
                tj.append(timed([binary, c]))
                ty.append(timed([binary, y]))
            mj, my = statistics.median(tj), statistics.median(ty)
            ratio = mj / my
            ok &= ratio <= 1.5
            print(f'{os.path.basename(c)}: config {os.path.getsize(c) >> 10} KiB {mj * 1e3:.1f} ms, '
                  f'YAML {os.path.getsize(y) >> 10} KiB {my * 1e3:.1f} ms: {ratio:.2f}x '
                  f'({"ok" if ratio <= 1.5 else "over the 1.5x target"})')
    return 0 if ok else 1


sys.exit(main())
