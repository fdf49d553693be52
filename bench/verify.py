"""Verification benchmark (issue 6, part 1): does `vdwnb.verify` pass correct answers and fail wrong ones?

Known answers: noisy simulated bilayers (ReS2, ReSe2; PSNR 18–22 dB, 26 Å field at 0.1 Å/px, random orientation, scan
distortion, pixel-size error ≤ 5 %), each checked with its true slip and with the true slip moved by 0.3 Å in a random
direction; both comparison modes ('resim': fitted image vs fitted re-simulation, 'centroid': fitted image vs predicted
column centroids). Real images: `propose` + `verify` on ../shared/data/tedgen/experimental (skipped when absent).
Writes bench/results/verify.json and prints tables (motif misfit and RMS in pm, correlation, verdict, time per image).

Usage: python bench/verify.py [--n 20] [--parts known,real] [--modes resim,centroid] [--reuse]
(bench/results/verify_modes.json: the run that compared the two modes, before the 'undetermined' verdict existed.)
"""
import argparse, json, platform, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.verify import verify, simulated_example, label_slips, as_result, THRESHOLD_PM
from vdwnb.structures import slip_distance, VdwInputError

BENCH_SEED = 61_000        # never used by the notebook's examples (seeds 3, 5) nor by training (0..) or bench/infer.py (90 001)
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen' / 'experimental'
OUT = ROOT / 'bench' / 'results' / 'verify.json'
REAL = (('res2_bilayer_1.png', 'ReS2'), ('res2_bilayer_trainB.png', 'ReS2'), ('rese2_bilayer.png', 'ReSe2'))

def off_slip(material, s, rng, d=0.3):
    "The slip `s` moved by `d` Å in a random direction whose result is `d` from every equivalent of `s` (not a near-equivalent)."
    while True:
        phi = rng.uniform(0, 2 * np.pi)
        o = s + d * np.array([np.cos(phi), np.sin(phi)])
        if slip_distance(material, o, s) > 0.97 * d: return o

def cached_rows():
    "Rows of the last run, by (material, image, answer, mode, slips)."
    if not OUT.exists(): return {}
    rows = json.loads(OUT.read_text()).get('known_rows', [])
    return {(r['material'], r['image'], r['answer'], r['mode'], *np.round([r[k] for k in ('slip1_x', 'slip1_y')], 6)): r
            for r in rows if r.get('slip1_x') is not None}

def known_answers(material, n, modes, cache={}):
    "One row per (image, answer, mode): the verification figures of the true slip and of the slip 0.3 Å off."
    rows = []
    for i in range(n):
        img, lab, q = simulated_example(material, size=260, seed=BENCH_SEED + i)
        true = label_slips(lab)
        off = off_slip(material, true[0], np.random.default_rng([BENCH_SEED, i]))[None]
        for answer, s in (('true', true), ('off 0.3 Å', off)):
            for mode in modes:
                key = (material, i, answer, mode, *np.round(s.ravel(), 6))
                if key in cache: rows.append(cache[key]); continue      # --reuse: the same image, answer and mode as last run
                try: v = verify(img, as_result(material, s, source=f'{material} #{i}'), pixel_size=0.1, mode=mode, progress=False)
                except VdwInputError as e:          # counted, not hidden: the check could not run on this image
                    rows.append(dict(material=material, image=i, psnr=q, answer=answer, mode=mode, error=str(e))); continue
                rows.append(dict(material=material, image=i, psnr=q, answer=answer, mode=mode,
                                 slip_error_pm=100 * float(slip_distance(material, s[0], true[0])), **v.to_row().drop(['source', 'material', 'mode']).to_dict()))
        print(f'{material} #{i} (PSNR {q:.1f} dB): ' + '; '.join(f"{r['answer']} {r['mode']}: " + (f"motif {r['motif_pm']:.1f} rms {r['rms_pm']:.1f} pm "
              f"{r['verdict']}" if 'error' not in r else 'no lattice found') for r in rows[-2 * len(modes):]), flush=True)
    return rows

