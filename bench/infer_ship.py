"""Ship trained structure models: calibrate σ (200 fresh images, unless done), write the model card, and copy
bench/runs/infer/<name>/model.pt to vdwnb/weights/<name>.pt with <name>.card.json beside it.

Usage: python bench/infer_ship.py NAME ...   (after python bench/infer_train.py NAME)
"""
import json, shutil, sys
from pathlib import Path
import torch
from vdwnb.infer import RECIPES, calibrate_sigma, model_card

ROOT = Path(__file__).resolve().parents[1]
RUNS, WEIGHTS = ROOT / 'bench' / 'runs' / 'infer', ROOT / 'vdwnb' / 'weights'
LIMIT = 10 * 2**20          # bytes per shipped model (issue 5)

def ship(name, n=200):
    p = RUNS / name / 'model.pt'
    if not p.exists(): sys.exit(f'{p}: no trained model; run python bench/infer_train.py {name} first.')
    if 'sigma_scale' not in torch.load(p, map_location='cpu', weights_only=True): calibrate_sigma(p, n=n)
    card = model_card(p)
    if card['file_bytes'] > LIMIT: sys.exit(f'{name}: {card["file_bytes"]} bytes, over the {LIMIT} limit: not shipped.')
    (RUNS / name / 'card.json').write_text(json.dumps(card, indent=1))
    shutil.copy(p, WEIGHTS / f'{name}.pt'); (WEIGHTS / f'{name}.card.json').write_text(json.dumps(card, indent=1))
    print(f"{name}: val {card['val_mae']:.3g} {card['unit']}, σ scale {card['sigma_scale']:.3g}, {card['file_bytes'] / 2**20:.1f} MiB, "
          f"{card['training_seconds']:.0f} s on {card['hardware']}", flush=True)

if __name__ == '__main__':
    bad = [n for n in sys.argv[1:] if n not in RECIPES]
    if bad or not sys.argv[1:]: sys.exit(f'name recipes to ship; unknown: {bad}; known: {list(RECIPES)}')
    torch.set_num_threads(1)
    for n in sys.argv[1:]: ship(n)
