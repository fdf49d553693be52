"""Trident generator benchmark (CPU): speed, realism against held-out experimental crops, label preservation,
the reference generator's outputs and the ablation table. Writes bench/results/trident.json (+ trident.png).

Needs the trained runs: python bench/trident_train.py  (≈ 10 min per run on 2 cores; resumable).
"""
import json, math, platform, sys, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'bench'))
from trident_train import RUNS, config, TEDGEN, SEED
from vdwnb.data import DataSpec, StackDataset, CANONICAL_PIXEL
from vdwnb.io import to_signal, resample
from vdwnb.trident import TridentConfig, TridentGenerator, train_trident, tedgen_experiments, default_sim_source, holdout_crops
from vdwnb.trident import _Domains
from vdwnb.realism import realism, label_shift, matched_degradation, select_generator

P, CROP = CANONICAL_PIXEL, 96
LAB_SIZE, N_LAB, K_FULL, K_ABLATION = 256, 200, 8, 4   # label preservation: 200 images 256², K translations each
METRICS = ['spectrum', 'histogram', 'noise', 'kid']
BENCH_RUNS = ['full', 'full_s1', 'no_real', 'no_fft', 'no_label', 'label_x5', 'skip_w1', 'full_2400', 'noise', 'noskip', 'noskip_s1']
SELECTION_SEED = 31337   # simulations for choosing among training seeds (never the evaluation's 777 / 4242)

def run_config(name): return config(name[:-3] if name.endswith('_s1') else name)

def load_run(name, train):
    "A trained run's generator, with its intensity map fitted (and saved) if the run predates `fit_tone`."
    d = ROOT / 'bench' / 'runs' / 'trident' / name
    tg = TridentGenerator.load(d, 'cpu')
    if tg.tone is None:
        seed = 1 if name.endswith('_s1') else SEED
        tg.fit_tone(_Domains(default_sim_source(tg.config.size), train, tg.config, seed).a(64), train, seed=seed)
        tg.save(d / 'generator.pt')
    return tg

