"""Make nbs/images/overview.png, the README's picture: `vdwnb demo` figures of the bundled samples (made by this project).

Run from the repository root: python tools/make_figure.py (about 1.5 min: it runs the demo into a temporary folder).
"""
import sys, tempfile
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROWS = (('res2_bilayer_answer.png', '1 · resolve: the network reads the slip ± σ from 8 views; the fit to the simulation refines it'),
        ('res2_bilayer_verify.png', '2 · verify: atomap column fits of the image vs the re-simulated answer (misfit in pm)'),
        ('res2_two_domains_map.png', '3 · map: slip over the image, two stacking domains and the interface between them'))

def main():
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt, imageio.v3 as iio
    from vdwnb.cli import run_demo
    from vdwnb.io import atomic_write
    with tempfile.TemporaryDirectory() as d:
        run_demo(d, progress=False)
        imgs = [iio.imread(Path(d) / f)[..., :3] for f, _ in ROWS]
    w = 11.0
    hs = [w * a.shape[0] / a.shape[1] for a in imgs]
    fig, axs = plt.subplots(len(imgs), 1, figsize=(w, sum(hs) + 0.35 * len(imgs)), gridspec_kw=dict(height_ratios=hs))
    for ax, a, (_, title) in zip(axs, imgs, ROWS):
        ax.imshow(a); ax.set_axis_off(); ax.set_title(title, loc='left', fontsize=11)
    fig.tight_layout()
    atomic_write(ROOT / 'nbs' / 'images' / 'overview.png', lambda p: fig.savefig(p, dpi=80, format='png'))
    print('wrote nbs/images/overview.png')

if __name__ == '__main__': main()
