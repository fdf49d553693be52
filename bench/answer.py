"""The answer benchmark (issue 20): the network's proposal (`propose`), today's `refine` of it, and the answer decided by the
fit (`vdwnb.answer.decide`: hypotheses fitted, the best likelihood kept), on the same images in one run.

Parts (rows into bench/results/answer.json; a table is printed at the end):
- `tedgen`: the 36 TED-Gen incoSTEM simulations (another simulator; slips in the file names) and their mirror images (the
  truth seen from the other side, flip=True), each noise-free and with 0.3 Å blur and Poisson noise near 20 dB.
- `own`: our structures and labels with optics outside the training ranges (defocus 35 ± 60 Å, source 1.0–1.3 Å, 5–10 %
  vacancies, drift as in training; never mirrored, so the truth is upright), and a probe the fit does not model: 2-fold
  astigmatism C12 1–4 nm and coma C21 2–6 nm at random azimuths, one focus for all depths (`aberrated_image`: an
  incoherent image Σ w(Z) δ(r − rᵢ) ⊗ |ψ|², the atoms' structure factor summed exactly over the band); seeds 66 000+;
  ReS2, ReSe2 bilayers and ReS2 trilayers. Labelled own-structures. The fit models C12 (`decide(astigmatism=True)`), not C21.
- `fresh`: the `own` sets at seeds 69 000+ (never used to set `vdwnb.answer.MAX_FOCUS`, the focus beyond which the choice is
  held undecided), `--n-own` images per set.
- `more`: the same imaging for MoTe2 bilayer slips and MoS2, WS2 twisted bilayers (3°–57°; errors over the equivalent
  twists, θ against 60° − θ), `--n-more` images per set.
- `bad`: white noise, a gradient, a checkerboard, a MoS2 image read as ReS2, a ReS2 image with its pixel size × 0.8 and × 1.5:
  warned about or refused?
- `real`: the four experimental images in ../shared/data/tedgen/experimental: hypotheses, ΔNLL, p, NCC, χ²/dof, warnings.
- `speed`: one ReS2 bilayer answer with all its hypotheses on a 1024² image, beside the network alone and the answer
  with a round probe (`astigmatism=False`) (2 cores).
Errors are group-aware (trilayers: the worse interface); "right" means the side right and the slip within 10 pm (the basin).
σ coverage on TED-Gen is also given apart for the third of its images (file index ≡ 2 mod 3) that were not used to set
`vdwnb.answer.LATTICE_ERROR` (the slip-scale term of σ): `coverage_68_held_out`.

Usage: python bench/answer.py [--parts tedgen,own,fresh,more,bad,real,speed] [--n-own 20] [--n-more 10] [--no-noisy]
'quiet' figures are over the answers that came with no warning (a warned answer is not a quiet wrong answer).
`sigma_le_0p99pm` is the share of answers whose σ (per component) is at most 0.99 pm, the largest σ at which a slip can
land within 3 pm 99 % of the time; `within_3pm_sigma_predicts` is the within-3 pm share the σs predict (mean of
1 − exp(−9 pm² / 2σ²)), to set beside the share measured.
"""
import argparse, json, math, platform, sys, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.structures import get_material, slips_distance, nearest_equivalent, canonical_twist, VdwInputError
from vdwnb.io import load_image, to_signal
from vdwnb.optics import Microscope
from vdwnb.data import DataSpec, StackDataset
from vdwnb.infer import propose
from vdwnb.answer import decide, hypotheses
from vdwnb.refine import refine
from vdwnb.verify import label_slips, psnr, verify
from vdwnb.maps import twisted_image

TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'
OUT = ROOT / 'bench' / 'results' / 'answer.json'
P_TEDGEN = 0.03409

