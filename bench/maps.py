"""Maps benchmark (issue 6): two-domain synthetic images (boundary position, each domain's slip), twist discrimination
θ vs 60° − θ (FFT baseline beside the twist model), map speed on a large image, motif metrics on ideal and real images.
Writes bench/results/maps.json and prints tables.

Large-area scenes (issue 24, `vdwnb.scenes.domain_scene`): 1536–4096 px at 0.1–0.2 Å/px, 3–6 curved domains, slip
gradients 2–5 pm/nm, 1 nm interfaces, 2–5 % scan distortion varying across the image, contamination, shot noise: the
calibration error without a given pixel size (part `scenes`); domains found against made, spurious domains, the
boundary's distance from the true one and each domain's slip from the map and after the fit (`scene_domains`, 1536 px
at 0.15 Å/px); slip_map time and peak memory at 2048² and 4096² in a fresh process (`map_cost`); the crops read through
`inference_body` against the network's own body, A B A B in fresh processes on one 2048² scene (`map_ab`, a ratio).

Interfaces (`interfaces`, `vdwnb.transition`): two-domain scenes of 480² px at 0.15 Å/px with interfaces made 0 (sharp),
5, 10, 15 and 20 Å wide (10–90 %), 2 % scan distortion, 3 pm/nm gradients, two doses (≈ 20 and 16 dB); the width fitted across the true boundary
(`fit_transition`, 40 Å squares, 64 Å when it retries) and through the whole chain (`slip_map` → `find_domains` → `fit_interface`),
against the truth's own local width (a tanh fitted to the made slip field along the same normal) and the map's
`interface_profile` width. Our own simulator only: no image with a known interface width from elsewhere is here.

Usage: python bench/maps.py [--pairs N] [--domains N] [--scenes N] [--scene-domains N]
       [--interfaces N] [--stride Å] [--parts domains,twist,speed,motif,real,scenes,scene_domains,map_cost,interfaces,map_ab]
"""
import argparse, json, math, platform, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.structures import slip_distance, twist_distance
from vdwnb.data import uniform_domain_slips
from vdwnb.io import load_image
from vdwnb.infer import propose, load_model, WEIGHTS
from vdwnb.maps import domain_image, twisted_image, slip_map, find_domains, fft_twist, motif_bonds, motif_metrics
from vdwnb.scenes import domain_scene
from vdwnb.io import auto_calibrate, fft_lattice_fit
from vdwnb.verify import psnr
from vdwnb.structures import VdwInputError

TEST_SEED = 90_001     # never used in training
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'
OUT = ROOT / 'bench' / 'results' / 'maps.json'

def two_domains(n, size=512):
    "Two-domain images with random slips (far enough apart to be distinct) and boundary angles: boundary and slip errors."
    rng, rows = np.random.default_rng(TEST_SEED), []
    for i in range(n):
        while True:
            s = uniform_domain_slips('ReS2', 2, rng)
            if slip_distance('ReS2', s[0], s[1]) > 0.3: break
        angle = float(rng.uniform(0, 180))
        img, tr = domain_image('ReS2', s, size=size, angle=angle, seed=TEST_SEED + i)
        t0 = time.time()
        smap = slip_map(img, material='ReS2', flip=False, progress=False)
        dom = find_domains(smap)
        dt = time.time() - t0
        xy = np.concatenate([f['xy'] for f in dom.interfaces]) if dom.interfaces else np.zeros((0, 2))
        dist = np.abs((xy - tr['point']) @ tr['normal'])
        found = dom.table[['slip1_x', 'slip1_y']].to_numpy()
        errs = [min(slip_distance('ReS2', f, t) for f in found) * 100 for t in s] if len(found) else [np.nan, np.nan]
        rows.append(dict(image=i, angle=angle, slip_a=s[0].round(3).tolist(), slip_b=s[1].round(3).tolist(), domains=len(dom.table),
                         boundary_mean_A=float(dist.mean()) if len(dist) else np.nan, boundary_max_A=float(dist.max()) if len(dist) else np.nan,
                         slip_err_a_pm=errs[0], slip_err_b_pm=errs[1], seconds=dt))
        print(rows[-1], flush=True)
    return rows

