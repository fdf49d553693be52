"Process-level faults: workers outlive a killed parent, `python -m` entry points, a run killed mid-way leaves a lock that the next run takes over."
import os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from bad_inputs import lattice_png, orphans_after_kill, CLI as CLI_ARGS

CLI = [sys.executable, *CLI_ARGS]

@pytest.mark.skipif(not Path('/proc').exists(), reason='needs /proc')
def test_workers_die_when_resolve_is_killed(tmp_path):
    "kill -9 of `vdwnb resolve --workers 2`: no worker (nor the resource tracker) outlives it by more than a few seconds."
    assert orphans_after_kill(tmp_path) == 0

def test_a_dead_runs_lock_is_taken_over(tmp_path):
    "kill -9 during a run leaves its lock; the next run (with --resume) takes it over and keeps the rows."
    lattice_png(tmp_path / 'a.png'); lattice_png(tmp_path / 'b.png', seed=2)
    args = ['resolve', str(tmp_path / 'a.png'), str(tmp_path / 'b.png'), '--material', 'ReS2', '--pixel-size', '0.15', '--out',
            str(tmp_path / 'r.csv'), '--quiet']
    p = subprocess.Popen(CLI + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = tmp_path / '.r.csv.lock'
    t = time.time()
    while not lock.exists() and time.time() - t < 120: time.sleep(0.2)
    os.kill(p.pid, signal.SIGKILL); p.wait()
    assert lock.exists()
    r = subprocess.run(CLI + args + ['--resume', '--no-fit'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and '2 images resolved' in r.stdout, r.stdout + r.stderr
    assert not lock.exists()

@pytest.mark.parametrize('mod', ['vdwnb', 'vdwnb.cli'])
def test_python_m_runs_the_command(mod):
    r = subprocess.run([sys.executable, '-m', mod, 'simulate', 'NoSuchMaterial', '--out', 'x.hspy'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and 'NoSuchMaterial' in r.stderr and 'Traceback' not in r.stderr
