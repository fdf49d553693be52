"""Models and named stackings (issue 21): what ships, and whether a high-symmetry bilayer is named right.

Parts (rows into bench/results/models.json; a table is printed at the end):
- `served`: `vdwnb.infer.models()` — the 15 material × task pairs, which have a shipped model, its validation error and
  training time (from the model cards).
- `structures`: 200 random high-symmetry MoS2/WS2 bilayers as atoms (a named stacking from `stacking_slip`, a random
  lattice translate added to the slip, its twist + 0°, 120° or 240°, a random turn, mirror and move of the whole stack, 0.02 Å jitter), named by
  `stacking_of` from the positions alone. Checks the naming, not an image.
- `images`: `--n-img` noisy images per material of random named stackings from our fast simulator (labelled
  own-simulator) with optics outside the training ranges (defocus 35 ± 60 Å, source 0.8–1.2 Å), the stack turned at
  random, 5 % chalcogen vacancies, doses 2·10⁵–2·10⁶ e/Å², named by `vdwnb.named.name_stacking` (the fit; no network).
- `abtem`: the five named stackings of MoS2 and WS2 by abTEM multislice (another simulator: a real probe, channelling):
  one periodic cell scanned at 0.2 Å (inside the probe's band) and evaluated as its Fourier series on a 200² grid at
  0.1 Å/px, turned at random; defocus 35 ± 20 Å, noise ≈ 10⁶ e/Å²; named by `name_stacking`.
- `topk`: the network's top-k hypotheses (`vdwnb.answer.hypotheses(result, k)`: its answer, the other side, its largest
  view modes, swapped interfaces) on the TED-Gen incoSTEM images (another simulator; plain and mirrored, noise-free and
  0.3 Å blur + ≈ 20 dB) and on the images of bench/answer.py's `own` sets (`--n-own` per set, the same seeds: optics
  outside the training ranges, astigmatism and coma): how often the right basin (the side right, the slip within
  10 pm, trilayers the worse interface) is the first, among the first 3, or among all of them.
Seeds 71 000+ (never used elsewhere), but for `topk`, which reads bench/answer.py's sets.

Usage: python bench/models.py [--parts served,structures,images,abtem,topk] [--n-img 10] [--n-own 20]
"""
import argparse, json, math, platform, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.structures import build_stack, periodic_stack, get_material, rotation_matrix, to_cartesian
from vdwnb.stackings import named_stackings, stacking_slip, stacking_of
from vdwnb.infer import models
from vdwnb.optics import Microscope
from vdwnb.simulate import IncoherentSimulator, simulate_abtem
from vdwnb.named import name_stacking

OUT = ROOT / 'bench' / 'results' / 'models.json'
SEED = 71_000
MX2 = ('MoS2', 'WS2')


def served():
    "One row per material × task from the shipped cards."
    return [dict(part='served', **{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()})
            for r in models().to_dict('records')]


def moved(at, rng, mirror):
    "The stack turned by a random angle about its middle, mirrored (y → −y) if `mirror`, and moved: every atom, the same."
    c = at.cell.lengths()[:2] / 2
    M = rotation_matrix(rng.uniform(0, 360)) @ (np.diag([1.0, -1.0]) if mirror else np.eye(2))
    at.positions[:, :2] = (at.positions[:, :2] - c) @ M.T + c + rng.uniform(-5, 5, 2)
    return at


def structures(n=200):
    rows = []
    for i in range(n):
        rng = np.random.default_rng([SEED, i])
        mat = MX2[i % 2]; m = get_material(mat)
        st = named_stackings(mat)[rng.integers(5)]
        fov = np.array([30.0, 30.0])
        turned = replace(st, twist=st.twist + 120 * int(rng.integers(3)))       # the same stacking: the monolayer is 3-fold about its metal
        s = stacking_slip(mat, turned, centre=fov / 2) + to_cartesian(m, rng.integers(-2, 3, 2))
        at = build_stack(mat, 2, slips=s, twists=turned.twist, fov=fov, jitter=0.02, seed=int(rng.integers(1 << 30)))
        got, d, tw, _ = stacking_of(moved(at, rng, bool(rng.integers(2))), mat)[0]
        rows.append(dict(part='structures', material=mat, truth=st.name, named=got.name if got else '', pm=100 * d, right=bool(got and got.name == st.name)))
    return rows


def noisy(a, rng, dose, p):
    e = dose * p ** 2
    return rng.poisson(np.clip(a, 0, None) * e).astype(float) / e


