"""Benchmark of vdwnb.io.auto_calibrate: accuracy and time per image.

Cases: (1) synthetic bilayers of every material drawn at known pixel sizes (8-bit PNG round trip);
(2) the 36 TED-Gen ReS2 simulations (34.9 Å over 1024 px) and (3) the 4 experimental images in
../shared/data/tedgen (skipped when absent; their reference values are ±2 % estimates).
Writes bench/results/calibration.json and prints a table.
"""
import json, platform, sys, time
from pathlib import Path
import numpy as np
from tqdm.auto import tqdm

from vdwnb.structures import build_stack, materials, to_cartesian
from vdwnb.io import auto_calibrate, check_image, column_image

ROOT = Path(__file__).resolve().parent.parent
TEDGEN = ROOT.parent/'shared'/'data'/'tedgen'
REFERENCE = {'res2_bilayer_trainB.png': 0.038, 'res2_bilayer_1.png': 0.0445, 'rese2_bilayer.png': 0.039,
             'mos2_twisted_probably_generated.png': 0.028}

def timed(img, material):
    t = time.perf_counter(); c = auto_calibrate(img, material); return c, time.perf_counter() - t

def run():
    import imageio.v3 as iio
    rows = []
    for m in tqdm(materials(), desc='synthetic'):
        for px in (0.03, 0.06, 0.1, 0.2):
            img = column_image(build_stack(m, slips=[to_cartesian(m, (0.3, 0.55))], fov=(60, 60)), px)
            img = (255 * img / img.max()).astype(np.uint8)
            c, dt = timed(img, m)
            rows.append(dict(set='synthetic', name=f'{m}@{px}', material=m, truth=px, found=c.pixel_size, sigma=c.uncertainty,
                             anisotropy=c.anisotropy, seconds=dt, pixels=img.size))
    if TEDGEN.exists():
        for f in tqdm(sorted((TEDGEN/'simulated').glob('*.png')), desc='TED-Gen simulations'):
            c, dt = timed(check_image(iio.imread(f)), 'ReS2')
            rows.append(dict(set='tedgen-simulated', name=f.name, material='ReS2', truth=34.9 / 1024, found=c.pixel_size,
                             sigma=c.uncertainty, anisotropy=c.anisotropy, seconds=dt, pixels=1024 * 1024))
        for f in sorted((TEDGEN/'experimental').glob('*.png')):
            m = 'ReSe2' if 'rese2' in f.name else 'MoS2' if 'mos2' in f.name else 'ReS2'
            img = check_image(iio.imread(f))
            c, dt = timed(img, m)
            rows.append(dict(set='tedgen-experimental', name=f.name, material=m, truth=REFERENCE[f.name], found=c.pixel_size,
                             sigma=c.uncertainty, anisotropy=c.anisotropy, seconds=dt, pixels=img.size))
    else: print('(../shared/data/tedgen absent: only synthetic cases)')
    for r in rows: r['error_pct'] = 100 * (r['found'] / r['truth'] - 1)
    return rows

if __name__ == '__main__':
    rows = run()
    print(f"{'set':20s} {'image':38s} {'truth':>8s} {'found':>9s} {'err %':>7s} {'aniso':>7s} {'s':>5s}")
    for r in rows:
        print(f"{r['set']:20s} {r['name'][:38]:38s} {r['truth']:8.5f} {r['found']:9.5f} {r['error_pct']:7.3f} {r['anisotropy']:7.4f} {r['seconds']:5.2f}")
    summary = {}
    for s in sorted({r['set'] for r in rows}):
        e = np.array([abs(r['error_pct']) for r in rows if r['set'] == s]); t = [r['seconds'] for r in rows if r['set'] == s]
        summary[s] = dict(n=len(e), max_abs_error_pct=float(e.max()), median_abs_error_pct=float(np.median(e)),
                          within_1pct=int((e < 1).sum()), median_seconds=float(np.median(t)))
        print(f"{s:20s} n={len(e):3d}  |err| median {np.median(e):.3f} %  max {e.max():.3f} %  within 1 %: {(e < 1).sum()}/{len(e)}"
              f"  median time {np.median(t):.2f} s")
    out = ROOT/'bench'/'results'/'calibration.json'
    out.parent.mkdir(exist_ok=True)
    tmp = out.with_suffix('.json.tmp')
    tmp.write_text(json.dumps(dict(machine=dict(python=sys.version.split()[0], platform=platform.platform()),
                                   summary=summary, rows=rows), indent=1))
    tmp.replace(out)
    print('wrote', out.relative_to(ROOT))
