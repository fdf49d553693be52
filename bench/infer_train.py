"""Train the structure models of issue 5 (the recipes in `vdwnb.infer.RECIPES`, and the Trident comparison pair); resumable.

Each run lives in bench/runs/infer/<name>/ (checkpoint.pt, history.csv, model.pt, time.json). A run stopped part-way
(or trained part-way on another machine, see bench/infer_gpu.py) is finished by running the same name again; time.json
adds up the seconds of every part and names each machine.
Usage: python bench/infer_train.py [name ...] [--device cpu|cuda] [--workers N]   (default: every recipe, on the CPU)
       VDWNB_THREADS=1 when two trainings run side by side.

The comparison pair (issue 5: train with and without the Trident generator) is ReS2_slip at the generator's sampling
(0.1 Å/px) for 2000 steps: `cmp_plain` on simulated images, `cmp_trident` on the same images translated by the shipped
generator run (bench/runs/trident/full, see bench/trident_train.py); `train_model` then feeds the generator noise-free
images (the generator supplies the noise). `arch_w8`, `arch_w32` are `cmp_plain` at half and double width, `arch_b1` with one block per stage.
"""
import argparse, json, os, platform, sys, time
from dataclasses import replace
from pathlib import Path
import torch
from vdwnb.infer import RECIPES, train_model

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / 'bench' / 'runs' / 'infer'
GENERATOR = ROOT / 'bench' / 'runs' / 'trident' / 'full' / 'generator.pt'
COMPARE = replace(RECIPES['ReS2_slip'], pixel_size=0.1, steps=2000)
ARCH = {'arch_w8': replace(COMPARE, width=8), 'arch_b1': replace(COMPARE, blocks=(1, 1, 1, 1)), 'arch_w32': replace(COMPARE, width=32)}   # with cmp_plain: accuracy per FLOP
CONFIGS = {**RECIPES, 'cmp_plain': COMPARE, 'cmp_trident': COMPARE, **ARCH}

def translator(name, device):
    "The images → images callable a run trains through (None: plain simulations); fresh style codes for every batch."
    from vdwnb.cli import _translator
    return _translator(GENERATOR, CONFIGS[name], device) if name == 'cmp_trident' else None

def hardware(device, workers):
    if str(device).startswith('cuda'): return f'{torch.cuda.get_device_name(0)} ({os.cpu_count()}-core machine, CPU data workers)'
    return f'{os.cpu_count()}-core CPU ({platform.processor() or platform.machine()})'

def add_time(out, seconds, hw, steps, workers=0):
    "Add one part of a run (seconds, machine, steps reached) to out/time.json."
    t = out / 'time.json'
    old = json.loads(t.read_text()) if t.exists() else dict(seconds=0.0, parts=[])
    parts = old.get('parts', []) + [dict(seconds=seconds, hardware=hw, steps=steps, workers=workers)]
    t.write_text(json.dumps(dict(seconds=old['seconds'] + seconds, hardware=' then '.join(dict.fromkeys(p['hardware'] for p in parts)),
                                 parts=parts), indent=1))

def run(name, device='cpu', workers=0):
    out, t = RUNS / name, time.time()
    ck = out / 'checkpoint.pt'
    start = torch.load(ck, map_location='cpu', weights_only=True)['step'] if ck.exists() else 0
    train_model(CONFIGS[name], out, seed=0, device=device, translate=translator(name, device), progress=True, workers=workers)
    if start < CONFIGS[name].steps: add_time(out, time.time() - t, hardware(device, workers), CONFIGS[name].steps, workers)
    print(name, f'{time.time() - t:.0f} s', flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('names', nargs='*'); ap.add_argument('--device', default='cpu'); ap.add_argument('--workers', type=int, default=0)
    a = ap.parse_args()
    bad = [n for n in a.names if n not in CONFIGS]
    if bad: sys.exit(f'unknown run(s) {bad}; known: {list(CONFIGS)}')
    torch.set_num_threads(int(os.environ.get('VDWNB_THREADS', 2)))
    for n in a.names or list(RECIPES): run(n, a.device, a.workers)