def image_rows(n):
    rows = []
    for i in range(n * len(MX2)):
        rng = np.random.default_rng([SEED + 1, i])
        mat = MX2[i % 2]
        st = named_stackings(mat)[rng.integers(5)]
        fov, p = np.array([44.0, 44.0]), 0.1
        at = build_stack(mat, 2, slips=stacking_slip(mat, st, centre=fov / 2), twists=st.twist, fov=fov, vacancy_ratio=0.05,
                         seed=int(rng.integers(1 << 30)))
        at = moved(at, rng, False)
        at = at[np.all((at.positions[:, :2] > 6) & (at.positions[:, :2] < 38), axis=1)]
        at.positions[:, :2] -= 6; at.cell = [32.0, 32.0, at.cell[2, 2]]
        mic = Microscope(defocus=35 + rng.uniform(-60, 60), source_size=rng.uniform(0.8, 1.2))
        dose = 10 ** rng.uniform(5.3, 6.3)
        img = noisy(IncoherentSimulator(mic, pixel_size=p, material=mat, device='cpu')(at).data, rng, dose, p)
        t = time.perf_counter(); ans = name_stacking(img, mat, pixel_size=p, progress=False); dt = time.perf_counter() - t
        got = ans.stacking.split(' + ')[0]
        rows.append(dict(part='images', material=mat, truth=st.name, named=got, p_choice=ans.p_choice, runner_up=ans.runner_up,
                         dnll=ans.dnll, ncc=float(ans.table.ncc.max()), defocus=mic.defocus, source=mic.source_size, dose=dose,
                         right=st.label == got, seconds=dt, n_warn=len(ans.warnings)))
        print(rows[-1], flush=True)
    return rows


def periodic_image(cell, L, p, n, angle, shift):
    "An n×n image at p Å/px of a periodic band-limited cell image `cell` (ny, nx over L = (Lx, Ly) Å), turned by `angle` °: its Fourier series."
    ny, nx = cell.shape
    c = np.fft.fft2(cell) / cell.size
    kx, ky = np.meshgrid(np.fft.fftfreq(nx, L[0] / nx), np.fft.fftfreq(ny, L[1] / ny))
    j, i = np.meshgrid(np.arange(n) * p, np.arange(n) * p)
    xy = np.stack([j.ravel(), i.ravel()], 1) @ rotation_matrix(angle).T + shift
    out = np.zeros(len(xy))
    for a, b, cc in zip(kx.ravel(), ky.ravel(), c.ravel()):
        out += (cc * np.exp(2j * np.pi * (a * xy[:, 0] + b * xy[:, 1]))).real
    return out.reshape(n, n)


def abtem_rows():
    rows = []
    for mat in MX2:
        for j, st in enumerate(named_stackings(mat)):
            rng = np.random.default_rng([SEED + 2, j, len(mat)])
            at = periodic_stack(mat, 2, slips=stacking_slip(mat, st), twists=st.twist)   # turned about the cell origin: s = τ
            L = at.cell.lengths()[:2]
            mic = Microscope(defocus=35.0 + rng.uniform(-20, 20), source_size=0.6)
            t = time.perf_counter()
            cell = simulate_abtem(at, mic, pixel_size=0.2, progress=False).data       # 0.2 Å: within the probe's band (Nyquist 2.5 Å⁻¹ > 2.16)
            t_sim = time.perf_counter() - t
            p = 0.1
            img = noisy(periodic_image(cell, L, p, 200, rng.uniform(0, 360), rng.uniform(0, 5, 2)), rng, 1e6, p)
            t = time.perf_counter(); ans = name_stacking(img, mat, pixel_size=p, progress=False); dt = time.perf_counter() - t
            got = ans.stacking.split(' + ')[0]
            rows.append(dict(part='abtem', material=mat, truth=st.name, named=got, p_choice=ans.p_choice, runner_up=ans.runner_up,
                             dnll=ans.dnll, ncc=float(ans.table.ncc.max()), defocus=mic.defocus, right=st.label == got, seconds=dt,
                             abtem_seconds=t_sim, n_warn=len(ans.warnings)))
            print(rows[-1], flush=True)
    return rows


