"""Train the Trident generator (CPU config) and its three ablations on the TED-Gen experiments.

Resumable: each run lives in bench/runs/trident/<name>/ (checkpoints every 250 steps); rerunning continues.
Usage: python bench/trident_train.py [name ...]   (default: all of RUNS)
       VDWNB_SEED=1 python bench/trident_train.py full   (another seed: runs in bench/runs/trident/<name>_s1/)
"""
import os, sys, time, json
from pathlib import Path
import torch
from vdwnb.trident import TridentConfig, train_trident, tedgen_experiments, default_sim_source

ROOT = Path(__file__).resolve().parents[1]
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'
RUNS = {'full': {}, 'no_real': dict(w_real=0.0), 'no_fft': dict(w_fft=0.0), 'no_label': dict(w_label=0.0),
        'label_x3': dict(w_label=3.0), 'label_x5': dict(w_label=5.0),
        'label_x10': dict(w_label=10.0),
        'skip': dict(skip=True), 'skip_x3': dict(skip=True, w_label=3.0)}   # ablations; label-weight and input-skip sensitivity runs
SEED = 0

def config(name): return TridentConfig.cpu(**RUNS[name])

def main(names):
    if not TEDGEN.exists(): sys.exit(f'{TEDGEN} is absent: the experimental images are needed to train.')
    torch.set_num_threads(int(os.environ.get('VDWNB_THREADS', 2)))   # 1 when running two trainings side by side
    train, _ = tedgen_experiments(TEDGEN / 'experimental')
    seed = int(os.environ.get('VDWNB_SEED', SEED))   # seed spread: the same run with another seed
    for name in names:
        out = ROOT / 'bench' / 'runs' / 'trident' / (name if seed == SEED else f'{name}_s{seed}')
        t = time.time()
        train_trident(default_sim_source(config(name).size), train, config(name), out, seed=seed, progress=True)
        (out / 'time.json').write_text(json.dumps(dict(seconds=time.time() - t, steps=config(name).steps)))
        print(name, f'{time.time() - t:.0f} s', flush=True)

if __name__ == '__main__': main(sys.argv[1:] or list(RUNS))