def twist_pairs(n, material='MoS2', size=256):
    "θ and 60° − θ pairs, θ ~ U(4°, 26°): FFT-baseline and model answers, and which of the pair each picks."
    rng, rows = np.random.default_rng(TEST_SEED + 1), []
    model = load_model(WEIGHTS / f'{material}_twist.pt', 'cpu')
    for i in range(n):
        th = float(rng.uniform(4, 26))
        for t in (th, 60 - th):
            img = twisted_image(material, t, size=size, seed=TEST_SEED + 2 * i + (t > 30))
            f = fft_twist(img, material)
            r = propose(img, model, tta=8)
            pick = lambda a: bool(np.isfinite(a) and twist_distance(material, a, t) < twist_distance(material, a, 60 - t))
            rows.append(dict(material=material, twist=t, fft=f, model=float(r.value[0]), model_sigma=float(r.sigma[0]),
                             fft_correct=pick(f), model_correct=pick(r.value[0]),
                             fft_err=float(abs(f - min(t, 60 - t))) if np.isfinite(f) else np.nan,
                             model_err=float(twist_distance(material, r.value[0], t))))
        print(rows[-2:], flush=True)
    return rows

def speed():
    "slip_map on large images: 1470² px at 0.04 Å/px (59 Å) and at 0.1 Å/px (147 Å)."
    out = []
    for p in (0.04, 0.1):
        img, _ = domain_image('ReS2', [(1.2, 0.6), (0.3, 1.9)], size=1470, pixel_size=p, seed=TEST_SEED)
        t0 = time.time()
        smap = slip_map(img, material='ReS2', flip=False, progress=False)
        dt = time.time() - t0
        # the naive way, timed in the same run on 16 windows and scaled to the map: resolve (TTA 8) every window on its own
        model, r = load_model(WEIGHTS / 'ReS2_slip.pt', 'cpu'), smap.metadata.vdwnb
        w = int(round(r.window / r.pixel_size)); ny, nx = smap.data.shape[1:]
        from vdwnb.io import resample
        a = resample(img, r.pixel_size).data
        propose(a[:w, :w], model, tta=8, pixel_size=r.pixel_size, flip=False)          # warm-up
        per = []
        for k in range(16):
            y, x = divmod(k * 7919 % (ny * nx), nx); y0, x0 = int(y * r.stride / r.pixel_size), int(x * r.stride / r.pixel_size)
            t1 = time.time(); propose(a[y0:y0 + w, x0:x0 + w], model, tta=8, pixel_size=r.pixel_size, flip=False); per.append(time.time() - t1)
        naive = float(np.median(per)) * ny * nx
        out.append(dict(pixels=1470, pixel_size=p, field_A=1470 * p, map_shape=[ny, nx], views=int(r.views), seconds=dt,
                        naive_tta8_seconds=naive, speedup=naive / dt, threads=torch.get_num_threads()))
        print(out[-1], flush=True)
    return out

def motif():
    "Motif metrics: ideal synthetic bilayers (bias and scatter of bond deviations) and the real ReS2/ReSe2 images."
    rows = []
    for mat, s in (('ReS2', (1.2, 0.6)), ('ReSe2', (1.4, 0.75))):
        for seed in range(3):
            img, _ = domain_image(mat, [s, s], size=600, pixel_size=0.05, seed=TEST_SEED + seed, dose=2e5)
            b = motif_bonds(img, mat, [s])
            for (L, k), g in b.groupby(['layer', 'kind']):
                rows.append(dict(image=f'synthetic {mat} seed {seed}', layer=L, kind=k, bonds=len(g), dev_mean_pm=g.deviation_pm.mean(),
                                 dev_sd_pm=g.deviation_pm.std(), turn_mean_deg=g.turn.mean()))
    for f, mat in (('res2_bilayer_1.png', 'ReS2'), ('res2_bilayer_trainB.png', 'ReS2'), ('rese2_bilayer.png', 'ReSe2')):
        p = TEDGEN / 'experimental' / f
        if not p.exists(): continue
        img = load_image(p, material=mat)
        r = propose(img, material=mat, tta=16)
        try: b = motif_bonds(img, mat, r.value, flip=bool(r.flip))
        except Exception as e: rows.append(dict(image=f, error=str(e))); continue
        for (L, k), g in b.groupby(['layer', 'kind']):
            rows.append(dict(image=f, layer=L, kind=k, bonds=len(g), dev_mean_pm=g.deviation_pm.mean(), dev_sd_pm=g.deviation_pm.std(),
                             turn_mean_deg=g.turn.mean()))
    return rows