def _bench_answer():
    import importlib.util
    spec = importlib.util.spec_from_file_location('bench_answer', ROOT / 'bench' / 'answer.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


def rank_row(img, mat, truth, flip_truth, task, pixel_size=None):
    "The first of the network's hypotheses in the right basin (1-based; 0: none), and how many it gave."
    from vdwnb.infer import propose
    from vdwnb.answer import hypotheses
    ab, m = _bench_answer.mod, get_material(mat)
    r = propose(img, material=mat, task=task, pixel_size=pixel_size)
    hs = hypotheses(r)
    ok = [bool(h.flip) == bool(flip_truth) and ab.errors(m, h.value, truth)[0] <= 10 for h in hs]
    return dict(rank=ok.index(True) + 1 if any(ok) else 0, n_hyp=len(hs), net_pm=ab.errors(m, r.value, truth)[0])


def topk_rows(n_own):
    from vdwnb.io import load_image, to_signal
    from vdwnb.data import DataSpec, StackDataset
    from vdwnb.verify import label_slips
    ab = _bench_answer.mod = _bench_answer()
    rows = []
    for i, f in enumerate(sorted((ab.TEDGEN / 'simulated').glob('*.png'))):
        x, y = map(float, f.name.split('_')[:2])
        a = load_image(f, pixel_size=ab.P_TEDGEN).data.astype(float)
        for mirrored in (False, True):
            b = a[:, ::-1].copy() if mirrored else a
            for nz in (False, True):
                c = ab.noisy_version(b, ab.P_TEDGEN, 67_000 + 4 * i + 2 * mirrored + nz)[0] if nz else b
                rows.append(dict(part='topk', set='tedgen ReS2 bilayer (incoSTEM)', image=f.name, mirrored=mirrored, noisy=nz,
                                 **rank_row(to_signal(c, ab.P_TEDGEN, title=f.name), 'ReS2', [(x, y)], mirrored, 'slip')))
    for probe, astig in (('astigmatism', (10, 40)), ('round probe', (0, 0))):
        for mat, k in (('ReS2', 2), ('ReSe2', 2), ('ReS2', 3)):
            spec = DataSpec(mat, k, size=260, pixel_size=0.1, microscope=Microscope(defocus=35.0), defocus_sd=35.0, source_range=(1.0, 1.3),
                            vacancy_range=(0.05, 0.10), pixel_jitter=0.02, contamination=0.0, occlusion=0.0, dose_range=(3e4, 3e5))
            ds = StackDataset(spec, n_own, seed=66_000 + 100 * k + (0 if mat == 'ReS2' else 1000))
            rng = np.random.default_rng([ds.seed, astig[1]])
            for i in range(n_own):
                lab = ds.labels.iloc[i].to_dict()
                img, _ = ab.aberrated_image(lab, spec, rng, astig=astig)
                rows.append(dict(part='topk', set=f'own {mat} {"bilayer" if k == 2 else "trilayer"} ({probe}; own simulator)', image=f'seed {ds.seed} #{i}',
                                 **rank_row(img, mat, label_slips(lab), False, 'slip' if k == 2 else 'trilayer', pixel_size=0.1)))
        print(f'topk: {probe} done', flush=True)
    return rows


def summarise(df):
    out = {}
    s = df[df.part == 'served']
    if len(s): out['served'] = dict(pairs=len(s), served=int((s.model != '').sum()), shipped=', '.join(s.model[s.model != '']))
    for part in ('structures', 'images', 'abtem'):
        d = df[df.part == part]
        if not len(d): continue
        d = d.assign(right=d.right.astype(bool))                                # a column shared with the topk rows (NaN there)
        r = dict(n=len(d), right=float(d.right.mean()))
        for mat in MX2: r[f'right_{mat}'] = float(d[d.material == mat].right.mean())
        if 'p_choice' in d and d.p_choice.notna().any():
            hi = d[d.p_choice >= 0.99]
            r.update(p_ge_0p99=len(hi), right_when_p_ge_0p99=float(hi.right.mean()) if len(hi) else None,
                     median_seconds=float(d.seconds.median()), wrong=', '.join(f'{a}→{b}' for a, b in zip(d.truth[~d.right.astype(bool)], d.named[~d.right.astype(bool)])))
        out[part] = r
    for name, d in (df[df.part == 'topk'].groupby('set') if 'set' in df else []):
        out[f'topk {name}'] = dict(n=len(d), top1=float((d['rank'] == 1).mean()), top3=float(d['rank'].between(1, 3).mean()),
                                  any=float((d['rank'] > 0).mean()), mean_hypotheses=float(d.n_hyp.mean()))
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--parts', default='served,structures,images,abtem,topk'); ap.add_argument('--n-img', type=int, default=10)
    ap.add_argument('--n-own', type=int, default=20, help='images per own set for topk')
    a = ap.parse_args()
    parts = a.parts.split(',')
    old = json.loads(OUT.read_text())['rows'] if OUT.exists() else []
    rows = [r for r in old if r['part'] not in parts]
    torch.set_num_threads(2)
    if 'served' in parts: rows += served()
    if 'structures' in parts: rows += structures()
    if 'images' in parts: rows += image_rows(a.n_img)
    if 'abtem' in parts: rows += abtem_rows()
    if 'topk' in parts: rows += topk_rows(a.n_own)
    df = pd.DataFrame(rows)
    OUT.write_text(json.dumps(dict(machine=platform.processor() or platform.machine(), threads=torch.get_num_threads(),
                                   summary=summarise(df), rows=rows), indent=1, default=float))
    for k, v in summarise(df).items(): print(f'{k}:', ', '.join(f'{x}={y:.3g}' if isinstance(y, float) else f'{x}={y}' for x, y in v.items()))