def sims(n, size, seed):
    "Noise-free standardised ReS2 and ReSe2 bilayers (half each), a seed the training never used."
    return torch.cat([StackDataset(DataSpec(m, 2, size=size), n // 2, seed, augment=False).batch(range(n // 2))[0][:, 0]
                      for m in ('ReS2', 'ReSe2')])

def tedgen_pairs():
    "The reference generator's 36 (input simulation, translation) pairs, resampled to the working sampling."
    out = []
    for g in sorted((TEDGEN / 'ted_generated').glob('*.png')):
        s = TEDGEN / 'simulated' / (g.stem.rsplit('_', 1)[0] + '.png')
        a, b = (resample(to_signal(np.asarray(Image.open(f).convert('L'), np.float32), 0.03409), P).data for f in (s, g))
        out.append(((a - a.mean()) / a.std(), (b - b.mean()) / b.std()))
    return out

def timing(tg):
    x = torch.randn(1, 1024, 1024)
    tg.translate(x)
    ts = []
    for _ in range(3):
        t = time.perf_counter(); tg.translate(x); ts.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as d:
        train, _ = tedgen_experiments(TEDGEN / 'experimental')
        cfg = TridentConfig.cpu(steps=25, checkpoint_every=1000)
        train_trident(default_sim_source(cfg.size), train, TridentConfig.cpu(steps=5, checkpoint_every=1000), d + '/warm', progress=False)
        t = time.perf_counter(); train_trident(default_sim_source(cfg.size), train, cfg, d + '/t', progress=False)
        steps_s = 25 / (time.perf_counter() - t)
    return dict(translate_1024_s=float(np.median(ts)), train_steps_per_s=steps_s)

def summary(df):
    q = lambda c, f: float(getattr(df[c], f)()) if f != 'p95' else float(df[c].quantile(0.95))
    return dict(column_rms_pm_median=q('column_rms_pm', 'median'), column_rms_pm_mean=q('column_rms_pm', 'mean'),
                column_rms_pm_p95=q('column_rms_pm', 'p95'), column_rms_single_pm_median=q('column_rms_single_pm', 'median'),
                shift_pm_median=q('shift_pm', 'median'), lattice_rel_median=q('lattice_rel', 'median'),
                lattice_rel_p95=q('lattice_rel', 'p95'), lattice_rel_max=q('lattice_rel', 'max'),
                lattice_fft_rel_median=q('lattice_fft_rel', 'median'), lattice_fft_rel_p95=q('lattice_fft_rel', 'p95'),
                lost_columns_mean=q('lost_columns', 'mean'), n_columns_mean=q('n_columns', 'mean'), n=len(df), draws=int(df.n_draws.iloc[0]))

def draws(fn, k): return torch.stack([fn(i) for i in range(k)], 1)   # (B, K, H, W)

def main():
    if not TEDGEN.exists(): sys.exit(f'{TEDGEN} is absent.')
    torch.set_num_threads(2)
    train, held = tedgen_experiments(TEDGEN / 'experimental')
    exp_crops = holdout_crops(held, CROP, stride=CROP // 2)
    train_crops = holdout_crops(train, CROP)
    gens = {n: load_run(n, train) for n in (sys.argv[1:] or BENCH_RUNS) if (ROOT / 'bench' / 'runs' / 'trident' / n / 'generator.pt').exists()}
    if 'full' not in gens: sys.exit('No trained run: python bench/trident_train.py first.')
    # the selection protocol: among the training seeds of the shipped config, keep the one that beats the matched baseline
    # by the widest margin on crops of the *training* experiments; the held-out crops below judge the choice
    cands = {n: gens[n] for n in ('full', 'full_s1') if n in gens}
    chosen, sel_table = select_generator(cands, sims(120, CROP, SELECTION_SEED), train, P)
    print('seed selection (training crops):\n', sel_table.round(4).to_string(), '\nchosen:', chosen, flush=True)
    real_in, lab_in = sims(120, CROP, 777), sims(N_LAB, LAB_SIZE, 4242)
    matched, sigma, snr = matched_degradation(real_in, train_crops, P, seed=1)
    sets = {'raw simulation': real_in, 'simulation + matched blur/noise': matched}
    labels = {'simulation + matched blur/noise': summary(label_shift(
        lab_in, draws(lambda i: matched_degradation(lab_in, train_crops, P, seed=100 + i)[0], K_FULL), P))}
    for n, tg in gens.items():
        sets[f'Trident ({n})'] = tg.translate(real_in[:, None], seed=5)[:, 0]
        k = K_FULL if n == chosen else K_ABLATION
        labels[f'Trident ({n})'] = summary(label_shift(lab_in, draws(lambda i: tg.translate(lab_in[:, None], seed=200 + i)[:, 0], k), P))
        print(n, labels[f'Trident ({n})'], flush=True)
    pairs = tedgen_pairs()
    sets['TED-Gen reference generator'] = [c for _, b in pairs for c in holdout_crops([b], CROP)]
    sets['TED-Gen input simulations'] = [c for a, _ in pairs for c in holdout_crops([a], CROP)]
    labels['TED-Gen reference generator'] = summary(label_shift([a for a, _ in pairs], [b for _, b in pairs], P))
    held_half = [exp_crops[i] for i in range(0, len(exp_crops), 2)], [exp_crops[i] for i in range(1, len(exp_crops), 2)]
    sets['experiment (other held-out crops)'] = held_half[0]
    rows = {}
    for k, v in sets.items():
        ref = held_half[1] if k.startswith('experiment') else exp_crops
        rows[k] = realism(v, ref)
    table = pd.DataFrame(rows).T
    lab = pd.DataFrame(labels).T
    full = table.loc[f'Trident ({chosen})', METRICS]
    beats = {b: bool((full < table.loc[b, METRICS]).all()) for b in ('raw simulation', 'simulation + matched blur/noise', 'TED-Gen reference generator')}
    res = dict(machine=dict(python=platform.python_version(), torch=torch.__version__, threads=torch.get_num_threads()),
               config=config('full').__dict__, seed=SEED, runs={n: run_config(n).__dict__ for n in gens}, n_realism=len(real_in), n_heldout_crops=len(exp_crops), n_label=len(lab_in),
               matched_baseline=dict(blur_sigma_px=sigma, snr=snr), realism=table.to_dict('index'), labels=lab.to_dict('index'),
               trident_beats=beats, seed_selection=dict(chosen=chosen, table=sel_table.to_dict('index')), timing=timing(gens[chosen]))
    out = ROOT / 'bench' / 'results' / 'trident.json'
    out.write_text(json.dumps(res, indent=1))
    pd.set_option('display.width', 200)
    print('Realism (distance to held-out experimental crops; lower is better):')
    print(table.round(4).to_string())
    print(f'\nLabel preservation ({N_LAB} images {LAB_SIZE}², K translations each; TED-Gen: its 36 pairs, one each):')
    print(lab.round(5).to_string())
    print(f'\nTrident ({chosen}, chosen by the seed selection) beats on every metric:', beats)
    print('Timing (CPU):', res['timing'])
    figure(real_in, sets, exp_crops, ROOT / 'bench' / 'results' / 'trident.png', chosen)

def figure(real_in, sets, exp_crops, path, chosen='full'):
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    cols = ['raw simulation', 'simulation + matched blur/noise', f'Trident ({chosen})', 'TED-Gen reference generator']
    fig, axs = plt.subplots(2, 5, figsize=(13, 5.4))
    for r in range(2):
        for c, k in enumerate(cols):
            axs[r, c].imshow(np.asarray(sets[k][r]), cmap='gray'); axs[r, c].set_title(k if r == 0 else '', fontsize=8)
        axs[r, 4].imshow(exp_crops[3 * r], cmap='gray'); axs[r, 4].set_title('held-out experiment' if r == 0 else '', fontsize=8)
    for a in axs.flat: a.axis('off')
    fig.tight_layout(); fig.savefig(path, dpi=80)

if __name__ == '__main__': main()
