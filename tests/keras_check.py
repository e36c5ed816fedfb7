#!/usr/bin/env python3
"""Keras's own files (issue 14): configs, archives, `convert`, refusals.

  keras_check.py BIN SOURCE_ROOT

* round trip: for every reference config (tests/conformance/*.keras.json,
  tests/keras/*.keras.json) and archive, `convert` then summarising the
  YAML prints exactly what summarising the original prints (text and
  --format json), and every one of them summarises;
* archives made here with Python's zipfile, stored and deflated, summarise
  as their config does;
* broken files: exit 1, nothing on stdout, the exact error line.
The archives and broken files are made in a temporary directory, so that
no binary is committed for them.
"""
import glob, io, json, os, subprocess, sys, tempfile, zipfile

BIN, ROOT = sys.argv[1], sys.argv[2]
TESTS = os.path.join(ROOT, 'tests')
failures = []


def run(*args, stdin=None):
    r = subprocess.run([BIN, *args], capture_output=True, input=stdin, timeout=60)
    return r.returncode, r.stdout, r.stderr.decode('utf-8', 'replace')


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def zip_of(entries, method=zipfile.ZIP_STORED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return b.getvalue()


META = '{"keras_version": "3.15.1", "date_saved": "2026-11-25@20:13:29"}'


def round_trip(tmp, path):
    rc, text, err = run(path)
    crc, yaml, cerr = run('convert', path)
    if rc != 0:
        check(crc == rc and not yaml, f'{path}: convert must refuse what cannot be summarised')
        return False
    check(crc == 0 and yaml.startswith(b'# Converted by convsummary from '), f'{path}: convert: {cerr}')
    y = os.path.join(tmp, 'converted.yaml')
    with open(y, 'wb') as f:
        f.write(yaml)
    rc2, text2, err2 = run(y)
    check(rc2 == 0 and text2 == text, f'{path}: the converted YAML summarises differently: {err2}')
    _, j1, _ = run('--format', 'json', path)
    _, j2, _ = run('--format', 'json', y)
    a, b = json.loads(j1), json.loads(j2)
    a.pop('keras_version', None)
    check(a == b, f'{path}: --format json differs after convert')
    return True


BROKEN = []   # (file name, bytes, expected stderr line without "FILE")


def broken_cases():
    conv = open(os.path.join(TESTS, 'conformance', 'conv1d.keras.json')).read()
    real = open(os.path.join(TESTS, 'keras', 'archives', 'two_inputs.keras'), 'rb').read()
    add = lambda name, data, want: BROKEN.append((name, data if isinstance(data, bytes) else data.encode(), want))
    add('truncated.keras', real[:1000], ': error: not a valid zip archive (a .keras file is one): Not a zip archive')
    add('no_central_directory.keras', real[:-100], ': error: not a valid zip archive (a .keras file is one): Not a zip archive')
    add('no_config.keras', zip_of([('metadata.json', META), ('model.weights.h5', 'x')]),
        ': error: no config.json in the archive: expected a .keras file (metadata.json, config.json, model.weights.h5)')
    good = zip_of([('metadata.json', META), ('config.json', conv)])
    i = good.index(b'"filters": 16')
    add('crc.keras', good[:i] + b'"filters": 17' + good[i + 13:],
        ': error: cannot read config.json in the archive: CRC error')
    d = json.loads(conv)
    d['config']['layers'][2]['class_name'] = 'MyConv'
    d['config']['layers'][2]['registered_name'] = 'my_pkg>MyConv'
    add('custom_layer.keras.json', json.dumps(d, indent=2),
        ":95:23: error: layer 'conv1d_1' is of class 'MyConv' (registered_name 'my_pkg>MyConv'), "
        "a layer convsummary does not know; expected a built-in Keras layer")
    add('custom_layer.keras', zip_of([('metadata.json', META), ('config.json', json.dumps(d))]),
        ":config.json:1:1392: error: layer 'conv1d_1' is of class 'MyConv' (registered_name 'my_pkg>MyConv'), "
        "a layer convsummary does not know; expected a built-in Keras layer")
    add('not_a_model.json', json.dumps({'class_name': 'Dense', 'config': {}}, indent=2),
        ":2:17: error: class_name 'Dense': expected a Keras model (Sequential, Functional or Model)")
    add('deep.keras.json', '{"class_name": "Sequential", "config": ' + '[' * 100000 + ']' * 100000 + '}',
        ":1:2087: error: invalid JSON: maximum parsing depth reached near '['")
    add('truncated.keras.json', conv[:2000], ":81:5: error: invalid JSON: string or '}' expected near end of file")
    d = json.loads(conv)
    d['config']['layers'][1]['config']['filters'] = 0
    add('filters_zero.keras.json', json.dumps(d, indent=2), ':47:22: error: filters: expected a positive integer, got 0')
    add('lone_surrogate.keras.json', conv.replace('"conv1d_1"', '"conv\\ud83d"'),
        ":97:30: error: invalid JSON: invalid Unicode '\\uD83D' near '\"conv\\ud83d\"'")
    add('duplicate_key.keras.json', conv.replace('"filters": 16,', '"filters": 16, "filters": 8,', 1),
        ":47:34: error: invalid JSON: duplicate object key near '\"filters\"'")


def zip_bomb(path):
    # 257 MiB of spaces deflate to about 256 KiB
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('metadata.json', META)
        with zf.open('config.json', 'w', force_zip64=True) as f:
            chunk = b' ' * (1 << 20)
            for _ in range(257):
                f.write(chunk)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        configs = sorted(glob.glob(os.path.join(TESTS, 'conformance', '*.keras.json')) +
                         glob.glob(os.path.join(TESTS, 'keras', '*.keras.json')))
        done = 0
        for c in configs:
            done += round_trip(tmp, c)
        for a in sorted(glob.glob(os.path.join(TESTS, 'keras', 'archives', '*.keras'))):
            done += round_trip(tmp, a)
            ref = a[:-len('.keras')] + '.keras3.txt'
            rc, out, err = run(a)
            if rc == 0:
                check(out == open(ref, 'rb').read(), f'{a}: differs from {ref}')
        total = len(configs) + len(glob.glob(os.path.join(TESTS, 'keras', 'archives', '*.keras')))
        check(done == total, f'round trip: only {done} of {total} references summarised')
        print(f'round trip: {done} of {total} summarised, all agree' if not failures else '')

        # archives made here: stored and deflated, the version in the JSON
        conv = os.path.join(TESTS, 'conformance', 'conv1d.keras.json')
        want = open(os.path.join(TESTS, 'conformance', 'conv1d.keras3.txt'), 'rb').read()
        cfg = open(conv).read()
        for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            p = os.path.join(tmp, f'conv1d_{method}.keras')
            with open(p, 'wb') as f:
                f.write(zip_of([('metadata.json', META), ('config.json', cfg),
                                ('model.weights.h5', b'\x89HDF\r\n\x1a\n')], method))
            rc, out, err = run(p)
            check(rc == 0 and out == want, f'{p}: {err}')
            rc, out, err = run('--format', 'json', p)
            check(rc == 0 and json.loads(out).get('keras_version') == '3.15.1',
                  f'{p}: keras_version missing from the JSON output')
            rc, out, err = run('-', stdin=open(p, 'rb').read())
            check(rc == 0 and out == want, f'{p} on stdin: {err}')
        # a name outside the BMP, written as Python writes it: \ud83d\ude04
        d = json.load(open(conv))
        d['config']['layers'][1]['config']['name'] = 'conv\U0001F604'
        p = os.path.join(tmp, 'emoji.keras.json')
        with open(p, 'w') as f:
            json.dump(d, f)
        check('\\ud83d\\ude04' in open(p).read(), 'the emoji is escaped as a surrogate pair')
        rc, out, err = run(p)
        check(rc == 0 and '│ conv😄 (Conv1D)                 │' in out.decode(), f'{p}: {err}')
        # a directory: its *.keras and *.json files too
        dd = os.path.join(tmp, 'dir')
        os.mkdir(dd)
        with open(os.path.join(dd, 'a.keras.json'), 'w') as f:
            f.write(cfg)
        with open(os.path.join(dd, 'b.keras'), 'wb') as f:
            f.write(zip_of([('metadata.json', META), ('config.json', cfg)]))
        rc, out, err = run(dd)
        check(rc == 0 and out.count(b'Model: "conv1d_family"') == 2, f'{dd}: {err}')

        broken_cases()
        for name, data, want in BROKEN:
            p = os.path.join(tmp, name)
            with open(p, 'wb') as f:
                f.write(data)
            for cmd in ([p], ['convert', p]):
                rc, out, err = run(*cmd)
                check(rc == 1 and out == b'' and err == p + want + '\n',
                      f'{" ".join(cmd)}: exit {rc}, stdout {out[:40]!r}, stderr {err!r}, expected {want!r}')
        p = os.path.join(tmp, 'bomb.keras')
        zip_bomb(p)
        rc, out, err = run(p)
        check(rc == 1 and out == b'' and err == p + ': error: config.json is 269484032 bytes, more than '
              'the 256 MiB read from an archive; refused\n', f'{p}: {err!r}')
        rc, out, err = run('convert', os.path.join(TESTS, 'conformance', 'conv1d.yaml'))
        check(rc == 1 and out == b'' and 'not a Keras model' in err, f'convert of YAML: {err!r}')
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


sys.exit(main())
