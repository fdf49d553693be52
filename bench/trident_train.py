"""Train the Trident generator (CPU config) and its three ablations on the TED-Gen experiments.

Resumable: each run lives in bench/runs/trident/<name>/ (checkpoints every 250 steps); rerunning continues.
Usage: python bench/trident_train.py [name ...]   (default: all of RUNS)
       VDWNB_SEED=1 python bench/trident_train.py full   (another seed: runs in bench/runs/trident/<name>_s1/)
A longer run (e.g. full_2400) starts from the checkpoint of the same run with fewer steps when one exists (the learning
rate is constant, so this is the same trajectory as training from scratch, up to float rounding).
"""
import os, sys, time, json, shutil
from dataclasses import replace
from pathlib import Path
import torch
from vdwnb.trident import TridentConfig, train_trident, tedgen_experiments, default_sim_source

ROOT = Path(__file__).resolve().parents[1]
TEDGEN = ROOT.parent / 'shared' / 'data' / 'tedgen'
RUNS = {'full': {}, 'no_real': dict(w_real=0.0), 'no_fft': dict(w_fft=0.0), 'no_label': dict(w_label=0.0),   # shipped config and its ablations
        'label_x5': dict(w_label=5.0), 'skip_w1': dict(w_label=1.0),                                      # label-weight sensitivity
        'full_2400': dict(steps=2400), 'noise': dict(out_noise=True),                                      # longer training; output noise
        # the earlier default (no input skip, w_label 1), its ablations and variants
        'noskip': dict(skip=False, w_label=1.0), 'noskip_no_real': dict(skip=False, w_label=1.0, w_real=0.0),
        'noskip_no_fft': dict(skip=False, w_label=1.0, w_fft=0.0), 'noskip_no_label': dict(skip=False, w_label=0.0),
        'noskip_label_x3': dict(skip=False, w_label=3.0), 'noskip_label_x5': dict(skip=False, w_label=5.0),
        'noskip_label_x10': dict(skip=False, w_label=10.0), 'noskip_2400': dict(skip=False, w_label=1.0, steps=2400),
        'noskip_noise': dict(skip=False, w_label=1.0, out_noise=True)}
SEED = 0

def config(name): return TridentConfig.cpu(**RUNS[name])

def run_dir(name, seed): return ROOT / 'bench' / 'runs' / 'trident' / (name if seed == SEED else f'{name}_s{seed}')

def shorter_run(name, seed):
    "The finished run with the same config but fewer steps, if any (its checkpoint continues to `name`)."
    cfg = config(name)
    for other in RUNS:
        c, ck = config(other), run_dir(other, seed) / 'checkpoint.pt'
        if other != name and c.steps < cfg.steps and replace(c, steps=cfg.steps) == cfg and ck.exists(): return ck

def main(names):
    if not TEDGEN.exists(): sys.exit(f'{TEDGEN} is absent: the experimental images are needed to train.')
    torch.set_num_threads(int(os.environ.get('VDWNB_THREADS', 2)))   # 1 when running two trainings side by side
    train, _ = tedgen_experiments(TEDGEN / 'experimental')
    seed = int(os.environ.get('VDWNB_SEED', SEED))   # seed spread: the same run with another seed
    for name in names:
        out, t, ck = run_dir(name, seed), time.time(), None
        if not (out / 'checkpoint.pt').exists() and (ck := shorter_run(name, seed)):
            out.mkdir(parents=True, exist_ok=True); shutil.copy(ck, out / 'checkpoint.pt'); print(name, 'continues', ck, flush=True)
        train_trident(default_sim_source(config(name).size), train, config(name), out, seed=seed, progress=True)
        (out / 'time.json').write_text(json.dumps(dict(seconds=time.time() - t, steps=config(name).steps, continued_from=ck and str(ck.parent.name))))
        print(name, f'{time.time() - t:.0f} s', flush=True)

if __name__ == '__main__': main(sys.argv[1:] or list(RUNS))
