"""Benchmark of vdwnb.simulate: fast incoherent simulator rates, and against abTEM (incoSTEM: bench/speed.py).

1. Fast simulator, bilayer ReS2 at the incoSTEM sampling (0.03409 Å/px): images/s for 2048² (batch 4),
   1024² (batch 16) and 256² (batch 64); best of 3 runs after a warm-up.
2. abTEM multislice and PRISM (abTEM 1.x, CPU) on one periodic ReS2 bilayer cell (6.42 × 11.43 Å, 1 %
   strain to make it small), scanned at 0.2 Å — and the fast simulator on the same cell and pixels.
3. Ratios: abTEM per probe position scaled to 2048² pixels (a lower bound: a 70 Å field needs a larger
   potential than the small cell). incoSTEM is timed beside vdwnb, interleaved, by bench/speed.py.
4. On-the-fly training data: StackDataset.batch of 64 ReS2 crops of 128² (everything included).
Writes bench/results/simulate.json and prints a table. Options: --quick (skip PRISM and 2048²), --device.
"""
import argparse, json, platform, time, warnings
from pathlib import Path
import numpy as np
import torch

from vdwnb.structures import build_stack, periodic_stack
from vdwnb.simulate import IncoherentSimulator, simulate_abtem, get_device

ROOT = Path(__file__).resolve().parent.parent
PIXEL = 0.03409

def fast_rate(n, batch, device, repeats=3):
    "Images/s of the fast simulator for n² images of bilayer ReS2 (each sample its own slip)."
    sim = IncoherentSimulator(pixel_size=PIXEL, device=device)
    rng = np.random.default_rng(0)
    stacks = [build_stack('ReS2', slips=[rng.uniform(0, 3, 2)], fov=(n * PIXEL,) * 2) for _ in range(batch)]
    pos, num = [a.positions for a in stacks], [a.numbers for a in stacks]
    sim.render(pos[:1], num[:1], (n, n))                                   # warm-up
    best = np.inf
    for _ in range(repeats):
        if device.type == 'cuda': torch.cuda.synchronize()
        t = time.perf_counter(); sim.render(pos, num, (n, n))
        if device.type == 'cuda': torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return dict(size=n, batch=batch, atoms=int(np.mean([len(p) for p in pos])), seconds_per_batch=best,
                seconds_per_image=best / batch, images_per_s=batch / best)

def abtem_cell(method):
    at = periodic_stack('ReS2', slips=[(1.2, 0.7)], strain_tol=0.02)
    t = time.perf_counter()
    img = simulate_abtem(at, pixel_size=0.2, method=method, progress=False)
    dt = time.perf_counter() - t
    sim, dt_fast = IncoherentSimulator(device='cpu'), np.inf
    sim(at, shape=img.data.shape)                                            # warm-up
    for _ in range(3):
        t = time.perf_counter(); sim(at, shape=img.data.shape); dt_fast = min(dt_fast, time.perf_counter() - t)
    return dict(method=method, positions=int(img.data.size), seconds=dt, seconds_per_position=dt / img.data.size,
                fast_seconds_same_cell=dt_fast, ratio_same_cell=dt / dt_fast)

def dataset_rate(device, n=64):
    "Samples/s of on-the-fly training data (StackDataset.batch: label sampling, atoms, simulation, augmentation)."
    from vdwnb.data import DataSpec, StackDataset
    ds = StackDataset(DataSpec(material='ReS2', size=128), n=4 * n, seed=0, simulator=IncoherentSimulator(device=device))
    ds.batch(range(8))
    t = time.perf_counter(); ds.batch(range(n, 2 * n)); dt = time.perf_counter() - t
    return dict(size=128, batch=n, seconds_per_batch=dt, samples_per_s=n / dt)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true'); ap.add_argument('--device', default='auto')
    args = ap.parse_args()
    dev = get_device(args.device)
    sizes = [(1024, 16), (256, 64)] if args.quick else [(2048, 4), (1024, 16), (256, 64)]
    fast = [fast_rate(n, b, dev) for n, b in sizes]
    data_rate = dataset_rate(dev)
    ab = [abtem_cell('multislice')] + ([] if args.quick else [abtem_cell('prism')])
    per2048 = next((f['seconds_per_image'] for f in fast if f['size'] == 2048), None)
    ratios = {}
    if per2048:
        for a in ab: ratios[f'abtem_{a["method"]}_2048_estimate_over_fast'] = a['seconds_per_position'] * 2048 ** 2 / per2048
    out = dict(machine=dict(platform=platform.platform(), cpu_threads=torch.get_num_threads(), device=str(dev),
                            torch=torch.__version__), pixel_size=PIXEL, fast=fast, dataset=data_rate, abtem=ab,
               ratios=ratios, goals=dict(fast_2048_seconds=0.14, abtem_ratio=1000))
    (ROOT / 'bench' / 'results').mkdir(parents=True, exist_ok=True)
    (ROOT / 'bench' / 'results' / 'simulate.json').write_text(json.dumps(out, indent=1))
    print(f'\nFast incoherent simulator, bilayer ReS2 at {PIXEL} Å/px, {dev}, {torch.get_num_threads()} threads')
    print(f'{"size":>6} {"batch":>5} {"atoms":>6} {"s/image":>9} {"images/s":>9}')
    for f in fast: print(f'{f["size"]:>5}² {f["batch"]:>5} {f["atoms"]:>6} {f["seconds_per_image"]:>9.4f} {f["images_per_s"]:>9.1f}')
    print(f'\nOn-the-fly training data (ReS2 128², batch {data_rate["batch"]}): {data_rate["samples_per_s"]:.0f} samples/s')
    print('\nabTEM on one ReS2 cell (6.42 × 11.43 Å, 0.2 Å scan) vs fast on the same cell')
    for a in ab:
        print(f'{a["method"]:>10}: {a["positions"]} positions in {a["seconds"]:.1f} s ({a["seconds_per_position"] * 1e3:.1f} ms each); '
              f'fast {a["fast_seconds_same_cell"] * 1e3:.1f} ms; ratio {a["ratio_same_cell"]:.0f}×')
    for k, v in ratios.items(): print(f'{k}: {v:,.0f}×')

if __name__ == '__main__':
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); main()
