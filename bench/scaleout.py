"""Scale-out benchmark (issue 8): `make_dataset` and `vdwnb resolve` in one process vs N local worker processes.

The same work both ways in one run, reported as a speed-up ratio; the answers must be identical. On this 2-core
machine the most to expect is about 2×; a 16-core machine or a dask cluster scales the same code further.
Writes bench/results/scaleout.json and prints a table.

Usage: python bench/scaleout.py [--workers 2] [--n-data 512] [--n-images 16]
"""
import argparse, json, os, platform, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vdwnb.data import DataSpec, make_dataset, read_shard
from vdwnb.maps import twisted_image
from vdwnb.cli import resolve_files
from vdwnb.io import write_png16

def timed(f):
    t = time.perf_counter(); r = f(); return r, time.perf_counter() - t

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--n-data', type=int, default=512); ap.add_argument('--n-images', type=int, default=16)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp()); rows = []
    spec = DataSpec(material='ReS2', size=96)
    d0, t0 = timed(lambda: make_dataset(spec, a.n_data, tmp / 'd0', seed=7, shard_size=64, progress=False))
    d1, t1 = timed(lambda: make_dataset(spec, a.n_data, tmp / 'd1', seed=7, shard_size=64, progress=False, workers=a.workers))
    same = d0.equals(d1) and all(np.array_equal(read_shard(f)[0], read_shard(tmp / 'd1' / f.name)[0]) for f in sorted((tmp / 'd0').glob('shard_*')))
    rows.append(dict(job=f'make_dataset {a.n_data} × 96² ReS2', one_process_s=t0, workers_s=t1, identical=bool(same)))
    imgs = tmp / 'imgs'; imgs.mkdir(); rng = np.random.default_rng(8)
    for i in range(a.n_images):
        write_png16(imgs / f'r{i:02d}.png', twisted_image('ReS2', 0.0, slip=tuple(rng.uniform(0, 3, 2)), size=512, seed=800 + i).data)
    r0, t0 = timed(lambda: resolve_files([imgs], tmp / 'r0.csv', 'ReS2', pixel_size=0.15, progress=False))
    r1, t1 = timed(lambda: resolve_files([imgs], tmp / 'r1.csv', 'ReS2', pixel_size=0.15, progress=False, workers=a.workers))
    same = r0.file.tolist() == r1.file.tolist() and np.allclose(r0.slip1_x, r1.slip1_x, atol=1e-5)
    rows.append(dict(job=f'resolve {a.n_images} × 512² ReS2, TTA 8', one_process_s=t0, workers_s=t1, identical=bool(same)))
    for r in rows: r['speedup'] = r['one_process_s'] / r['workers_s']
    out = dict(workers=a.workers, cores=os.cpu_count(), machine=platform.processor() or platform.machine(), rows=rows)
    (ROOT / 'bench' / 'results').mkdir(exist_ok=True)
    (ROOT / 'bench' / 'results' / 'scaleout.json').write_text(json.dumps(out, indent=1))
    print(f'{"job":40s} {"1 process":>10s} {f"{a.workers} workers":>10s} {"speed-up":>9s} identical')
    for r in rows: print(f'{r["job"]:40s} {r["one_process_s"]:9.1f}s {r["workers_s"]:9.1f}s {r["speedup"]:8.2f}× {r["identical"]}')
    shutil.rmtree(tmp)

if __name__ == '__main__': main()