def noisy_version(a, p, seed, blur=0.3, target=20.0):
    "`a` blurred by `blur` Å and given Poisson noise at the dose of five whose PSNR is nearest `target` dB."
    c = ndimage.gaussian_filter(np.asarray(a, float), blur / p)
    c = (c - c.min()) / max(np.ptp(c), 1e-12)
    rng = np.random.default_rng(seed)
    best = min(((abs(q - target), q, x) for lam in (3, 10, 30, 100, 300)
                for x in [rng.poisson(c * lam).astype(float)] for q in [float(psnr(x[None], c[None])[0])]), key=lambda t: t[0])
    return best[2], best[1]

def aberrated_image(lab, spec, rng, margin=6.0, astig=(10, 40), coma=(20, 60)):
    "Noisy image (2-D) of a label's atoms under a probe with 2-fold astigmatism and coma (Å ranges; what `IncoherentSimulator` cannot make)."
    from vdwnb.data import label_atoms
    from vdwnb.simulate import adf_parameters
    n, p, mic = spec.size, lab['pixel_true'], spec.microscope
    pos, num = label_atoms(lab, n, margin)
    pad = int(np.ceil(margin / p)); N = n + 2 * pad                              # atoms near the edge see no wrap-around
    k = np.fft.fftfreq(N, p); kx, ky = np.meshgrid(k, k, indexing='xy')
    lam = mic.wavelength; a, phi = lam * np.hypot(kx, ky), np.arctan2(ky, kx)
    c12, p12, c21, p21 = rng.uniform(*astig), rng.uniform(0, np.pi), rng.uniform(*coma), rng.uniform(0, 2 * np.pi)
    chi = 2 * np.pi / lam * (-0.5 * lab['defocus'] * a ** 2 + 0.5 * c12 * a ** 2 * np.cos(2 * (phi - p12)) + c21 * a ** 3 * np.cos(phi - p21) / 3)
    psi = (a <= mic.semiangle * 1e-3) * np.exp(-1j * chi)
    probe = np.abs(np.fft.ifft2(psi)) ** 2; otf = np.fft.fft2(probe / probe.sum())
    s = lab['source_size'] / (2 * np.sqrt(2 * np.log(2)))
    band = np.hypot(kx, ky) <= mic.band_limit
    g, c = adf_parameters(spec.material)
    w = c * num.astype(float) ** g / p ** 2                                      # fraction of the beam per pixel per atom
    xy = pos[:, :2] + pad * p
    inside = ((xy >= 0) & (xy < N * p)).all(1); xy, w = xy[inside], w[inside]      # atoms beyond the padded box would wrap around
    F = np.zeros((N, N), complex); iy, ix = np.nonzero(band)
    for i in range(0, len(xy), 2000):                                            # exact structure factor inside the band
        F[iy, ix] += np.exp(-2j * np.pi * (np.outer(xy[i:i + 2000, 0], kx[iy, ix]) + np.outer(xy[i:i + 2000, 1], ky[iy, ix]))).T @ w[i:i + 2000]
    img = np.fft.ifft2(F * otf * np.exp(-2 * np.pi ** 2 * s ** 2 * (kx ** 2 + ky ** 2))).real[pad:pad + n, pad:pad + n]
    e = lab['dose'] * p ** 2
    return rng.poisson(np.clip(img, 0, None) * e).astype(float) / e, dict(c12=c12, c21=c21)

def errors(m, value, truth):
    "(worst-interface error pm, component errors (k, 2) Å) over the equivalent set."
    v, t = np.reshape(value, (-1, 2)), np.reshape(truth, (-1, 2))
    d = v - nearest_equivalent(m, t[None], v)[0]
    return 100 * float(np.max(slips_distance(m, v, t))), d

