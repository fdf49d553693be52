"""The fit benchmark (issue 19): `vdwnb.match.StackFit` (gradient, L-BFGS) beside the refine it replaces (Nelder–Mead on −NCC
over the slips on the explorer's renders and registration — the refine of vdwnb 7bb2ee8, reproduced here without its widget class as `legacy_refine`), in one run, from the same starts.

Parts (each writes its rows into bench/results/match.json; a table is printed at the end):
- `speed`: one ReS2 bilayer refinement, 25.6 Å crop at 0.08 Å/px (320² px), 2 cores, start = the network's answer; both
  refines timed in this process after a warm-up (the first call of either pays for imports), median of `--n-speed` images.
- `accuracy`: the sets of bench/refine.py from the same network starts — the 36 TED-Gen incoSTEM simulations (another
  simulator; noise-free) and our noisy known-answer images (`simulated_example`, 18–22 dB, seeds 62 000+) of ReS2 and
  ReSe2 bilayers and ReS2 trilayers; errors group-aware, trilayers the worse interface.
- `twist`: MoS2 and WS2 bilayers (`twisted_image`, our simulator with its own imaging draws and scan jitter) at ≈ 20 dB,
  256² at 0.1 Å/px, θ uniform in 3°–57°, start = the shipped twist network's answer; seeds 64 000+.
- `coverage`: σ from `covariance()` on 200 noisy known-answer ReS2 bilayers (`simulated_example`, seeds 63 000+, never used
  in training); the fit starts at the truth moved by 3 pm; the fraction of slip components within ±1σ (goal 60–76 %).
- `crb`: σ from `covariance()` against the Cramér–Rao bound of the same image — Fisher information of the noise-free image
  at the truth for Poisson noise at the image's dose, over the same parameters — and the observed spread of the errors;
  our simulator, 0.08 Å/px, 256² px, 30 seeds (65 000+).
Own-simulator figures (`twist`, `coverage`, `crb`, the noisy sets) are labelled so; `tedgen` is the independent one.

Usage: python bench/match.py [--parts speed,accuracy,twist,coverage,crb] [--n 15] [--n-speed 5] [--n-cov 200] [--n-twist 20]
"""
import argparse, json, math, platform, sys, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.structures import get_material, slip_distance, slips_distance, canonical_slips, twist_distance, nearest_equivalent, build_stack
from vdwnb.io import load_image, pixel_size_of, resample, to_signal
from vdwnb.optics import Microscope
from vdwnb.simulate import IncoherentSimulator
from vdwnb.data import poisson_noise
from vdwnb.infer import propose
from vdwnb.match import StackFit, DEFAULT_PARAMS
from vdwnb.refine import refine
from vdwnb.verify import simulated_example, label_slips, as_result, psnr
from vdwnb.maps import twisted_image

TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen' / 'simulated'
OUT = ROOT / 'bench' / 'results' / 'match.json'

def _legacy_registered(render, exp, A, shift, untwisted):
    "The explorer's registration of vdwnb 7bb2ee8: render at `shift`, cross-correlate, render again after a large move, Fourier-shift the rest."
    from scipy import ndimage
    from vdwnb.io import register_shift
    img = render(shift)
    for _ in range(2):
        d = register_shift(img, exp)
        if untwisted: d = d - A @ np.round(np.linalg.solve(A, d))
        if np.abs(d).max() <= 1: break
        shift = shift + d; img = render(shift)
    return np.fft.ifft2(ndimage.fourier_shift(np.fft.fft2(img), np.asarray(d)[::-1])).real, shift + d

