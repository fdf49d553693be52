"""Structure-model benchmark (issue 5): accuracy on unseen test sets (min over the equivalent set), σ coverage,
OOD scores, resolve speed on a 1024² image with TTA, and the reference procedure's speed (ResNet-50, 16 crops 512²)
timed in the same run. Writes bench/results/infer.json and prints a table.

Also, when their runs exist: the Trident comparison (cmp_plain against cmp_trident, issue 5: train with and without
the generator) and the architecture sweep (arch_w8, cmp_plain, arch_w32: accuracy per FLOP).
Results for models not named in this run are kept from the last one.

Needs trained models: python bench/infer_train.py [name ...]  (bench/runs/infer/<name>/model.pt), else it measures
the shipped weights (vdwnb/weights/<name>.pt).
Usage: python bench/infer.py [name ...] [--n N] [--parts models,compare,arch,timing,real]
"""
import argparse, json, math, platform, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'bench'))
from vdwnb.data import DataSpec, StackDataset, standardize, augment_images, sample_label
from vdwnb.structures import slips_distance, twist_distance, canonical_twist
from vdwnb.infer import load_model, propose, ModelConfig, image_views, features, ood_score, WEIGHTS
from vdwnb.io import to_signal
from vdwnb.verify import psnr

TEST_SEED = 90_001            # never used in training (training draws seed 0.., validation seed + 1_000_003)
RUN_DIR = ROOT / 'bench' / 'runs' / 'infer'
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'

def trained(name):
    "The model file of recipe `name`: this machine's training run where there is one, else the shipped weights (None: neither)."
    for p in (RUN_DIR / name / 'model.pt', WEIGHTS / f'{name}.pt'):
        if p.exists(): return p

def test_images(cfg, n, size, kind, seed=TEST_SEED):
    "Images (n, size, size) at the model's sampling, their labels and PSNR. kind: 'noisy' (PSNR 15–25 dB, no defects) or 'defects'."
    if kind == 'noisy': extra = dict(vacancy_range=(0.0, 0.0), contamination=0.0, occlusion=0.0, dose_range=(2e4, 4e5))
    else: extra = dict(vacancy_range=(0.1, 0.1), contamination=1.0, occlusion=0.0, dose_range=(2e4, 4e5))
    spec = replace(cfg.spec(**extra), size=size)
    ds = StackDataset(spec, 4 * n, seed=seed)
    imgs, labs, ps = [], [], []
    for i in range(0, 4 * n, 16):
        clean, labels = ds._clean(range(i, min(i + 16, 4 * n)))
        noisy = augment_images(clean, labels)
        p = psnr(noisy, clean)
        keep = (p >= 15) & (p <= 25) if kind == 'noisy' else np.ones(len(p), bool)
        imgs += list(noisy[keep]); labs += [l for l, k in zip(labels, keep) if k]; ps += list(p[keep])
        if len(imgs) >= n: break
    return torch.stack(imgs[:n]).numpy(), labs[:n], np.array(ps[:n])

def truth(cfg, lab):
    if cfg.task == 'twist': return lab['twist1']
    return np.array([[lab[f'slip{j + 1}_x'], lab[f'slip{j + 1}_y']] for j in range(cfg.k)])

def score(model, n, size, kind, tta):
    "Per-image errors (pm or °), σ, coverage and OOD of `propose` on a test set."
    cfg = model.config
    imgs, labs, ps = test_images(cfg, n, size, kind)
    rows = []
    for a, lab, p in zip(imgs, labs, ps):
        r = propose(a, model, tta=tta, pixel_size=cfg.pixel_size * 1.0, flip=False)
        if cfg.task == 'twist': err = np.array([twist_distance(cfg.material, r.value[0], truth(cfg, lab))])
        else:
            err = 100 * slips_distance(cfg.material, r.value, truth(cfg, lab))
        rows.append(dict(psnr=p, err=err, sigma=(r.sigma * (1 if cfg.task == 'twist' else 100)), ood=r.ood))
    err = np.stack([r['err'] for r in rows]); sig = np.stack([r['sigma'] for r in rows])
    # coverage: the true error per component within ±σ ≈ |error|/√2 per component for an isotropic 2-D error
    per_comp = err / (1 if cfg.task == 'twist' else math.sqrt(2))
    return dict(kind=kind, n=len(rows), size=size, tta=tta, mae=float(err.mean()), median=float(np.median(err)),
                p95=float(np.percentile(err, 95)), per_interface_mae=err.mean(0).tolist(),
                coverage=float((per_comp <= sig).mean()), sigma_median=float(np.median(sig)),
                psnr_median=float(np.median([r['psnr'] for r in rows])), ood_median=float(np.median([r['ood'] for r in rows])),
                ood_flagged=float(np.mean([r['ood'] > model.card.get('ood', {}).get('threshold', np.inf) for r in rows])))