def three(img, material, truth, flip_truth, task='slip', pixel_size=None, **kw):
    "Network, today's refine and the decided answer from the same proposal: errors, sides, σ, p, times."
    m = get_material(material)
    t0 = time.perf_counter(); net = propose(img, material=material, task=task, pixel_size=pixel_size); t1 = time.perf_counter()
    old = refine(img, net, pixel_size=pixel_size); t2 = time.perf_counter()
    new = decide(net, img, pixel_size=pixel_size); t3 = time.perf_counter()
    e_net, e_old = errors(m, net.value, truth)[0], errors(m, old.value, truth)[0]
    e_new, d = errors(m, new.value, truth)
    side = lambda r: None if flip_truth is None else bool(r.flip) == bool(flip_truth)
    return dict(net_pm=e_net, refine_pm=e_old, fit_pm=e_new, net_side=side(net), fit_side=side(new), p_choice=new.p_choice,
                sigma_pm=100 * float(np.max(new.sigma)), sigma_net_pm=100 * float(np.max(net.sigma)),
                z=json.dumps((d / np.reshape(new.sigma, (-1, 1))).ravel().tolist()), n_hyp=new.fit_quality['hypotheses'],
                ncc=new.fit_quality['ncc'], chi2=new.fit_quality['chi2'], focus_A=new.fit_quality['focus'], runner_up=(new.runner_up or {}).get('label', ''),
                dnll=(new.runner_up or {}).get('dnll', np.nan), net_s=t1 - t0, refine_s=t2 - t1, fit_s=t3 - t2, n_warn=len(new.warnings or []))

def tedgen_rows(noisy=True):
    rows, files = [], sorted((TEDGEN / 'simulated').glob('*.png'))
    if not files: print('../shared/data/tedgen is absent: the TED-Gen set is skipped'); return rows
    for i, f in enumerate(files):
        x, y = map(float, f.name.split('_')[:2])
        a = load_image(f, pixel_size=P_TEDGEN).data.astype(float)
        for mirrored in (False, True):
            b = a[:, ::-1].copy() if mirrored else a
            for nz in ((False, True) if noisy else (False,)):
                c, q = noisy_version(b, P_TEDGEN, 67_000 + 4 * i + 2 * mirrored + nz) if nz else (b, math.inf)
                img = to_signal(c, P_TEDGEN, title=f.name)
                row = dict(set=f'tedgen ReS2 ({"mirrored, " if mirrored else ""}{"0.3 Å blur + ≈20 dB" if nz else "noise-free"}; incoSTEM, another simulator)',
                           image=f.name, psnr=q, split='held-out' if i % 3 == 2 else 'calibration', **three(img, 'ReS2', [(x, y)], mirrored))
                rows.append(row); print({k: row[k] for k in ('set', 'image', 'net_pm', 'refine_pm', 'fit_pm', 'fit_side', 'p_choice')}, flush=True)
    return rows

def own_rows(n, seed0=66_000, tag=''):
    "Own ReS2, ReSe2 bilayers and ReS2 trilayers under both probes; `seed0` + 3000 for the validation sets (`tag` names them)."
    rows = []
    for probe, astig in (('astigmatism C12 1–4 nm and coma', (10, 40)), ('round probe, coma only', (0, 0))):
        for mat, k in (('ReS2', 2), ('ReSe2', 2), ('ReS2', 3)):
            spec = DataSpec(mat, k, size=260, pixel_size=0.1, microscope=Microscope(defocus=35.0), defocus_sd=35.0, source_range=(1.0, 1.3),
                            vacancy_range=(0.05, 0.10), pixel_jitter=0.02, contamination=0.0, occlusion=0.0, dose_range=(3e4, 3e5))
            ds = StackDataset(spec, n, seed=seed0 + 100 * k + (0 if mat == 'ReS2' else 1000))
            rng = np.random.default_rng([ds.seed, astig[1]])
            for i in range(n):
                lab = ds.labels.iloc[i].to_dict()
                img, ab = aberrated_image(lab, spec, rng, astig=astig)
                row = dict(set=f'{tag}own {mat} {"bilayer" if k == 2 else "trilayer"} (own structures; optics outside the training ranges; {probe})',
                           image=f'seed {ds.seed} #{i}', defocus=lab.get('defocus'), source=lab.get('source_size'), **ab,
                           **three(img, mat, label_slips(lab), False, 'slip' if k == 2 else 'trilayer', pixel_size=0.1))
                rows.append(row); print({k_: row[k_] for k_ in ('set', 'image', 'net_pm', 'refine_pm', 'fit_pm', 'fit_side', 'p_choice', 'n_warn')}, flush=True)
    return rows

