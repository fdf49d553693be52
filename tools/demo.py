"""`make demo`: the most complete job vdwnb can do so far.

For each material: build a bilayer with a known slip, draw a quick test picture of it at a known
sampling, save it as an uncalibrated PNG, load it back with auto-calibration, and report the pixel size
found and the canonical slip. Then calibrate the reference experimental images when ../shared is there.
Outputs go to demo_out/ (or the folder given as the first argument), written atomically.
"""
import os, sys, tempfile, time, json
from pathlib import Path
import numpy as np

from vdwnb.structures import build_stack, canonical_slip, materials, get_material, slip_group, to_cartesian
from vdwnb.io import atomic_write, column_image, load_image, pixel_size_of

def main(out=Path('demo_out')):
    import imageio.v3 as iio
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    out.mkdir(parents=True, exist_ok=True)
    rows, pics, true_px = [], [], 0.1
    for i, name in enumerate(materials()):
        slip = to_cartesian(name, (0.3, 0.55))
        img = column_image(build_stack(name, slips=[slip], fov=(50, 50)), true_px)
        png = out/f'{name}_bilayer.png'
        atomic_write(png, lambda p: iio.imwrite(p, (255 * img / img.max()).astype(np.uint8), extension='.png'))
        t = time.perf_counter(); s = load_image(png, material=name); dt = time.perf_counter() - t
        cal = s.metadata.vdwnb.calibration
        rows.append(dict(material=get_material(name).full_name, slip=np.round(slip, 3).tolist(),
                         canonical=np.round(canonical_slip(name, slip), 3).tolist(), group_order=len(slip_group(name)),
                         px_true=true_px, px_found=round(cal.pixel_size, 5), error_pct=round(100 * (cal.pixel_size / true_px - 1), 3),
                         anisotropy=round(cal.anisotropy, 4), seconds=round(dt, 2)))
        pics.append((name, s.data))
    print(f"{'material':10s} {'slip (Å)':>18s} {'canonical (Å)':>18s} {'|G|':>4s} {'px found':>9s} {'err %':>7s}")
    for r in rows:
        print(f"{r['material']:10s} {str(r['slip']):>18s} {str(r['canonical']):>18s} {r['group_order']:4d} {r['px_found']:9.5f} {r['error_pct']:7.3f}")
    tedgen = Path(__file__).resolve().parents[2]/'shared'/'data'/'tedgen'/'experimental'
    experimental = []
    if tedgen.exists():
        print('\nReference experimental images (../shared/data/tedgen, not part of vdwnb):')
        for f in sorted(tedgen.glob('*.png')):
            mat = 'ReSe2' if 'rese2' in f.name else 'MoS2' if 'mos2' in f.name else 'ReS2'
            c = load_image(f, material=mat).metadata.vdwnb.calibration
            experimental.append(dict(file=f.name, material=mat, pixel_size=c.pixel_size, uncertainty=c.uncertainty, anisotropy=c.anisotropy))
            print(f'  {f.name:40s} {mat:6s} {c.pixel_size:.5f} ± {c.uncertainty:.5f} Å/px  anisotropy {c.anisotropy:.4f}')
    fig, axs = plt.subplots(1, len(pics), figsize=(3 * len(pics), 3))
    for ax, (name, d) in zip(axs, pics):
        ax.imshow(d[:200, :200], cmap='gray', origin='lower'); ax.set_title(name); ax.axis('off')
    atomic_write(out/'demo.png', lambda p: fig.savefig(p, dpi=80, format='png'))
    atomic_write(out/'demo.json', lambda p: Path(p).write_text(json.dumps(dict(synthetic=rows, experimental=experimental), indent=1)))
    print(f'\nwrote {out}/demo.png, {out}/demo.json and one PNG per material')

if __name__ == '__main__':
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path('demo_out'))