def legacy_refine(image, result, pixel_size=None, work_pixel=0.08, crop=320, maxfev=80, step=0.25, min_ncc=0.3):
    """The refine of vdwnb 7bb2ee8, reproduced here without its widget class: the explorer's crop, lattice frames and
    registration (`render_stack` + cross-correlation), a defocus × source grid, then Nelder–Mead on −NCC over the slips."""
    from scipy import optimize
    from vdwnb.explore import render_stack, to_lattice_frame, from_lattice_frame
    from vdwnb.infer import image_lattices, mirror_allowed
    from vdwnb.io import ncc
    m = get_material(result.material)
    sig = load_image(result.image if image is None else image, pixel_size=pixel_size, material=m.name)
    if pixel_size_of(sig) < work_pixel: sig = resample(sig, work_pixel)
    p, (H, W) = pixel_size_of(sig), sig.data.shape
    n = min(crop, H, W)
    a = np.asarray(sig.data[(H - n) // 2:(H - n) // 2 + n, (W - n) // 2:(W - n) // 2 + n], float)
    exp = (a - a.mean()) / max(a.std(), 1e-12)
    sides = (False, True) if not mirror_allowed(m) else (False,)
    frames = [(f, A) for f in sides for A in image_lattices(exp, m, f, pixel_size=p)] or [(False, m.cell / p)]
    sim = IncoherentSimulator(material=m.name, device='cpu')
    st = dict(shift=np.zeros(2), defocus=sim.microscope.defocus, source=sim.microscope.source_size)
    def simulate(slips, A):
        render = lambda sh: render_stack(m, len(slips) + 1, slips, np.zeros(len(slips)), exp.shape, p, A, sh, st['defocus'], st['source'], sim)
        img, st['shift'] = _legacy_registered(render, exp, A, st['shift'], True)
        return img
    def pick(slips, cand):                                                  # the explorer's _pick_frame: each from a zero shift
        def score(i): st['shift'] = np.zeros(2); return ncc(simulate(slips, frames[i][1]), exp)
        best = max(cand, key=score) if len(cand) > 1 else cand[0]
        st['shift'] = np.zeros(2); return frames[best][1]
    value = np.reshape(result.value, (-1, 2))
    pick(np.zeros_like(value), list(range(len(frames))))                    # the explorer's construction
    A = pick(value, [i for i, (f, _) in enumerate(frames) if f == bool(result.flip)] or list(range(len(frames))))
    start = ncc(simulate(value, A), exp)
    if not start >= min_ncc: return result.value, 0
    def score(d, s):
        st['defocus'], st['source'] = d, s
        return ncc(simulate(value, A), exp)
    best = max(((score(d, s), (d, s)) for d in (0, 20, 35, 50, 70) for s in (0.4, 0.6, 0.8, 1.0)), key=lambda t: t[0])[1]
    st['defocus'], st['source'] = best
    x0 = to_lattice_frame(m, value).ravel()
    f = lambda x: -ncc(simulate(from_lattice_frame(m, x.reshape(-1, 2)), A), exp)
    res = optimize.minimize(f, x0, method='Nelder-Mead', options=dict(maxfev=maxfev, initial_simplex=np.vstack([x0, x0 + step * np.eye(len(x0))]),
                                                                       xatol=0.005, fatol=1e-5))
    if not -res.fun > start: return result.value, res.nfev
    return canonical_slips(m, from_lattice_frame(m, res.x.reshape(-1, 2))), res.nfev + 20

def error_pm(material, value, truth):
    return 100 * float(np.max(slips_distance(material, np.reshape(value, (-1, 2)), np.reshape(truth, (-1, 2)))))

def both(img, material, truth, task, pixel_size=None):
    "Network, today's refine and the new refine from the same start: errors (pm) and times (s)."
    r = propose(img, material=material, task=task, pixel_size=pixel_size)
    t0 = time.perf_counter(); old, nfev = legacy_refine(img, r, pixel_size=pixel_size); t1 = time.perf_counter()
    new = refine(img, r, pixel_size=pixel_size); t2 = time.perf_counter()
    return dict(net_pm=error_pm(material, r.value, truth), legacy_pm=error_pm(material, old, truth), fit_pm=error_pm(material, new.value, truth),
                legacy_s=t1 - t0, fit_s=t2 - t1, legacy_sims=nfev, fit_kept='answer kept' in ' '.join(new.warnings))

def speed_rows(n):
    rows = []
    for i in range(n + 1):                                                       # image 0 warms both up and is not counted
        truth = np.random.default_rng(61_000 + i).uniform(0, 3, 2)
        img = twisted_image('ReS2', 0.0, slip=tuple(truth), size=320, pixel_size=0.08, seed=61_000 + i)
        row = dict(set='speed ReS2 320² at 0.08 Å/px (own simulator)', image=f'seed {61_000 + i}', warmup=i == 0, **both(img, 'ReS2', [truth], 'slip'))
        rows.append(row); print(row, flush=True)
    return rows

def accuracy_rows(n):
    rows = []
    if TEDGEN.exists():
        for f in sorted(TEDGEN.glob('*.png')):
            x, y = map(float, f.name.split('_')[:2])
            rows.append(dict(set='tedgen ReS2 (incoSTEM, another simulator)', image=f.name, **both(load_image(f, pixel_size=0.03409), 'ReS2', [(x, y)], 'slip')))
            print(rows[-1], flush=True)
    else: print('../shared/data/tedgen is absent: the TED-Gen set is skipped')
    for mat, k in (('ReS2', 2), ('ReSe2', 2), ('ReS2', 3)):
        for i in range(n):
            a, lab, q = simulated_example(mat, n_layers=k, seed=62_000 + 100 * k + i)
            res = both(a, mat, label_slips(lab), 'slip' if k == 2 else 'trilayer', pixel_size=0.1)
            rows.append(dict(set=f'noisy {mat} {"bilayer" if k == 2 else "trilayer"} (own simulator)', image=f'seed {62_000 + 100 * k + i}', psnr=q, **res))
            print(rows[-1], flush=True)
    return rows

def twist_image(material, theta, seed):
    "A twisted bilayer near 20 dB: the dose of four whose PSNR is nearest 20 dB (against the same image at 10¹² e/Å²)."
    clean = twisted_image(material, theta, size=256, pixel_size=0.1, dose=1e12, seed=seed).data
    best = min(((abs(q - 20), q, img) for img in (twisted_image(material, theta, size=256, pixel_size=0.1, dose=d, seed=seed) for d in (1e4, 3e4, 1e5, 3e5))
                for q in [float(psnr(img.data[None], clean[None])[0])]), key=lambda t: t[0])
    return best[2], best[1]

def twist_rows(n):
    rows = []
    for mat in ('MoS2', 'WS2'):
        for i in range(n):
            seed = 64_000 + i + (0 if mat == 'MoS2' else 500)
            theta = float(np.random.default_rng(seed).uniform(3, 57))
            img, q = twist_image(mat, theta, seed)
            r = propose(img, material=mat, task='twist')
            t0 = time.perf_counter(); f = refine(img, r); t1 = time.perf_counter()
            rows.append(dict(set=f'twist {mat} (own simulator, ≈20 dB)', image=f'seed {seed}', theta=theta, psnr=q, net_deg=twist_distance(mat, r.value[0], theta),
                             fit_deg=twist_distance(mat, f.value[0], theta), fit_s=t1 - t0, fit_kept='answer kept' in ' '.join(f.warnings),
                             partner_net=twist_distance(mat, r.value[0], 60 - theta) < twist_distance(mat, r.value[0], theta)))
            print(rows[-1], flush=True)
    return rows

def coverage_rows(n):
    rows, m = [], get_material('ReS2')
    for i in range(n):
        a, lab, q = simulated_example('ReS2', seed=63_000 + i)
        truth = label_slips(lab)
        start = truth + np.random.default_rng(63_000 + i).normal(0, 0.03, truth.shape) / math.sqrt(2)
        sf = StackFit(a, 'ReS2', slips=start, flip=False, pixel_size=0.1, crop=256)            # the data are never mirrored
        sf.fit()
        t0 = time.perf_counter(); cov = sf.covariance(); cov_s = time.perf_counter() - t0
        fisher = sf.covariance(blocks=0)
        sig = np.sqrt([cov.loc['slip1_x', 'slip1_x'], cov.loc['slip1_y', 'slip1_y']])
        sig_f = np.sqrt([fisher.loc['slip1_x', 'slip1_x'], fisher.loc['slip1_y', 'slip1_y']])
        d = sf.slips[0] - nearest_equivalent(m, truth[None], sf.slips)[0, 0]
        rows.append(dict(set='coverage ReS2 bilayer (own simulator)', image=f'seed {63_000 + i}', psnr=q, err_x=d[0], err_y=d[1], sigma_x=sig[0], sigma_y=sig[1],
                         fisher_x=sig_f[0], fisher_y=sig_f[1], err_pm=100 * float(np.hypot(*d)), chi2=sf.chi2_reduced, converged=sf.converged,
                         s=sf.seconds, cov_s=cov_s))
        print(rows[-1], flush=True)
    return rows

def crb_rows(n, dose=1e5, p=0.08, size=256):
    "σ from the fit's covariance vs the Cramér–Rao bound (Poisson, the true model's Fisher information over the same parameters)."
    rows, m = [], get_material('ReS2')
    sim = IncoherentSimulator(material='ReS2', pixel_size=p, device='cpu')
    for i in range(n):
        rng = np.random.default_rng(65_000 + i)
        truth = m.cell @ rng.uniform(0, 1, 2)
        at = build_stack(m, 2, slips=[truth], fov=(size * p + 12, size * p + 12))
        pos = at.positions - (6, 6, 0)
        clean = sim.render([pos], [at.numbers], (size, size))[0]
        e = dose * p * p
        noisy = poisson_noise(clean, e, torch.Generator().manual_seed(65_000 + i)).numpy()
        fit = StackFit(to_signal(noisy, p), 'ReS2', slips=[truth + rng.normal(0, 0.02, 2)], crop=size, flip=False).fit()
        cov = fit.covariance()
        ref = StackFit(to_signal(clean.numpy(), p), 'ReS2', slips=[truth], crop=size, flip=False)
        ref.fit(params=('shift', 'affine', 'defocus', 'source_size'))          # the truth's registration on the noise-free image
        J, labels = ref.jacobian(fit.fitted)
        var = np.clip(ref.simulate().ravel(), 1e-12, None) / e                 # Poisson variance per pixel, in the image's units
        C = np.linalg.pinv(J.T @ (J / var[:, None]))
        crb = math.sqrt((C[labels.index('slip1_x'), labels.index('slip1_x')] + C[labels.index('slip1_y'), labels.index('slip1_y')]) / 2)
        sig, sig_f = fit.slip_sigma(cov)[0], fit.slip_sigma(fit.covariance(blocks=0))[0]
        d = fit.slips[0] - nearest_equivalent(m, truth[None, None], fit.slips)[0, 0]
        rows.append(dict(set='crb ReS2 bilayer (own simulator, Poisson 1e5 e/Å²)', image=f'seed {65_000 + i}', sigma_pm=100 * sig, fisher_pm=100 * sig_f,
                         crb_pm=100 * crb, ratio=sig / crb, fisher_ratio=sig_f / crb, err_x_pm=100 * d[0], err_y_pm=100 * d[1]))
        print(rows[-1], flush=True)
    return rows

def summarise(df):
    out = {}
    for name, d in df.groupby('set', sort=False):
        if name.startswith('speed'):
            d = d[d.warmup != True]                                          # noqa: E712 (NaN elsewhere: object column)
            out[name] = dict(n=len(d), legacy_s=d.legacy_s.median(), fit_s=d.fit_s.median(), speedup=d.legacy_s.median() / d.fit_s.median(),
                             legacy_pm=d.legacy_pm.mean(), fit_pm=d.fit_pm.mean(), net_pm=d.net_pm.mean())
        elif 'legacy_pm' in d and d.legacy_pm.notna().any():
            out[name] = dict(n=len(d), net_mae=d.net_pm.mean(), legacy_mae=d.legacy_pm.mean(), fit_mae=d.fit_pm.mean(),
                             legacy_median=d.legacy_pm.median(), fit_median=d.fit_pm.median(), legacy_within_3pm=(d.legacy_pm <= 3).mean(),
                             fit_within_3pm=(d.fit_pm <= 3).mean(), legacy_s=d.legacy_s.median(), fit_s=d.fit_s.median(), fit_kept=d.fit_kept.mean())
        elif name.startswith('twist'):
            out[name] = dict(n=len(d), psnr=d.psnr.mean(), net_mae_deg=d.net_deg.mean(), fit_mae_deg=d.fit_deg.mean(), fit_median_deg=d.fit_deg.median(),
                             fit_within_0p05=(d.fit_deg <= 0.05).mean(), fit_s=d.fit_s.median(), fit_kept=d.fit_kept.mean())
        elif name.startswith('coverage'):
            z, zf = np.r_[d.err_x / d.sigma_x, d.err_y / d.sigma_y], np.r_[d.err_x / d.fisher_x, d.err_y / d.fisher_y]
            out[name] = dict(n=len(d), coverage_68=float((np.abs(z) <= 1).mean()), coverage_95=float((np.abs(z) <= 2).mean()),
                             fisher_only_coverage_68=float((np.abs(zf) <= 1).mean()), covariance_s=d.cov_s.median(),
                             median_sigma_pm=100 * float(np.median(np.r_[d.sigma_x, d.sigma_y])), mae_pm=d.err_pm.mean(), median_chi2=d.chi2.median(),
                             converged=d.converged.mean(), fit_s=d.s.median())
        elif name.startswith('crb'):
            out[name] = dict(n=len(d), sigma_over_crb=d.ratio.median(), fisher_part_over_crb=d.fisher_ratio.median(), median_sigma_pm=d.sigma_pm.median(),
                             median_crb_pm=d.crb_pm.median(), observed_rms_over_crb=float(np.sqrt(((d.err_x_pm ** 2 + d.err_y_pm ** 2) / 2).mean())) / d.crb_pm.median(),
                             observed_rms_pm=float(np.sqrt(((d.err_x_pm ** 2 + d.err_y_pm ** 2) / 2).mean())))
    return out

if __name__ == '__main__':
    warnings.filterwarnings('ignore')
    torch.set_num_threads(2)
    ap = argparse.ArgumentParser()
    ap.add_argument('--parts', default='speed,accuracy,twist,coverage,crb')
    ap.add_argument('--n', type=int, default=15); ap.add_argument('--n-speed', type=int, default=5)
    ap.add_argument('--n-cov', type=int, default=200); ap.add_argument('--n-twist', type=int, default=20); ap.add_argument('--n-crb', type=int, default=30)
    a = ap.parse_args()
    old = json.loads(OUT.read_text()) if OUT.exists() else {}
    rows = [r for r in old.get('rows', []) if not any(r['set'].startswith(p) for p in a.parts.split(','))
            and not (('accuracy' in a.parts) and (r['set'].startswith('tedgen') or r['set'].startswith('noisy')))]
    runs = dict(speed=lambda: speed_rows(a.n_speed), accuracy=lambda: accuracy_rows(a.n), twist=lambda: twist_rows(a.n_twist),
                coverage=lambda: coverage_rows(a.n_cov), crb=lambda: crb_rows(a.n_crb))
    for p in a.parts.split(','):
        rows += runs[p]()
        df = pd.DataFrame(rows)
        OUT.write_text(json.dumps(dict(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(), summary=summarise(df),
                                       rows=df.to_dict('records')), indent=1, default=float))
    s = summarise(pd.DataFrame(rows))
    for k, v in s.items(): print(f'{k}:', ', '.join(f'{a}={b:.3g}' if isinstance(b, float) else f'{a}={b}' for a, b in v.items()))
