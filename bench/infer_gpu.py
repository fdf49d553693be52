"""Train several structure models at once on a lent GPU machine (one CUDA device, many CPU cores), within a deadline.

Each run is `bench/infer_train.py NAME --device cuda --workers W` in its own process group, logging to
bench/runs/infer/NAME.log. At the deadline, runs still going are stopped: their last checkpoint (every 250 steps,
written atomically) is kept, and `python bench/infer_train.py NAME` finishes them on any machine.
A tiny CUDA training runs first; if it fails, the runs fall back to the CPU (still with data workers).
Checkpoints and a summary (steps reached, seconds, steps/s per run) are copied to --out.
Usage: python bench/infer_gpu.py --deadline 450 --out DIR NAME:WORKERS ...
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time, traceback
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / 'bench' / 'runs' / 'infer'

def smoke():
    "A 6-step CUDA training with 2 data workers and AMP; returns (device, message)."
    try:
        import torch
        from vdwnb.infer import ModelConfig, train_model
        if not torch.cuda.is_available(): return 'cpu', 'no CUDA device'
        tiny = ModelConfig(size=32, width=4, blocks=(1, 1), batch=4, steps=6, warmup=2, n_val=8, val_every=3)
        with tempfile.TemporaryDirectory() as d:
            t = time.time(); train_model(tiny, d, device='cuda', progress=False, workers=2)
        return 'cuda', f'CUDA smoke training passed in {time.time() - t:.1f} s on {torch.cuda.get_device_name(0)}'
    except Exception:
        return 'cpu', 'CUDA smoke training failed:\n' + traceback.format_exc()

def step_of(name):
    h = RUNS / name / 'history.csv'
    try: return int(pd.read_csv(h)['step'].iloc[-1]) if h.exists() else 0
    except Exception: return -1

def main(a):
    t0 = time.time()
    device, msg = smoke(); print(msg, flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    procs, start = {}, {}
    for spec in a.runs:
        name, w = spec.split(':')
        log = open(RUNS / f'{name}.log', 'w')
        start[name] = step_of(name)
        procs[name] = subprocess.Popen([sys.executable, str(ROOT / 'bench' / 'infer_train.py'), name, '--device', device, '--workers', w],
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                       env={**os.environ, 'VDWNB_THREADS': '1', 'PYTHONUNBUFFERED': '1'})
    t1, last, ended = time.time(), 0, {}
    while any(p.poll() is None for p in procs.values()) and time.time() - t0 < a.deadline:
        time.sleep(2)
        ended.update({n: time.time() for n, p in procs.items() if p.poll() is not None and n not in ended})
        if time.time() - last > 30:
            last = time.time(); print(f'{time.time() - t0:5.0f} s', {n: step_of(n) for n in procs}, flush=True)
    summary = dict(device=device, smoke=msg, deadline=a.deadline, runs={})
    for name, p in procs.items():
        done = p.poll() is not None
        if not done: os.killpg(p.pid, signal.SIGKILL); p.wait()
        s, secs = step_of(name), ended.get(name, time.time()) - t1
        summary['runs'][name] = dict(finished=done, returncode=p.returncode, step_start=start[name], step_end=s,
                                     seconds=secs, steps_per_s=(s - start[name]) / secs,
                                     log_tail=(RUNS / f'{name}.log').read_text()[-600:])
        ck = RUNS / name / 'checkpoint.pt'
        if a.out and ck.exists(): (Path(a.out) / name).mkdir(parents=True, exist_ok=True); shutil.copy(ck, Path(a.out) / name / 'checkpoint.pt')
    print(json.dumps({n: {k: v for k, v in r.items() if k != 'log_tail'} for n, r in summary['runs'].items()}, indent=1))
    for n, r in summary['runs'].items():
        if r['returncode'] not in (0, -9): print(n, 'log tail:\n', r['log_tail'])
    if a.out: (Path(a.out) / 'summary.json').write_text(json.dumps(summary, indent=1))

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('runs', nargs='+'); ap.add_argument('--deadline', type=float, default=450); ap.add_argument('--out', default=None)
    main(ap.parse_args())