def side_decision(model, n, size):
    "Chiral materials: how often `propose` tells an upright image from a mirrored one (the sample seen from the other side)."
    from vdwnb.infer import mirror_allowed
    cfg = model.config
    if mirror_allowed(cfg.material): return None
    imgs, labs, _ = test_images(cfg, n, size, 'noisy', seed=TEST_SEED + 1)
    up = [propose(a, model, tta=8, pixel_size=cfg.pixel_size).flip is False for a in imgs]
    mir = [propose(a[:, ::-1], model, tta=8, pixel_size=cfg.pixel_size) for a in imgs]
    err = [100 * slips_distance(cfg.material, r.value, truth(cfg, l)).mean() for r, l in zip(mir, labs)]
    return dict(n=n, upright_called_upright=float(np.mean(up)), mirrored_called_mirrored=float(np.mean([r.flip is True for r in mir])),
                mirrored_mae_pm=float(np.mean(err)))

class Bottleneck(nn.Module):
    "ResNet-50 bottleneck block (for timing the reference procedure only)."
    def __init__(self, ci, c, stride):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(ci, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(True),
                               nn.Conv2d(c, c, 3, stride, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(True),
                               nn.Conv2d(c, 4 * c, 1, bias=False), nn.BatchNorm2d(4 * c))
        self.s = nn.Sequential() if stride == 1 and ci == 4 * c else nn.Sequential(nn.Conv2d(ci, 4 * c, 1, stride, bias=False), nn.BatchNorm2d(4 * c))
    def forward(self, x): return torch.relu(self.f(x) + self.s(x))

def resnet50(n_out=2):
    layers, ci = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(True), nn.MaxPool2d(3, 2, 1)], 64
    for c, n, s in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for i in range(n): layers.append(Bottleneck(ci, c, s if i == 0 else 1)); ci = 4 * c
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(ci, n_out)).eval()

def timing(model):
    "Seconds: resolve on a 1024² image (TTA 8, 2 threads) and the reference procedure (ResNet-50 on 16 crops 512²), same run."
    a = np.random.default_rng(0).normal(size=(1024, 1024)).astype(np.float32)
    sig = to_signal(a, 0.034)                         # a typical atomic-resolution field: 35 Å across
    propose(sig, model, tta=8)
    ts = []
    for _ in range(3):
        t = time.perf_counter(); propose(sig, model, tta=8); ts.append(time.perf_counter() - t)
    ref, x = resnet50(), torch.randn(16, 3, 512, 512)
    with torch.no_grad():
        t = time.perf_counter(); ref(x); t_ref = time.perf_counter() - t
    return dict(resolve_1024_tta8_s=float(np.median(ts)), reference_resnet50_16x512_s=t_ref, ratio=t_ref / float(np.median(ts)))

REF_PIXEL = 0.03409          # Å/px of the reference repository's simulated ReS2 images (as in bench/trident.py)

def reference_frame(model):
    "Resolve the reference repository's simulated ReS2 images (slips (Da, Db) Å in their names) and find the frame mapping."
    from PIL import Image
    from vdwnb.structures import get_material, canonical_slip, slip_distance
    files = sorted((TEDGEN / 'simulated').glob('*.png'))
    if not files or model.config.material != 'ReS2': return None
    m = get_material('ReS2'); u1, u2 = m.cell[:, 0] / np.linalg.norm(m.cell[:, 0]), m.cell[:, 1] / np.linalg.norm(m.cell[:, 1])
    maps = {'Da·â1 + Db·â2': lambda a, b: a * u1 + b * u2, 'Da·â2 + Db·â1': lambda a, b: a * u2 + b * u1,
            'Da·x̂ + Db·ŷ': lambda a, b: np.array([a, b]), 'Db·x̂ + Da·ŷ': lambda a, b: np.array([b, a]),
            'Da·â1 − Db·â2': lambda a, b: a * u1 - b * u2, '−Da·â1 + Db·â2': lambda a, b: -a * u1 + b * u2}
    rows = []
    for f in files:
        da, db = (float(v) for v in f.stem.split('_')[:2])
        a = np.asarray(Image.open(f).convert('L'), np.float32)
        r = propose(a, model, tta=8, pixel_size=REF_PIXEL)
        rows.append(dict(file=f.name, Da=da, Db=db, x=r.value[0, 0], y=r.value[0, 1], sigma_pm=100 * r.sigma[0], flip=r.flip, ood=r.ood,
                         **{k: 100 * slip_distance('ReS2', r.value[0], fn(da, db)) for k, fn in maps.items()}))
    df = pd.DataFrame(rows)
    mae = {k: float(df[k].mean()) for k in maps}
    return dict(n=len(df), mae_pm_by_mapping=mae, best=min(mae, key=mae.get), rows=df.round(4).to_dict('records'))

