"""Render README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which is not available here).

Markdown cells are copied; code cells that are not hidden become ```python blocks. The speed table between the
`<!-- speed table begin -->` and `<!-- speed table end -->` markers of nbs/index.ipynb is written from
bench/results/speed.json (bench/speed.py), so that every speed figure in the README is one a benchmark measured.
`--check` fails when README.md or that table is out of date.
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
BEGIN, END = '<!-- speed table begin -->', '<!-- speed table end -->'

def mm(t, digits=2, scale=1.0, unit='s'):
    "'min / median unit' of a timing entry of speed.json."
    return f"{t['min_s'] * scale:.{digits}f} / {t['median_s'] * scale:.{digits}f} {unit}"

def speed_table(path=root/'bench'/'results'/'speed.json') -> str:
    "Markdown table of bench/results/speed.json: each peer and vdwnb, min/median seconds, the ratio, the conditions."
    if not path.exists(): return '(bench/speed.py has not been run: no speed figures)'
    r = json.loads(path.read_text(encoding='utf-8'))
    m = r.get('machine', {})
    rows = ['| what (bench/speed.py, interleaved rounds) | peer: min / median | vdwnb: min / median | ratio (medians) |',
            '|---|---|---|---|']
    s = r.get('simulator', {})
    if 'times' in s:
        t = s['times']
        rows.append(f"| {s['size']}² image of TED-Gen's {s['atoms']}-atom ReS2 cell, 1 thread each (images r = {s['r']:.4f}) "
                    f"| incoSTEM {mm(t['incostem_1_thread'])} | {mm(t['vdwnb_1_thread'], 3)} | {s['ratio_1_thread_median']:.0f}× |")
    a = r.get('abtem', {})
    if 'times' in a:
        t = a['times']
        for k in ('multislice', 'prism'):
            rows.append(f"| {a['cell']}, {a['positions']} probe positions at {a['scan_pixel']} Å "
                        f"| abTEM {k} {mm(t[f'abtem_{k}'], 1)} | {mm(t['vdwnb_1_thread'], 1, 1e3, 'ms')} | {a[f'ratio_{k}_median']:,.0f}× |")
    q = r.get('answer', {})
    if 'times' in q:
        t = q['times']
        ref = t['reference_resnet50_16x512']
        peer = f"reference ResNet-50 × 16 crops of 512² {mm(ref)}"
        for k in sorted((k for k in t if k.startswith('network_')), key=lambda k: int(k.split('_')[1])):
            n, mine = k.split('_')[1], mm(t[k])
            what = f"| `resolve(fit=False)`, the network alone, {n}² {q['image']}, {q['threads']} threads"
            if n == '1024': rows.append(f"{what} | {peer} | {mine} | {ref['median_s'] / t[k]['median_s']:.0f}× |")
            else: rows.append(f"| the network alone, {n}² (the same kind of image, a larger field) | | {mine} | |")
        if 'answer_with_fit_1024' in t:
            rows.append(f"| `resolve`, the whole answer with the fit, 1024² | {peer} | {mm(t['answer_with_fit_1024'])} "
                        f"| {q['ratio_reference_over_answer_1024']:.1f}× |")
    tr = r.get('training', {})
    if 'steps_per_s' in tr:
        st = tr['seconds_per_step']
        rows.append(f"| training the shipped {tr['recipe']} recipe (batch {tr['batch']}, {tr['size']}²), {tr['threads']} threads | | "
                    f"{mm(st)} a step ({tr['steps_per_s']:.2f} steps/s) | |")
    i = r.get('imports', {})
    if 'torch' in i and 'vdwnb.infer' in i:
        rows.append(f"| `import vdwnb.infer`, fresh process (pandas {'loaded' if i['vdwnb.infer']['loads']['pandas'] else 'not loaded'}) "
                    f"| `import torch` {mm(i['torch'])} | {mm(i['vdwnb.infer'])} | {i['infer_over_torch']:.2f}× torch's |")
    parts = [p for p in (s, a, q, tr, i) if p]
    when = sorted(p.get('measured', m.get('date', '?')) for p in parts) or ['?']
    loads = [p['load_average_before'][0] for p in parts if 'load_average_before' in p] or [m.get('load_average_before', [float('nan')])[0]]
    rows.append('')
    rows.append(f"Measured {when[0]}{' to ' + when[-1] if when[-1] != when[0] else ''} on {m.get('cores', '?')} cores "
                f"({m.get('platform', '?')}), torch {m.get('torch', '?')}; load average {min(loads):.1f}–{max(loads):.1f} before the parts "
                f"(a busy machine slows every contender alike: compare the ratios).")
    return '\n'.join(rows)

def sync_index(nb_path=root/'nbs'/'index.ipynb', write=True) -> bool:
    "Write the speed table into nbs/index.ipynb between its markers; True when it was already up to date."
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    table, same = speed_table(), True
    for c in nb['cells']:
        src = ''.join(c['source'])
        if BEGIN in src and END in src:
            new = re.sub(re.escape(BEGIN) + '.*?' + re.escape(END), lambda _: f'{BEGIN}\n{table}\n{END}', src, flags=re.S)
            if new != src:
                same = False
                lines = new.split('\n')
                c['source'] = [l + '\n' for l in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if not same and write:
        nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return same

def render(nb_path=root/'nbs'/'index.ipynb') -> str:
    cells = json.loads(nb_path.read_text(encoding='utf-8'))['cells']
    parts = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src: continue
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code' and not src.startswith('#| hide'): parts.append(f'```python\n{src}\n```')
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    readme = root/'README.md'
    if '--check' in sys.argv:
        if not sync_index(write=False):
            sys.exit('the speed table in nbs/index.ipynb is out of date with bench/results/speed.json: run `make readme`.')
        if readme.read_text(encoding='utf-8') != render():
            sys.exit('README.md is out of date with nbs/index.ipynb: run `make readme` (tools/readme.py) and commit it.')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        sync_index()
        readme.write_text(render(), encoding='utf-8'); print('wrote', readme)
