"""Refinement benchmark (issue 8): the network's slip answer vs the same answer polished by `vdwnb.refine.refine`.

Two test sets the models never saw:
- `tedgen`: the 36 TED-Gen reference simulations (incoSTEM, another simulator than ours; noise-free, 1024² at 0.03409 Å/px,
  bilayer ReS2, slips in the file names, Cartesian Å). Skipped when ../shared/data/tedgen is absent.
- `noisy`: our own noisy known-answer images (`vdwnb.verify.simulated_example`, PSNR 18–22 dB, 260² px at 0.1 Å/px with
  up to 5 % pixel-size error and scan distortion; seeds 62 000+, never used in training): ReS2 and ReSe2 bilayers, ReS2 trilayers.
Errors are group-aware (modulo the equivalent set); trilayers: the worse interface. `flagged`: refine's warning that the
fit moved the answer by more than 3σ of the network; `bad_flagged`: of the refined answers more than 10 pm off, how many. Writes bench/results/refine.json.

Usage: python bench/refine.py [--n 15] [--parts tedgen,noisy]
"""
import argparse, json, platform, sys, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.io import load_image
from vdwnb.infer import propose
from vdwnb.refine import refine
from vdwnb.verify import simulated_example, label_slips
from vdwnb.structures import slip_distance, slips_distance

TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen' / 'simulated'
SEED = 62_000

def error_pm(material, value, truth):
    if len(truth) == 1: return 100 * slip_distance(material, value[0], truth[0])
    return 100 * float(np.max(slips_distance(material, value, truth)))

def one(img, material, truth, task, pixel_size=None):
    t = time.perf_counter(); r = propose(img, material=material, task=task, pixel_size=pixel_size); t1 = time.perf_counter()
    f = refine(img, r, pixel_size=pixel_size); t2 = time.perf_counter()
    return dict(net_pm=error_pm(material, r.value, truth), refined_pm=error_pm(material, f.value, truth),
                sigma_pm=100 * float(np.max(r.sigma)), kept='answer kept' in ' '.join(f.warnings),
                flagged='more than 3σ' in ' '.join(f.warnings), net_s=t1 - t, refine_s=t2 - t1)

def tedgen_rows(n):
    rows = []
    for f in sorted(TEDGEN.glob('*.png'))[:n]:
        x, y = map(float, f.name.split('_')[:2])
        rows.append(dict(set='tedgen ReS2 (incoSTEM)', image=f.name, **one(load_image(f, pixel_size=0.03409), 'ReS2', [(x, y)], 'slip')))
        print(rows[-1], flush=True)
    return rows

def noisy_rows(n):
    rows = []
    for mat, k in (('ReS2', 2), ('ReSe2', 2), ('ReS2', 3)):
        for i in range(n):
            a, lab, q = simulated_example(mat, n_layers=k, seed=SEED + 100 * k + i)
            res = one(a, mat, label_slips(lab), 'slip' if k == 2 else 'trilayer', pixel_size=0.1)
            rows.append(dict(set=f'noisy {mat} {"bilayer" if k == 2 else "trilayer"}', image=f'seed {SEED + 100 * k + i}', psnr=q, **res))
            print(rows[-1], flush=True)
    return rows

def summary(df):
    g = df.groupby('set')
    return pd.DataFrame(dict(n=g.size(), net_mae=g.net_pm.mean(), net_median=g.net_pm.median(), refined_mae=g.refined_pm.mean(),
                             refined_median=g.refined_pm.median(), refined_within_3pm=g.refined_pm.apply(lambda e: (e <= 3).mean()),
                             refined_within_sigma=g.apply(lambda d: (d.refined_pm <= d.sigma_pm).mean()),
                             net_within_sigma=g.apply(lambda d: (d.net_pm <= d.sigma_pm).mean()),
                             kept=g.kept.mean(), flagged=g.flagged.mean(),
                             bad_flagged=g.apply(lambda d: f'{int((d.flagged & (d.refined_pm > 10)).sum())}/{int((d.refined_pm > 10).sum())}'),
                             refine_s=g.refine_s.median()))

if __name__ == '__main__':
    warnings.filterwarnings('ignore')
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=15); ap.add_argument('--parts', default='tedgen,noisy')
    a = ap.parse_args()
    rows = []
    if 'tedgen' in a.parts:
        if TEDGEN.exists(): rows += tedgen_rows(36)
        else: print('../shared/data/tedgen is absent: the tedgen part is skipped')
    if 'noisy' in a.parts: rows += noisy_rows(a.n)
    df = pd.DataFrame(rows); s = summary(df)
    out = ROOT / 'bench' / 'results' / 'refine.json'
    out.write_text(json.dumps(dict(machine=platform.processor() or platform.machine(), seed=SEED, summary=s.reset_index().to_dict('records'),
                                   rows=df.to_dict('records')), indent=1, default=float))
    with pd.option_context('display.width', 200): print(s.round(2).to_string())