def summary(df):
    "Per material, mode and answer: median / max of the figures and the fraction judged consistent (images the check could not run on: `failed`)."
    failed = df[df.motif_pm.isna()].groupby(['material', 'mode', 'answer']).size().rename('failed')
    g = df.dropna(subset=['motif_pm']).groupby(['material', 'mode', 'answer'])
    return g.agg(n=('motif_pm', 'size'), psnr=('psnr', 'median'), motif_median=('motif_pm', 'median'), motif_max=('motif_pm', 'max'),
                 motif_min=('motif_pm', 'min'), rms_median=('rms_pm', 'median'), rms_max=('rms_pm', 'max'), rms_min=('rms_pm', 'min'),
                 corr_median=('correlation', 'median'), consistent=('consistent', 'mean'),
                 inconsistent=('verdict', lambda v: (v == 'inconsistent').mean()), undetermined=('verdict', lambda v: (v == 'undetermined').mean()), seconds=('seconds', 'median')).join(failed).fillna({'failed': 0}).reset_index()

def separation(df):
    "Per material and mode: the largest figure of a true answer and the smallest of a wrong one (where a threshold can go)."
    out = []
    for (mat, mode), d in df.dropna(subset=['motif_pm']).groupby(['material', 'mode']):
        t, w = d[d.answer == 'true'], d[d.answer != 'true']
        out.append(dict(material=mat, mode=mode, motif_true_max=t.motif_pm.max(), motif_off_min=w.motif_pm.min(),
                        rms_true_max=t.rms_pm.max(), rms_off_min=w.rms_pm.min(),
                        errors_at_threshold=int((t.motif_pm > THRESHOLD_PM).sum() + (w.motif_pm <= THRESHOLD_PM).sum()),
                        wrong_verdicts=int((t.verdict == 'inconsistent').sum() + (w.verdict == 'consistent').sum()),
                        undetermined=int((d.verdict == 'undetermined').sum())))
    return pd.DataFrame(out)

def real_images():
    "`propose` (shipped model, 16 views) then `verify` on the file itself, per experimental image."
    from vdwnb.infer import propose
    from vdwnb.io import load_image
    rows = []
    if not TEDGEN.exists():
        print(f'{TEDGEN} is absent: real images skipped'); return rows
    for f, mat in REAL:
        if not (TEDGEN / f).exists(): continue
        img = load_image(TEDGEN / f, material=mat)
        t = time.perf_counter(); r = propose(img, material=mat, tta=16, device='cpu'); t_resolve = time.perf_counter() - t
        v = verify(img, r, progress=False)
        print(r); print(v, flush=True)
        rows.append(dict(file=f, pixel_size_file=float(img.axes_manager[0].scale), resolve_s=t_resolve,
                         sigma_pm=float(100 * r.sigma[0]), ood=float(r.ood), **v.to_row().to_dict(), warnings=v.warnings))
    return rows

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=20); ap.add_argument('--parts', default='known,real')
    ap.add_argument('--modes', default='resim,centroid')
    ap.add_argument('--reuse', action='store_true', help='reuse rows of the last run for the same image, answer and mode')
    a = ap.parse_args()
    torch.set_num_threads(2)
    out = json.loads(OUT.read_text()) if OUT.exists() else {}
    out.update(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(), bench_seed=BENCH_SEED,
               threshold_pm=THRESHOLD_PM)
    if 'known' in a.parts:
        df = pd.DataFrame([r for m in ('ReS2', 'ReSe2') for r in known_answers(m, a.n, a.modes.split(','), cached_rows() if a.reuse else {})])
        s, sep = summary(df), separation(df)
        print(s.round(2).to_string(index=False)); print(sep.round(2).to_string(index=False))
        out.update(known_summary=s.round(3).to_dict('records'), known_separation=sep.round(3).to_dict('records'),
                   known_rows=df.round(4).to_dict('records'))
    if 'real' in a.parts:
        rows = real_images()
        if rows:
            print(pd.DataFrame(rows)[['file', 'material', 'slip1_x', 'slip1_y', 'flip', 'rms_pm', 'motif_pm', 'correlation', 'n_matched', 'verdict',
                                      'n_unmatched', 'n_extra', 'consistent', 'seconds']].round(3).to_string(index=False))
        out['real'] = rows
    OUT.parent.mkdir(exist_ok=True, parents=True)
    OUT.write_text(json.dumps(out, indent=1, default=lambda o: o.tolist() if hasattr(o, 'tolist') else str(o)))
    print('wrote', OUT)

if __name__ == '__main__':
    main()