def real():
    "Slip maps of the real images: how uniform each is (spread of the window answers), domains found."
    out = []
    for f, mat in (('res2_bilayer_1.png', 'ReS2'), ('res2_bilayer_trainB.png', 'ReS2'), ('rese2_bilayer.png', 'ReSe2')):
        p = TEDGEN / 'experimental' / f
        if not p.exists(): continue
        img = load_image(p, material=mat)
        t0 = time.time()
        smap = slip_map(img, material=mat, progress=False)
        dom = find_domains(smap, min_windows=2)
        v = smap.data[:2].reshape(2, -1).T
        out.append(dict(file=f, map_shape=list(smap.data.shape[1:]), seconds=time.time() - t0, flip=smap.metadata.vdwnb.flip,
                        domains=len(dom.table), table=dom.table.round(4).reset_index().to_dict('records'),
                        sigma_median_pm=float(np.median(smap.data[2]) * 100)))
        print(out[-1], flush=True)
    return out

def scenes(n):
    "Large-area scenes at seeds never used in training: calibration without a given pixel size (error against the scene's effective pixel size)."
    rng, rows = np.random.default_rng(TEST_SEED + 24), []
    for i in range(n):
        kw = dict(size=int(rng.choice([1536, 2048, 3072, 4096])), pixel_size=float(rng.uniform(0.1, 0.2)), n_domains=int(rng.integers(3, 7)),
                  distortion=float(rng.uniform(0.02, 0.05)), gradient=float(rng.uniform(2, 5)), interface=10.0,
                  dose=float(np.exp(rng.uniform(np.log(1.2e3), np.log(4e3)))), seed=TEST_SEED + 100 * i)
        t0 = time.time()
        img, tr = domain_scene('ReS2', **kw)
        t_scene = time.time() - t0
        clean, _ = domain_scene('ReS2', **{**kw, 'dose': 1e12})
        db = float(psnr(img.data[None], clean.data[None])[0])
        t0 = time.time()
        try:
            c = auto_calibrate(img.data, 'ReS2', name=f'scene {i}'); err, msg = c.pixel_size / tr['pixel_size'] - 1, ''
        except VdwInputError as e: c, err, msg = None, np.nan, str(e)[:100]
        whole = fft_lattice_fit(img.data, 'ReS2')                              # the whole-image FFT alone, for comparison
        rows.append(dict(**{k: v for k, v in kw.items() if k != 'seed'}, psnr_db=db, strain=tr['strain'], true_pixel=tr['pixel_size'],
                         calibrated=None if c is None else c.pixel_size, sigma=None if c is None else c.uncertainty,
                         error_pct=100 * err, whole_fft_error_pct=np.nan if whole is None else 100 * (whole['pixel_size'] / tr['pixel_size'] - 1), scene_s=t_scene, calibrate_s=time.time() - t0, error=msg))
        print(pd.DataFrame(rows[-1:]).drop(columns=['error']).round(4).to_string(header=i == 0), msg, flush=True)
    ok = [r for r in rows if r['calibrated'] is not None]
    summary = dict(n=n, calibrated=len(ok), within_0p5pct=sum(abs(r['error_pct']) <= 0.5 for r in ok),
                   max_abs_error_pct=max((abs(r['error_pct']) for r in ok), default=None),
                   median_abs_error_pct=float(np.median([abs(r['error_pct']) for r in ok])) if ok else None,
                   whole_fft_max_abs_error_pct=float(np.nanmax([abs(r.get('whole_fft_error_pct', np.nan)) for r in rows])) if any('whole_fft_error_pct' in r for r in rows) else None)
    print(summary, flush=True)
    return dict(summary=summary, rows=rows)

