"""Train the structure models of issue 5 (the recipes in `vdwnb.infer.RECIPES`) on 2 CPU cores; resumable.

Each run lives in bench/runs/infer/<name>/ (checkpoint, history.csv, model.pt, time.json).
Usage: python bench/infer_train.py [name ...]   (default: every recipe)
       VDWNB_THREADS=1 when two trainings run side by side.
"""
import json, os, sys, time
from pathlib import Path
import torch
from vdwnb.infer import RECIPES, train_model

ROOT = Path(__file__).resolve().parents[1]

def main(names):
    torch.set_num_threads(int(os.environ.get('VDWNB_THREADS', 2)))
    for name in names:
        out, t = ROOT / 'bench' / 'runs' / 'infer' / name, time.time()
        train_model(RECIPES[name], out, seed=0, device='cpu', progress=True)
        (out / 'time.json').write_text(json.dumps(dict(seconds=time.time() - t, threads=torch.get_num_threads(), hardware='2-core CPU')))
        print(name, f'{time.time() - t:.0f} s', flush=True)

if __name__ == '__main__':
    bad = [n for n in sys.argv[1:] if n not in RECIPES]
    if bad: sys.exit(f'unknown recipe(s) {bad}; known: {list(RECIPES)}')
    main(sys.argv[1:] or list(RECIPES))