def real_images():
    "Resolve the real experimental images with every shipped-recipe model that exists for their material."
    from vdwnb.io import load_image
    out = []
    for f, mat, task in (('res2_bilayer_1.png', 'ReS2', 'slip'), ('res2_bilayer_trainB.png', 'ReS2', 'slip'),
                         ('rese2_bilayer.png', 'ReSe2', 'slip'), ('mos2_twisted_probably_generated.png', 'MoS2', 'twist')):
        run = trained(f'{mat}_{task}')
        if not (TEDGEN / 'experimental' / f).exists() or run is None: continue
        img = load_image(TEDGEN / 'experimental' / f, material=mat)
        r = propose(img, load_model(run, 'cpu'), tta=16)
        out.append(dict(file=f, pixel_size=float(img.axes_manager[0].scale), **r.to_row().to_dict(), warnings=r.warnings))
        print(r, flush=True)
    return out

def translated_images(cfg, n, size, generator, style_seed):
    "Noise-free held-out simulations translated to the experimental look by `generator` (a generator.pt), with their labels."
    from vdwnb.trident import TridentGenerator
    spec = replace(cfg.spec(vacancy_range=(0.0, 0.0), contamination=0.0, occlusion=0.0), size=size)
    ds = StackDataset(spec, n, seed=TEST_SEED, augment=False)
    x = ds.batch(range(n))[0]
    y = TridentGenerator.load(generator, device='cpu').translate(x, seed=style_seed)
    return y[:, 0].numpy(), [sample_label(spec, TEST_SEED, i) for i in range(n)]

def score_images(model, imgs, labs, tta=8):
    "Slip MAE / median (pm) and median σ of `propose` on given images."
    cfg = model.config
    rs = [propose(a, model, tta=tta, pixel_size=cfg.pixel_size, flip=False) for a in imgs]
    err = np.array([100 * slips_distance(cfg.material, r.value, truth(cfg, l)).mean() for r, l in zip(rs, labs)])
    return dict(n=len(err), mae=float(err.mean()), median=float(np.median(err)), sigma_median=float(np.median([100 * r.sigma.mean() for r in rs])),
                ood_median=float(np.median([r.ood for r in rs])))

def trident_comparison(n):
    "cmp_plain (simulations + noise model) against cmp_trident (simulations through the Trident generator): same recipe, seed, steps."
    names = [m for m in ('cmp_plain', 'cmp_trident', 'cmp_trident_on_noisy') if (RUN_DIR / m / 'model.pt').exists()]
    if not {'cmp_plain', 'cmp_trident'} <= set(names): return None
    gens = {'generator seed 1 (not trained through)': ROOT / 'bench/runs/trident/full_s1/generator.pt',
            'shipped generator, new style codes': ROOT / 'bench/runs/trident/full/generator.pt'}
    models = {m: load_model(RUN_DIR / m, 'cpu') for m in names}
    cfg = models['cmp_plain'].config
    sets = {'simulated + noise model (PSNR 15-25 dB)': test_images(cfg, n, 2 * cfg.size, 'noisy')[:2]}
    for k, g in gens.items():
        if g.exists(): sets[f'translated by {k}'] = translated_images(cfg, n, 2 * cfg.size, g, style_seed=TEST_SEED)
    out = {m: {k: score_images(mod, *v) for k, v in sets.items()} for m, mod in models.items()}
    out['real_images'] = {}
    from vdwnb.io import load_image
    for f in ('res2_bilayer_1.png', 'res2_bilayer_trainB.png'):
        if not (TEDGEN / 'experimental' / f).exists(): continue
        img = load_image(TEDGEN / 'experimental' / f, material='ReS2')
        out['real_images'][f] = {m: (lambda r: dict(x=float(r.value[0, 0]), y=float(r.value[0, 1]), sigma_pm=float(100 * r.sigma[0]), ood=float(r.ood)))(
                                     propose(img, mod, tta=16)) for m, mod in models.items()}
    rows = [dict(model=m, set=k, **v) for m in names for k, v in out[m].items()]
    print(pd.DataFrame(rows).round(3).to_string(index=False)); print(json.dumps(out['real_images'], indent=1), flush=True)
    return out

def flops(net, size):
    "Multiply-adds of one forward pass on a size² image (convolutions and linear layers)."
    macs = []
    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d): macs.append(out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1])
        elif isinstance(mod, nn.Linear): macs.append(mod.in_features * mod.out_features)
    hs = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad(): net(torch.zeros(1, 1, size, size))
    for h in hs: h.remove()
    return int(sum(macs))