def twist_three(img, material, truth, pixel_size):
    "Network, today's refine and the decided answer of a twisted bilayer: errors (°) over the equivalent twists, θ vs 60° − θ, σ, p, times."
    m = get_material(material)
    err = lambda v: abs(canonical_twist(m, float(np.ravel(v)[0])) - canonical_twist(m, truth))
    t0 = time.perf_counter(); net = propose(img, material=material, task='twist', pixel_size=pixel_size); t1 = time.perf_counter()
    old = refine(img, net, pixel_size=pixel_size); t2 = time.perf_counter()
    new = decide(net, img, pixel_size=pixel_size); t3 = time.perf_counter()
    partner = abs(canonical_twist(m, 60.0 - truth) - canonical_twist(m, truth))      # how far the other twist of the pair lies
    e = err(new.value)
    return dict(truth_deg=truth, net_deg=err(net.value), refine_deg=err(old.value), fit_deg=e, partner_deg=partner,
                fit_partner_right=bool(e < partner / 2) if partner > 0.5 else None, p_choice=new.p_choice, sigma_deg=float(np.max(new.sigma)),
                z=json.dumps([(canonical_twist(m, float(np.ravel(new.value)[0])) - canonical_twist(m, truth)) / float(np.max(new.sigma))]),
                n_hyp=new.fit_quality['hypotheses'], ncc=new.fit_quality['ncc'], runner_up=(new.runner_up or {}).get('label', ''),
                net_s=t1 - t0, refine_s=t2 - t1, fit_s=t3 - t2, n_warn=len(new.warnings or []))

def own_more_rows(n):
    "MoTe2 bilayer slips and MoS2, WS2 twists, imaged as `own_rows` (optics outside the training ranges)."
    rows = []
    for probe, astig in (('astigmatism C12 1–4 nm and coma', (10, 40)), ('round probe, coma only', (0, 0))):
        for mat, twist in (('MoTe2', None), ('MoS2', (3.0, 57.0)), ('WS2', (3.0, 57.0))):
            spec = DataSpec(mat, 2, size=260, pixel_size=0.1, microscope=Microscope(defocus=35.0), defocus_sd=35.0, source_range=(1.0, 1.3),
                            vacancy_range=(0.05, 0.10), pixel_jitter=0.02, contamination=0.0, occlusion=0.0, dose_range=(3e4, 3e5),
                            twist_range=twist or (0.0, 0.0))
            ds = StackDataset(spec, n, seed=66_500 + (0 if mat == 'MoTe2' else 100 if mat == 'MoS2' else 200))
            rng = np.random.default_rng([ds.seed, astig[1]])
            for i in range(n):
                lab = ds.labels.iloc[i].to_dict()
                img, ab = aberrated_image(lab, spec, rng, astig=astig)
                task = 'twist' if twist else 'slip'
                res = twist_three(img, mat, lab['twist1'], 0.1) if twist else three(img, mat, label_slips(lab), False, 'slip', pixel_size=0.1)
                row = dict(set=f'own {mat} {"twist" if twist else "bilayer"} (own structures; optics outside the training ranges; {probe})',
                           image=f'seed {ds.seed} #{i}', defocus=lab.get('defocus'), source=lab.get('source_size'), **ab, **res)
                rows.append(row); print({k_: row.get(k_) for k_ in ('set', 'image', 'net_pm', 'fit_pm', 'net_deg', 'fit_deg', 'p_choice', 'n_warn')}, flush=True)
    return rows