def _scene_kw(rng, i, size):
    "A random large-area scene's arguments (15–20 dB at these doses)."
    return dict(size=size, pixel_size=0.15, n_domains=int(rng.integers(3, 7)), distortion=float(rng.uniform(0.02, 0.05)),
                gradient=float(rng.uniform(2, 5)), interface=10.0, dose=float(np.exp(rng.uniform(np.log(1.5e3), np.log(5e3)))),
                seed=TEST_SEED + 7000 + 100 * i)

def _boundary_distance(labels, xy, pixel_size):
    "Mean distance (Å) of polyline vertices xy (Å) from the nearest boundary of a label image (image px)."
    from scipy import ndimage
    edge = (np.diff(labels, axis=0, prepend=labels[:1]) != 0) | (np.diff(labels, axis=1, prepend=labels[:, :1]) != 0)
    dt = ndimage.distance_transform_edt(~edge) * pixel_size
    ij = np.clip(np.round(xy[:, ::-1] / pixel_size).astype(int), 0, np.array(labels.shape) - 1)
    return float(dt[ij[:, 0], ij[:, 1]].mean()) if len(ij) else float('nan')

def scene_domains(n, size=1536, stride=2.0):
    "Domains of large-area scenes: found vs made, spurious, boundary distance, each domain's slip from the map and after the fit."
    from vdwnb.refine import refine_domains, merge_refined
    rng, rows = np.random.default_rng(TEST_SEED + 25), []
    for i in range(n):
        kw = _scene_kw(rng, i, size)
        img, tr = domain_scene('ReS2', **kw)
        t0 = time.time()
        smap = slip_map(img, material='ReS2', stride=stride, progress=False)
        t_map = time.time() - t0
        dom = find_domains(smap)
        t0 = time.time()
        tab = refine_domains(img, smap, dom)
        found_before = len(tab)
        dom, tab = merge_refined(dom, tab)                                  # domains the fit finds alike are one
        t_fit = time.time() - t0
        p = tr['pixel_size']
        xy = np.concatenate([f['xy'] for f in dom.interfaces]) if dom.interfaces else np.zeros((0, 2))
        # each found domain against the truth at its fitted square's centre (the slip there, gradient included)
        q = tr['distortion'].ideal(tab[['centre_x', 'centre_y']].to_numpy(float) / p)
        true_there = tr['field'](q)
        made = tr['layout'].assign(q)[0]
        map_err = [float(slip_distance('ReS2', r[['slip1_x', 'slip1_y']].to_numpy(float), t)) for (_, r), t in zip(tab.iterrows(), true_there)]
        fit_err = [float(slip_distance('ReS2', r[['refined1_x', 'refined1_y']].to_numpy(float), t)) for (_, r), t in zip(tab.iterrows(), true_there)]
        rows.append(dict(**{k: v for k, v in kw.items() if k != 'seed'}, made=kw['n_domains'], found_map=found_before, found=len(tab),
                         distinct_made_found=len(set(made.tolist())), spurious=max(0, len(tab) - len(set(made.tolist()))),
                         polylines=len(dom.interfaces), interface_nm=sum(f['length'] for f in dom.interfaces) / 10,
                         boundary_mean_A=_boundary_distance(tr['labels'], xy, p),
                         map_slip_err_pm=[100 * e for e in map_err], fit_slip_err_pm=[100 * e for e in fit_err],
                         p_choice=tab['p_choice'].round(3).tolist(), side_right=float(np.mean(~tab['flip'].astype(bool))) if 'flip' in tab else None,
                         map_flip=bool(smap.metadata.vdwnb.flip), map_s=t_map, fit_s=t_fit))
        print(pd.DataFrame(rows[-1:]).round(2).to_string(header=i == 0), flush=True)
    fe = np.concatenate([r['fit_slip_err_pm'] for r in rows]); me = np.concatenate([r['map_slip_err_pm'] for r in rows])
    summary = dict(n=n, size=size, stride=stride, found_equals_made=float(np.mean([r['found'] == r['made'] for r in rows])),
                   map_found_equals_made=float(np.mean([r['found_map'] == r['made'] for r in rows])),
                   every_made_found=float(np.mean([r['distinct_made_found'] == r['made'] for r in rows])),
                   spurious_mean=float(np.mean([r['spurious'] for r in rows])), boundary_mean_A=float(np.nanmean([r['boundary_mean_A'] for r in rows])),
                   map_slip_within_3pm=float(np.mean(me <= 3)), fit_slip_within_3pm=float(np.mean(fe <= 3)),
                   fit_slip_median_pm=float(np.nanmedian(fe)), fit_side_right=float(np.nanmean([r['side_right'] for r in rows])), map_seconds_median=float(np.median([r['map_s'] for r in rows])))
    print(summary, flush=True)
    return dict(summary=summary, rows=rows)

