"""The explorers on the four real images of the paper's repository, default arguments: whether the lattice is found,
the field compared (Å), the build time and the latency of a slider move (fast simulator, CPU, 2 cores here), this
checkout beside another one in the same run. Writes bench/results/explore.json and prints the table.

    python bench/explore.py                          # this checkout
    python bench/explore.py --before /tmp/w/prev     # and another (e.g. `git worktree add /tmp/w/prev HEAD~3`), with its
                                                     # defaults and with its crop set to 30 Å

Needs ../shared/data/tedgen (the images are not in the project).
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'
EXPLORER = {'res2_bilayer_1': 'StackExplorer', 'res2_bilayer_trainB': 'StackExplorer', 'rese2_bilayer': 'StackExplorer',
            'mos2_twisted': 'MoireExplorer'}   # the four real images of `vdwnb.examples.EXAMPLES` and the explorer each gets
MOVES = 6


def one(name, spec, at_field=False):
    "Figures for one image (`spec`: file, material, pixel size, explorer) with the vdwnb on sys.path (run in its own process); `at_field`: an old explorer given crop = 30 Å in px."
    import warnings; warnings.simplefilter('ignore')
    import numpy as np
    from vdwnb.io import load_image
    import vdwnb.explore as E
    try: from vdwnb.views import MoireExplorer
    except ImportError: MoireExplorer = E.MoireExplorer
    f, mat, p, kind = spec
    img = load_image(f, pixel_size=p, material=mat)
    cls = MoireExplorer if kind == 'MoireExplorer' else E.StackExplorer
    import inspect
    kw = {'crop': int(round(30.0 / p))} if at_field and 'field' not in inspect.signature(cls).parameters else {}
    t0 = time.perf_counter(); ex = cls(img, mat, **kw); build = time.perf_counter() - t0
    slider = 'twist' if kind == 'MoireExplorer' else 'Da'
    ms = []
    for v in np.linspace(0.5, 3.0, MOVES):
        t0 = time.perf_counter(); ex.sliders[slider].value = float(v * (4 if slider == 'twist' else 1)); ms.append((time.perf_counter() - t0) * 1000)
    return dict(image=name, explorer=kind, lattice_found=bool(ex.lattice_found), field_A=round(ex.shape[0] * ex.p, 1),
                px=int(ex.shape[0]), view_pixel=round(ex.p, 4), build_s=round(build, 2), update_ms_median=round(float(np.median(ms))),
                update_ms=[round(m) for m in ms], scale_bars=len(getattr(ex, 'scale_bars', [])))


def run_tree(tree=None, at_field=False):
    "Every image, each in a fresh process, with the vdwnb at `tree` (None: this checkout)."
    env = dict(os.environ, PYTHONPATH=f"{tree}:{os.environ.get('PYTHONPATH', '')}") if tree else None
    from vdwnb.examples import EXAMPLES                                    # this checkout's table of the images (the other tree may lack it)
    rows = []
    for name, kind in EXPLORER.items():
        spec = json.dumps([str(TEDGEN / EXAMPLES[name]['path']), EXAMPLES[name]['material'], EXAMPLES[name]['pixel_size'], kind])
        p = subprocess.run([sys.executable, __file__, '--one', name, '--spec', spec] + (['--at-field'] if at_field else []),
                           capture_output=True, text=True, env=env, timeout=900)
        line = [l for l in p.stdout.splitlines() if l.startswith('JSON ')]
        rows.append(json.loads(line[-1][5:]) if line else dict(image=name, error=p.stderr.strip().splitlines()[-1][-300:]))
        print(rows[-1], flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--before', help='another checkout to run beside this one'); ap.add_argument('--one', help=argparse.SUPPRESS)
    ap.add_argument('--at-field', action='store_true', help=argparse.SUPPRESS); ap.add_argument('--spec', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: print('JSON ' + json.dumps(one(a.one, json.loads(a.spec), a.at_field))); return
    if not TEDGEN.exists(): sys.exit(f'{TEDGEN} is not there: the real images are needed')
    res = dict(now=run_tree(), cores=os.cpu_count(), moves=MOVES)
    if a.before:
        import subprocess as sp
        res['before'] = run_tree(a.before)
        res['before at 30 Å'] = run_tree(a.before, at_field=True)         # the old explorer given the crop that works
        res['before_commit'] = sp.run(['git', '-C', a.before, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    res['now_commit'] = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    out = HERE / 'results' / 'explore.json'
    out.write_text(json.dumps(res, indent=1))
    cols = ('lattice_found', 'field_A', 'px', 'build_s', 'update_ms_median', 'scale_bars')
    print(f"\n{'image':32s} " + ' '.join(f'{c:>16s}' for c in cols))
    for key in ('now', 'before', 'before at 30 Å'):
        for r in res.get(key, []):
            if 'error' in r: print(f"{key + ' ' + r['image']:32.32s}  fails: {r['error'].splitlines()[-1][-110:]}"); continue
            print(f"{key + ' ' + r['image']:32.32s} " + ' '.join(f'{str(r[c]):>16s}' for c in cols))
    print('wrote', out)


if __name__ == '__main__':
    main()