def png(a, name):
    "`a` written as an 8-bit PNG without a scale (a temporary file)."
    import tempfile
    from PIL import Image
    f = Path(tempfile.mkdtemp()) / (name.split(' ')[0] + '.png')
    Image.fromarray(((a - a.min()) / max(np.ptp(a), 1e-12) * 255).astype(np.uint8)).save(f); return f

def bad_rows():
    rng, rows = np.random.default_rng(68_000), []
    good = twisted_image('ReS2', 0.0, slip=(1.2, 0.6), size=320, pixel_size=0.08, seed=68_001)
    cases = [('white noise', rng.normal(size=(320, 320)), 0.08, 'ReS2'), ('gradient', np.add.outer(np.arange(320.), np.arange(320.)), 0.08, 'ReS2'),
             ('checkerboard', (np.add.outer(np.arange(320) // 8, np.arange(320) // 8) % 2).astype(float), 0.08, 'ReS2'),
             ('MoS2 read as ReS2', twisted_image('MoS2', 0.0, size=320, pixel_size=0.08, seed=68_002).data, 0.08, 'ReS2'),
             ('ReS2, pixel size × 0.8', good.data, 0.064, 'ReS2'), ('ReS2, pixel size × 1.5', good.data, 0.12, 'ReS2'),
             ('MoS2 read as ReS2, no pixel size (PNG: calibrated from the ReS2 lattice)', twisted_image('MoS2', 0.0, size=512, pixel_size=0.08, seed=68_003).data, None, 'ReS2'),
             ('ReS2, right pixel size (control)', good.data, 0.08, 'ReS2'),
             ('ReS2, no pixel size (PNG; control)', twisted_image('ReS2', 0.0, slip=(1.2, 0.6), size=512, pixel_size=0.08, seed=68_004).data, None, 'ReS2')]
    for name, a, p, mat in cases:
        try:
            if p is None: a = load_image(png(a, name), material=mat)                   # a file without a scale: the lattice calibrates it
            r = decide(propose(a, material=mat, pixel_size=p), a, pixel_size=p)
            rows.append(dict(set='bad input', image=name, outcome='warned' if r.warnings else 'answered quietly', message=' | '.join(r.warnings or [])[:300]))
            if 'control' in name: rows[-1]['set'] = 'bad input: controls'
        except VdwInputError as e: rows.append(dict(set='bad input', image=name, outcome='refused', message=str(e)[:300]))
        print(rows[-1], flush=True)
    return rows

def real_rows():
    rows = []
    for f in sorted((TEDGEN / 'experimental').glob('*.png')):
        mat = 'ReSe2' if 'rese2' in f.name else 'MoS2' if 'mos2' in f.name else 'ReS2'
        task = 'twist' if mat == 'MoS2' else 'slip'
        try:
            img = load_image(f, material=mat)
            t0 = time.perf_counter(); net = propose(img, material=mat, task=task); r = decide(net, img); s = time.perf_counter() - t0
            v = verify(img, r, progress=False).verdict if task == 'slip' else ''
            rows.append(dict(set='real (experimental images)', image=f.name, material=mat, network=np.round(net.value, 3).tolist(), flip_net=net.flip,
                             answer=np.round(r.value, 3).tolist(), flip=r.flip, p_choice=r.p_choice, runner_up=(r.runner_up or {}).get('label', ''),
                             dnll=(r.runner_up or {}).get('dnll', np.nan), ncc=r.fit_quality['ncc'], chi2=r.fit_quality['chi2'],
                             sigma_pm=100 * float(np.max(r.sigma)) if task == 'slip' else np.nan, verdict=v, seconds=s, warnings=' | '.join(r.warnings or [])[:400]))
        except VdwInputError as e: rows.append(dict(set='real (experimental images)', image=f.name, material=mat, warnings=f'refused: {e}'[:400]))
        print(rows[-1], flush=True)
    return rows

def speed_rows(n=3):
    rows = []
    for i in range(n + 1):
        img = twisted_image('ReS2', 0.0, slip=(1.2, 0.6), size=1024, pixel_size=0.08, seed=69_000 + i)
        t0 = time.perf_counter(); net = propose(img, material='ReS2'); t1 = time.perf_counter(); r = decide(net, img); t2 = time.perf_counter()
        decide(net, img, astigmatism=False); t3 = time.perf_counter()
        rows.append(dict(set='speed ReS2 bilayer 1024² at 0.08 Å/px', image=f'seed {69_000 + i}', warmup=i == 0, network_s=t1 - t0, answer_s=t2 - t0,
                         answer_round_probe_s=t1 - t0 + t3 - t2, hypotheses=r.fit_quality['hypotheses'])); print(rows[-1], flush=True)
    return rows

def held_out(d):
    "σ coverage on the TED-Gen images not used to set `LATTICE_ERROR` (file index ≡ 2 mod 3), and on those used."
    if 'split' not in d or d.split.isna().all(): return {}
    cov = lambda e: float((np.abs(np.concatenate([json.loads(s) for s in e.z])) <= 1).mean()) if len(e) else np.nan
    return dict(coverage_68_held_out=cov(d[d.split == 'held-out']), coverage_68_calibration=cov(d[d.split == 'calibration']))

def attainable(d):
    "What σ says the images allow: the share whose σ ≤ 0.99 pm (where 99 % within 3 pm is possible at all) and the within-3 pm share σ predicts."
    s = d.sigma_pm.to_numpy(float)
    return dict(sigma_le_0p99pm=float((s <= 0.99).mean()), within_3pm_sigma_predicts=float(np.mean(1 - np.exp(-9 / (2 * s ** 2)))))

def summarise(df):
    out = {}
    for name, d in df.groupby('set', sort=False):
        if name.startswith('speed'):
            d = d[d.warmup != True]                                                  # noqa: E712
            out[name] = dict(n=len(d), network_s=d.network_s.median(), answer_s=d.answer_s.median(),
                             answer_round_probe_s=d.answer_round_probe_s.median() if 'answer_round_probe_s' in d else np.nan, hypotheses=d.hypotheses.median())
        elif name.startswith('bad input'):
            out[name] = dict(n=len(d), **{k: int((d.outcome == k).sum()) for k in ('warned', 'refused', 'answered quietly')})
        elif name.startswith('real'):
            out[name] = {r.image: {k: r[k] for k in ('answer', 'flip', 'p_choice', 'runner_up', 'dnll', 'ncc', 'chi2', 'verdict') if k in r} for _, r in d.iterrows()}
        elif 'twist' in name:
            z = np.concatenate([json.loads(s) for s in d.z]); right = d.fit_deg <= 0.2; hi = d.p_choice >= 0.99; quiet = d.n_warn == 0
            pr = d.fit_partner_right.dropna()
            out[name] = dict(n=len(d), net_mae_deg=d.net_deg.mean(), refine_mae_deg=d.refine_deg.mean(), fit_mae_deg=d.fit_deg.mean(),
                             fit_median_deg=d.fit_deg.median(), fit_within_0p05deg=(d.fit_deg <= 0.05).mean(), net_within_0p05deg=(d.net_deg <= 0.05).mean(),
                             partner_right=float(pr.astype(bool).mean()) if len(pr) else np.nan, coverage_68=float((np.abs(z) <= 1).mean()),
                             p_ge_0p99=int(hi.sum()), right_when_p_ge_0p99=float(right[hi].mean()) if hi.any() else np.nan,
                             n_quiet=int(quiet.sum()), quiet_fit_mae_deg=float(d.fit_deg[quiet].mean()) if quiet.any() else np.nan,
                             net_s=d.net_s.median(), refine_s=d.refine_s.median(), fit_s=d.fit_s.median(), hypotheses=d.n_hyp.mean())
        else:
            z = np.concatenate([json.loads(s) for s in d.z]); right = (d.fit_side != False) & (d.fit_pm <= 10)     # noqa: E712
            hi = d.p_choice >= 0.99
            out[name] = dict(n=len(d), net_mae=d.net_pm.mean(), refine_mae=d.refine_pm.mean(), fit_mae=d.fit_pm.mean(),
                             net_within_3pm=(d.net_pm <= 3).mean(), refine_within_3pm=(d.refine_pm <= 3).mean(), fit_within_3pm=(d.fit_pm <= 3).mean(),
                             fit_within_6pm=(d.fit_pm <= 6).mean(), net_side_right=d.net_side.dropna().astype(bool).mean() if d.net_side.notna().any() else np.nan,
                             fit_side_right=d.fit_side.dropna().astype(bool).mean() if d.fit_side.notna().any() else np.nan,
                             coverage_68=float((np.abs(z) <= 1).mean()), **held_out(d), **attainable(d), p_ge_0p99=int(hi.sum()), right_when_p_ge_0p99=float(right[hi].mean()) if hi.any() else np.nan,
                             reliability={f'{lo:g}–{hi_:g}': [int(((d.p_choice >= lo) & (d.p_choice < hi_)).sum()), float(right[(d.p_choice >= lo) & (d.p_choice < hi_)].mean())
                                                              if ((d.p_choice >= lo) & (d.p_choice < hi_)).any() else None] for lo, hi_ in ((0, 0.5), (0.5, 0.9), (0.9, 0.99), (0.99, 1.01))},
                             warned=float((d.n_warn > 0).mean()), n_quiet=int((d.n_warn == 0).sum()),
                             quiet_fit_within_3pm=float((d.fit_pm[d.n_warn == 0] <= 3).mean()) if (d.n_warn == 0).any() else np.nan,
                             quiet_fit_mae=float(d.fit_pm[d.n_warn == 0].mean()) if (d.n_warn == 0).any() else np.nan,
                             net_s=d.net_s.median(), refine_s=d.refine_s.median(), fit_s=d.fit_s.median(), hypotheses=d.n_hyp.mean())
    return out

if __name__ == '__main__':
    warnings.filterwarnings('ignore')
    torch.set_num_threads(2)
    ap = argparse.ArgumentParser()
    ap.add_argument('--parts', default='tedgen,own,more,bad,real,speed'); ap.add_argument('--n-own', type=int, default=20)
    ap.add_argument('--n-more', type=int, default=10, help='images per MoTe2-slip / MoS2-, WS2-twist set')
    ap.add_argument('--no-noisy', action='store_true', help='TED-Gen noise-free only')
    a = ap.parse_args()
    old = json.loads(OUT.read_text()) if OUT.exists() else {}
    keep = {'tedgen': 'tedgen', 'own': 'own Re', 'fresh': 'fresh', 'more': ('own MoTe2', 'own MoS2', 'own WS2'), 'bad': 'bad', 'real': 'real', 'speed': 'speed'}
    rows = [r for r in old.get('rows', []) if not any(r['set'].startswith(keep[p]) for p in a.parts.split(','))]
    runs = dict(tedgen=lambda: tedgen_rows(not a.no_noisy), own=lambda: own_rows(a.n_own), fresh=lambda: own_rows(a.n_own, 69_000, 'fresh seeds: '), more=lambda: own_more_rows(a.n_more), bad=bad_rows, real=real_rows, speed=speed_rows)
    for p in a.parts.split(','):
        rows += runs[p]()
        OUT.write_text(json.dumps(dict(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(), summary=summarise(pd.DataFrame(rows)),
                                       rows=rows), indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o)))
    for k, v in summarise(pd.DataFrame(rows)).items(): print(f'{k}:', v)
