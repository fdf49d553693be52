"""Speed, measured side by side (issue 25): every peer timed in the same run, interleaved, min and median of rounds.

Parts (--parts, default all):
  simulator  incoSTEM (../shared/tools/incostem, Kirkland's C code as TED-Gen ships it) and vdwnb's fast simulator on
             the same 3255-atom bilayer ReS2 cell, the same 2048² grid and optics, one thread each (and vdwnb on two);
             the images' correlation r. Skipped with a line when incoSTEM is absent or cannot run (needs libfftw3).
  abtem      abTEM multislice and PRISM (CPU) and vdwnb on one periodic ReS2 cell (6.42 × 11.43 Å), same scan
             pixels (--abtem-pixel, default 0.5 Å); the ratio on that cell grows with the probe positions (abTEM
             pays per position, vdwnb per image).
  answer     bilayer ReS2 images of 1024², 2048², 4096²: the network alone (`resolve(fit=False)`, default views) at
             each size, the whole answer with the fit at 1024², and the reference procedure (ResNet-50 on 16 crops of
             512²; random weights: cost only).
  training   steps/s of `train_model` on the shipped ReS2_slip recipe (data and network overlapped, as trained).
  imports    `import torch`, `import vdwnb` and `import vdwnb.infer` in fresh processes; whether pandas/scipy came along.
No figure here is a constant: every time and ratio in bench/results/speed.json is measured in the run that wrote
it, with the machine's load beside it. Usage: python bench/speed.py [--parts simulator,abtem] [--rounds 3]
"""
import argparse, json, os, platform, resource, shutil, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'bench'))
INCOSTEM = ROOT.parent / 'shared' / 'tools' / 'incostem'
OUT = ROOT / 'bench' / 'results' / 'speed.json'
GOALS = dict(incostem_ratio=200, abtem_multislice_ratio=20_000, answer_1024_s=3.0, import_infer_s=2.0)

def stats(ts):
    "Min, median and every round of a list of seconds."
    return dict(min_s=float(np.min(ts)), median_s=float(np.median(ts)), rounds_s=[float(t) for t in ts])

def interleaved(contenders, rounds, cold=()):
    "Time each contender (name → callable) once per round, in turn, after one warm-up each (not those named in `cold`): {name: stats}."
    for k, f in contenders.items():
        if k not in cold: f()
    ts = {k: [] for k in contenders}
    for _ in range(rounds):
        for k, f in contenders.items():
            t = time.perf_counter(); f(); ts[k].append(time.perf_counter() - t)
    return {k: stats(v) for k, v in ts.items()}

def read_kirkland(path):
    "Periodic `ase.Atoms` from a Kirkland xyz file (title, `a b c`, then `Z x y z occ wobble` lines, `-1`)."
    from ase import Atoms
    lines = Path(path).read_text().split('\n')
    cell = [float(v) for v in lines[1].split()[:3]]
    rows = []
    for line in lines[2:]:
        f = line.split()
        if not f or f[0] == '-1': break
        rows.append([float(v) for v in f[:4]])
    r = np.array(rows)
    return Atoms(numbers=r[:, 0].astype(int), positions=r[:, 1:4], cell=cell, pbc=True)