def _local_truth(tr, point, normal, material='ReS2', span=20.0):
    "(centre Å from `point`, 10–90 % width Å) of the made slip field along `normal`: a tanh fitted to the fraction of the way."
    from scipy.optimize import curve_fit
    from vdwnb.maps import tanh_step
    from vdwnb.structures import to_fractional, to_cartesian
    u = np.arange(-span, span + 1e-9, 0.25)
    s = tr['field'](tr['distortion'].ideal((point + u[:, None] * normal) / tr['nominal_pixel_size']))
    f = to_fractional(material, s); d = np.diff(f, axis=0)
    s = to_cartesian(material, f[0] + np.cumsum(np.r_[[np.zeros(2)], d - np.round(d)], 0))   # one continuous path
    st = s[-1] - s[0]
    try: (c, w), _ = curve_fit(tanh_step, u, (s - s[0]) @ st / (st @ st), p0=(0.0, 5.0), maxfev=4000)
    except RuntimeError: return float('nan'), float('nan')
    return float(c), abs(float(w))

def interfaces(n, size=480):
    "Interface widths by the fit (`vdwnb.transition`) on two-domain scenes, from the true line and through the whole chain, against the made width."
    from vdwnb.transition import boundary_line, fit_transition, fit_interface
    from vdwnb.maps import interface_profile
    rows, widths = [], (0.0, 5.0, 10.0, 15.0, 20.0)
    for i in range(n):
        w, dose = widths[i % len(widths)], (5e3, 2e3)[(i // len(widths)) % 2]             # ≈ 20 and 16 dB
        kw = dict(size=size, pixel_size=0.15, n_domains=2, distortion=0.02, gradient=3.0, interface=w, contamination=False, seed=TEST_SEED + 9000 + i)
        img, tr = domain_scene('ReS2', dose=dose, **kw)
        db = float(psnr(img.data[None], domain_scene('ReS2', dose=1e12, **kw)[0].data[None])[0])
        p, lab = tr['pixel_size'], tr['labels']
        pt, nrm = boundary_line(lab, p, (size / 2 * p, size / 2 * p))
        c0, w_true = _local_truth(tr, pt, nrm)
        lo, hi = int(lab.min()), int(lab.max())
        t0 = time.time()
        f = fit_transition(img, "ReS2", tr["slips"][lo], tr["slips"][hi], pt, nrm)
        t1 = time.time()
        sw = f.width_sigma()
        row = dict(made_A=w, dose=dose, psnr_db=db,
                   local_truth_A=w_true, fit_A=f.width, fit_sigma_A=sw, fit_ncc=f.ncc(), fit_chi2=f.chi2_reduced, fit_s=t1 - t0, fit_warned=bool(f.warnings),
                   slip_a_err_pm=100 * float(slip_distance('ReS2', f.slips[0], tr['slips'][lo])), slip_b_err_pm=100 * float(slip_distance('ReS2', f.slip_b[0], tr['slips'][hi])))
        try:
            dom = find_domains(slip_map(img, material='ReS2', window=25.0, stride=4.0, progress=False))
            g = fit_interface(img, dom) if dom.interfaces else None
            row.update(chain_A=g.width if g else float('nan'), chain_domains=len(dom.table), chain_warned=bool(g.warnings) if g else None, map_width_A=interface_profile(dom).width_map if dom.interfaces else float('nan'),
                       chain_s=time.time() - t1)
        except VdwInputError as e: row.update(chain_A=float('nan'), chain_error=str(e)[:200])
        rows.append(row); print({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    d = pd.DataFrame(rows)
    err = lambda col: (d[col] - d.local_truth_A).abs()
    summary = dict(n=n, size=size, pixel_size=0.15,
                   by_width={f'{w:g}': dict(n=int((d.made_A == w).sum()), local_truth_A=float(d.local_truth_A[d.made_A == w].median()),
                                            fit_median_abs_err_A=float(err('fit_A')[d.made_A == w].median()), fit_within_3A=float((err('fit_A')[d.made_A == w] <= 3).mean()),
                                            chain_median_abs_err_A=float(err('chain_A')[d.made_A == w].median()), chain_within_3A=float((err('chain_A')[d.made_A == w] <= 3).mean()),
                                            map_width_median_A=float(d.map_width_A[d.made_A == w].median())) for w in widths},
                   fit_within_3A=float((err('fit_A') <= 3).mean()), chain_within_3A=float((err('chain_A') <= 3).mean()),
                   fit_quiet_within_3A=float((err('fit_A')[~d.fit_warned] <= 3).mean()), fit_warned=int(d.fit_warned.sum()),
                   sigma_coverage_68=float((err('fit_A') <= d.fit_sigma_A).mean()), fit_seconds_median=float(d.fit_s.median()))
    print(summary, flush=True)
    return dict(summary=summary, rows=rows)

MAP_CHILD = """
import json, sys, time, numpy as np, torch
torch.set_num_threads(2)
import vdwnb.maps, vdwnb.infer
from vdwnb.maps import slip_map
if len(sys.argv) > 4 and sys.argv[4] == 'plain':       # the network's own body, as before inference_body (for map_ab)
    vdwnb.maps.features = lambda net, x, body=None: vdwnb.infer.features(net, x)
a = np.load(sys.argv[1]); t = time.time()
smap = slip_map(a, pixel_size=float(sys.argv[2]), stride=float(sys.argv[3]), material='ReS2', flip=False, progress=False)
hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0] / 1024   # this process's peak (ru_maxrss keeps the parent's)
print(json.dumps(dict(seconds=time.time() - t, peak_mb=hwm, shape=list(smap.data.shape))))
"""

def map_cost(sizes=(2048, 4096), stride=2.0):
    "slip_map time and peak memory (a fresh process each, 2 threads) on large-area scenes at 0.15 Å/px."
    import subprocess, tempfile
    out = []
    for size in sizes:
        img, tr = domain_scene('ReS2', size=size, pixel_size=0.15, n_domains=4, seed=TEST_SEED + size)
        with tempfile.TemporaryDirectory() as d:
            f = f'{d}/scene.npy'; np.save(f, img.data)
            r = subprocess.run([sys.executable, '-c', MAP_CHILD, f, str(tr['pixel_size']), str(stride)], capture_output=True, text=True)
        if r.returncode: print(r.stderr[-2000:]); continue
        out.append(dict(pixels=size, pixel_size=0.15, field_A=size * 0.15, stride=stride, **json.loads(r.stdout.strip().splitlines()[-1])))
        print(out[-1], flush=True)
    return out

def map_ab(size=2048, pairs=2, stride=2.0):
    "slip_map time with the crops read through `inference_body` (A) and through the network's own body (B), in turn A B A B in fresh processes."
    import subprocess, tempfile
    img, tr = domain_scene('ReS2', size=size, pixel_size=0.15, n_domains=4, seed=TEST_SEED + size)
    out = []
    with tempfile.TemporaryDirectory() as d:
        f = f'{d}/scene.npy'; np.save(f, img.data)
        for k in range(pairs):
            row = dict(pair=k, pixels=size, stride=stride)
            for body in ('fused', 'plain'):
                r = subprocess.run([sys.executable, '-c', MAP_CHILD, f, str(tr['pixel_size']), str(stride), body], capture_output=True, text=True)
                if r.returncode: print(r.stderr[-2000:]); break
                row[f'{body}_seconds'] = json.loads(r.stdout.strip().splitlines()[-1])['seconds']
            row['ratio'] = row.get('plain_seconds', np.nan) / row.get('fused_seconds', np.nan)
            out.append(row); print(row, flush=True)
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pairs', type=int, default=50); ap.add_argument('--domains', type=int, default=8); ap.add_argument('--scenes', type=int, default=20); ap.add_argument('--scene-domains', type=int, default=8)
    ap.add_argument('--interfaces', type=int, default=20)
    ap.add_argument('--stride', type=float, default=2.0, help="map step, Å, of scene_domains and map_cost (other than 2: stored as '<part>_stride<S>' beside the default's)")
    ap.add_argument('--parts', default='domains,twist,speed,motif,real,scenes,scene_domains,map_cost,interfaces,map_ab')
    a = ap.parse_args(); parts = a.parts.split(',')
    sfx = '' if a.stride == 2.0 else f'_stride{a.stride:g}'
    res = json.loads(OUT.read_text()) if OUT.exists() else {}
    res.update(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(), test_seed=TEST_SEED)
    run = {'domains': ('two_domains', lambda: two_domains(a.domains)),
           'twist': ('twist_pairs', lambda: twist_pairs(a.pairs, 'MoS2') + twist_pairs(max(10, a.pairs // 2), 'WS2')),
           'speed': ('speed', speed), 'motif': ('motif', motif), 'real': ('real_maps', real), 'scenes': ('scenes', lambda: scenes(a.scenes)),
           'scene_domains': ('scene_domains' + sfx, lambda: scene_domains(a.scene_domains, stride=a.stride)),
           'map_cost': ('map_cost' + sfx, lambda: map_cost(stride=a.stride)),
           'interfaces': ('interfaces', lambda: interfaces(a.interfaces)), 'map_ab': ('map_ab' + sfx, lambda: map_ab(stride=a.stride))}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for part, (key, f) in run.items():
        if part in parts:
            res[key] = f()
            OUT.write_text(json.dumps(res, indent=1, default=float))                   # after every part: a stopped run keeps what it measured
    if res.get('two_domains'):
        d = pd.DataFrame(res['two_domains'])
        print('\nTwo-domain images (512² px, 0.15 Å/px):'); print(d[['angle', 'domains', 'boundary_mean_A', 'boundary_max_A', 'slip_err_a_pm', 'slip_err_b_pm', 'seconds']].round(2).to_string())
    if res.get('twist_pairs'):
        t = pd.DataFrame(res['twist_pairs'])
        print('\nθ vs 60° − θ discrimination:')
        print(t.groupby('material').agg(images=('twist', 'size'), fft_accuracy=('fft_correct', 'mean'), fft_found=('fft', lambda x: np.isfinite(x).mean()),
                                         fft_mae_folded=('fft_err', 'mean'), model_accuracy=('model_correct', 'mean'), model_mae=('model_err', 'mean')).round(3).to_string())
    for k in ('speed', 'motif', 'real_maps'):
        if res.get(k): print(f'\n{k}:'); print(pd.DataFrame(res[k]).drop(columns=['table'], errors='ignore').round(2).to_string())

if __name__ == '__main__':
    main()