def architecture_sweep(n):
    "Accuracy per FLOP: the comparison recipe at widths 8, 16 (and 32), and with one block per stage (same data, seed and steps)."
    names = [m for m in ('arch_w8', 'arch_b1', 'cmp_plain', 'arch_w32') if (RUN_DIR / m / 'model.pt').exists()]
    if len(names) < 2: return None
    rows = []
    for m in names:
        model = load_model(RUN_DIR / m, 'cpu'); cfg = model.config
        imgs, labs, _ = test_images(cfg, n, 2 * cfg.size, 'noisy')
        x = torch.zeros(64, 1, cfg.size, cfg.size)
        with torch.no_grad():
            model.net(x); t = time.perf_counter(); model.net(x); dt = (time.perf_counter() - t) / 64
        rows.append(dict(model=m, width=cfg.width, blocks=str(tuple(cfg.blocks)), mflops=2 * flops(model.net, cfg.size) / 1e6,
                         params=sum(p.numel() for p in model.net.parameters()), ms_per_crop=1e3 * dt,
                         val_mae=model.card.get('val_mae'), **score_images(model, imgs, labs)))
    print(pd.DataFrame(rows).round(3).to_string(index=False), flush=True)
    return rows

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('names', nargs='*'); ap.add_argument('--n', type=int, default=200)
    ap.add_argument('--tta', type=int, default=8); ap.add_argument('--parts', default='models,compare,arch,timing,real')
    args = ap.parse_args(); parts = args.parts.split(',')
    torch.set_num_threads(2)
    from vdwnb.infer import RECIPES
    names = args.names or [n for n in RECIPES if trained(n)]
    if not names: sys.exit('No trained model: python bench/infer_train.py first.')
    res_file = ROOT / 'bench' / 'results' / 'infer.json'
    out = {}                                                                  # this run's parts; merged into the file at the end
    out.update(machine=platform.processor() or platform.machine(), threads=2, test_seed=TEST_SEED); out.setdefault('models', {})
    rows = []
    for name in (names if 'models' in parts else []):
        model = load_model(trained(name), 'cpu'); cfg = model.config
        size = 2 * cfg.size                            # a test image a little larger than the model's field: crops + turns
        res = {k: score(model, args.n, size, k, args.tta) for k in (('noisy',) if cfg.task == 'twist' else ('noisy', 'defects'))}
        res['noisy_tta32'] = {**score(model, args.n, size, 'noisy', 32), 'kind': 'noisy, 32 views'}   # more views: what averaging buys
        out['models'][name] = dict(config=dict(cfg.__dict__), card={k: v for k, v in model.card.items() if k != 'ood'}, results=res,
                                   side_decision=side_decision(model, min(args.n, 50), size) if cfg.task != 'twist' else None)
        print('side decision:', out['models'][name]['side_decision'], flush=True)
        for k, r in res.items(): rows.append(dict(model=name, set=k, **{c: r[c] for c in ('n', 'mae', 'median', 'p95', 'coverage', 'sigma_median', 'psnr_median', 'ood_flagged')}))
        print(pd.DataFrame(rows).round(3).to_string(index=False), flush=True)
    if 'compare' in parts:
        out['trident_comparison'] = trident_comparison(min(args.n, 100))
        if out['trident_comparison'] is not None:
            (ROOT / 'bench' / 'results' / 'infer_compare.json').write_text(json.dumps(out['trident_comparison'], indent=1, default=float))
    if 'arch' in parts: out['architecture'] = architecture_sweep(min(args.n, 100))
    if 'timing' in parts:
        out['timing'] = timing(load_model(trained('ReS2_slip') or trained(names[0]), 'cpu'))
        print(out['timing'])
    if TEDGEN.exists() and 'real' in parts:
        if trained('ReS2_slip'):
            out['reference_frame'] = reference_frame(load_model(trained('ReS2_slip'), 'cpu'))
            print({k: v for k, v in out['reference_frame'].items() if k != 'rows'})
        out['real_images'] = real_images()
    from vdwnb.io import atomic_write
    (ROOT / 'bench' / 'results').mkdir(exist_ok=True)
    now = json.loads(res_file.read_text()) if res_file.exists() else {}      # another run may have written meanwhile: keep its parts
    mine = {k: v for k, v in out.items() if k != 'models' and v is not None}    # a part without its runs keeps the last figures
    merged = {**now, **mine, 'models': {**now.get('models', {}), **{n: out['models'][n] for n in names if n in out['models']}}}
    atomic_write(res_file, lambda tmp: Path(tmp).write_text(json.dumps(merged, indent=1, default=float)))

if __name__ == '__main__': main()