def incostem_runner(xyz, n, workdir):
    "A callable that runs incoSTEM on `xyz` for an n² image with the default vdwnb Microscope's optics, and its reader."
    from vdwnb.optics import Microscope
    m = Microscope()
    params = '\n'.join([str(xyz), '1 1 1', 'out.tif', f'{n} {n}', f'{m.energy:g} {m.cs3:g} {m.cs5:g} {m.defocus:g} {m.semiangle:g}',
                        f'{m.adf_inner:g} {m.adf_outer:g}', 'END', f'{m.source_size:g}', '0', 'n', '-1', ''])
    (workdir / 'params').write_text(params)
    def run():
        with open(workdir / 'params') as inp:
            subprocess.run([str(INCOSTEM / 'incostem')], stdin=inp, cwd=workdir, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def read():
        import tifffile
        return tifffile.imread(workdir / 'out.tif', key=1)        # page 1 holds the float image
    return run, read

def part_simulator(rounds, n=2048):
    "incoSTEM against vdwnb on TED-Gen's ReS2 cell at n², interleaved."
    from vdwnb.simulate import IncoherentSimulator, torch_threads
    if not (INCOSTEM / 'incostem').exists(): return dict(skipped=f'incoSTEM not found at {INCOSTEM}')
    xyz = INCOSTEM / 'ReS2.xyz'
    atoms = read_kirkland(xyz)
    with tempfile.TemporaryDirectory() as tmp:
        run, read = incostem_runner(xyz, n, Path(tmp))
        try: run()
        except (OSError, subprocess.CalledProcessError) as e:
            return dict(skipped=f'incoSTEM did not run ({e}); it needs libfftw3 (apt-get install libfftw3-dev)')
        ref = read()
        sim = IncoherentSimulator(device='cpu')
        def fast(k):
            def f():
                with torch_threads(k): return sim(atoms, shape=(n, n))
            return f
        t = interleaved({'incostem_1_thread': run, 'vdwnb_1_thread': fast(1), 'vdwnb_2_threads': fast(2)}, rounds)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss          # KiB, the largest child: incoSTEM
    img = sim(atoms, shape=(n, n)).data
    r = float(np.corrcoef(img.ravel(), ref.ravel())[0, 1])
    out = dict(cell='TED-Gen ReS2.xyz (3255 atoms, 112.1 × 69.8 Å, periodic)', size=n, atoms=len(atoms), times=t, r=r,
               incostem_peak_mib=peak / 1024)
    for k in ('min_s', 'median_s'):
        out[f'ratio_1_thread_{k[:-2]}'] = t['incostem_1_thread'][k] / t['vdwnb_1_thread'][k]
        out[f'ratio_incostem_1_vs_vdwnb_2_{k[:-2]}'] = t['incostem_1_thread'][k] / t['vdwnb_2_threads'][k]
    return out

def part_abtem(rounds, pixel=0.5):
    "abTEM multislice/PRISM and vdwnb on one periodic ReS2 cell at the same scan pixels, interleaved."
    from vdwnb.structures import periodic_stack
    from vdwnb.simulate import IncoherentSimulator, simulate_abtem, torch_threads
    at = periodic_stack('ReS2', slips=[(1.2, 0.7)], strain_tol=0.02)
    shape = simulate_abtem(at, pixel_size=pixel, progress=False).data.shape
    sim = IncoherentSimulator(device='cpu')
    def fast():
        with torch_threads(1): sim(at, shape=shape)
    def ab(method):
        return lambda: simulate_abtem(at, pixel_size=pixel, method=method, progress=False)
    t = interleaved({'abtem_multislice': ab('multislice'), 'abtem_prism': ab('prism'), 'vdwnb_1_thread': fast}, rounds,
                    cold=('abtem_multislice', 'abtem_prism'))          # abTEM's first run is its own warm-up (shape above)
    out = dict(cell=f'periodic ReS2 bilayer {at.cell[0, 0]:.2f} × {at.cell[1, 1]:.2f} Å, {len(at)} atoms', scan_pixel=pixel,
               positions=int(np.prod(shape)), times=t, abtem_threads=torch.get_num_threads())
    for m in ('multislice', 'prism'):
        out[f'ratio_{m}_min'] = t[f'abtem_{m}']['min_s'] / t['vdwnb_1_thread']['min_s']
        out[f'ratio_{m}_median'] = t[f'abtem_{m}']['median_s'] / t['vdwnb_1_thread']['median_s']
    return out

def bilayer_image(n, pixel=0.034, seed=5):
    "A noisy n² bilayer ReS2 image (Signal2D) from vdwnb's simulator: Poisson, 200 counts at the brightest column."
    from vdwnb.structures import build_stack
    from vdwnb.simulate import IncoherentSimulator
    from vdwnb.io import to_signal
    at = build_stack('ReS2', slips=[(1.3, 0.8)], fov=(n * pixel,) * 2)
    clean = IncoherentSimulator(pixel_size=pixel, material='ReS2', device='cpu')(at, shape=(n, n)).data
    return to_signal(np.random.default_rng(seed).poisson(clean / clean.max() * 200).astype(np.float32), pixel)

def part_answer(rounds, sizes=(1024, 2048, 4096)):
    "The network alone (`resolve(fit=False)`, default views) at each size, the whole answer at 1024², and the reference ResNet-50 × 16 crops."
    from infer import resnet50                                   # the reference's network, for its cost (bench/infer.py)
    from vdwnb.answer import resolve
    imgs = {n: bilayer_image(n) for n in sizes}
    ref, x = resnet50(), torch.randn(16, 3, 512, 512)
    def reference():
        with torch.no_grad(): ref(x)
    runs = {f'network_{n}': (lambda im=im: resolve(im, material='ReS2', fit=False)) for n, im in imgs.items()}
    runs['answer_with_fit_1024'] = lambda: resolve(imgs[sizes[0]], material='ReS2')
    runs['reference_resnet50_16x512'] = reference
    t = interleaved(runs, rounds)
    med = {k: v['median_s'] for k, v in t.items()}
    return dict(image=f'bilayer ReS2 at 0.034 Å/px, Poisson 200 counts at the brightest column', threads=torch.get_num_threads(),
                times=t, ratio_reference_over_network_1024=med['reference_resnet50_16x512'] / med[f'network_{sizes[0]}'],
                ratio_reference_over_answer_1024=med['reference_resnet50_16x512'] / med['answer_with_fit_1024'],
                scaling_4096_over_2048=med['network_4096'] / med['network_2048'] if 4096 in sizes and 2048 in sizes else None)

def part_training(rounds, name='ReS2_slip', short=8, long=40):
    "Steps/s of `train_model` on a shipped recipe: (long − short) steps' extra time, so set-up and validation drop out."
    from dataclasses import replace
    from vdwnb.infer import RECIPES, train_model
    def run(steps):
        cfg = replace(RECIPES[name], steps=steps, val_every=10 ** 6, n_val=8)
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter(); train_model(cfg, tmp, seed=0, device='cpu', progress=False); return time.perf_counter() - t
    ts = [(run(long) - run(short)) / (long - short) for _ in range(max(1, rounds - 2))]
    return dict(recipe=name, batch=RECIPES[name].batch, size=RECIPES[name].size, threads=torch.get_num_threads(),
                seconds_per_step=stats(ts), steps_per_s=1 / float(np.median(ts)))

def part_imports(rounds):
    "Fresh-process import times of vdwnb and vdwnb.infer, and which heavy modules they pull in."
    code = ('import sys, time; t = time.perf_counter(); import {m}; dt = time.perf_counter() - t; '
            'print(dt, int("pandas" in sys.modules), int("scipy" in sys.modules))')
    out = {}
    for m in ('torch', 'vdwnb', 'vdwnb.infer'):
        ts, heavy = [], None
        for _ in range(rounds):
            p = subprocess.run([sys.executable, '-c', code.format(m=m)], capture_output=True, text=True, check=True)
            dt, pd_, sp = p.stdout.split()[-3:]
            ts.append(float(dt)); heavy = dict(pandas=bool(int(pd_)), scipy=bool(int(sp)))
        out[m] = dict(stats(ts), loads=heavy)
    out['infer_over_torch'] = out['vdwnb.infer']['median_s'] / out['torch']['median_s']
    return out

PARTS = dict(simulator=part_simulator, abtem=part_abtem, answer=part_answer, training=part_training, imports=part_imports)

def table(res):
    "Print the results side by side."
    s = res.get('simulator', {})
    if 'times' in s:
        t = s['times']
        print(f"\nSimulator, {s['cell']}, {s['size']}² (min / median of {len(t['vdwnb_1_thread']['rounds_s'])} rounds, interleaved)")
        for k, v in t.items(): print(f'  {k:<20} {v["min_s"]:8.3f} s {v["median_s"]:8.3f} s')
        print(f"  incoSTEM / vdwnb, 1 thread each: {s['ratio_1_thread_min']:.0f}× (min) {s['ratio_1_thread_median']:.0f}× (median); "
              f"vdwnb on 2 threads: {s['ratio_incostem_1_vs_vdwnb_2_median']:.0f}×; images r = {s['r']:.4f}")
    elif s: print('\nSimulator:', s['skipped'])
    a = res.get('abtem')
    if a:
        print(f"\nabTEM on {a['cell']}, {a['positions']} positions at {a['scan_pixel']} Å")
        for k, v in a['times'].items(): print(f'  {k:<20} {v["min_s"]:10.4f} s {v["median_s"]:10.4f} s')
        print(f"  multislice / vdwnb {a['ratio_multislice_median']:,.0f}×, PRISM / vdwnb {a['ratio_prism_median']:,.0f}× (medians)")
    q = res.get('answer')
    if q:
        print(f"\nOne answer, {q['image']}, {q['threads']} threads")
        for k, v in q['times'].items(): print(f'  {k:<28} {v["min_s"]:8.2f} s {v["median_s"]:8.2f} s')
        print(f"  reference / network alone at 1024²: {q['ratio_reference_over_network_1024']:.0f}×; 4096² / 2048²: {q['scaling_4096_over_2048']:.1f}×")
    tr = res.get('training')
    if tr: print(f"\nTraining {tr['recipe']} (batch {tr['batch']}, {tr['size']}²): {tr['steps_per_s']:.2f} steps/s on {tr['threads']} threads")
    i = res.get('imports')
    if i:
        print('\nImports (fresh process)')
        for k, v in i.items():
            if isinstance(v, dict): print(f'  import {k:<12} {v["median_s"]:6.2f} s  loads {v["loads"]}')

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--parts', default=','.join(PARTS)); ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--abtem-pixel', type=float, default=0.5,
                    help='scan step of the abTEM part, Å (abTEM costs ∝ probe positions; 0.2 takes ≈ 6× longer)')
    args = ap.parse_args()
    options = dict(abtem=dict(pixel=args.abtem_pixel))                          # per-part keyword arguments
    if args.rounds < 3: sys.exit('--rounds must be at least 3 (min and median of rounds).')
    res = json.loads(OUT.read_text()) if OUT.exists() else {}
    res['machine'] = dict(platform=platform.platform(), cores=os.cpu_count(), torch=torch.__version__,
                          load_average_before=os.getloadavg(), date=time.strftime('%Y-%m-%d %H:%M'))
    for name in args.parts.split(','):
        if name not in PARTS: sys.exit(f'unknown part {name!r}: choose from {", ".join(PARTS)}')
        print(f'[{name}] ...', flush=True)
        before, when = os.getloadavg(), time.strftime('%Y-%m-%d %H:%M')
        res[name] = dict(PARTS[name](args.rounds, **options.get(name, {})), measured=when, load_average_before=before,
                         load_average_after=os.getloadavg())
        OUT.parent.mkdir(parents=True, exist_ok=True); OUT.write_text(json.dumps(res, indent=1))
    res['goals'] = GOALS
    OUT.write_text(json.dumps(res, indent=1))
    table(res)

if __name__ == '__main__':
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); main()
