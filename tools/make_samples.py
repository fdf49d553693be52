"""Make data_samples/: small realistic images this project simulates, with their true labels (labels.csv).

Run from the repository root: python tools/make_samples.py. Deterministic (fixed seeds); 16-bit PNGs whose pixel
size is in labels.csv. The images use the project's fast simulator and noise model (vdwnb.data), at test seeds that
training never draws.
"""
import csv, json, sys
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.io import atomic_write, write_png16
from vdwnb.verify import simulated_example, label_slips
from vdwnb.maps import twisted_image, domain_image

OUT = ROOT / 'data_samples'

def save(name, a): write_png16(OUT / name, a)

def main():
    rows = []
    for name, mat, k, seed in (('res2_bilayer.png', 'ReS2', 2, 80_001), ('rese2_bilayer.png', 'ReSe2', 2, 80_002),
                               ('res2_trilayer.png', 'ReS2', 3, 80_003)):
        img, lab, q = simulated_example(mat, n_layers=k, size=256, pixel_size=0.1, psnr_range=(19.0, 23.0), seed=seed)
        save(name, img)
        rows.append(dict(file=name, material=mat, task='slip' if k == 2 else 'trilayer', pixel_size=lab['pixel_true'],
                         truth=json.dumps(label_slips(lab).round(4).tolist()), psnr=round(q, 1), note=''))
    img = twisted_image('MoS2', 17.5, slip=(0.6, 0.3), size=256, pixel_size=0.1, seed=80_004)
    save('mos2_twisted.png', img.data)
    rows.append(dict(file='mos2_twisted.png', material='MoS2', task='twist', pixel_size=0.1, truth=json.dumps(17.5), psnr='', note=''))
    img, tr = domain_image('ReS2', [(1.2, 0.6), (0.3, 1.9)], size=400, pixel_size=0.15, angle=70.0, seed=80_005)
    save('res2_two_domains.png', img.data)
    rows.append(dict(file='res2_two_domains.png', material='ReS2', task='map', pixel_size=0.15, truth=json.dumps(tr['slips'].tolist()),
                     psnr='', note=f"boundary through the centre at {tr['angle']}° from x (y down)"))
    def write(p):
        with open(p, 'w', newline='') as f:
            w = csv.DictWriter(f, list(rows[0])); w.writeheader(); w.writerows(rows)
    atomic_write(OUT / 'labels.csv', write)
    for r in rows: print(r)

if __name__ == '__main__':
    main()
